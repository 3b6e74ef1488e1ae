"""Plain Python lists of a document's token attributes, built once per document and shared by the
components (reading attributes through spaCy Token objects again and again is what makes a pipeline slow)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from spacy.attrs import LOWER, ORTH, SPACY
from spacy.tokens import Doc

KEY = "pantau_tokens"


@dataclass
class TokenTable:
    texts: list[str]
    lowers: list[str]
    spaces: list[str]          # whitespace after each token
    starts: list[int]          # character offset of each token
    sents: list[tuple[int, int]]
    sent_of: list[int]
    text: str                  # the document's text (doc.text without walking the tokens again)

    def is_space(self, i: int) -> bool:
        return not self.texts[i].strip()

    def newline_after(self, i: int) -> bool:
        return "\n" in self.texts[i] or "\n" in self.spaces[i]

    def span_text(self, start: int, end: int) -> str:
        """doc[start:end].text: from the first token to the end of the last one (no trailing whitespace)."""
        if start >= end:
            return ""
        return self.text[self.starts[start]:self.starts[end - 1] + len(self.texts[end - 1])]


def token_table(doc: Doc, *, refresh: bool = False) -> TokenTable:
    """The table for `doc` (sentence fields filled once sentence boundaries are set)."""
    table = doc.user_data.get(KEY)
    if table is None or refresh:
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, LOWER, SPACY]).T.tolist() if len(doc) else [[], [], []]
        texts = [strings[key] for key in columns[0]]
        lowers = [strings[key] for key in columns[1]]
        spaces = [" " if flag else "" for flag in columns[2]]
        starts = [0, *accumulate(len(t) + len(s) for t, s in zip(texts, spaces))][:len(texts)]
        sents: list[tuple[int, int]] = []
        sent_of = [0] * len(doc)
        if doc.has_annotation("SENT_START"):
            for k, s in enumerate(doc.sents):
                sents.append((s.start, s.end))
                for i in range(s.start, s.end):
                    sent_of[i] = k
        elif len(doc):
            sents = [(0, len(doc))]
        text = "".join(t + s for t, s in zip(texts, spaces))
        table = TokenTable(texts, lowers, spaces, starts, sents, sent_of, text)
        doc.user_data[KEY] = table
    return table
