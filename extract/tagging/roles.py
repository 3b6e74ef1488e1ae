"""`pantau_roles`: every mention of a neutrality-bound role or institution, as doc.spans["pantau_roles"].

Surface forms come from roles.json. An institution mention takes in the regional qualifier that follows
it ("KPU Provinsi Jambi", "Bawaslu Sumsel", "Panwaslu Kecamatan Batanghari Nuban", "Kodim 0721/Blora"). An
acronym that the text defines as something else ("pejabat pembina kepegawaian (PPK)") does not count.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.tagging.lexicon import LEVEL_WORDS, NATIONAL, Lexicon, lexicon, match_phrase
from extract.tagging.rules import load_data
from extract.tagging.tokens import token_table

SPANS_KEY = "pantau_roles"
MAX_PLACE_WORDS = 3


def is_title_word(text: str) -> bool:
    return text[:1].isupper() and any(ch.isalpha() for ch in text)


def title_word(tok) -> bool:
    return is_title_word(tok.text)


def qualifier_end(doc: Doc, lowers: list[str], i: int, lex: Lexicon) -> int:
    """End of a regional qualifier starting at token i ("Provinsi Jambi", "Sumsel", "RI"), or i if none."""
    n = len(doc)
    if i >= n:
        return i
    if lowers[i] in NATIONAL:
        return i + 1
    if lowers[i:i + 2] == ["republik", "indonesia"]:
        return i + 2
    if lowers[i] in LEVEL_WORDS and lowers[i] not in ("rt", "rw", "lingkungan"):
        k = i + 1
        while k + 1 < n and doc[k].text == "/" and lowers[k + 1] in LEVEL_WORDS:
            k += 2
        if k < n and doc[k].text == "." and not doc[k - 1].whitespace_:
            k += 1
        if k >= n:
            return k
        index = lex.districts if lowers[i].startswith("kec") or lowers[i] == "distrik" else lex.places
        found = match_phrase(index, lowers, k) or match_phrase(lex.places, lowers, k)
        if found and title_word(doc[k]):
            return k + found
        if doc[k].like_num:                                    # Dusun 2, RT 03
            return k + 1
        run = 0
        while (k + run < n and run < MAX_PLACE_WORDS and title_word(doc[k + run])
               and lowers[k + run] not in lex.not_names and not match_phrase(lex.heads, lowers, k + run)):
            run += 1
        if run == 0:
            return k                                           # "KPU Kabupaten/Kota"
        return k + (run if run <= 2 else 1)
    found = match_phrase(lex.places, lowers, i)
    district = match_phrase(lex.districts, lowers, i)
    if district >= 2 and district > found:          # "Medan Deli", "Batanghari Nuban": a district by name
        found = district
    if found and title_word(doc[i]):
        return i + found
    return i


def unit_number_end(doc: Doc, i: int) -> int:
    """'0721/Blora', 'IV/Diponegoro' after a military or police unit."""
    n = len(doc)
    if i < n and (doc[i].like_num or doc[i].text.isupper() and set(doc[i].text) <= set("IVXL")):
        j = i + 1
        if j + 1 < n and doc[j].text == "/" and title_word(doc[j + 1]):
            return j + 2
        return j
    return i


class RoleTagger:
    def __init__(self, nlp: Language, roles_file: str, titles_file: str, actors_file: str, places_file: str):
        self.lex = lexicon(titles_file, actors_file, places_file)
        data = {k: v for k, v in load_data(roles_file).items() if not k.startswith("_")}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns = Matcher(nlp.vocab)
        self.institution: set[str] = set()
        self.acronyms: dict[str, str] = {}
        for code, entry in data.items():
            if entry.get("phrases"):
                self.phrases.add(code, list(nlp.tokenizer.pipe(entry["phrases"])))
            if entry.get("patterns"):
                self.patterns.add(code, entry["patterns"])
            if entry.get("institution"):
                self.institution.add(code)
            for acronym in entry.get("acronyms", []):
                self.acronyms[acronym.lower()] = code
        self.long_forms = {code: {p.lower() for p in entry.get("phrases", []) if " " in p}
                           for code, entry in data.items()}

    def __call__(self, doc: Doc) -> Doc:
        matches = [(doc.vocab.strings[m], s, e) for m, s, e in self.phrases(doc)]
        matches += [(doc.vocab.strings[m], s, e) for m, s, e in self.patterns(doc)]
        spans = filter_spans([Span(doc, s, e, label=code) for code, s, e in matches])
        redefined = self._redefined_acronyms(doc, spans)
        lowers = token_table(doc).lowers
        out: list[Span] = []
        starts = {span.start: span for span in spans}
        for span in spans:
            if span.text.lower() in redefined:
                continue
            end = span.end
            inner = starts.get(end + 1)
            if (inner is not None and inner.label_ == span.label_ and end + 1 < len(doc)
                    and doc[end].text == "(" and inner.end < len(doc) and doc[inner.end].text == ")"):
                end = inner.end + 1                         # "Badan Pengawas Pemilu (Bawaslu) Kota Cimahi"
            if span.label_ in self.institution:
                end = unit_number_end(doc, end)
                end = qualifier_end(doc, lowers, end, self.lex)
                if end < len(doc) and lowers[end] in NATIONAL:
                    end += 1
            out.append(Span(doc, span.start, end, label=span.label_))
        doc.spans[SPANS_KEY] = filter_spans(out)
        return doc

    def _redefined_acronyms(self, doc: Doc, spans: list[Span]) -> set[str]:
        """Acronyms of role forms that this text spells out as something else: '... kepegawaian (PPK)'."""
        redefined: set[str] = set()
        for span in spans:
            acronym = span.text.lower()
            if (span.start < 2 or span.end >= len(doc) or acronym not in self.acronyms
                    or doc[span.start - 1].text != "(" or doc[span.end].text != ")"):
                continue
            letters = [ch for ch in acronym if ch.isalpha()]
            words = [t.lower_ for t in doc[max(0, span.start - 1 - len(letters)):span.start - 1]]
            if len(words) == len(letters) and all(w[:1] == ch for w, ch in zip(words, letters)):
                if " ".join(words) not in self.long_forms.get(span.label_, set()):
                    redefined.add(acronym)
        return redefined


@Language.factory("pantau_roles", default_config={"roles_file": "roles.json", "titles_file": "titles.toml",
                                                  "actors_file": "actors.toml", "places_file": "places.toml"})
def make_roles(nlp: Language, name: str, roles_file: str, titles_file: str, actors_file: str,
               places_file: str) -> RoleTagger:
    return RoleTagger(nlp, roles_file, titles_file, actors_file, places_file)
