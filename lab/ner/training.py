"""Train the NER: CoNLL train/dev (+ the project's domain sentences) -> DocBins -> `spacy train` -> model dir."""
from __future__ import annotations

import json
import logging
import random
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from lab.ner.augment import replace_mentions
from lab.ner.conll import ConllError, Sentence, read_conll
from lab.ner.domain import domain_sentences

log = logging.getLogger(__name__)

CONFIG = Path(str(resources.files("lab.ner").joinpath("config.cfg")))
SOURCE = {"name": "IDNer2k", "license": "MIT",
          "author": "Khairunnisa, Imankulova and Komachi (AACL-IJCNLP SRW 2020)",
          "url": "https://github.com/khairunnisaor/idner-news-2k"}


def split_data(data_dir: Path, early_stop: str, holdout: float, seed: int, domain: bool,
               augment: int = 0) -> tuple[list[Sentence], list[Sentence]]:
    """(training sentences, early-stopping sentences). `early_stop="dev"` trains on train.txt and stops on
    dev.txt (for tuning); "holdout" trains on train+dev less a random `holdout` share it stops on."""
    train_file, dev_file = data_dir / "train.txt", data_dir / "dev.txt"
    for f in (train_file, dev_file):
        if not f.is_file():
            raise ConllError(f"{f}: missing (--data needs train.txt and dev.txt in CoNLL `TOKEN POS TAG` format)")
    train, dev = read_conll(train_file), read_conll(dev_file)
    if early_stop == "holdout":
        pool = train + dev
        random.Random(seed).shuffle(pool)
        cut = max(1, round(len(pool) * holdout))
        dev, train = pool[:cut], pool[cut:]
    if domain:
        train = train + domain_sentences(seed)
    if augment:
        train = train + replace_mentions(train, augment, seed)
    return train, dev


def write_docbin(sentences: list[Sentence], path: Path) -> None:
    vocab = spacy.blank("xx").vocab
    DocBin(docs=(s.to_doc(vocab) for s in sentences), store_user_data=False).to_disk(path)


def train(data_dir: str | Path, out_dir: str | Path, *, config: str | Path = CONFIG, early_stop: str = "holdout",
          holdout: float = 0.1, seed: int = 0, domain: bool = True, augment: int = 0, max_steps: int | None = None,
          eval_frequency: int | None = None, overrides: dict | None = None) -> Path:
    """Train a pipeline and save it to `out_dir` (replaced only once training succeeded)."""
    from spacy.cli.train import train as spacy_train

    import extract.ner.tokenizer  # noqa: F401  (registers the tokenizer callback named in config.cfg)

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    train_set, dev_set = split_data(data_dir, early_stop, holdout, seed, domain, augment)
    settings = {"system.seed": seed, **(overrides or {})}
    if max_steps is not None:
        settings["training.max_steps"] = max_steps
    if eval_frequency is not None:
        settings["training.eval_frequency"] = eval_frequency
    with tempfile.TemporaryDirectory(prefix="pantau-ner-") as tmp:
        work = Path(tmp)
        write_docbin(train_set, work / "train.spacy")
        write_docbin(dev_set, work / "dev.spacy")
        log.info("training on %d sentences, early stopping on %d", len(train_set), len(dev_set))
        settings.update({"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")})
        spacy_train(Path(config), work / "output", overrides=settings)
        best = work / "output" / "model-best"
        _write_meta(best, train_set, dev_set, early_stop)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staged = out_dir.with_name(out_dir.name + ".new")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(best, staged)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staged.rename(out_dir)
    return out_dir


def _write_meta(model_dir: Path, train_set: list[Sentence], dev_set: list[Sentence], early_stop: str) -> None:
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta.update({
        "name": "pantau_ner",
        "description": "Indonesian news NER (PER, ORG, LOC) for Pantau: small CNN, no vectors, no transformer. "
                       "Trained on IDNer2k train+dev (MIT) and Pantau's own domain sentences.",
        "license": "MIT",
        "sources": [SOURCE, {"name": "Pantau domain sentences (lab/ner/domain_sentences.txt)",
                             "license": "MIT"}],
        "training": {"sentences": len(train_set), "early_stopping_sentences": len(dev_set),
                     "early_stopping": early_stop},
    })
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
    _write_card(model_dir, meta)


def _write_card(model_dir: Path, meta: dict) -> None:
    size = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file())
    perf = meta.get("performance", {})
    per_type = perf.get("ents_per_type") or {}
    lines = [
        "# Pantau NER (Indonesian: PER, ORG, LOC)", "",
        f"spaCy {meta.get('spacy_version', '')} pipeline: Indonesian tokenizer (blank `id` plus the abbreviations "
        "in extract/ner/abbreviations.txt) and one `ner` pipe with its own small CNN (no vectors, no transformer); "
        f"about {size / 1e6:.1f} MB. Load it with `extract.ner.load_ner()`; nothing is fetched from the network.", "",
        "Training data: IDNer2k (Khairunnisa, Imankulova and Komachi, AACL-IJCNLP SRW 2020; MIT licence), "
        "train.txt and dev.txt only, plus Pantau's own domain sentences (lab/ner/domain_sentences.txt). "
        "Retrain: `python -m lab.train_ner --data ../shared/data/idner2k --out extract/models/ner`; "
        "measure: `python bench/bench_ner.py`, `pantau eval ner ../shared/data/idner2k`.", "",
        f"Early-stopping set ({meta['training']['early_stopping']}, {meta['training']['early_stopping_sentences']} "
        f"sentences, spaCy tokens): P {perf.get('ents_p', 0):.3f} R {perf.get('ents_r', 0):.3f} "
        f"F1 {perf.get('ents_f', 0):.3f}" + "".join(f"; {k} F1 {v['f']:.3f}" for k, v in sorted(per_type.items())),
        "",
    ]
    (model_dir / "README.md").write_text("\n".join(lines), "utf-8")
