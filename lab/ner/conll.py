"""Read CoNLL-style IOB files (`TOKEN [POS ...] TAG` a line, blank line between sentences) into spaCy Docs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

# Tokens written against the previous / next token in running text (CoNLL files space everything).
NO_SPACE_BEFORE = frozenset(",.:;!?)]}%")
NO_SPACE_AFTER = frozenset("([{")


class ConllError(ValueError):
    """A CoNLL file that cannot be read: says which file and line."""


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]      # IOB: O, B-PER, I-PER, ...
    space_after: list[bool] | None = None    # known spacing; else guessed by `spaces`

    @property
    def spaces(self) -> list[bool]:
        """Whether each word is followed by a space, as running news text would have it."""
        if self.space_after is not None:
            return list(self.space_after)
        out = []
        for i, word in enumerate(self.words):
            nxt = self.words[i + 1] if i + 1 < len(self.words) else None
            out.append(nxt is not None and word not in NO_SPACE_AFTER and nxt not in NO_SPACE_BEFORE)
        return out

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces))

    def spans(self) -> list[tuple[str, int, int]]:
        """Entities as (label, first token, end token); a stray I- tag starts an entity (conlleval's rule)."""
        out: list[tuple[str, int, int]] = []
        for i, tag in enumerate(self.tags):
            prefix, _, label = tag.partition("-")
            if prefix == "B" or (prefix == "I" and (not out or out[-1][2] != i or out[-1][0] != label)):
                out.append((label, i, i + 1))
            elif prefix == "I":
                out[-1] = (label, out[-1][1], i + 1)
        return out

    def to_doc(self, vocab: Vocab) -> Doc:
        doc = Doc(vocab, words=self.words, spaces=self.spaces)
        doc.ents = [Span(doc, s, e, label=label) for label, s, e in self.spans()]
        return doc


def read_conll(path: str | Path) -> list[Sentence]:
    """All sentences of one CoNLL file; the tag is the last column. Raises ConllError on a malformed line."""
    path = Path(path)
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConllError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields or line.startswith("-DOCSTART-"):
            if words:
                sentences.append(Sentence(words, tags))
                words, tags = [], []
            continue
        tag = fields[-1]
        if len(fields) < 2 or not (tag == "O" or tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise ConllError(f"{path}:{number}: expected `TOKEN ... TAG` with an IOB tag, got {line!r}")
        words.append(fields[0])
        tags.append(tag)
    if words:
        sentences.append(Sentence(words, tags))
    return sentences


def conll_files(path: str | Path) -> list[Path]:
    """A CoNLL file, or the CoNLL files of a directory (*.txt, *.conll, *.iob), sorted."""
    path = Path(path)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".txt", ".conll", ".iob") and p.is_file()
                       and not p.name.upper().startswith(("README", "LICENSE")))
        if files:
            return files
        raise ConllError(f"{path}: no CoNLL files (*.txt, *.conll, *.iob) in this directory")
    raise ConllError(f"{path}: no such file or directory")
