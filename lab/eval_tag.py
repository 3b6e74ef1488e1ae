"""Measure the tagger against labelled articles (the format of shared/eval/neutrality-dev/labels.jsonl).

Article type: accuracy and macro-F1 over the four types. Roles, officials, accused, breaches and
prohibitions: micro precision / recall / F1 over (article, item) pairs. Officials match by name after
normalisation (case, punctuation, honorifics, degrees); their titles are scored separately, on the
matched names. Accused names or descriptions match when they share most of their content words.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from extract.tagging.model import ARTICLE_TYPES, Tags

TARGETS = {"article_type_macro_f1": 0.85, "roles_f1": 0.97, "officials_f1": 0.90, "accused_f1": 0.80, "breaches_f1": 0.80,
           "prohibitions_f1": 0.80}
REQUIRED = ("id", "text", "article_type", "roles", "officials", "breaches", "prohibitions")
_HONORIFICS = {"h", "hj", "dr", "drs", "dra", "ir", "prof", "kh", "bapak", "pak", "ibu", "bu"}
_DEGREES = {"sh", "mh", "msi", "ssos", "spd", "mpd", "sip", "mip", "se", "mm", "st", "mt", "sag", "mag", "lc", "ma",
            "sip", "map", "mkom", "skom", "sth", "mth", "shi", "mhi", "phd", "msc", "mba", "skm", "mkes"}
_FILLER = {"di", "dari", "dalam", "yang", "dan", "atau", "ke", "pada", "seorang", "oknum", "sejumlah", "para",
           "beberapa", "kasus", "itu", "tersebut", "sebanyak"}


class LabelsError(ValueError):
    """The labels file cannot be read; the message says where and why."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list, pred: list, same=lambda a, b: a == b) -> tuple[list, list]:
        """Match greedily; return (missed gold items, spurious predicted items)."""
        left = list(pred)
        missed = []
        for g in gold:
            hit = next((p for p in left if same(g, p)), None)
            if hit is None:
                missed.append(g)
            else:
                left.remove(hit)
                self.tp += 1
        self.fn += len(missed)
        self.fp += len(left)
        return missed, left

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleResult:
    id: str
    gold_type: str
    pred_type: str
    errors: int
    diffs: dict[str, tuple[list, list]] = field(default_factory=dict)   # field -> (missed, spurious)


@dataclass
class Report:
    n: int
    type_accuracy: float
    type_macro_f1: float
    type_f1: dict[str, float]
    counts: dict[str, Counts]
    articles: list[ArticleResult]

    def figures(self) -> dict[str, float]:
        out = {"article_type_accuracy": self.type_accuracy, "article_type_macro_f1": self.type_macro_f1}
        for name, c in self.counts.items():
            out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = c.precision, c.recall, c.f1
        return out

    def worst(self, k: int) -> list[ArticleResult]:
        return sorted((a for a in self.articles if a.errors), key=lambda a: (-a.errors, a.id))[:k]


def read_labels(path: str | Path) -> list[dict]:
    """Labelled articles, one JSON object a line; a clear error names the line that is wrong."""
    path = Path(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{path}: cannot read: {exc}") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise LabelsError(f"{path}:{number}: expected a JSON object")
        missing = [k for k in REQUIRED if k not in item]
        if missing:
            raise LabelsError(f"{path}:{number}: missing field(s) {', '.join(missing)}")
        if item["article_type"] not in ARTICLE_TYPES:
            raise LabelsError(f"{path}:{number}: unknown article_type {item['article_type']!r}")
        items.append(item)
    if not items:
        raise LabelsError(f"{path}: no labelled articles")
    return items


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(name: str) -> str:
    """A name without honorifics and degrees, folded: 'Dr. H. Dian Rachmat Yanuar, M.Si' -> 'dian rachmat yanuar'."""
    words = [_fold(w.replace(".", "")) for w in re.split(r"[\s,]+", name)]
    return " ".join(w for w in words if w and w not in _HONORIFICS and w not in _DEGREES)


def same_title(a: str, b: str) -> bool:
    wa, wb = set(_fold(a).split()), set(_fold(b).split())
    return wa == wb or (len(wa & wb) >= 2 and (wa <= wb or wb <= wa))


def same_accused(a: str, b: str) -> bool:
    wa = {w for w in _fold(a).split() if w not in _FILLER and not w.isdigit()}
    wb = {w for w in _fold(b).split() if w not in _FILLER and not w.isdigit()}
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= 0.3


def evaluate(items: list[dict], predictions: list[Tags]) -> Report:
    names = ("roles", "officials", "officials_title", "accused", "breaches", "prohibitions")
    counts = {n: Counts() for n in names}
    confusion: dict[tuple[str, str], int] = {}
    articles = []
    for item, tags in zip(items, predictions):
        diffs: dict[str, tuple[list, list]] = {}
        diffs["roles"] = counts["roles"].add(sorted(set(item["roles"])), sorted(set(tags.roles)))
        gold_off = [(name_key(o["name"]), o.get("title", "")) for o in item["officials"]]
        pred_off = [(name_key(o.name), o.title) for o in tags.officials]
        diffs["officials"] = counts["officials"].add(gold_off, pred_off, lambda g, p: g[0] == p[0])
        matched = [(g, next(p for p in pred_off if p[0] == g[0])) for g in gold_off
                   if any(p[0] == g[0] for p in pred_off)]
        title_counts = counts["officials_title"]
        for g, p in matched:
            if same_title(g[1], p[1]):
                title_counts.tp += 1
            else:
                title_counts.fp += 1
                title_counts.fn += 1
                diffs.setdefault("titles", ([], []))
                diffs["titles"][0].append(g[1])
                diffs["titles"][1].append(p[1])
        diffs["accused"] = counts["accused"].add(item.get("accused", []), tags.accused, same_accused)
        diffs["breaches"] = counts["breaches"].add(sorted(set(item["breaches"])), tags.breaches)
        diffs["prohibitions"] = counts["prohibitions"].add(sorted(set(item["prohibitions"])), tags.prohibitions)
        key = (item["article_type"], tags.article_type)
        confusion[key] = confusion.get(key, 0) + 1
        errors = sum(len(m) + len(s) for f, (m, s) in diffs.items() if f != "titles")
        errors += 3 * (item["article_type"] != tags.article_type)
        articles.append(ArticleResult(str(item["id"]), item["article_type"], tags.article_type, errors,
                                      {f: d for f, d in diffs.items() if d[0] or d[1]}))
    labels = sorted({g for g, _ in confusion} | {p for _, p in confusion})
    type_f1 = {}
    for label in labels:
        tp = confusion.get((label, label), 0)
        fp = sum(v for (g, p), v in confusion.items() if p == label and g != label)
        fn = sum(v for (g, p), v in confusion.items() if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        type_f1[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    correct = sum(v for (g, p), v in confusion.items() if g == p)
    return Report(len(items), correct / len(items), sum(type_f1.values()) / len(type_f1), type_f1, counts, articles)


def format_report(report: Report, *, worst: int = 5, tagger_version: str = "") -> str:
    lines = [f"Tagger {tagger_version} on {report.n} labelled articles", ""]
    lines.append(f"article type   accuracy {report.type_accuracy:.3f}   macro-F1 {report.type_macro_f1:.3f}   "
                 + "  ".join(f"{k} {v:.2f}" for k, v in sorted(report.type_f1.items())))
    lines.append("")
    lines.append(f"{'':16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>5}{'FN':>5}")
    labels = {"officials": "officials", "officials_title": "  their titles"}
    for name, c in report.counts.items():
        lines.append(f"{labels.get(name, name):16}{c.precision:7.3f}{c.recall:7.3f}{c.f1:7.3f}{c.tp:6d}{c.fp:5d}{c.fn:5d}")
    lines.append("")
    lines.append("Targets:")
    figures = report.figures()
    for key, target in TARGETS.items():
        value = figures[key]
        lines.append(f"  {key:24} {value:.3f}  target >= {target:.2f}  {'ok' if value >= target else 'MISSED'}")
    bad = report.worst(worst)
    if bad:
        lines.append("")
        lines.append(f"Worst {len(bad)} articles:")
        for a in bad:
            kind = a.pred_type if a.pred_type == a.gold_type else f"{a.pred_type} (gold {a.gold_type})"
            lines.append(f"  {a.id}: {a.errors} errors, type {kind}")
            for fld, (missed, spurious) in a.diffs.items():
                parts = []
                if missed:
                    parts.append("missed " + "; ".join(_show(x) for x in missed))
                if spurious:
                    parts.append("spurious " + "; ".join(_show(x) for x in spurious))
                lines.append(f"      {fld}: " + " | ".join(parts))
    return "\n".join(lines)


def _show(x) -> str:
    return f"{x[0]} ({x[1]})" if isinstance(x, tuple) else str(x)


SPLITS = ("dev", "held-out")
SPLIT_RULE = "dev = ids whose number is even, held-out = odd"
# The fields compared across the two parts, with how each row is labelled.
SPLIT_FIELDS = {"article_type_macro_f1": "article type macro-F1", "roles_f1": "roles F1",
                "officials_f1": "officials F1", "officials_title_f1": "  their titles F1", "accused_f1": "accused F1",
                "breaches_f1": "breaches F1", "prohibitions_f1": "prohibitions F1"}


def split_of(article_id: str) -> str:
    """The fixed development / held-out split: the parity of the number in the id ("wa014" -> dev).

    Tuning and training use only the dev part; the held-out part is only measured."""
    digits = re.sub(r"\D", "", str(article_id))
    number = int(digits) if digits else sum(str(article_id).encode())
    return SPLITS[number % 2]


@dataclass
class SplitReport:
    all: Report
    parts: dict[str, Report]           # "dev", "held-out" (a part with no article is left out)
    words_per_second: float

    def figures(self) -> dict[str, float]:
        out = dict(self.all.figures())
        for name, part in self.parts.items():
            figures = part.figures()
            out.update({f"{name}:{k}": figures[k] for k in SPLIT_FIELDS})
        if len(self.parts) == 2:
            dev, held = self.parts["dev"].figures(), self.parts["held-out"].figures()
            out.update({f"gap:{k}": dev[k] - held[k] for k in SPLIT_FIELDS})
        out["words_per_second"] = self.words_per_second
        return out


def split_evaluate(items: list[dict], predictions: list[Tags], seconds: float = 0.0) -> SplitReport:
    parts = {}
    for name in SPLITS:
        chosen = [(i, p) for i, p in zip(items, predictions) if split_of(i["id"]) == name]
        if chosen:
            parts[name] = evaluate([i for i, _ in chosen], [p for _, p in chosen])
    words = sum(len(i["text"].split()) for i in items)
    return SplitReport(evaluate(items, predictions), parts, words / seconds if seconds else 0.0)


def format_split(report: SplitReport) -> str:
    """One row per field: all articles, the dev part, the held-out part and the gap (dev minus held-out)."""
    names = list(report.parts)
    head = f"{'':26}{'all':>8}" + "".join(f"{n:>10}" for n in names) + (f"{'gap':>8}" if len(names) == 2 else "")
    counts = "".join(f"{report.parts[n].n:>10}" for n in names)
    lines = [f"Split: {SPLIT_RULE}", head, f"{'articles':26}{report.all.n:>8}{counts}"]
    figures = report.figures()
    for key, label in SPLIT_FIELDS.items():
        row = f"{label:26}{figures[key]:8.3f}" + "".join(f"{figures[f'{n}:{key}']:10.3f}" for n in names)
        if len(names) == 2:
            row += f"{figures[f'gap:{key}']:+8.3f}"
        lines.append(row)
    lines.append(f"{'words/second':26}{report.words_per_second:8.0f}")
    return "\n".join(lines)


def run(path: str | Path, tagger=None) -> tuple[SplitReport, str]:
    from extract.privacy import scrub
    from extract.tagging import get_tagger
    items = read_labels(path)
    tagger = tagger or get_tagger()
    texts = [scrub(item["text"]) for item in items]                 # as the ingest path tags them
    started = time.process_time()
    predictions = tagger.tag_many(texts)
    seconds = time.process_time() - started
    return split_evaluate(items, predictions, seconds), getattr(tagger, "version", "")
