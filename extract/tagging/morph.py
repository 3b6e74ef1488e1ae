"""Indonesian affixed forms of a stem, so one rule covers berkampanye, mengkampanyekan and dikampanyekan.

Rules files name stems (`~kampanye`); this module expands them into every surface form the news writes,
standard and colloquial (mengampanyekan and mengkampanyekan, menyosialisasikan and mensosialisasikan).
Over-generation is harmless: a form nobody writes never matches.
"""
from __future__ import annotations

from functools import lru_cache

VOWELS = "aiueo"
CLITICS = ("", "nya", "lah", "pun", "ku", "mu")
VERB_SUFFIXES = ("", "kan", "i")
NOUN_SUFFIX = "an"
CLUSTER_SECOND = "rl"   # kr-, pr-, tr-, st- ... keep their first consonant after meN-


def _nasal(stem: str, prefix: str) -> set[str]:
    """meN- / peN- before `stem` (prefix 'me' or 'pe'), with the consonant deletion rules."""
    first = stem[0]
    cluster = len(stem) > 1 and (stem[1] in CLUSTER_SECOND or (first == "s" and stem[1] in "tpk"))
    forms: set[str] = set()
    if first in VOWELS or first in "gh":
        forms.add(prefix + "ng" + stem)
    elif first == "k":
        forms.add(prefix + "ng" + stem)
        if not cluster:
            forms.add(prefix + "ng" + stem[1:])
    elif first == "p":
        forms.add(prefix + "m" + stem)
        if not cluster:
            forms.add(prefix + "m" + stem[1:])
    elif first in "bfv":
        forms.add(prefix + "m" + stem)
    elif first == "t":
        forms.add(prefix + "n" + stem)
        if not cluster:
            forms.add(prefix + "n" + stem[1:])
    elif first in "dcjz":
        forms.add(prefix + "n" + stem)
    elif first == "s":
        forms.add(prefix + "n" + stem)
        if not cluster:
            forms.add(prefix + "ny" + stem[1:])
    else:                                   # l m n r w y
        forms.add(prefix + stem)
    if sum(ch in VOWELS for ch in stem) <= 1:   # one syllable: mengecat, pengebom
        forms.add(prefix + "nge" + stem)
    return forms


def _with(prefixes: set[str], suffixes: tuple[str, ...]) -> set[str]:
    return {p + s + c for p in prefixes for s in suffixes for c in CLITICS}


@lru_cache(maxsize=None)
def forms(stem: str, kinds: str = "base+verb+noun") -> frozenset[str]:
    """Surface forms of `stem` (lower case). kinds: any of base, verb, noun, agent joined by '+'.

    base: the stem with clitics (dukung, dukungnya); verb: meN-, di-, ter-, ber-, memper-, diper- with
    -kan/-i, and the bare imperative with -kan/-i; noun: -an, peN-an, per-an, pe-an, ke-an;
    agent: peN-, pe- (pendukung, pelapor)."""
    stem = stem.lower()
    wanted = set(kinds.split("+"))
    out: set[str] = set()
    if "base" in wanted:
        out |= _with({stem}, ("",))
    if "verb" in wanted:
        bases = {stem} | {p + stem for p in ("di", "ter", "per", "diper")} | {"memper" + stem}
        bases |= _nasal(stem, "me")
        bases |= {"ber" + stem, "be" + stem} if stem.startswith("r") else {"ber" + stem}
        out |= _with(bases, VERB_SUFFIXES) - _with({stem}, ("",))
    if "noun" in wanted:
        bases = {stem, "per" + stem, "pe" + stem, "ke" + stem} | _nasal(stem, "pe")
        out |= _with(bases, (NOUN_SUFFIX,))
        out |= _with({"ke" + stem}, ("an",))
    if "agent" in wanted:
        out |= _with(_nasal(stem, "pe") | {"pe" + stem}, ("",))
    return frozenset(out)
