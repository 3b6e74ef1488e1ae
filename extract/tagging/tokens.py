"""Plain Python lists of a document's token attributes, built once per document and shared by the
components (reading attributes through spaCy Token objects again and again is what makes a pipeline slow)."""
from __future__ import annotations

from dataclasses import dataclass

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

    def is_space(self, i: int) -> bool:
        return not self.texts[i].strip()

    def newline_after(self, i: int) -> bool:
        return "\n" in self.texts[i] or "\n" in self.spaces[i]


def token_table(doc: Doc, *, refresh: bool = False) -> TokenTable:
    """The table for `doc` (sentence fields filled once sentence boundaries are set)."""
    table = doc.user_data.get(KEY)
    if table is None or refresh:
        texts, lowers, spaces, starts = [], [], [], []
        for t in doc:
            texts.append(t.text)
            lowers.append(t.lower_)
            spaces.append(t.whitespace_)
            starts.append(t.idx)
        sents: list[tuple[int, int]] = []
        sent_of = [0] * len(doc)
        if doc.has_annotation("SENT_START"):
            for k, s in enumerate(doc.sents):
                sents.append((s.start, s.end))
                for i in range(s.start, s.end):
                    sent_of[i] = k
        elif len(doc):
            sents = [(0, len(doc))]
        table = TokenTable(texts, lowers, spaces, starts, sents, sent_of)
        doc.user_data[KEY] = table
    return table
