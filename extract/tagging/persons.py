"""`pantau_persons`: PER/ORG/LOC entities from the project's NER model (extract.ner), as doc.spans["pantau_ner"].

The model runs only on windows around position titles (where officials are named), which keeps the whole
tagger fast; its context is a few words wide, so a window of some words around a title gives what the
whole document would there. scope = "all" in config.cfg runs it on every word (slower). Without a model
the component does nothing and the rules still fire.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from extract.tagging.lexicon import lexicon, match_phrase
from extract.tagging.tokens import token_table

SPANS_KEY = "pantau_ner"


class PersonFinder:
    def __init__(self, window: int, scope: str, batch_size: int, titles_file: str, actors_file: str,
                 places_file: str):
        self.ner = None                 # a spaCy 'ner' pipe, handed over by the Tagger when the model exists
        self.window = window
        self.scope = scope              # "windows" | "all" | "none"
        self.batch_size = batch_size
        self.lex = lexicon(titles_file, actors_file, places_file)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Run the model on the windows of a whole batch of documents at once."""
        for batch in minibatch(docs, size=self.batch_size):
            if self.ner is None or self.scope == "none":
                for doc in batch:
                    doc.spans[SPANS_KEY] = []
                    yield doc
                continue
            pieces = [(doc, start, end) for doc in batch
                      for start, end in ([(0, len(doc))] if self.scope == "all" else self._windows(doc))]
            found: dict[int, list[Span]] = {id(doc): [] for doc in batch}
            subs = (doc[start:end].as_doc() for doc, start, end in pieces)
            for (doc, start, _), sub in zip(pieces, self.ner.pipe(subs, batch_size=self.batch_size)):
                found[id(doc)].extend(Span(doc, start + e.start, start + e.end, label=e.label_) for e in sub.ents)
            for doc in batch:
                doc.spans[SPANS_KEY] = found[id(doc)]
                yield doc

    def _windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Around each position title that a capitalised word follows (where officials are named)."""
        table = token_table(doc)
        lowers, texts = table.lowers, table.texts
        n = len(lowers)
        heads = self.lex.heads
        ranges: list[list[int]] = []
        for i, low in enumerate(lowers):
            if low not in heads or not match_phrase(heads, lowers, i):
                continue
            if not any(texts[j][:1].isupper() for j in range(i + 1, min(n, i + 6))):
                continue
            start, end = max(0, i - self.window), min(n, i + 2 * self.window)
            if ranges and start <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], end)
            else:
                ranges.append([start, end])
        return [(s, e) for s, e in ranges]


@Language.factory("pantau_persons", default_config={"window": 8, "scope": "windows", "batch_size": 256,
                                                    "titles_file": "titles.toml", "actors_file": "actors.toml",
                                                    "places_file": "places.toml"})
def make_persons(nlp: Language, name: str, window: int, scope: str, batch_size: int, titles_file: str,
                 actors_file: str, places_file: str) -> PersonFinder:
    return PersonFinder(window, scope, batch_size, titles_file, actors_file, places_file)
