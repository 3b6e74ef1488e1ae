"""Tokenizer special cases for Indonesian abbreviations (declared in abbreviations.txt), and the cached tokenizer
the tagger runs on."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc
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


class CachedTokenizer:
    """spaCy's tokenizer, made fast for Indonesian with the same output.

    spaCy stops caching for the rest of a text once one special case has matched (spaCy issue #1250), and blank
    "id" has some 16,000 of them, so it re-runs its affix regexes on almost every word; its cache also stops
    growing at 10,000 strings. This tokenizes each whitespace-separated chunk once with the spaCy tokenizer and
    keeps the result (an LRU of `size` chunks). A text holding a special case that spans whitespace
    ("Dr. rer. pol.") goes to the spaCy tokenizer whole."""

    def __init__(self, tokenizer, size: int = 50_000) -> None:
        self.tokenizer, self.vocab = tokenizer, tokenizer.vocab
        spanning = sorted((k for k in (tokenizer.rules or {}) if k.strip() and len(k.split()) > 1), key=len,
                          reverse=True)
        self._spanning = re.compile("|".join(map(re.escape, spanning))) if spanning else None
        self._runs = re.compile(r"\s+|\S+")
        self._chunk = lru_cache(maxsize=size)(self._tokenize_chunk)

    def _tokenize_chunk(self, chunk: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
        doc = self.tokenizer(chunk)
        return tuple(t.text for t in doc), tuple((i, t.norm_) for i, t in enumerate(doc) if t.norm != t.lex.norm)

    def __call__(self, text: str) -> Doc:
        if self._spanning is not None and self._spanning.search(text):
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[tuple[int, str]] = []
        for match in self._runs.finditer(text):
            run = match.group()
            if run[0] == " " and words:        # one space after a token is its trailing whitespace
                spaces[-1] = True
                run = run[1:]
                if not run:
                    continue
            chunk_words, chunk_norms = self._chunk(run)
            if chunk_norms:
                norms.extend((len(words) + i, norm) for i, norm in chunk_norms)
            words.extend(chunk_words)
            spaces.extend([False] * len(chunk_words))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for i, norm in norms:
            doc[i].norm_ = norm
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)
