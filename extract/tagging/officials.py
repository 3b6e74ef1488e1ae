"""`pantau_officials`: named persons linked to the position title next to them.

    Ketua KPU Provinsi Jambi, Iron Sahroni          title, name
    Kapolda Jatim Irjen Imam Sugianto               title, rank, name
    Sekda Kuningan, Dr H Dian Rachmat Yanuar MSi    title, honorifics, name, degree
    Iron Sahroni selaku Ketua KPU Provinsi Jambi    name, link word, title
    Heddy Lugito, Ketua DKPP, mengatakan            name, title in commas

Names are kept as printed without honorifics, ranks and degrees; later short mentions ("Sekda Dian",
"kata Iron") fold into the full name. Bylines, editors and photo credits are never officials.
Result: doc._.pantau_officials (list of OfficialMatch), doc._.pantau_bylines (token ranges).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from extract.tagging.lexicon import LEVEL_WORDS, Lexicon, lexicon, match_phrase
from extract.tagging.persons import SPANS_KEY as NER_KEY
from extract.tagging.roles import SPANS_KEY as ROLES_KEY, is_title_word, qualifier_end, title_word, unit_number_end
from extract.tagging.tokens import TokenTable, token_table

MAX_NAME_WORDS = 5
# Heads followed by the place they serve before any name: "Kades Kluwut", "Camat Negeri Katon, Enggo".
PLACE_FIRST = {"kades", "kadus", "lurah", "camat", "kuwu", "keuchik", "geuchik", "peratin", "sekdes", "sekcam",
               "kapolsek", "kapolres", "kapolresta", "kapolrestabes", "kapolda", "dandim", "danramil", "danrem",
               "pangdam", "kajari", "kajati"}
MAX_TITLE_WORDS = 14
MAX_HEADLINE_WORDS = 20
BALINESE_NAMES = {"made", "ketut", "wayan", "nyoman", "gede", "putu", "komang", "kadek", "nengah", "gusti", "dewa",
                  "luh", "kade", "ngurah", "bagus"}
RELATIONAL = {"kuasa hukum", "penasihat hukum", "pengacara", "ajudan", "juru bicara", "jubir"}
PARTICLES = {"al", "el", "bin", "binti", "van", "de", "da", "di", "von", "ibnu"}   # titles held for someone named next
SCHOOLS = {"sd", "sdn", "smp", "smpn", "sma", "sman", "smk", "smkn", "mi", "min", "mts", "mtsn", "man"}
AD_HOC = {"PPK", "PPS", "KPPS", "PANWAS"}      # bodies whose members are listed as "Name PPK Place"
CREDIT = re.compile(r"^[\w.\-]+(\.com|\.id|\.co|\.net)?/[A-Z][\w .'-]+$|^\(?[A-Za-z.]+/[A-Za-z. ]+\)?$")
NAME_PUNCT = {"'", "’", "-"}
ROMAN = re.compile(r"[IVXL]+")
INITIALS = re.compile(r"[A-Z]{2,3}")
APOSTROPHE = re.compile(r"\w['’]\w")
HEADLINE_SMALL_WORDS = {"yang", "dan", "di", "ke", "dari", "untuk", "pada", "dengan", "atau", "dalam", "soal", "jadi",
                        "ini", "itu", "agar", "karena", "tak", "tidak", "jelang", "usai", "saat", "bagi", "kepada"}


@dataclass
class OfficialMatch:
    name: str
    title: str
    name_start: int          # token offsets
    name_end: int
    title_start: int
    title_end: int


class OfficialFinder:
    def __init__(self, titles_file: str, actors_file: str, places_file: str):
        self.lex: Lexicon = lexicon(titles_file, actors_file, places_file)

    def __call__(self, doc: Doc) -> Doc:
        table = token_table(doc)
        lowers = table.lowers
        bylines = self._bylines(table)
        in_byline = [False] * len(doc)
        for s, e in bylines:
            for i in range(s, e):
                in_byline[i] = True
        inst = [""] * len(doc)
        for span in doc.spans.get(ROLES_KEY, []):
            for i in range(span.start, span.end):
                inst[i] = span.label_
        persons = [s for s in doc.spans.get(NER_KEY, []) if s.label_ == "PER"]
        per_at = {s.start: s for s in persons}
        in_per = [False] * len(doc)
        for span in persons:
            for k in range(span.start, span.end):
                in_per[k] = True
        in_org = [False] * len(doc)
        for span in doc.spans.get(NER_KEY, []):
            if span.label_ != "PER":
                for k in range(span.start, span.end):
                    in_org[k] = True
        ctx = _Context(doc, table, inst, per_at, in_byline, _headline_tokens(table), persons, in_per, in_org)
        found: list[OfficialMatch] = []
        i = 0
        while i < len(doc):
            length = match_phrase(self.lex.heads, lowers, i)
            if not length or in_byline[i] or self._not_a_title(ctx, i):
                i += 1
                continue
            match = self._title_then_name(ctx, i, length)
            if match:
                found.append(match)
                found.extend(more := self._more_members(ctx, match))
                i = max(i + length, (more[-1] if more else match).name_end)
                continue
            match = self._name_then_title(ctx, i, length)
            if match:
                found.append(match)
                i = max(i + length, match.title_end)
                continue
            i += length
        found += self._members_before_bodies(ctx, doc.spans.get(ROLES_KEY, []), found)
        doc._.pantau_officials = _merge(found)
        doc._.pantau_bylines = bylines
        return doc

    # --- bylines ------------------------------------------------------------------------------------
    def _bylines(self, table: TokenTable) -> list[tuple[int, int]]:
        """Token ranges of byline, editor and credit lines, and credits in brackets."""
        texts, lowers, spaces = table.texts, table.lowers, table.spaces
        n = len(texts)
        blank = [not t.strip() for t in texts]
        out: list[tuple[int, int]] = []
        lines: list[tuple[int, int]] = []
        start = 0
        for i in range(n):
            if table.newline_after(i):
                lines.append((start, i + 1))
                start = i + 1
        lines.append((start, n))
        last_lines = [r for r in lines if not all(blank[r[0]:r[1]])][-2:]
        for s, e in lines:
            words = [i for i in range(s, e) if not blank[i]]
            if not words:
                continue
            k = words[0]
            label = match_phrase(self.lex.byline_labels, lowers, k)
            if label and k + label < n and (texts[k + label] in (":", "|", "&", "/") or texts[k + label - 1].endswith(":")):
                out.append((s, e))
            elif (s, e) in last_lines and 2 <= len(words) <= 4 and all(is_title_word(texts[i]) for i in words):
                out.append((s, e))                    # a bare reporter's name closing the article
            elif any(texts[i] == "|" for i in words) and any(lowers[i] in ("penulis", "editor") for i in words):
                out.append((s, e))
        for i in range(1, n - 1):                     # (ANTARA/Ahmad Rafli), Tribunjambi.com/Danang Noprianto
            if texts[i] == "/":
                s = i - 1
                while s > 0 and not blank[s - 1] and texts[s - 1] not in "(,.\n" and not spaces[s - 1]:
                    s -= 1
                e = i + 1
                while e < n and e - i <= 5 and (is_title_word(texts[e]) or texts[e].isupper()) and not blank[e]:
                    e += 1
                if s > 0 and match_phrase(self.lex.heads, lowers, s - 1) or ROMAN.fullmatch(texts[s]):
                    continue                          # Pangdam IX/Udayana, Kodam V/Brawijaya: a unit
                if e - i >= 2 and (texts[s].isupper() or "." in texts[s] or (s > 0 and texts[s - 1] == "(")):
                    out.append((s, e))
        return out

    # --- titles -------------------------------------------------------------------------------------
    def _not_a_title(self, ctx: "_Context", i: int) -> bool:
        lowers = ctx.lowers
        if match_phrase(self.lex.not_titles, lowers, i):
            return True
        if i > 0 and lowers[i - 1] in ("calon", "caleg", "bakal", "cagub", "cabup", "mantan", "eks", "para", "pemilihan"):
            return True
        return False

    def _title_start(self, ctx: "_Context", i: int) -> int:
        """Take in the modifiers before a head: Wakil, Plt, Penjabat (Pj), Penjabat Sementara (Pjs)."""
        lowers = ctx.lowers
        s = i
        while s > 0:
            prev = lowers[s - 1]
            if prev == ")" and s >= 3 and lowers[s - 2] in ("pj", "pjs", "plt") and lowers[s - 3] == "(":
                s -= 3
            elif prev == "." and s >= 2 and lowers[s - 2] in ("pj", "pjs", "plt", "plh"):
                s -= 1
            elif prev == "sementara" and s >= 2 and lowers[s - 2] in ("penjabat", "pejabat"):
                s -= 1
            elif prev == "pejabat" and lowers[s] == "(":
                s -= 1
            elif prev in self.lex.modifiers and prev not in ("sementara", "pejabat"):
                s -= 1
            else:
                break
        return s

    def _title_end(self, ctx: "_Context", i: int, length: int) -> int:
        """Walk over the unit, institution and region words of a title."""
        doc, lowers, lex = ctx.doc, ctx.lowers, self.lex
        n = len(doc)
        j = i + length
        while j < n and j - i < MAX_TITLE_WORDS:
            tok = doc[j]
            low = lowers[j]
            if ctx.in_byline[j] or tok.is_space:
                break
            if ctx.inst[j]:
                span_end = j
                while span_end < n and ctx.inst[span_end] == ctx.inst[j]:
                    span_end += 1
                j = span_end
                continue
            if match_phrase(lex.ranks, lowers, j) or low in lex.honorifics:
                break
            if low in PARTICLES and not tok.text.isupper() and j + 1 < n and title_word(doc[j + 1]):
                break                                 # "Gubernur Banten Al Muktabar": the name's particle
            if low in ("i", "ni") and j + 1 < n and lowers[j + 1] in BALINESE_NAMES:
                break                                 # "Hakim I Ketut Somanasa": the name, not a numeral
            if low in lex.unit_words and title_word(tok) or low in LEVEL_WORDS and title_word(tok):
                q = qualifier_end(doc, lowers, j, lex)
                j = q if q > j else j + 1
                continue
            more = match_phrase(lex.heads, lowers, j)
            if more and title_word(tok):
                j += more
                continue
            q = qualifier_end(doc, lowers, j, lex)
            if q > j:
                j = q
                continue
            u = unit_number_end(doc, j)
            if u > j and j > i:
                j = u
                continue
            if tok.text == "(":                      # (Apdesi), (Kadus), (Pj)
                close = next((k for k in range(j + 1, min(n, j + 8)) if doc[k].text == ")"), None)
                if close is not None and all(not t.is_lower or lowers[t.i] in lex.unit_words for t in doc[j + 1:close]):
                    j = close + 1
                    continue
                break
            if low == "dari" and j + 1 < n and title_word(doc[j + 1]) and (
                    ctx.inst[j + 1] or lowers[j + 1] in lex.unit_words):
                j += 1                                # "jaksa dari Kejaksaan Negeri (Kejari) Mataram"
                continue
            if (j > i and title_word(tok) and not ctx.in_per[j] and lowers[j - 1][:1].isdigit() and (
                    j + 2 < n and doc[j + 1].text == "," and lowers[j + 2] in LEVEL_WORDS
                    or any(w in SCHOOLS for w in lowers[max(i, j - 3):j]))):
                j += 1                                # "SMA Negeri 1 Malunda, Kabupaten Majene": a place
                continue
            if (j > i and j + 2 < n and title_word(tok) and doc[j + 1].text == "-" and not tok.whitespace_
                    and not doc[j + 1].whitespace_ and title_word(doc[j + 2])
                    and (ctx.inst[j - 1] or doc[j - 1].text.isupper() and doc[j - 1].is_alpha)):
                j += 3                                # "TKN Prabowo-Gibran", "TPN Ganjar-Mahfud": the ticket's team
                continue
            if low in ("dan", "&") and j > i and self._unit_word(ctx, j + 1):
                j += 1                                # "Divisi Penanganan Pelanggaran dan Data Informasi"
                continue
            if tok.text == "," and j > i and j + 1 < n and lowers[j + 1] == "dan" and self._unit_word(ctx, j + 2):
                j += 1
                continue
            if (tok.text == "," and j > i and self._unit_word(ctx, j + 1)
                    and any(lowers[k] == "dan" and self._unit_word(ctx, k + 1) for k in range(j + 2, min(n - 1, j + 6)))):
                j += 1                                # "Menteri Koordinator Politik, Hukum, dan Keamanan"
                continue
            if tok.text in ("/", "&", "-") and j + 1 < n and title_word(doc[j + 1]) and not tok.whitespace_:
                j += 1
                continue
            if (tok.text.isupper() and len(tok.text) >= 2 and tok.is_alpha and low not in lex.not_names
                    and not ctx.per_at.get(j)):
                j += 1                                # DPP, PDIP, IK, SDM
                continue
            if title_word(tok) and _unit_shaped(low) and not ctx.per_at.get(j):
                j += 1                                # Perkeretaapian, Kepegawaian, Pendidikan
                continue
            break
        return j

    def _unit_word(self, ctx: "_Context", j: int) -> bool:
        """A capitalised word that names a field or unit inside a title (Data, Keamanan, SDM)."""
        if j >= len(ctx.doc) or not title_word(ctx.doc[j]):
            return False
        low = ctx.lowers[j]
        if ctx.per_at.get(j) and low not in self.lex.unit_words:
            return False
        return low in self.lex.unit_words or _unit_shaped(low) or (ctx.doc[j].text.isupper() and len(low) >= 2
                                                                   and low not in self.lex.not_names)

    def _title_then_name(self, ctx: "_Context", i: int, length: int) -> OfficialMatch | None:
        doc, lowers = ctx.doc, ctx.lowers
        n = len(doc)
        start = self._title_start(ctx, i)
        title_end = j = self._title_end(ctx, i, length)
        bare = title_end == i + length or doc[title_end - 1].text == ")"
        place_head = lowers[i] in PLACE_FIRST or lowers[i + length - 1] in LEVEL_WORDS or (
            doc[title_end - 1].text == ")" and any(w in PLACE_FIRST or w in LEVEL_WORDS for w in lowers[i:title_end]))
        if bare and place_head:
            title_end = j = self._place_after_head(ctx, j)  # "Kapolsek Pasirwangi", "Kepala Desa Tenjolaya"
        elif (ctx.inst[title_end - 1] and j + 2 < n and self._name_word(ctx, j) and doc[j + 1].text == ","
              and (self._name_word(ctx, j + 2) or match_phrase(self.lex.ranks, lowers, j + 2)) and not ctx.per_at.get(j)):
            title_end = j = j + 1                   # "Ketua PPK Bulok, Andreas": the body's place, then the name
        else:
            p = self._person_after_place(ctx, j)
            if p > j:
                title_end = j = p                   # "Bupati Batubara Zahir", "Wabup Bartim H Suriansyah"
        comma = j < n and doc[j].text == ","
        while j < n and doc[j].text == ",":
            k = j + 1
            q = qualifier_end(doc, lowers, k, self.lex)
            if q > k and lowers[k] in LEVEL_WORDS:          # ", Desa Kedaton Induk," belongs to the title
                title_end = j = q
            elif q > k and q < n and doc[q].text == ",":    # ", Jawa Barat," between title and name
                j = q
            else:                                           # ", Papua Frans Pekey" or ", Iron Sahroni"
                j = q
                break
        named = j + 1 < n and lowers[j] == "bernama" or j + 2 < n and lowers[j] == "yang" and lowers[j + 1] == "bernama"
        if named:                                   # "seorang kepala desa bernama Budi Santoso"
            j += 1 if lowers[j] != "yang" else 2
            name = self._name_at(ctx, j)
            if name and not doc[name[0]].is_sent_start:
                return OfficialMatch(name[2], _title_text(ctx.table, start, title_end), name[0], name[1], start,
                                     title_end)
            return None
        common = title_end == i + length and doc[i].is_lower and doc[i].text not in self.lex.modifiers
        relational = " ".join(lowers[i:i + length]) in RELATIONAL
        if common and not comma and not relational:
            return None                             # "anggota Parpol": a common noun, not a title
        name = self._name_at(ctx, j) or (self._initials_at(ctx, j) if comma else None)
        if not name:
            return None
        s, e, text = name
        if e < n and e - s <= 2 and match_phrase(self.lex.ranks, lowers, e) and not ctx.in_per[s]:
            after = self._name_at(ctx, e)            # "Kasat Lantas Polres Tanjung Perak AKP Moch Suud"
            if after:
                title_end = e
                s, e, text = after
        if not ctx.in_per[s]:
            p = self._person_after_institution(ctx, s)
            if p is not None:                       # "Ketua Mahkamah Konstitusi (MK) Anwar Usman"
                name = self._name_at(ctx, p)
                if not name:
                    return None
                title_end = p
                s, e, text = name
            elif self._body_name(ctx, s, e):
                return None                         # "Menteri Pemuda dan Olahraga (Menpora)", "Kepala Basarnas Jatim"
            elif s > 0 and ctx.inst[s - 1] and self._place_word(ctx, s) and not match_phrase(self.lex.places, lowers, s):
                title_end = s + 1                   # "Ketua PPK Bulok dengan inisial AD": the body's place
                k = s + 2 if s + 2 < n and doc[s + 1].text == "," else s + 1
                name = self._name_at(ctx, k) if k < n else None
                if not name or name[0] != self._skip_prefixes(ctx, k):
                    return None
                s, e, text = name
        other = None
        if relational and e + 1 < n:
            k = e + 2 if lowers[e] == "yang" and lowers[e + 1] == "bernama" else e + 1 if doc[e].text == "," else e
            other = self._name_at(ctx, k) if k > e else None
            if other:                               # "Kuasa hukum Warsito, Amin Sanggah": the client is in the title
                title_end = e
                s, e, text = other
        if common and not other and not (comma and ctx.in_per[s]):
            return None                             # "ketua majelis hakim, Slamet Pujiono" only when the model agrees
        if any(doc[t].is_sent_start for t in range(title_end, s + 1)):
            return None
        if e < n and (ctx.inst[e] or lowers[e] in self.lex.unit_words and title_word(doc[e])):
            return None                             # "Ketua Banggar DPR RI": still the title
        if ctx.headline[s] and not comma and not any(p.start <= s < p.end for p in ctx.persons):
            return None                             # Title Case headlines: every word looks like a name
        return OfficialMatch(text, _title_text(ctx.table, start, title_end), s, e, start, title_end)

    def _members_before_bodies(self, ctx: "_Context", roles, found: list[OfficialMatch]) -> list[OfficialMatch]:
        """Lists of ad hoc members, each name before its body: "Sukma Dewi dan Rudi Hartono PPK Lembah,
        Yanti PPS Sukamaju"."""
        doc, lowers = ctx.doc, ctx.lowers
        taken = {i for m in found for i in range(min(m.name_start, m.title_start), max(m.name_end, m.title_end))}
        out: list[OfficialMatch] = []
        for span in roles:
            if span.label_ not in AD_HOC or span.start in taken or span.start < 1:
                continue
            before = span.start - 1
            if before >= 2 and lowers[before] == "dari" and lowers[before - 1] in ("semua", "semuanya", "keduanya"):
                before -= 2                         # "Ikbal dan Sri semua dari PPS Tontouan"
            if not self._name_word(ctx, before):
                continue
            end = span.end
            run = end
            while run < len(doc) and run - end < 3 and self._name_word(ctx, run):
                run += 1
            if run > end and (run == len(doc) or doc[run].text in (",", ".") or lowers[run] in ("dan", "serta")):
                end = run                           # "PPK Luwuk,": the body's place
            title = _title_text(ctx.table, span.start, end)
            k = before
            while k >= 0:
                name = self._name_before(ctx, k)
                if not name or name[0] in taken or ctx.headline[name[0]] or name[0] > 0 and ctx.inst[name[0] - 1]:
                    break                           # "..., PPS Tontouan, serta Malik PPS Keleke": a place
                out.append(OfficialMatch(name[2], title, name[0], name[1], span.start, end))
                k = name[0] - 1
                if k >= 0 and lowers[k] in ("dan", "serta"):
                    k -= 1
                    continue
                break
        return out

    def _more_members(self, ctx: "_Context", first: OfficialMatch) -> list[OfficialMatch]:
        """Several names after one title each get it: "anggota KPU Kota Baru, Ani Lestari, Budi Santoso dan
        Citra Dewi"."""
        doc, n = ctx.doc, len(ctx.doc)
        out: list[OfficialMatch] = []
        e = first.name_end
        while e < n:
            k = e
            while k < n and doc[k].text == "," or k < n and self.lex.is_degree(doc[k].text):
                k += 1
            if k < n and ctx.lowers[k] in ("dan", "serta"):
                k += 1
            if k == e or k >= n or doc[k].is_sent_start:
                break
            if qualifier_end(doc, ctx.lowers, k, self.lex) > k:
                break                               # ", Kecamatan Banjar Agung": a place, not a member
            name = self._name_at(ctx, k)
            if not name or name[0] != self._skip_prefixes(ctx, k):
                break
            s, e2, text = name
            if e2 < n and (ctx.inst[e2] or match_phrase(self.lex.heads, ctx.lowers, e2)):
                break                               # the next name has its own title
            out.append(OfficialMatch(text, first.title, s, e2, first.title_start, first.title_end))
            e = e2
        return out

    def _place_after_head(self, ctx: "_Context", j: int) -> int:
        """The place a village, district or police-unit head serves comes first: one word when a name
        follows it directly, else the whole capitalised run."""
        run = j
        while run < len(ctx.doc) and run - j < 4 and self._name_word(ctx, run):
            run += 1
        return j + 1 if run - j >= 3 else run

    def _person_after_institution(self, ctx: "_Context", s: int) -> int | None:
        """Where the model's next person starts when only the rest of a body's name stands before it
        ("Partai Amanat Nasional (PAN) Zulkifli Hasan", "Public Virtue Research Institute (PVRI) Miya")."""
        doc, lowers, n = ctx.doc, ctx.lowers, len(ctx.doc)
        body = False
        for k in range(s, min(n, s + MAX_TITLE_WORDS)):
            if k > s and doc[k].is_sent_start:
                return None
            if k in ctx.per_at:
                return k if k > s else None
            tok = doc[k]
            if tok.text in ("(", ")") or tok.text == "," and k + 1 in ctx.per_at:
                continue
            if (not title_word(tok) or len(tok.text) == 1 or k + 1 < n and lowers[k + 1] in BALINESE_NAMES
                    or lowers[k] in PARTICLES):
                return None                         # "R. Wisnoe", "I Ketut", "Al Muktabar": the name's own first word
            if lowers[k] in self.lex.unit_words and k == s:
                body = True                         # "Federasi Panjat Tebing Indonesia Yenny Wahid"
                continue
            if (body or s > 0 and lowers[s - 1] in self.lex.unit_words) and ctx.in_org[k]:
                continue                            # the rest of a body the model reads as one
            if not (ctx.inst[k] or lowers[k] in self.lex.unit_words or match_phrase(self.lex.heads, lowers, k)
                    or match_phrase(self.lex.places, lowers, k) or len(tok.text) >= 2 and tok.text.isupper() and tok.is_alpha
                    or self._before_acronym(ctx, k)):
                return None
        return None

    def _body_name(self, ctx: "_Context", s: int, e: int) -> bool:
        """The words after a title name a body, not a person the model knows: an acronym in brackets
        follows them, or they end in a place."""
        doc, n = ctx.doc, len(ctx.doc)
        if any(ctx.in_per[k] for k in range(s, e)):
            return False
        k = e
        while k < n and k - e < 4 and (ctx.lowers[k] == "dan" or title_word(doc[k])):
            k += 1
        if k + 2 < n and doc[k].text == "(" and doc[k + 2].text == ")" and doc[k + 1].text[:1].isupper():
            return True
        last = e - 1
        return e - s >= 2 and any(match_phrase(self.lex.places, ctx.lowers, t) == last + 1 - t for t in range(s + 1, e))

    @staticmethod
    def _before_acronym(ctx: "_Context", k: int) -> bool:
        """A capitalised word of a run that ends in an acronym in brackets: "Research Institute (PVRI)"."""
        doc, n = ctx.doc, len(ctx.doc)
        for m in range(k + 1, min(n - 2, k + 6)):
            if doc[m].text == "(":
                inner = doc[m + 1].text
                return doc[m + 2].text == ")" and len(inner) >= 2 and inner[:1].isupper()
            if not title_word(doc[m]) and ctx.lowers[m] != "dan":
                return False
        return False

    def _initials_at(self, ctx: "_Context", j: int) -> tuple[int, int, str] | None:
        """Initials standing for a name after a title and a comma: "Kades Pangahu, Kecamatan Asparaga, HM."."""
        j = self._skip_prefixes(ctx, j)
        doc, n = ctx.doc, len(ctx.doc)
        if j >= n or not INITIALS.fullmatch(doc[j].text) or ctx.inst[j] or ctx.lowers[j] in self.lex.not_names \
                or ctx.lowers[j] in self.lex.unit_words or match_phrase(self.lex.places, ctx.lowers, j):
            return None
        if j + 1 < n and not (doc[j + 1].text in (".", ",", "(", ")") or doc[j + 1].is_lower):
            return None
        return j, j + 1, doc[j].text

    def _person_after_place(self, ctx: "_Context", j: int) -> int:
        """Where the person starts when a place comes first: the model's PER entity begins after one to
        three capitalised words that are not in it. j when there is no such place."""
        k = self._skip_prefixes(ctx, j)
        if k != j or k >= len(ctx.doc) or ctx.in_per[k]:
            return j
        m = k
        while m < len(ctx.doc) and m - k < 3 and self._name_word(ctx, m) and not ctx.in_per[m]:
            m += 1
        if m == k or m not in ctx.per_at or not all(self._place_word(ctx, t) for t in range(k, m)):
            return j
        return m

    def _place_word(self, ctx: "_Context", t: int) -> bool:
        """A known place, or a word the article puts after titles and bodies before other words
        ("Ketua Panwaslih Bartim Dani", "Wabup Bartim H Suriansyah")."""
        low = ctx.lowers[t]
        if len(low) < 3 or low in BALINESE_NAMES or match_phrase(self.lex.places, ctx.lowers, t):
            return len(low) >= 3 and low not in BALINESE_NAMES
        lowers, n = ctx.lowers, len(ctx.lowers)
        followers = {lowers[p + 1] for p in range(1, n - 1) if lowers[p] == low
                     and (ctx.inst[p - 1] or lowers[p - 1] in self.lex.heads or lowers[p - 1] in LEVEL_WORDS)}
        return len(followers) >= 2

    def _name_then_title(self, ctx: "_Context", i: int, length: int) -> OfficialMatch | None:
        """'Iron Sahroni selaku Ketua ...' and 'Heddy Lugito, Ketua DKPP, mengatakan'."""
        doc, lowers = ctx.doc, ctx.lowers
        start = self._title_start(ctx, i)
        k = start - 1
        if k < 1:
            return None
        for back in (3, 2, 1):
            b = k - back + 1
            if b >= 1 and match_phrase(self.lex.apposition_links, lowers, b) == back:
                name = self._name_before(ctx, b - 1)
                if not name:
                    return None
                end = self._title_end(ctx, i, length)
                return OfficialMatch(name[2], _title_text(ctx.table, start, end), name[0], name[1], start, end)
        if doc[k].text != ",":
            return None
        end = self._title_end(ctx, i, length)
        if end == i + length and (lowers[i] in PLACE_FIRST or lowers[end - 1] in LEVEL_WORDS):
            end = self._place_after_head(ctx, end)  # "Budi Santoso (45), Kepala Desa Sukamaju, ..."
        after = end + 1 if end < len(doc) and ctx.lowers[end] in ("tersebut", "itu") else end
        if after >= len(doc) or doc[after].text not in (",", ")", "."):
            return None                             # "Warsito, kepala desa tersebut, terbukti ..."
        b = k - 1
        if b >= 2 and doc[b].text == ")" and doc[b - 1].like_num and doc[b - 2].text == "(":
            b -= 3                                  # "Budi Santoso (45), Kepala Desa Sukamaju"
        name = self._name_before(ctx, b)
        if not name or name[0] > 0 and lowers[name[0] - 1] in PLACE_FIRST or lowers[name[0]] in self.lex.unit_words:
            return None                             # "Kades Kluwut, Kades Jatigunting": a place; "Kejaksaan Negeri X"
        return OfficialMatch(name[2], _title_text(ctx.table, start, end), name[0], name[1], start, end)

    # --- names --------------------------------------------------------------------------------------
    def _skip_prefixes(self, ctx: "_Context", j: int) -> int:
        lowers, lex = ctx.lowers, self.lex
        skipped = False
        while j < len(ctx.doc):
            rank = match_phrase(lex.ranks, lowers, j)
            if rank:
                j += rank
                skipped = True
            elif lowers[j] in lex.honorifics:
                j += 1
                skipped = True
            elif skipped and ctx.doc[j].text == "." and not ctx.doc[j - 1].whitespace_:
                j += 1
            elif ctx.doc[j].text in ("(", ")") and j + 1 < len(ctx.doc) and lowers[j + 1] in ("purn", "purn.", ")"):
                j += 1
            else:
                return j
        return j

    def _name_word(self, ctx: "_Context", j: int) -> bool:
        tok = ctx.doc[j]
        low = ctx.lowers[j]
        if ctx.in_byline[j] or ctx.inst[j] or low in self.lex.not_names or tok.is_space:
            return False
        if match_phrase(self.lex.heads, ctx.lowers, j) or match_phrase(self.lex.ranks, ctx.lowers, j):
            return False
        if self.lex.is_degree(tok.text):
            return False
        text = tok.text
        if low in STOP_WORDS or _inflected(low) and not ctx.in_per[j]:
            return False                                      # (the model knows "Diapari" is a name)
        if len(text) == 1:
            return text.isupper()
        if re.fullmatch(r"([A-Z]\.)+[A-Z]?\.?", text):        # E.A, M., A.R.
            return True
        if INITIALS.fullmatch(text) and j + 2 < len(ctx.doc) and ctx.doc[j + 1].text == "." and not tok.whitespace_ \
                and ctx.doc[j + 2].text[:1].isupper() and ctx.doc[j + 2].text[1:].islower():
            return True                                       # "TSP. Silaban"
        return text[:1].isupper() and any(ch.islower() for ch in text[1:]) and not any(ch.isdigit() for ch in text)

    def _head_as_surname(self, ctx: "_Context", e: int) -> bool:
        doc, lowers = ctx.doc, ctx.lowers
        text = doc[e].text
        if not (text[:1].isupper() and text[1:].islower()) or match_phrase(self.lex.heads, lowers, e) != 1:
            return False
        nxt = e + 1
        return nxt >= len(doc) or not (title_word(doc[nxt]) or ctx.inst[nxt])

    def _name_at(self, ctx: "_Context", j: int) -> tuple[int, int, str] | None:
        doc = ctx.doc
        j = self._skip_prefixes(ctx, j)
        if j >= len(doc) or not self._name_word(ctx, j):
            return None
        e = j
        while e < len(doc) and e - j < MAX_NAME_WORDS:
            if self._name_word(ctx, e):
                e += 1
            elif e > j and self._head_as_surname(ctx, e):
                e += 1                                        # "Ridwan Hakim dan ...": a name, not a title
            elif doc[e].text == "." and not doc[e - 1].whitespace_ and len(doc[e - 1].text) <= 5 \
                    and e + 1 < len(doc) and self._name_word(ctx, e + 1) and (
                        not doc[e + 1].is_sent_start or e - 1 == j and re.fullmatch(r"[A-Z]{1,3}", doc[e - 1].text)):
                e += 1                                        # Moh. Amiruddin, TSP. Silaban
            elif doc[e].text in NAME_PUNCT and not doc[e - 1].whitespace_ and not doc[e].whitespace_ \
                    and e + 1 < len(doc) and self._name_word(ctx, e + 1):
                e += 1                                        # Harun Al-Rasyid
            else:
                break
        per = ctx.per_at.get(j)
        if per is not None and per.end < e and doc[per.end].text != "." and not APOSTROPHE.search(doc[per.end].text):
            e = per.end                                       # the model knows where the name ends
        return self._clean_name(ctx, j, e)

    def _name_before(self, ctx: "_Context", k: int) -> tuple[int, int, str] | None:
        """A name ending at token k (walking left over degrees)."""
        doc = ctx.doc
        while k >= 0 and (self.lex.is_degree(doc[k].text) or doc[k].text == ","):
            k -= 1
        e = k + 1
        s = e
        while s > 0 and e - s < MAX_NAME_WORDS and self._name_word(ctx, s - 1):
            s -= 1
        if s == e:
            return None
        return self._clean_name(ctx, s, e)

    def _clean_name(self, ctx: "_Context", s: int, e: int) -> tuple[int, int, str] | None:
        texts, lowers = ctx.table.texts, ctx.lowers
        words = [i for i in range(s, e) if texts[i] != "." and lowers[i] not in self.lex.honorifics]
        while words and (self.lex.is_degree(texts[words[-1]]) or len(texts[words[-1]]) == 1 and len(words) > 1
                         and words[-1] == e - 1 and e < len(texts) and texts[e] == "."):
            words.pop()
        if not words:
            return None
        if all(len(texts[i]) <= 2 for i in words) or all(texts[i].isupper() and len(texts[i]) > 2 for i in words):
            return None
        first, last = words[0], words[-1]
        return first, last + 1, " ".join(ctx.table.span_text(first, last + 1).split())


class _Context:
    __slots__ = ("doc", "table", "lowers", "inst", "per_at", "in_byline", "headline", "persons", "in_per", "in_org")

    def __init__(self, doc, table, inst, per_at, in_byline, headline, persons, in_per, in_org):
        self.doc, self.table, self.lowers, self.inst = doc, table, table.lowers, inst
        self.per_at, self.in_byline, self.headline, self.persons = per_at, in_byline, headline, persons
        self.in_per = in_per            # inside a PER entity of the NER model
        self.in_org = in_org            # inside an ORG or LOC entity


def _headline_tokens(table: TokenTable) -> list[bool]:
    """Tokens on Title Case lines (headlines), where capitals say nothing about names."""
    texts, lowers = table.texts, table.lowers
    n = len(texts)
    out = [False] * n
    start = 0
    for i in range(n + 1):
        if i == n or table.newline_after(i):
            words = [texts[k] for k in range(start, min(i + 1, n))
                     if texts[k].isalpha() and len(texts[k]) > 1 and lowers[k] not in HEADLINE_SMALL_WORDS]
            last = next((texts[k] for k in range(min(i, n - 1), start - 1, -1) if texts[k].strip()), "")
            if (4 <= len(words) <= MAX_HEADLINE_WORDS and last not in (".", "!", "?", '"', "”")
                    and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)):
                for k in range(start, min(i + 1, n)):
                    out[k] = True
            start = i + 1
    return out


def _inflected(low: str) -> bool:
    """Affixed Indonesian words (menurutnya, pengaduan, dikatakan) are not names."""
    return len(low) >= 7 and (low.endswith(("nya", "kan")) or
                              low.startswith(("di", "ter", "ber", "meng", "mem", "men", "peng", "pem", "pen"))
                              and low.endswith(("an", "i")))


def _unit_shaped(low: str) -> bool:
    """Indonesian nouns of the pe-/per-/ke- ... -an shape name fields and units, rarely people."""
    return len(low) >= 8 and low.endswith("an") and low.startswith(("pe", "ke"))


def _title_text(table: TokenTable, start: int, end: int) -> str:
    return table.span_text(start, end).strip(" ,")


def name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", name.lower()).strip()


def _merge(found: list[OfficialMatch]) -> list[OfficialMatch]:
    """One entry per person: short forms fold into the full name; the most frequent (then shortest) title."""
    by_key: dict[str, list[OfficialMatch]] = {}
    for m in found:
        by_key.setdefault(name_key(m.name), []).append(m)
    keys = sorted(by_key, key=lambda k: -len(k.split()))
    canonical: dict[str, str] = {}
    for key in keys:
        words = set(key.split())
        target = next((full for full in keys if full != key and len(full.split()) > len(words)
                       and words <= set(full.split()) and canonical.get(full, full) == full), None)
        canonical[key] = target or key
    merged: dict[str, list[OfficialMatch]] = {}
    for key, matches in by_key.items():
        merged.setdefault(canonical[key], []).extend(matches)
    out: list[OfficialMatch] = []
    for key, matches in merged.items():
        full = [m for m in matches if name_key(m.name) == key] or matches
        counts: dict[str, int] = {}
        for m in matches:
            counts[m.title] = counts.get(m.title, 0) + 1
        with_full = {m.title for m in full}
        title = min(counts, key=lambda t: (-counts[t], t not in with_full, " " not in t, len(t)))
        first = min(full, key=lambda m: m.name_start)
        out.append(OfficialMatch(first.name, title, first.name_start, first.name_end,
                                 first.title_start, first.title_end))
    out.sort(key=lambda m: m.name_start)
    return out


if not Doc.has_extension("pantau_officials"):
    Doc.set_extension("pantau_officials", default=None)
    Doc.set_extension("pantau_bylines", default=None)


@Language.factory("pantau_officials", default_config={"titles_file": "titles.toml", "actors_file": "actors.toml",
                                                      "places_file": "places.toml"})
def make_officials(nlp: Language, name: str, titles_file: str, actors_file: str, places_file: str) -> OfficialFinder:
    return OfficialFinder(titles_file, actors_file, places_file)
