"""The project's statistical NER for Indonesian news: a small spaCy CNN pipeline (tokenizer + ner) shipped
in extract/models/ner/, trained on IDNer2k (MIT) plus the project's own domain sentences.

    from extract.ner import load_ner
    nlp = load_ner()          # spacy.Language; doc.ents labelled PER, ORG, LOC

Each call loads a fresh pipeline from disk (a few seconds: call it once per process and keep the result),
so a caller may add its own pipes without affecting other callers. Nothing is fetched from the network.
Retrain with `python -m extract.train_ner --data DIR --out DIR`.
"""
from __future__ import annotations

from pathlib import Path

LABELS = ("PER", "ORG", "LOC")
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "ner"


class NerModelMissing(RuntimeError):
    """The shipped model directory is missing or incomplete."""


def load_ner(path: str | Path | None = None):
    """A fresh spaCy pipeline (tokenizer + ner) from `path` (default: the shipped model), loaded offline."""
    import spacy

    model_dir = Path(path) if path is not None else MODEL_DIR
    if not (model_dir / "config.cfg").is_file() or not (model_dir / "meta.json").is_file():
        raise NerModelMissing(
            f"NER model not found in {model_dir}: reinstall Pantau, or train one with "
            f"`python -m extract.train_ner --data IDNER2K_DIR --out {model_dir}`")
    return spacy.load(model_dir)


__all__ = ["LABELS", "MODEL_DIR", "NerModelMissing", "load_ner"]
