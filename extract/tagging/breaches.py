"""`pantau_breaches`: breach mentions per category, each with its modality and the actor it is about.

Triggers come from breaches.toml (with Indonesian affixes expanded), cues from modality.toml. For every
trigger the nearest cue in the sentence decides alleged / prohibition / denied; a condition or a modal
before an alleged cue ("jika terbukti", "bisa dilaporkan") makes it a rule. The subject is the nearest
actor before the trigger (else after it, else the previous sentences' actor): a role mention, a bound
title (camat, sekda) or a person linked to a role; mentions about candidates, parties or citizens are not
neutrality breaches and are dropped. Result: doc._.pantau_flags (list of FlagMatch), doc._.pantau_cues.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from extract.tagging.accused import PLACE_AND_FILLER, SAID_BEFORE, SHORT_TITLES
from extract.tagging.lexicon import lexicon, match_phrase
from extract.tagging.model import Flag
from extract.tagging.roles import SPANS_KEY as ROLES_KEY, qualifier_end
from extract.tagging.rules import SequenceMatcher, load_data, word_set
from extract.tagging.tokens import TokenTable, token_table

CUE_LABELS = ("alleged", "alleged_weak", "prohibition", "prohibition_weak", "denied", "hypothetical",
              "conditional", "negation", "sanction", "violation", "neutrality", "advisory", "background", "verdict",
              "process", "dismissed", "tally")
STRONG = ("alleged", "prohibition")
WEAK = ("alleged_weak", "prohibition_weak")
AFTER_PENALTY = 1.5          # a cue after the trigger counts as this much further away
CARRY_SENTENCES = 6          # how far back an actor carries to a sentence that names none
OBJECT_MARKERS = {"kepada", "pada", "ke", "dengan", "dari", "untuk", "bagi", "terhadap", "atas", "sama"}
COUNT_WORDS = {"salah", "satu", "seorang", "para", "sejumlah", "beberapa", "sebuah"}
ABOUT_ROLE = {"komisi", "badan", "kementerian", "komite", "kantor", "sekretariat", "peraturan", "disiplin"}
SPEAKER_PRONOUNS = {"kita", "kami", "saya", "aku", "anda", "kalian"}
TRANSITIVE = {"mengajak", "meminta", "menyuruh", "memaksa", "mengancam", "menekan", "membujuk", "merayu", "mengarahkan"}


@dataclass
class Actor:
    start: int
    end: int
    code: str | None          # role code, or None for an actor not bound by neutrality rules
    person: str | None = None
    description: str = ""


@dataclass
class FlagMatch:
    flag: Flag
    sent_index: int
    trigger: tuple[int, int]
    actor: Actor | None
    hypothetical: bool = False
    cues: list[str] = field(default_factory=list)
    kind: str = ""                # the learned reading of its sentence (pantau_modality)


@dataclass
class SentenceCues:
    start: int
    end: int
    cues: list[tuple[str, int, int]]

    def has(self, label: str) -> bool:
        return any(c[0] == label for c in self.cues)

    def of(self, *labels: str) -> list[tuple[str, int, int]]:
        return [c for c in self.cues if c[0] in labels]


class BreachFinder:
    def __init__(self, nlp: Language, breaches_file: str, modality_file: str, titles_file: str, actors_file: str,
                 places_file: str, hypothetical_window: int, negation_window: int, right_window: int):
        self.lex = lexicon(titles_file, actors_file, places_file)
        self.hypothetical_window = hypothetical_window
        self.negation_window = negation_window
        self.right_window = right_window
        self.triggers = SequenceMatcher()
        self.rules: list[tuple[str, frozenset, frozenset]] = []
        for idx, rule in enumerate(load_data(breaches_file)["rule"]):
            self.triggers.add(str(idx), rule["patterns"])
            self.rules.append((rule["category"], word_set(rule.get("requires", [])), word_set(rule.get("unless", []))))
        self.cue_matcher = SequenceMatcher()
        modality = load_data(modality_file)
        for label in CUE_LABELS:
            self.cue_matcher.add(label, modality[label])

    def __call__(self, doc: Doc) -> Doc:
        table = token_table(doc)
        lowers, sents, sent_of = table.lowers, table.sents, table.sent_of
        cues = [SentenceCues(s, e, []) for s, e in sents]
        found = sorted(self.cue_matcher(lowers), key=lambda m: m[1])
        denials = [(s, e) for label, s, e in found if label == "denied"]
        for label, s, e in found:
            if label in ("alleged", "alleged_weak") and any(ds <= s and e <= de for ds, de in denials):
                continue                            # "belum menemukan" is a denial, not a finding
            cues[sent_of[s]].cues.append((label, s, e))
        actors = self._actors(doc, table)
        flags: list[FlagMatch] = []
        seen: set[tuple[str, int]] = set()
        undecided: dict[tuple[str, int], FlagMatch] = {}
        words_in: dict[int, set[str]] = {}
        triggers = sorted(self.triggers(lowers), key=lambda m: (m[1], int(m[0])))
        self._covered = {i for _, s, e in triggers for i in range(s, e)}
        self._doc = doc
        for key, s, e in triggers:
            category, requires, unless = self.rules[int(key)]
            k = sent_of[s]
            if (category, k) in seen:
                continue
            words = words_in.setdefault(k, set(lowers[sents[k][0]:sents[k][1]]) | self._bigrams(lowers, sents[k]))
            if requires and not (words & requires) or unless and (words & unless):
                continue
            actor = self._subject(table, actors, k, s, e)
            if actor is None or actor.code is None:
                continue
            modality, hypothetical = self._modality(cues[k], s, e, lowers, actor)
            if modality is None:
                if (category, k) not in undecided:      # a candidate the learned modality may still take
                    undecided[(category, k)] = FlagMatch(_flag(doc, table, sents[k], category, "none", actor), k,
                                                         (s, e), actor)
                continue
            seen.add((category, k))
            undecided.pop((category, k), None)
            flags.append(FlagMatch(_flag(doc, table, sents[k], category, modality, actor), k, (s, e), actor, hypothetical))
        doc._.pantau_flags = flags
        doc._.pantau_candidates = sorted(flags + list(undecided.values()), key=lambda f: (f.sent_index, f.trigger))
        doc._.pantau_cues = cues
        doc._.pantau_actors = actors
        return doc

    @staticmethod
    def _bigrams(lowers: list[str], sent: tuple[int, int]) -> set[str]:
        return {lowers[i] + " " + lowers[i + 1] for i in range(sent[0], sent[1] - 1)}

    # --- actors -------------------------------------------------------------------------------------
    def _actors(self, doc: Doc, table: TokenTable) -> list[list[Actor]]:
        """Per sentence, the actors in reading order: role mentions (not inside a speaker's title), bound
        titles (camat), persons with a title, and actors not bound by the rules (warga, caleg)."""
        lowers, sent_of, n_sents = table.lowers, table.sent_of, len(table.sents)
        officials = doc._.pantau_officials or []
        in_title = [False] * len(doc)
        person_at: dict[int, tuple[int, str, str]] = {}
        for o in officials:
            for i in range(o.title_start, o.title_end):
                in_title[i] = True
        codes: dict[str, str | None] = {}
        for o in _all_official_mentions(doc, table, officials, self.lex):
            person_at[o[0]] = o[1:]
            codes.setdefault(o[2], o[3])
        doc._.pantau_official_codes = codes
        found: list[Actor] = []
        role_spans = {s.start: s for s in doc.spans.get(ROLES_KEY, [])}
        i = 0
        n = len(doc)
        while i < n:
            if i in person_at:
                end, name, code = person_at[i]
                found.append(Actor(i, end, code, name, name))
                i = end
                continue
            span = role_spans.get(i)
            if span is not None:
                if not in_title[i] and not (i > 0 and lowers[i - 1] in ABOUT_ROLE):
                    found.append(Actor(span.start, span.end, span.label_, None, self._describe(doc, table, span.start, span.end)))
                i = span.end
                continue
            length = match_phrase(self.lex.bound_title_index, lowers, i)
            if length and not in_title[i]:
                code = self.lex.bound_titles[" ".join(lowers[i:i + length])]
                found.append(Actor(i, i + length, code, None, self._describe(doc, table, i, i + length)))
                i += length
                continue
            length = _owner_at(lowers, i)
            if length:                              # "mobil dinas milik Pemkab Garut": its staff use it
                code = OWNERS[" ".join(lowers[i:i + length])]
                found.append(Actor(i, i + length, code, None, self._describe(doc, table, i, i + length)))
                i += length
                continue
            length = match_phrase(self.lex.not_bound, lowers, i)
            if length:
                found.append(Actor(i, i + length, None))
                i += length
                continue
            i += 1
        titled: dict[str, set[str]] = {}
        for o in officials:                         # the word a title starts with: camat, kadus, kades
            head = next((w for w in lowers[o.title_start:o.title_end] if w not in self.lex.modifiers), "")
            titled.setdefault(head, set()).add(o.name)
        for a in found:
            if a.person is None and a.code and a.description:
                names = titled.get(lowers[a.end - 1], set())
                if len(names) == 1:
                    a.person = next(iter(names))    # "camat" after "Camat Negeri Katon, Enggo Pratama"
                elif _definite(lowers, a):
                    a.person = _title_holder(table, officials, a)   # "sang kades", "kepala desa tersebut"
        per_sentence: list[list[Actor]] = [[] for _ in range(n_sents)]
        for a in found:
            per_sentence[sent_of[a.start]].append(a)
        return per_sentence

    def _describe(self, doc: Doc, table: TokenTable, start: int, end: int) -> str:
        """A short description of an unnamed actor: 'tiga aparatur sipil negara (ASN)', 'oknum ASN Bekasi'."""
        lowers = table.lowers
        s = start
        while s > 0 and start - s < 3 and (lowers[s - 1] in self.lex.determiners or doc[s - 1].like_num):
            s -= 1
        e = end
        if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
            e += 3
        unit = e
        while unit < len(doc) and unit - e < 4 and lowers[unit] in self.lex.unit_words and doc[unit].text[:1].isupper():
            unit += 1                                 # "ASN Dinas Pendidikan", "ASN Pemkab Bima"
        e = unit
        q = qualifier_end(doc, lowers, e, self.lex)
        if q == e and e < len(doc) and lowers[e] in ("di", "dari"):
            q2 = qualifier_end(doc, lowers, e + 1, self.lex)
            q = q2 if q2 > e + 1 else e
        e = max(q, e)
        if e + 1 < len(doc) and lowers[e] in ("berinisial", "inisial") and _initials(table.texts[e + 1]):
            e += 2                                    # "oknum ASN berinisial RR": what the text gives of the name
            while e + 1 < len(doc) and lowers[e] in ("dan", ",") and _initials(table.texts[e + 1]):
                e += 2
        return table.span_text(s, e)

    def _subject(self, table: TokenTable, actors: list[list[Actor]], k: int, s: int, e: int) -> Actor | None:
        """The nearest actor before the trigger (an unbound one only within the same clause), else the
        nearest after it, else the actor the previous sentences were about."""
        in_sent = actors[k]
        agent = _passive_agent(table.lowers, in_sent, s, e)
        if agent is not None:
            return agent                            # "warga ditekan oknum Babinsa": the agent acts, not "warga"
        pronoun = _pronoun_before(table.lowers, table.sents[k][0], s)
        if pronoun is not None and not any(pronoun < a.start and a.end <= s for a in in_sent):
            named = self._last_person(actors, k, pronoun)
            if named is not None:
                return named                        # "Ia juga terlihat ...": the person named before
        for a in reversed([a for a in in_sent if a.end <= s]):
            if a.code is None and (any(i in self._covered for i in range(a.start - 3, a.start + 1))
                                   or _object_of(table.lowers, a.start)
                                   or _passive(table.lowers[a.start - 1]) or _after_transitive(table.lowers, a.start)):
                continue                            # "atribut partai", "kepada calon", "tertangkap warga",
                                                    # "mengumpulkan warga": not the actor
            if a.code and _agent_of_passive(table.lowers, a.start) and any(b.code and b.end <= a.start for b in in_sent):
                continue                            # "anggota KPPS diamankan aparat kepolisian setelah kedapatan
                                                    # mencoblos": the subject acts, the agent only arrests
            return a
        for a in (a for a in in_sent if a.start >= e and a.start - e <= self.right_window):
            if a.code or table.lowers[a.start - 1] == "oleh":
                return a                            # after the trigger: a bound actor, or "oleh warga"
            break
        inside = [a for a in in_sent if a.start < e and a.end > s]
        if inside:
            return inside[0]
        sent_start = table.sents[k][0]
        if any(table.lowers[i] in SPEAKER_PRONOUNS for i in range(sent_start, s)):
            return None                             # "Kita mengantisipasi politik uang": the speaker's own talk
        for back in range(1, CARRY_SENTENCES + 1):
            if k - back < 0:
                break
            earlier = actors[k - back]
            bound = next((a for a in earlier if a.code), None)
            if bound is not None:
                return bound
            if earlier and earlier[0].start - table.sents[k - back][0] <= 2:
                return earlier[0]                   # that sentence was about citizens or candidates
        return None

    @staticmethod
    def _last_person(actors: list[list[Actor]], k: int, before: int) -> Actor | None:
        """The last bound, named actor before position `before`, in this sentence or the ones before it."""
        for back in range(0, CARRY_SENTENCES + 1):
            if k - back < 0:
                break
            named = [a for a in actors[k - back] if a.code and a.person and a.end <= before]
            if named:
                return named[-1]
        return None

    # --- modality -----------------------------------------------------------------------------------
    def _modality(self, sc: SentenceCues, s: int, e: int, lowers: list[str], actor: Actor) -> tuple[str | None, bool]:
        def distance(cue) -> float:
            _, cs, ce = cue
            if ce <= s:
                return s - ce
            if cs >= e:
                return (cs - e) * AFTER_PENALTY + 0.5
            return 0.0

        denied = sc.of("denied")
        for level in (STRONG, WEAK):
            candidates = sc.of(*level) + denied
            if not candidates:
                continue
            label, cs, ce = min(candidates, key=distance)
            if label == "denied":
                return "denied", False
            if label.startswith("prohibition"):
                return "prohibition", False
            if self._hypothetical(sc, cs) or self._negated(sc, s) or self._generic(lowers, cs, actor):
                return "prohibition", True
            return "alleged", False
        if self._negated(sc, s) or sc.has("conditional"):
            return "prohibition", True
        if actor.person or _specific(actor.description, self.lex.determiners):
            return "alleged", False
        return None, False

    def _hypothetical(self, sc: SentenceCues, alleged_start: int) -> bool:
        for label, cs, ce in sc.cues:
            if label == "hypothetical" and cs < alleged_start and alleged_start - ce <= self.hypothetical_window:
                return True
            if label == "conditional" and ce <= alleged_start:
                return True
        return False

    def _generic(self, lowers: list[str], cue_start: int, actor: Actor) -> bool:
        """'ASN yang kedapatan ...' about no one in particular (unlike 'seorang ASN yang kedapatan')."""
        return (cue_start > 0 and lowers[cue_start - 1] == "yang" and not actor.person
                and not _specific(actor.description, self.lex.determiners))

    def _negated(self, sc: SentenceCues, s: int) -> bool:
        violations = [(vs, ve) for label, vs, ve in sc.cues if label == "violation"]
        return any(label == "negation" and ce <= s and s - ce <= self.negation_window
                   and not any(vs <= cs < ve for vs, ve in violations)      # "tidak netral dengan ...": a breach
                   for label, cs, ce in sc.cues)


PRONOUNS = {"ia", "beliau", "dia", "bersangkutan"}


def _pronoun_before(lowers: list[str], sent_start: int, s: int) -> int | None:
    """The last third-person subject pronoun before the mention ("ia", "beliau", "yang bersangkutan"),
    not a speaker's ("kata dia")."""
    for i in range(s - 1, sent_start - 1, -1):
        w = lowers[i]
        if w in PRONOUNS and not (i > 0 and lowers[i - 1] in SAID_BEFORE):
            if w == "bersangkutan" and not (i > 0 and lowers[i - 1] == "yang"):
                continue
            return i
    return None


DEFINITE_BEFORE = {"sang", "si"}
DEFINITE_AFTER = {"tersebut", "itu", "bersangkutan"}


def _definite(lowers: list[str], actor: Actor) -> bool:
    """A role mention that points back at someone ("sang kades", "kepala desa tersebut", "camat itu")."""
    before = lowers[actor.start - 1] if actor.start > 0 else ""
    after = lowers[actor.end] if actor.end < len(lowers) else ""
    return before in DEFINITE_BEFORE or after in DEFINITE_AFTER


def _title_holder(table: TokenTable, officials, actor: Actor) -> str | None:
    """The one official named before the mention whose title holds its words ("kades" -> "Kepala Desa
    Sukamaju, Budi Santoso"); None when no one or several do."""
    words = _title_words(table.lowers[actor.start:actor.end])
    names = {o.name for o in officials if o.name_start < actor.start
             and words and words <= _title_words(table.lowers[o.title_start:o.title_end])}
    return next(iter(names)) if len(names) == 1 else None


def _title_words(lowers: list[str]) -> set[str]:
    out: set[str] = set()
    for w in lowers:
        out.update(SHORT_TITLES.get(w, (w,)))
    return out - PLACE_AND_FILLER


def _passive_agent(lowers: list[str], in_sent: list[Actor], s: int, e: int) -> Actor | None:
    """The agent of a passive verb in the mention: the actor after "oleh" ("diminta KTP oleh Babinsa") or
    right after the di- verb ("ditekan oknum Babinsa"), past count words."""
    for p in range(s, min(e + 3, len(lowers))):
        if lowers[p] == "oleh" or p < e and _di_passive(lowers[p]):
            i = p + 1
            while i < len(lowers) and i - p <= 3 and (lowers[i] in ("oleh", "oknum") or lowers[i] in COUNT_WORDS):
                i += 1
            agent = next((a for a in in_sent if a.start == i), None)
            if agent is not None or lowers[p] == "oleh":
                return agent
    return None


def _agent_of_passive(lowers: list[str], start: int) -> bool:
    """The actor is the agent of a passive verb before it ("diamankan aparat kepolisian", "dilaporkan oleh
    Panwascam")."""
    k = start - 1
    while k > 0 and start - k <= 3 and (lowers[k] in AGENT_WORDS or lowers[k] in COUNT_WORDS):
        if lowers[k] == "oleh":
            return True
        k -= 1
    return k >= 0 and _di_passive(lowers[k])


AGENT_WORDS = {"oleh", "aparat", "petugas", "pihak", "oknum", "tim", "jajaran"}


def _di_passive(word: str) -> bool:
    """A di- passive verb (ditekan, diintimidasi, dipaksa), not a hedge (diduga) or "dirinya"."""
    return len(word) >= 6 and word.startswith("di") and word not in NOT_PASSIVE


NOT_PASSIVE = {"dirinya", "diduga", "disebut", "dikabarkan", "dilaporkan", "diketahui", "dinilai", "dianggap",
               "diminta", "dilarang", "diimbau", "dihimbau", "diingatkan", "diharapkan", "diantaranya", "disinyalir"}
OWNERS = {"pemkab": "ASN", "pemkot": "ASN", "pemprov": "ASN", "pemda": "ASN", "setda": "ASN", "pemdes": "KADES",
          "pemerintah kabupaten": "ASN", "pemerintah kota": "ASN", "pemerintah provinsi": "ASN",
          "pemerintah daerah": "ASN", "pemerintah desa": "KADES"}


OWNED_AFTER = {"milik", "punya", "kepunyaan", "dinas", "operasional"}


def _owner_at(lowers: list[str], i: int) -> int:
    """A government body named as the owner of state property ("mobil dinas milik Pemkab", "kendaraan
    operasional Pemprov"): the length of its name at i, else 0."""
    if i == 0 or lowers[i - 1] not in OWNED_AFTER:
        return 0
    for length in (2, 1):
        if " ".join(lowers[i:i + length]) in OWNERS:
            return length
    return 0


def _object_of(lowers: list[str], start: int) -> bool:
    """An actor after an object marker ("kepada salah satu calon", "dengan para caleg"): not the one acting."""
    k = start - 1
    while k > 0 and start - k <= 3 and lowers[k] in COUNT_WORDS:
        k -= 1
    return k >= 0 and lowers[k] in OBJECT_MARKERS


def _initials(text: str) -> bool:
    """'RR', 'AM', 'Su', 'M.S.': the initials a report gives instead of a name."""
    letters = text.replace(".", "")
    return 1 <= len(letters) <= 4 and letters.isalpha() and letters[0].isupper()


def _passive(word: str) -> bool:
    """A passive verb (ditemukan, tertangkap basah): the actor after it is its agent."""
    return word in ("basah", "tangan") or len(word) >= 6 and word.startswith(("di", "ter")) and word not in ("dirinya",)


def _after_transitive(lowers: list[str], start: int) -> bool:
    """An actor right after an active transitive verb (mengumpulkan para kader, mengajak warga): its object."""
    k = start - 1
    while k > 0 and start - k <= 3 and lowers[k] in COUNT_WORDS:
        k -= 1
    word = lowers[k] if k >= 0 else ""
    return len(word) >= 6 and word.startswith("me") and (word.endswith(("kan", "i")) or word in TRANSITIVE)


def _specific(description: str, determiners: frozenset) -> bool:
    words = description.lower().split()
    return bool(words) and (words[0] in determiners and words[0] not in ("para", "seluruh", "setiap")
                            or words[0].isdigit() or any(w in ("itu", "tersebut") for w in words))


def _all_official_mentions(doc: Doc, table: TokenTable, officials, lex) -> list[tuple[int, int, str, str | None]]:
    """Token positions where a known official is named (full or short form), with the role their title holds."""
    out: list[tuple[int, int, str, str | None]] = []
    if not officials:
        return out
    roles = doc.spans.get(ROLES_KEY, [])
    first_words: dict[str, tuple[str, str | None]] = {}
    for o in officials:
        code = next((r.label_ for r in roles if r.start >= o.title_start and r.end <= o.title_end), None)
        if code is None:
            lowers = table.lowers[o.title_start:o.title_end]
            code = next((lex.bound_titles[" ".join(lowers[i:i + n])] for i in range(len(lowers))
                         for n in [match_phrase(lex.bound_title_index, lowers, i)] if n), None)
        out.append((o.name_start, o.name_end, o.name, code))
        for w in o.name.split():
            if len(w) > 2:
                first_words.setdefault(w.lower(), (o.name, code))
    taken = {i for o in out for i in range(o[0], o[1])}
    for i, low in enumerate(table.lowers):
        if i not in taken and low in first_words and table.texts[i][:1].isupper():
            name, code = first_words[low]
            out.append((i, i + 1, name, code))
    return out


def _flag(doc: Doc, table: TokenTable, sent: tuple[int, int], category: str, modality: str, actor: Actor) -> Flag:
    start = table.starts[sent[0]]
    end = table.starts[sent[1] - 1] + len(table.texts[sent[1] - 1])
    text = table.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    subject = actor.code if not actor.person else f"{actor.code}: {actor.person}" if actor.code else actor.person
    return Flag(category, modality, text[start:end], start, end, subject)


for _name in ("pantau_flags", "pantau_cues", "pantau_actors", "pantau_official_codes"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("pantau_breaches", default_config={
    "breaches_file": "breaches.toml", "modality_file": "modality.toml", "titles_file": "titles.toml",
    "actors_file": "actors.toml", "places_file": "places.toml", "hypothetical_window": 3, "negation_window": 2,
    "right_window": 10})
def make_breaches(nlp: Language, name: str, breaches_file: str, modality_file: str, titles_file: str,
                  actors_file: str, places_file: str, hypothetical_window: int, negation_window: int,
                  right_window: int) -> BreachFinder:
    return BreachFinder(nlp, breaches_file, modality_file, titles_file, actors_file, places_file,
                        hypothetical_window, negation_window, right_window)
