"""Tokenizer special cases for Indonesian abbreviations (declared in abbreviations.txt)."""
from __future__ import annotations

from importlib import resources

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import registry


def abbreviations() -> list[str]:
    lines = resources.files("extract.ner").joinpath("abbreviations.txt").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def add_abbreviations(nlp: Language) -> Language:
    """Keep `Kab.`, `Bpk.`, `S.IP.` ... as one token (blank("id") splits off their period)."""
    for abbr in abbreviations():
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return nlp


@registry.callbacks("pantau.ner_abbreviations.v1")
def make_abbreviations_callback():
    """Used as [initialize.before_init] in config.cfg: saved with the model, not needed to load it."""
    return add_abbreviations
