"""Load the spaCy pipeline once per process and tag article texts with it."""
from __future__ import annotations

import json
import re
import threading
from importlib import resources

import spacy
from spacy.matcher import PhraseMatcher

from extract.tagging.model import Flag, Mention, Official, Tags

TAGGER_VERSION = "rules-0.1"
_lock = threading.Lock()
_tagger: "Tagger | None" = None

_ALLEGED = re.compile(r"\b(diduga|dugaan|dilaporkan|laporan|kedapatan|tertangkap|terekam|viral|ditemukan|temuan|"
                      r"terbukti|diperiksa|dipanggil|diklarifikasi|direkomendasikan|disanksi|diberhentikan|dipecat|"
                      r"divonis|menemukan)\b", re.I)
_PROHIBIT = re.compile(r"\b(dilarang|larangan|tidak boleh|jangan|diminta|diimbau|imbauan|wajib|harus|mengingatkan|"
                       r"sosialisasi|pakta integritas)\b", re.I)
_DENIED = re.compile(r"\b(belum ada|tidak ditemukan|membantah|menepis|tidak terbukti)\b", re.I)
_BREACH = {
    "campaign_participation": r"\b(ikut|menghadiri|hadir)\b.{0,40}\bkampanye|\bberkampanye\b|\bpolitik praktis\b|\btim (sukses|pemenangan)\b",
    "party_attributes": r"\batribut\b|\bsalam (satu|dua|tiga) jari\b|\bpose .{0,20}jari\b",
    "social_media": r"\bmedia sosial\b|\bmedsos\b|\b(meng|di)unggah\b|\bunggahan\b|\bmembagikan\b",
    "state_facilities": r"\bfasilitas (negara|dinas|pemerintah)\b|\bmobil dinas\b|\brumah dinas\b",
    "partisan_decision": r"\bkeputusan .{0,30}menguntungkan\b|\bmenguntungkan salah satu\b",
    "money_politics": r"\bpolitik uang\b|\bmoney politic|\bserangan fajar\b|\bbagi-bagi (uang|sembako)\b",
    "intimidation": r"\bintimidasi\b|\bancam",
    "party_affiliation": r"\banggota partai\b|\bpengurus partai\b|\bterdaftar .{0,20}partai\b",
    "vote_manipulation": r"\b(penggelembungan|manipulasi|pengurangan) suara\b|\bmengubah .{0,20}suara\b",
}
_BREACH_RE = {k: re.compile(v, re.I) for k, v in _BREACH.items()}
_TITLE_NAME = re.compile(r"\b((?:Ketua|Anggota|Komisioner|Kepala|Koordinator)\s+(?:[A-Z][\w./-]*\s?){1,6}),\s+"
                         r"((?:[A-Z][a-z]+\.?\s?){1,4})")


class Tagger:
    def __init__(self) -> None:
        self.nlp = spacy.blank("id")
        self.nlp.add_pipe("sentencizer")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        roles = json.loads(resources.files("extract.data").joinpath("roles.json").read_text("utf-8"))
        for code, forms in roles.items():
            self.matcher.add(code, list(self.nlp.tokenizer.pipe(forms)))

    def tag(self, text: str) -> Tags:
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[Tags]:
        return [self._tags(doc) for doc in self.nlp.pipe(texts)]

    def _tags(self, doc) -> Tags:
        mentions = [Mention(self.nlp.vocab.strings[m], doc[s:e].text, doc[s:e].start_char, doc[s:e].end_char)
                    for m, s, e in self.matcher(doc)]
        flags: list[Flag] = []
        for sent in doc.sents:
            for category, rx in _BREACH_RE.items():
                if rx.search(sent.text):
                    modality = ("denied" if _DENIED.search(sent.text) else
                                "alleged" if _ALLEGED.search(sent.text) else
                                "prohibition" if _PROHIBIT.search(sent.text) else "alleged")
                    flags.append(Flag(category, modality, sent.text, sent.start_char, sent.end_char))
        officials = [Official(m.group(2).strip(), m.group(1).strip()) for m in _TITLE_NAME.finditer(doc.text)]
        roles = sorted({m.label for m in mentions})
        alleged = any(f.modality == "alleged" for f in flags)
        kind = "allegation" if alleged else "advisory" if flags else "other"
        return Tags(relevant=bool(roles and flags), article_type=kind if roles else "other", roles=roles,
                    officials=officials, flags=flags, mentions=mentions)


def get_tagger() -> Tagger:
    """The process-wide tagger (building the Indonesian tokenizer takes seconds: do it once)."""
    global _tagger
    with _lock:
        if _tagger is None:
            _tagger = Tagger()
        return _tagger
