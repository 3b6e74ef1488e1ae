"""Read the rules files in extract/data/ and match their short pattern notation against a document's words.

Notation, one pattern a string, words separated by spaces (all matched case-insensitively):
    word          the word itself                     a|b|c        any of these words
    ~stem         any affixed form (morph.forms)      ~stem:verb   only some kinds (verb, noun, agent, base)
    #num          a number (also inside a|#num)       *  or  *5    up to 3 (or 5) words of anything
    spec?         the token is optional
Alternatives may mix kinds: `~hadir|ikut|terlibat`.
"""
from __future__ import annotations

import json
import tomllib
from functools import lru_cache
from importlib import resources

from extract.tagging.morph import forms

DATA_PACKAGE = "extract.data"


@lru_cache(maxsize=None)
def load_data(name: str):
    """A rules file from extract/data/ (TOML or JSON), parsed."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text("utf-8")
    return tomllib.loads(text) if name.endswith(".toml") else json.loads(text)


def _words(spec: str) -> list[str]:
    words: list[str] = []
    for alt in spec.split("|"):
        if alt == "#num":
            continue
        if alt.startswith("~"):
            stem, _, kinds = alt[1:].partition(":")
            words.extend(sorted(forms(stem, kinds or "base+verb+noun")))
        else:
            words.append(alt.lower())
    return words


def word_set(specs: list[str]) -> frozenset[str]:
    """Single-token specs (`~stem`, `a|b`) -> the set of lower-case words they allow."""
    out: set[str] = set()
    for spec in specs:
        out.update(_words(spec))
    return frozenset(out)


class SequenceMatcher:
    """Match notation patterns against a list of lower-case words.

    Faster than spaCy's Matcher for these rules (thousands of affixed forms per slot, gaps): patterns are
    indexed by the words their first slot allows, so most words cost one dictionary look-up."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[str, tuple]]] = {}
        self._number_first: list[tuple[str, tuple]] = []

    def add(self, key: str, patterns: list[str]) -> None:
        for text in patterns:
            steps = tuple(_steps(text))
            for word in steps[0][1]:
                self._by_first.setdefault(word, []).append((key, steps))
            if steps[0][3]:
                self._number_first.append((key, steps))

    def __call__(self, lowers: list[str]) -> list[tuple[str, int, int]]:
        """(key, start, end) of the longest match of each key at each start position."""
        out: list[tuple[str, int, int]] = []
        index = self._by_first
        n = len(lowers)
        for i in range(n):
            candidates = index.get(lowers[i])
            if self._number_first and _is_num(lowers[i]):
                candidates = (candidates or []) + self._number_first
            if not candidates:
                continue
            best: dict[str, int] = {}
            for key, steps in candidates:
                end = _match(steps, 1, lowers, i + 1, n)
                if end > best.get(key, -1):
                    best[key] = end
            out.extend((key, i, end) for key, end in best.items() if end > 0)
        return out


def _steps(text: str) -> list[tuple]:
    """Notation -> steps: ('w', words, optional, numbers_too) or ('gap', max)."""
    steps: list[tuple] = []
    for spec in text.split():
        if spec.startswith("*") and (len(spec) == 1 or spec[1:].isdigit()):
            steps.append(("gap", int(spec[1:]) if len(spec) > 1 else 3))
            continue
        optional = spec.endswith("?") and len(spec) > 1
        spec = spec[:-1] if optional else spec
        steps.append(("w", frozenset(_words(spec)), optional, "#num" in spec.split("|")))
    if not steps or steps[0][0] != "w" or steps[0][2] or steps[-1][0] == "gap" or steps[-1][2]:
        raise ValueError(f"rule pattern must start and end with a required word: {text!r}")
    return steps


def _is_num(word: str) -> bool:
    return word.replace(".", "").replace(",", "").isdigit()


def _match(steps: tuple, k: int, lowers: list[str], i: int, n: int) -> int:
    """End of the longest match of steps[k:] starting at word i, or -1."""
    if k == len(steps):
        return i
    step = steps[k]
    if step[0] == "gap":
        best = -1
        for skip in range(step[1] + 1):
            if i + skip > n:
                break
            end = _match(steps, k + 1, lowers, i + skip, n)
            if end > best:
                best = end
        return best
    best = -1
    if i < n and (lowers[i] in step[1] or step[3] and _is_num(lowers[i])):
        best = _match(steps, k + 1, lowers, i + 1, n)
    if step[2]:
        best = max(best, _match(steps, k + 1, lowers, i, n))
    return best
