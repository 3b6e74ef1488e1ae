"""Train the tagger's learned models: `python -m lab.train_tagger LABELS.jsonl [--config FILE] [--out DIR]`.

1. Sentence modality (extract/tagging/modality.py): every breach mention the rules find in the development
   part of the labelled articles gets a distant label from the article's labels (its category alleged in
   the article: alleged, or sanction where a penalty is imposed in the sentence; only a rule there:
   prohibition; neither: denied where the sentence denies, else none), plus the hand-written sentences of
   lab/tagging/train_sentences.toml (the kind given by their list).
2. Article type (extract/tagging/verdict.py): the rules' reading, the learned sentence kinds, a summary of
   what the article is made of (roles, who its breach mentions are about, the lead's kinds and cues) and the
   headline of each development article, against its labelled type, plus the hand-written short articles
   of lab/tagging/train_articles.toml.

Only the development part is read (train.cfg `split`; lab.eval_tag.split_of). The model files keep
weights over hashed features, not the texts. Needs no network; deterministic for a given config.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from importlib import resources
from pathlib import Path

from spacy.util import load_config_from_str

from lab.eval_tag import LabelsError, read_labels, split_of
from extract.tagging.learned import HashedSoftmax, model_path
from extract.tagging.modality import KINDS, candidate_features, sentence_features
from extract.tagging.model import ARTICLE_TYPES


def load_config(path: Path | None):
    text = path.read_text("utf-8") if path else resources.files("lab.tagging").joinpath("train.cfg").read_text("utf-8")
    return load_config_from_str(text)


def handwritten(name: str) -> dict[str, list[str]]:
    data = tomllib.loads(resources.files("lab.tagging").joinpath(name).read_text("utf-8"))
    unknown = set(data) - set(KINDS)
    if unknown:
        raise ValueError(f"{name}: unknown sentence kinds {sorted(unknown)} (use {', '.join(KINDS)})")
    return data


def handwritten_articles(name: str) -> dict[str, list[str]]:
    """Hand-written short articles, one list per article type ("" = none)."""
    if not name:
        return {}
    data = tomllib.loads(resources.files("lab.tagging").joinpath(name).read_text("utf-8"))
    unknown = set(data) - set(ARTICLE_TYPES)
    if unknown:
        raise ValueError(f"{name}: unknown article types {sorted(unknown)} (use {', '.join(ARTICLE_TYPES)})")
    return data


def distant_kinds(doc, item: dict) -> list[tuple[object, str]]:
    """Each breach mention the rules found in a labelled article, with the kind its labels imply."""
    gold_type = item["article_type"]
    breaches, prohibitions = set(item["breaches"]), set(item["prohibitions"])
    candidates = doc._.pantau_candidates or []
    cues = doc._.pantau_cues
    rule_alleged = {c.flag.category for c in candidates if c.flag.modality == "alleged"}
    out = []
    for c in candidates:
        cat, sc = c.flag.category, cues[c.sent_index]
        if cat in breaches and gold_type in ("allegation", "sanction"):
            if cat in rule_alleged and c.flag.modality in ("prohibition", "denied"):
                kind = c.flag.modality               # the article also states the rule: keep the rules' reading
            elif gold_type == "sanction" and sc.has("sanction"):
                kind = "sanction"
            else:
                kind = "alleged"
        elif cat in prohibitions:
            kind = "prohibition"
        elif sc.has("denied"):
            kind = "denied"
        else:
            kind = "none"
        out.append((c, kind))
    return out


def sentence_examples(tagger, sentences: dict[str, list[str]]) -> list[tuple[list[str], str]]:
    """Hand-written sentences: every breach mention in them takes the sentence's kind (the whole sentence
    when the rules find no mention)."""
    from extract.tagging.tokens import token_table
    examples = []
    for kind, texts in sentences.items():
        for doc in tagger.nlp.pipe(texts):
            candidates = doc._.pantau_candidates or []
            if candidates:
                examples += [(candidate_features(doc, c), kind) for c in candidates]
            else:
                table = token_table(doc)
                examples.append((sentence_features(table, [x for sc in doc._.pantau_cues for x in sc.cues],
                                                   (0, len(doc))), kind))
    return examples


def fit(tagger, items: list[dict], cfg) -> tuple[HashedSoftmax, HashedSoftmax, dict[str, float]]:
    """Both models trained on `items`; they are left installed in `tagger`."""
    from extract.privacy import scrub

    modality_pipe, article_pipe = tagger.nlp.get_pipe("pantau_modality"), tagger.nlp.get_pipe("pantau_article")
    modality_pipe.model, article_pipe.type_model = None, None      # the rules alone give the features
    texts = [scrub(i["text"]) for i in items]

    m = cfg["modality"]
    examples = []
    for doc, item in zip(tagger.nlp.pipe(texts), items):
        examples += [(candidate_features(doc, c), kind) for c, kind in distant_kinds(doc, item)]
    examples *= cfg["data"]["distant_weight"]
    n_distant = len(examples)
    examples += sentence_examples(tagger, handwritten(cfg["data"]["sentences"])) * cfg["data"]["sentence_weight"]
    modality_model = HashedSoftmax(list(KINDS), m["bits"]).fit(examples, m["epochs"], m["rate"], m["l2"], m["seed"])
    modality_pipe.model = modality_model

    a = cfg["article_type"]
    article_pipe.collect = True
    article_examples = [(doc._.pantau_article_features, item["article_type"])
                        for doc, item in zip(tagger.nlp.pipe(texts), items)]
    written = handwritten_articles(cfg["data"].get("articles", ""))
    article_examples += [(doc._.pantau_article_features, kind) for kind, texts_of in written.items()
                         for doc in tagger.nlp.pipe(texts_of)] * cfg["data"].get("article_weight", 1)
    article_pipe.collect = False
    type_model = HashedSoftmax(list(ARTICLE_TYPES), a["bits"]).fit(article_examples, a["epochs"], a["rate"], a["l2"],
                                                                   a["seed"])
    article_pipe.type_model = type_model
    fit_m = sum(modality_model.predict(f) == y for f, y in examples) / max(1, len(examples))
    fit_a = sum(type_model.predict(f) == y for f, y in article_examples) / max(1, len(article_examples))
    return modality_model, type_model, {"articles": len(items), "modality_examples": len(examples),
                                        "distant_examples": n_distant, "modality_train_accuracy": fit_m,
                                        "article_type_train_accuracy": fit_a}


def cross_validate(tagger, items: list[dict], cfg, folds: int = 5) -> tuple[dict[str, float], list]:
    """Each field on each fold of the training part, tagged by models trained on the other folds, averaged
    over the folds (for choosing features and train.cfg without looking at the held-out part); also each
    article's errors as its fold saw them."""
    import re
    from lab.eval_tag import SPLIT_FIELDS, evaluate
    from extract.privacy import scrub

    def fold(item) -> int:
        return int(re.sub(r"\D", "", item["id"]) or 0) // 2 % folds

    sums = dict.fromkeys(SPLIT_FIELDS, 0.0)
    articles = []
    for k in range(folds):
        train_part = [i for i in items if fold(i) != k]
        test_part = [i for i in items if fold(i) == k]
        if not test_part:
            continue
        fit(tagger, train_part, cfg)
        report = evaluate(test_part, tagger.tag_many([scrub(i["text"]) for i in test_part]))
        articles += report.articles
        figures = report.figures()
        for key in sums:
            sums[key] += figures[key] / folds
    return sums, sorted(articles, key=lambda a: a.id)


def train(labels: Path, config_path: Path | None = None, out_dir: Path | None = None,
          folds: int = 0, errors: bool = False) -> dict[str, float]:
    from extract.tagging.pipeline import Tagger

    cfg = load_config(config_path)
    items = [i for i in read_labels(labels) if split_of(i["id"]) == cfg["data"]["split"]]
    tagger = Tagger()
    figures = {}
    if folds > 1:
        cv_figures, articles = cross_validate(tagger, items, cfg, folds)
        figures.update({f"cv:{k}": v for k, v in cv_figures.items()})
        if errors:
            print_errors(articles)
    modality_model, type_model, fitted = fit(tagger, items, cfg)
    out_dir = out_dir or model_path("")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / cfg["modality"]["file"]).write_bytes(modality_model.to_bytes())
    (out_dir / cfg["article_type"]["file"]).write_bytes(type_model.to_bytes())
    return {**fitted, **figures}


def print_errors(articles) -> None:
    """The training part's articles as cross-validation read them: wrong type, missed and spurious items."""
    for a in articles:
        diffs = {f: d for f, d in a.diffs.items() if f in ("breaches", "prohibitions")}
        if a.gold_type == a.pred_type and not diffs:
            continue
        kind = a.pred_type if a.pred_type == a.gold_type else f"{a.pred_type} (gold {a.gold_type})"
        parts = [f"{f} -{','.join(map(str, m))} +{','.join(map(str, sp))}" for f, (m, sp) in diffs.items()]
        print(f"  {a.id}: type {kind}  " + "  ".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels", type=Path, help="labelled articles (shared/eval/neutrality-dev/labels.jsonl)")
    parser.add_argument("--config", type=Path, default=None, help="training config (default lab/tagging/train.cfg)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the model files "
                                                               "(default extract/tagging/models)")
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="also print K-fold cross-validated figures within the training part (5 is the "
                             "setting train.cfg was chosen by)")
    parser.add_argument("--errors", action="store_true",
                        help="with --cv: print each training article the cross-validation got wrong")
    args = parser.parse_args(argv)
    try:
        figures = train(args.labels, args.config, args.out, args.cv, args.errors)
    except (LabelsError, ValueError, OSError) as exc:
        print(f"train_tagger: {exc}", file=sys.stderr)
        return 2
    for key, value in figures.items():
        print(f"{key:32} {value:.3f}" if isinstance(value, float) else f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
