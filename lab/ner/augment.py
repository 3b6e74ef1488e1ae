"""Mention replacement: extra training sentences in which each entity is swapped for another mention of the
same type seen in training (a standard augmentation for small NER data sets)."""
from __future__ import annotations

import random

from lab.ner.conll import Sentence


def replace_mentions(sentences: list[Sentence], copies: int, seed: int = 0) -> list[Sentence]:
    """`copies` variants of every sentence that has entities (the originals are not included)."""
    rng = random.Random(seed)
    pool: dict[str, list[list[str]]] = {}
    for s in sentences:
        for label, start, end in s.spans():
            pool.setdefault(label, []).append(s.words[start:end])
    out: list[Sentence] = []
    for _ in range(copies):
        for s in sentences:
            spans = s.spans()
            if not spans:
                continue
            words: list[str] = []
            tags: list[str] = []
            spaces: list[bool] = []
            old_spaces = s.spaces
            pos = 0
            for label, start, end in spans:
                words += s.words[pos:start]
                tags += s.tags[pos:start]
                spaces += old_spaces[pos:start]
                mention = rng.choice(pool[label])
                words += mention
                tags += [f"B-{label}"] + [f"I-{label}"] * (len(mention) - 1)
                spaces += [True] * (len(mention) - 1) + [old_spaces[end - 1]]
                pos = end
            words += s.words[pos:]
            tags += s.tags[pos:]
            spaces += old_spaces[pos:]
            out.append(Sentence(words, tags, spaces if s.space_after is not None else None))
    return out
