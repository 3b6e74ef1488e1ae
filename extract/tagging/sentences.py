"""`pantau_sentences`: sentence boundaries for Indonesian news text.

A sentence ends at . ! ? (with any closing quote or bracket after it) unless the period closes an
abbreviation or an initial ("Moh.", "Kab.", "H."), and at line breaks: headlines, captions, bylines and
list items stand on lines of their own (a single break before a lower-case word is a wrapped line).
"""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extract.tagging.rules import load_data
from extract.tagging.tokens import token_table

ENDERS = {".", "!", "?", "…", "...", "!!", "?!", "!?"}
CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}
OPENERS = {'"', "“", "‘", "(", "[", "«", "-", "•"}
SENTENCE_FINAL_ABBREVIATIONS = {"dll", "dsb", "dkk", "dst"}


class SentenceSplitter:
    def __init__(self, titles_file: str):
        self.abbreviations = {a.lower().rstrip(".") for a in load_data(titles_file)["abbreviations"]}

    def __call__(self, doc: Doc) -> Doc:
        t = token_table(doc, refresh=True)
        texts, lowers, spaces = t.texts, t.lowers, t.spaces
        n = len(texts)
        if not n:
            return doc
        starts = numpy.full(n, -1, dtype="int64")
        starts[0] = 1
        i = 0
        while i < n:
            text = texts[i]
            if "\n" in text or "\n" in spaces[i]:
                breaks = text.count("\n") + spaces[i].count("\n")
                j = i + 1
                while j < n and not texts[j].strip():
                    breaks += texts[j].count("\n")
                    j += 1
                # a single line break before a lower-case word is a wrapped line, not a new sentence
                if j < n and (breaks > 1 or not texts[j].islower() or text in ENDERS):
                    starts[j] = 1
                i = j
                continue
            if text in ENDERS and not self._abbreviation(texts, lowers, spaces, i):
                j = i + 1
                while j < n and (texts[j] in CLOSERS or texts[j] in ENDERS) and not spaces[j - 1]:
                    j += 1
                while j < n and not texts[j].strip():
                    j += 1
                if j < n and (texts[j][:1].isupper() or texts[j][:1] in OPENERS or texts[j][:1].isdigit()
                              and spaces[i]):
                    starts[j] = 1
                i = j
                continue
            i += 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        bounds = [int(k) for k in numpy.flatnonzero(starts == 1)] + [n]
        t.sents = list(zip(bounds[:-1], bounds[1:]))
        t.sent_of = [0] * n
        for k, (s, e) in enumerate(t.sents):
            t.sent_of[s:e] = [k] * (e - s)
        return doc

    def _abbreviation(self, texts: list[str], lowers: list[str], spaces: list[str], i: int) -> bool:
        """Is the period at i the end of "Moh." / "Kab." / an initial rather than of a sentence?"""
        if texts[i] != "." or i == 0 or spaces[i - 1]:
            return False
        prev = texts[i - 1]
        if len(prev) == 1 and prev.isalpha() and prev.isupper():
            return True
        return lowers[i - 1] in self.abbreviations and lowers[i - 1] not in SENTENCE_FINAL_ABBREVIATIONS


@Language.factory("pantau_sentences", default_config={"titles_file": "titles.toml"})
def make_sentences(nlp: Language, name: str, titles_file: str) -> SentenceSplitter:
    return SentenceSplitter(titles_file)
