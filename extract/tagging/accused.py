"""Who an article's alleged breaches and cases are about: the person's name, else a short description."""
from __future__ import annotations

import re

from extract.tagging.tokens import token_table

SUPERVISORS = ("BAWASLU", "DKPP")      # they report and rule on cases; not accused by being named in one


def accused_of(flags, cues, actors, case_sents: set[int], background, official_codes: dict, doc=None) -> list[str]:
    """Named persons first, then one description per role (the most specific one). A description whose
    role only one named official of the article holds is that official ("kepala desa" -> the Kepala
    Desa named with his title). With the doc: persons who only speak, report or examine are not accused,
    and the bound persons named in the case sentences are ("Budi PPS Sukamaju, Ani PPS Sukaraja")."""
    picked = [_antecedent(actors, f.sent_index, f.actor) for f in flags
              if f.flag.modality == "alleged" and not background[f.sent_index] and f.actor]
    if not any(a.code and a.code not in SUPERVISORS for a in picked):
        for k in sorted(case_sents):             # a case without a category: who the violation is about
            marks = [c[1] for c in cues[k].of("violation", "sanction")]
            people = [a for a in actors[k] if a.code and a.code not in SUPERVISORS and (a.person or _people(a))]
            if marks and people:
                named = [a for a in people if a.person]
                if named:                         # the bound person the case is about, by name
                    picked += [a for a in named if a.person not in {p.person for p in picked}]
                    continue
                before = [a for a in people if a.end <= marks[0]]
                picked.append(before[-1] if before else people[0])
    listed_codes: set[str] = set()      # roles whose group the text then lists by name
    labelled: dict[int, str] = {}       # descriptions that the initials before them name
    if doc is not None:
        lowers = token_table(doc).lowers
        picked = [a for a in picked if not (a.person and (_speaker(lowers, a) or _examiner(a.person, official_codes)))]
        for k in sorted(case_sents):
            if background[k] if k < len(background) else False:
                continue
            marks = [(c[1], c[2]) for c in cues[k].of("alleged", "violation", "sanction")]
            for a in actors[k]:
                initials = None if a.person or not a.code or a.code in SUPERVISORS else _initials_before(doc, a)
                if initials and not any(b is a for b in picked):
                    labelled[id(a)] = f"{initials}, {a.description}"
                    picked.append(a)          # "RS (26), seorang anggota KPPS, dan HS (45), Ketua KPPS, ..."
                    continue
                if (marks and not a.person and a.code and a.code not in SUPERVISORS
                        and INITIALLED.search(a.description) and not any(b is a for b in picked)):
                    picked.append(a)          # "... satu dari tiga ASN itu adalah Camat berinisial AM"
                    continue
                if (a.person and a.code and a.code not in SUPERVISORS and not _speaker(lowers, a)
                        and not _examiner(a.person, official_codes)
                        and a not in picked and any(0 <= ms - a.end <= NEAR_AFTER or 0 <= a.start - me <= NEAR_BEFORE
                                                    for ms, me in marks)):
                    picked.append(a)          # the case's cue right after the person, or the person right after it
        for f in flags:
            if f.flag.modality != "alleged" or background[f.sent_index] or not f.actor or f.actor.person:
                continue
            listed = _listed_after(lowers, actors, f.sent_index, official_codes)
            if len(listed) >= 2:              # "... oknum PPK dan PPS. Nama-nama tersebut yakni A PPK X, B PPS Y"
                picked = [a for a in picked if a is not f.actor] + [a for a in listed if a not in picked]
                listed_codes.add(f.actor.code)
    if doc is not None:
        for a in picked:
            initials = None if a.person or not a.code or id(a) in labelled else _initials_before(doc, a)
            if initials:
                labelled[id(a)] = f"{initials}, {a.description}"
    names: list[str] = []
    described: dict[str, str] = {}
    initialled: list[str] = []
    for actor in picked:
        if actor.code in SUPERVISORS:
            continue
        description = labelled.get(id(actor), actor.description)
        if not actor.person and (id(actor) in labelled or INITIALLED.search(description)):
            if not any(_same(description, d) for d in initialled):
                initialled.append(description)   # "Camat berinisial AM": one person, however many per role
            continue
        if actor.person:
            if not any(_same(actor.person, n) for n in names):
                names.append(actor.person)
            continue
        if not _people(actor) or actor.code in listed_codes:
            continue
        best = described.get(actor.code)
        if best is None or _specificity(actor.description) > _specificity(best):
            described[actor.code] = actor.description
    out_descriptions = []
    for code, description in described.items():
        if any(official_codes.get(n, (None,))[0] == code for n in names) and not _counted(description):
            continue                              # the role's accused is already named (a group is others)
        words = _title_words(description)
        holders = [n for n, (c, title) in official_codes.items() if c == code and words & _title_words(title)]
        if len(holders) == 1 and not _counted(description):
            if not any(_same(holders[0], n) for n in names):
                names.append(holders[0])
            continue
        out_descriptions.append(description)
    out_descriptions += [d for d in initialled if d not in out_descriptions]
    out_descriptions = [_short_form(d) for d in out_descriptions]
    return names + [d for d in out_descriptions if not any(_same(d, n) for n in names)]


DEFINITE_COUNTS = {"kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan", "kesembilan", "kesepuluh"}
POINTING = {"tersebut", "itu", "bersangkutan"}


def _definite(description: str) -> bool:
    """'kedua ASN', 'ASN tersebut', 'oknum camat itu': a description pointing back at people named before."""
    words = description.lower().split()
    return bool(words) and (words[0] in DEFINITE_COUNTS or any(w in POINTING for w in words))


def _antecedent(actors, k: int, actor):
    """For an unnamed definite description, the first description of the same role in the sentences before
    ("dua ASN di Pemkot Semarang ... kedua ASN"): it says who they are; else the actor itself."""
    if actor.person or not actor.code or not _definite(actor.description):
        return actor
    for j in range(0, k + 1):
        for a in actors[j]:
            if a is actor:
                return actor
            if a.code == actor.code and not a.person and a.description and not _definite(a.description) \
                    and _people(a) and _specificity(a.description) >= 2 \
                    and a.description.lower().split()[0] not in ("seluruh", "setiap", "para", "semua"):
                return a
    return actor


NEAR_AFTER = 6         # words from a named person to the case cue after them ("Budi ... diduga")
NEAR_BEFORE = 3        # words from a case cue to the person after it ("memberhentikan Budi")
INITIALLED = re.compile(r"\b(berinisial|inisial)\s+[A-Z]")
SPEECH = {"mengatakan", "menjelaskan", "menyebut", "menyebutkan", "menegaskan", "mengungkapkan", "menuturkan",
          "menyampaikan", "menambahkan", "membenarkan", "menerangkan", "memaparkan", "mengimbau", "meminta",
          "mengingatkan", "menilai", "memastikan", "melaporkan", "memeriksa", "memanggil", "menjatuhkan",
          "merekomendasikan", "memutuskan", "menyatakan", "mencopot", "memberhentikan", "menegur", "berharap",
          "mengklaim"}
SAID_BEFORE = {"kata", "ujar", "tutur", "jelas", "ungkap", "tegas", "menurut", "ucap", "imbuh", "terang", "tambah"}
SAID = SAID_BEFORE | {"papar", "sebut", "tandas", "pungkas", "kepada", "oleh", "pelapor", "melapor"}   # before a speaker


EXAMINING = {"propam", "paminal", "inspektur", "inspektorat", "kasn", "bkn", "gakkumdu", "hakim", "jaksa", "penyidik",
             "kuasa", "humas", "kapendam", "kapuspen", "juru", "jubir", "bawaslu", "panwaslu", "panwascam", "dkpp"}


def _examiner(name: str, official_codes: dict) -> bool:
    """Titles of those who examine, judge, defend or speak for an institution (Kabid Propam, Kabid Humas)."""
    title = (official_codes.get(name) or (None, ""))[1] or ""
    return bool(EXAMINING & set(re.findall(r"\w+", title.lower())))


ENUMERATION = {"yakni", "yaitu", "adalah", "ialah", "antara", "diantaranya", "masing-masing", "masing"}
LIST_SENTENCES = 3     # how many sentences after a group's breach may list its members by name


def _listed_after(lowers: list[str], actors, k: int, official_codes: dict) -> list:
    """Bound persons named in an enumeration ("yakni", "antara lain") in the sentences after sentence k."""
    out = []
    for j in range(k + 1, min(len(actors), k + 1 + LIST_SENTENCES)):
        named = [a for a in actors[j] if a.person and a.code and a.code not in SUPERVISORS
                 and not _examiner(a.person, official_codes)]
        if not named:
            continue
        first = named[0].start
        sent_start = min(a.start for a in actors[j])
        if not any(lowers[i] in ENUMERATION for i in range(max(0, sent_start - 12), first)):
            continue
        out += [a for a in named if not any(a.person == b.person for b in out)]
    return out


ACRONYM = re.compile(r"\(([A-Za-z]{2,8})\)")


def _short_form(description: str) -> str:
    """'tiga aparatur sipil negara (ASN) Pemkab Bima' -> 'tiga ASN Pemkab Bima': the acronym the text gives
    stands for the words it spells out."""
    for m in reversed(list(ACRONYM.finditer(description))):
        acronym = m.group(1).lower()
        words = description[:m.start()].split()
        best = 0
        for taken in range(1, min(len(words), len(acronym)) + 1):
            if _spells(acronym, words[len(words) - taken:]):
                best = taken
        if best:
            head = " ".join(words[:len(words) - best])
            description = " ".join(p for p in (head, m.group(1), description[m.end():].strip()) if p)
    return description


def _spells(acronym: str, words: list[str]) -> bool:
    """Each word's first letter starts a piece of the acronym, in order ("Pemungutan Suara" -> PS, "PPS")."""
    letters = [w[0].lower() for w in words if w.lower() not in ("dan", "&")]
    k = 0
    for ch in acronym:
        if k < len(letters) and ch == letters[k]:
            k += 1
    return k == len(letters) and letters[:1] == [acronym[0]]


def _initials_before(doc, actor) -> str | None:
    """Initials standing for a name just before the description, with the age in brackets: "RS (26), seorang
    anggota KPPS"."""
    k = actor.start - 1
    while k >= 0 and actor.start - k <= 3 and doc[k].lower_ in ("seorang", "salah", "satu", "oknum", "sebagai"):
        k -= 1
    if k < 1 or doc[k].text != ",":
        return None
    k -= 1
    if k >= 2 and doc[k].text == ")" and doc[k - 1].like_num and doc[k - 2].text == "(":
        k -= 3
    if k >= 0 and re.fullmatch(r"[A-Z]{2,3}", doc[k].text) and (k == 0 or doc[k - 1].text in (",", ".", "dan")
                                                                  or doc[k - 1].is_sent_start or doc[k].is_sent_start):
        return doc[k].text
    return None


def _speaker(lowers: list[str], actor) -> bool:
    """The person speaks, reports, examines or rules in this sentence: "kata Budi", "Budi, Ketua X,
    mengatakan", "dilaporkan oleh Budi"."""
    k = actor.start - 1
    while k >= 0 and lowers[k] in (",", "(", "pun"):
        k -= 1
    if k >= 0 and lowers[k] in SAID:
        return True
    for j in range(actor.end, min(len(lowers), actor.end + 12)):
        if lowers[j] in SPEECH:
            return True
        if lowers[j] in (".", "yang", "diduga", "dilaporkan", "terbukti", "karena", "telah", "sudah", "ikut"):
            return False
    return False


PEOPLE_WORDS = {"anggota", "petugas", "oknum", "ketua", "komisioner", "personel", "prajurit", "pegawai", "seorang",
                "sejumlah", "para", "belasan", "puluhan", "ratusan", "ribuan", "sebanyak", "beberapa", "pejabat"}
INSTITUTIONS = {"KPU", "BAWASLU", "DKPP"}


def _people(actor) -> bool:
    """A description of people, not of an institution that acts on a case ("KPU Kabupaten Pamekasan")."""
    words = actor.description.lower().split()
    if not words:
        return False
    if actor.code in INSTITUTIONS or words[0] in ("polda", "polres", "polsek", "polri", "kodim", "kodam", "korem"):
        return any(w in PEOPLE_WORDS or w.isdigit() for w in words)
    return True


def _title_words(text: str) -> set[str]:
    words: set[str] = set()
    for w in re.findall(r"\w+", text.lower()):
        words.update(SHORT_TITLES.get(w, (w,)))
    return words - PLACE_AND_FILLER


SHORT_TITLES = {"kades": ("kepala", "desa"), "kadus": ("kepala", "dusun"), "sekdes": ("sekretaris", "desa"),
                "pj": ("penjabat",), "pjs": ("penjabat",), "wabup": ("wakil", "bupati"), "sekda": ("sekretaris", "daerah"),
                "kadis": ("kepala", "dinas"), "lurah": ("lurah", "kepala", "kelurahan")}


PLACE_AND_FILLER = {"di", "dari", "yang", "dan", "kabupaten", "kota", "provinsi", "kecamatan", "kab", "kec", "seorang",
                    "oknum", "sejumlah", "para", "ri", "pusat"}


def _counted(description: str) -> bool:
    """'tiga ASN', 'sejumlah kepala desa', 'para camat': several people, not one named official."""
    words = description.lower().split()
    return bool(words) and (words[0].isdigit() or words[0] in COUNTED)


COUNTED = {"dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sejumlah", "beberapa",
           "para", "belasan", "puluhan", "ratusan", "ribuan", "sebanyak", "kedua", "ketiga", "keempat", "seluruh"}


def _specificity(description: str) -> int:
    words = description.lower().split()
    return 2 * any(w in PEOPLE_WORDS or w in COUNTED or w.isdigit() for w in words) + len(words) // 3


def _same(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and (wa <= wb or wb <= wa)
