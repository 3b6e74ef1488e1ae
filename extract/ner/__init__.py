"""The project's statistical NER for Indonesian news: a small spaCy CNN pipeline (tokenizer + ner) shipped
in extract/models/ner/, trained on IDNer2k (MIT) plus the project's own domain sentences.

    from extract.ner import load_ner
    nlp = load_ner()          # spacy.Language; doc.ents labelled PER, ORG, LOC

Each call loads a fresh pipeline from disk (about two seconds, most of it spaCy's ~16,000 Indonesian
tokenizer special cases: call it once per process and keep the result), so a caller may add its own pipes
without affecting other callers. Nothing is fetched from the network.
Retrain with `python -m lab.train_ner --data DIR --out DIR`.
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
            f"`python -m lab.train_ner --data IDNER2K_DIR --out {model_dir}`")
    nlp = spacy.load(model_dir, exclude=["tokenizer"])
    _restore_tokenizer(nlp, model_dir / "tokenizer")
    _numpy_matmul(nlp)
    return nlp


def _numpy_matmul(nlp) -> None:
    """The model's matrix products through numpy's OpenBLAS, one thread, instead of thinc's blis: 1.4x the
    NER's speed on this project's machines, the same entities (363 corpus articles). One BLAS thread per
    process: Pantau runs in parallel with processes (ingest workers), and threads for matrices this small
    only wait for each other."""
    import numpy  # noqa: F401  (loaded before its thread pool is limited)
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for name in nlp.pipe_names:
        model = getattr(nlp.get_pipe(name), "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops


def _restore_tokenizer(nlp, stored: Path) -> None:
    """Give `nlp` the tokenizer saved in `stored`. spacy.load would build the default tokenizer and then
    load the saved one over it, adding every special case twice; when the saved one is the default plus
    the project's abbreviations (as training writes it), adding those abbreviations gives the same tokenizer."""
    import srsly

    from extract.ner.tokenizer import add_abbreviations

    add_abbreviations(nlp)
    if _tokenizer_settings(nlp.tokenizer) != srsly.msgpack_loads(stored.read_bytes()):
        nlp.tokenizer.from_disk(stored)


def _tokenizer_settings(tokenizer) -> dict:
    """What Tokenizer.to_disk writes (exceptions, affix patterns, flags), or {} if a pattern carries flags
    that a reload (re.compile of the pattern alone) would not restore."""
    import re

    import srsly

    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        compiled = getattr(getattr(tokenizer, attr), "__self__", None)
        if compiled is not None and compiled.flags != re.compile(compiled.pattern).flags:
            return {}
    return srsly.msgpack_loads(tokenizer.to_bytes(exclude=["vocab"]))


__all__ = ["LABELS", "MODEL_DIR", "NerModelMissing", "load_ner"]
