"""`pantau_article`: the article-level reading, as doc._.pantau_tags (a Tags).

relevant      the article is about neutrality: a breach mention about a bound actor, or talk of neutrality
              in enough of its sentences.
article_type  sanction (a penalty imposed), allegation (a specific case suspected, reported or examined),
              advisory (rules, appeals, warnings), other. Cases quoted from an earlier election are
              background: an appeal that recalls last year's cases stays an advisory. The headline and
              the lead weigh double.
accused       who the alleged breaches and cases are about (extract.tagging.accused).
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from extract.tagging.accused import SUPERVISORS, accused_of
from extract.tagging.learned import load_model
from extract.tagging.model import Flag, Mention, Official, Tags
from extract.tagging.persons import SPANS_KEY as NER_KEY
from extract.tagging.roles import SPANS_KEY as ROLES_KEY
from extract.tagging.tokens import token_table

ARTICLE_SENTENCES = 3          # from this many sentences a text is an article whose type governs its flags
YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


class ArticleReader:
    def __init__(self, lead_sentences: int, min_neutral_sentences: int, min_neutral_share: float,
                 type_model_file: str = "", type_confidence: float = 0.0):
        self.lead = lead_sentences
        self.min_neutral = min_neutral_sentences
        self.min_share = min_neutral_share
        self.type_model = load_model(type_model_file) if type_model_file else None
        self.type_confidence = type_confidence
        self.collect = False            # keep the article-type features on the doc (for training)

    def __call__(self, doc: Doc) -> Doc:
        flags = doc._.pantau_flags or []
        cues = doc._.pantau_cues or []
        actors = doc._.pantau_actors or []
        roles = doc.spans.get(ROLES_KEY, [])
        bylines = doc._.pantau_bylines or []
        in_byline = set(i for s, e in bylines for i in range(s, e))
        mentions = [Mention(s.label_, s.text, s.start_char, s.end_char) for s in roles if s.start not in in_byline]
        mentions += [Mention(s.label_, s.text, s.start_char, s.end_char) for s in doc.spans.get(NER_KEY, [])
                     if s.start not in in_byline]
        mentions.sort(key=lambda m: (m.start, m.label))
        officials = [Official(o.name, o.title) for o in doc._.pantau_officials or []]
        role_codes = sorted({s.label_ for s in roles if s.start not in in_byline})

        latest_year = max((int(y) for y in YEAR.findall(token_table(doc).text)), default=0)   # doc.text, cached
        background = [self._background(doc, sc, latest_year) for sc in cues]
        weight = [2 if k < self.lead else 1 for k in range(len(cues))]
        bound = [any(a.code for a in actors[k]) if k < len(actors) else False for k in range(len(cues))]

        alleged_sents = {f.sent_index for f in flags if f.flag.modality == "alleged" and not background[f.sent_index]}
        prohibited_sents = {f.sent_index for f in flags if f.flag.modality == "prohibition"}
        cases: set[int] = set(alleged_sents)
        sanctions: set[int] = set()
        advisories: set[int] = set(prohibited_sents)
        neutral = 0
        for k, sc in enumerate(cues):
            near_bound = bound[k] or (k > 0 and bound[k - 1])
            if sc.has("neutrality") and near_bound:
                neutral += 1
            realis = sc.has("alleged") and not any(self._hypothetical_before(sc, c[1]) for c in sc.of("alleged"))
            if near_bound and not background[k] and sc.has("violation") and realis:
                cases.add(k)
            if near_bound and not background[k] and self._imposed(doc, sc) and (
                    sc.has("violation") or k in alleged_sents or sc.has("neutrality")
                    or _penalised(sc, actors[k] if k < len(actors) else [])):
                sanctions.add(k)
            if sc.has("advisory") and (sc.has("neutrality") or k in prohibited_sents):
                advisories.add(k)

        relevant = bool(flags and (neutral or len(flags) >= 2)) or bool(cases or sanctions) or (
            neutral >= self.min_neutral or (cues and neutral / len(cues) >= self.min_share and neutral >= 2))
        relevant = relevant and bool(role_codes or flags)
        score_case = sum(weight[k] for k in cases)
        score_sanction = sum(weight[k] for k in sanctions)
        score_advice = sum(weight[k] for k in advisories)
        if not relevant:
            kind = "other"
        elif sanctions and (min(sanctions) < self.lead or score_sanction * 2 >= score_case):
            kind = "sanction"
        elif score_case and (any(k < self.lead for k in cases) or score_case >= score_advice):
            kind = "allegation"
        else:
            kind = "advisory"
        if self.type_model is not None or self.collect:
            features = article_features(doc, relevant, cases, sanctions, advisories, neutral, self.lead,
                                        background)
            doc._.pantau_article_features = features if self.collect else None
            if self.type_model is not None:
                proba = self.type_model.proba(features)
                best = max(proba, key=proba.get)
                if proba[best] >= self.type_confidence:     # else the rules' reading stands
                    kind, relevant = best, best != "other"
        codes = doc._.pantau_official_codes or {}
        titled = {o.name: (codes.get(o.name), o.title) for o in doc._.pantau_officials or []}
        accused = accused_of(flags, cues, actors, cases | sanctions, background, titled, doc=doc) \
            if kind in ("allegation", "sanction") else []
        tagged = _consistent(kind, [f.flag for f in flags], cues)
        tagged += _unnamed_breach(doc, kind, tagged, cues, actors, (cases | sanctions) - {
            k for k, b in enumerate(background) if b})
        doc._.pantau_tags = Tags(relevant=relevant, article_type=kind, roles=role_codes, officials=officials,
                                 flags=tagged, mentions=mentions, accused=accused)
        return doc

    @staticmethod
    def _hypothetical_before(sc, start: int) -> bool:
        return any(label in ("hypothetical", "conditional") and cs < start and (label == "conditional" or start - ce <= 3)
                   for label, cs, ce in sc.cues)

    def _imposed(self, doc: Doc, sc) -> bool:
        """A penalty actually imposed in this sentence (not recommended, threatened or conditional)."""
        for _, cs, ce in sc.of("sanction"):
            if any(label in ("hypothetical", "conditional") and c_start < cs for label, c_start, _ in sc.cues):
                continue
            if any(doc[i].lower_ in ("rekomendasi", "merekomendasikan", "usulan", "mengusulkan", "ancaman", "terancam")
                   for i in range(max(sc.start, cs - 3), cs)):
                continue
            return True
        return False

    @staticmethod
    def _background(doc: Doc, sc, latest_year: int) -> bool:
        text = doc[sc.start:sc.end].text
        years = [int(y) for y in YEAR.findall(text)]
        return sc.has("background") or bool(years and latest_year and max(years) < latest_year)


def _consistent(kind: str, flags: list[Flag], cues) -> list[Flag]:
    """Flags that agree with the article type (the annotation policy: an advisory alleges no breach, an
    article not about neutrality has none). In an advisory an alleged reading is a dropped or denied case when
    the article denies or dismisses, else a rule it repeats. A text of one or two sentences keeps its flags
    (too short for the article type to speak for it)."""
    if kind == "other" and len(cues) >= ARTICLE_SENTENCES:
        return []
    if kind == "advisory":
        reading = "denied" if any(sc.has("denied") or sc.has("dismissed") for sc in cues) else "prohibition"
        return [replace(f, modality=reading) if f.modality == "alleged" else f for f in flags]
    return flags


def _unnamed_breach(doc: Doc, kind: str, flags: list[Flag], cues, actors, found: set[int]) -> list[Flag]:
    """A case or ruling about "tidak netral" with no act the categories name: breach `other` (the policy)."""
    if kind not in ("allegation", "sanction") or any(f.modality == "alleged" for f in flags):
        return []
    for k in sorted(found):
        sc = cues[k]
        bound = next((a for a in (actors[k] if k < len(actors) else []) if a.code), None)
        if sc.has("violation") and bound is not None:
            span = doc[sc.start:sc.end]
            subject = f"{bound.code}: {bound.person}" if bound.person else bound.code
            return [Flag("other", "alleged", span.text.strip(), span.start_char, span.end_char, subject)]
    return []


def _penalised(sc, actors) -> bool:
    """A penalty cue followed by the bound actor who receives it ("menjatuhkan sanksi ... kepada Ketua KPU")."""
    marks = [c[1] for c in sc.of("sanction")]
    return bool(marks) and any(a.code and a.code not in SUPERVISORS and a.start > marks[0] for a in actors)


def _count(n: int, top: int = 3) -> str:
    return str(min(n, top))


def article_features(doc: Doc, relevant: bool, cases: set[int], sanctions: set[int],
                     advisories: set[int], neutral: int, lead: int, background: list[bool]) -> list[str]:
    """What the article-type model sees: the evidence the rules count (not their verdict, which was written
    from the development articles), the learned sentence kinds, cue families and where they stand, and what
    the article is made of. No words of the headline: cross-validation says they are memorised, not learned."""
    cues = doc._.pantau_cues or []
    kinds = doc._.pantau_sentence_kinds or {}
    out = [f"relevant={relevant}", "cases=" + _count(len(cases)),
           "sanctions=" + _count(len(sanctions)), "advisories=" + _count(len(advisories)),
           "neutral=" + _count(neutral, 4)]
    out += [f"{name}_lead" for name, sents in (("case", cases), ("sanction", sanctions), ("advice", advisories))
            if any(k < lead for k in sents)]
    for kind in ("alleged", "sanction", "prohibition", "denied"):
        found = [k for k, v in kinds.items() if v == kind and not background[k]]
        out.append(f"kind_{kind}=" + _count(len(found)))
        if any(k < lead for k in found):
            out.append(f"kind_{kind}_lead")
    totals: dict[str, int] = {}
    for k, sc in enumerate(cues):
        for label in {c[0] for c in sc.cues}:
            totals[label] = totals.get(label, 0) + 1
            if k == 0:
                out.append("hcue=" + label)
    out += [f"cues_{label}=" + _count(n, 4) for label, n in totals.items()]
    out += summary_features(doc, cues, kinds, lead, background)
    return out


def summary_features(doc: Doc, cues, kinds: dict, lead: int, background: list[bool]) -> list[str]:
    """What the article is made of rather than its words: roles present, who the breach mentions are about
    (a bound actor, named or not), the headline's and the lead's sentence kinds and cues, the article's length."""
    out = []
    roles = doc.spans.get(ROLES_KEY, [])
    codes = {s.label_ for s in roles}
    out += ["role=" + c for c in sorted(codes)]
    out.append("roles_n=" + _count(len(codes), 4))
    flags = doc._.pantau_flags or []
    for f in flags:
        a = f.actor
        who = "none" if a is None else ("named" if a.person else "bound" if a.code else "unbound")
        lead_mark = "_lead" if f.sent_index < lead else ""
        out.append(f"flag_{f.flag.modality}_{who}{lead_mark}")
        out.append(f"flagcat_{f.flag.modality}_{f.flag.category}")
        if background[f.sent_index]:
            out.append("flag_background")
    out.append("flags_n=" + _count(len(flags), 4))
    out.append("hkind=" + kinds.get(0, "nothing"))
    out += [f"lkind={kinds[k]}" for k in range(1, lead) if k in kinds]
    for k, sc in enumerate(cues[1:lead], start=1):
        out += ["lcue=" + label for label in {c[0] for c in sc.cues}]
    n = len(cues)
    out.append("length=" + ("short" if n < 8 else "medium" if n < 20 else "long"))
    out += shape_features(doc, cues, kinds, lead, background)
    return out


# the cue families whose place and company in the article tell the types apart
SHAPE_CUES = ("alleged", "sanction", "verdict", "process", "dismissed", "tally", "denied", "prohibition", "advisory",
              "violation", "neutrality", "hypothetical", "conditional")


def shape_features(doc: Doc, cues, kinds: dict, lead: int, background: list[bool]) -> list[str]:
    """Where each cue family stands (headline, lead, body), whether a bound actor is near it, which families
    share a sentence, and which sentence kind the body is mostly made of."""
    actors = doc._.pantau_actors or []
    out: set[str] = set()
    for k, sc in enumerate(cues):
        pos = "head" if k == 0 else "lead" if k < lead else "body"
        near = any(a.code for a in actors[k]) if k < len(actors) else False
        labels = sorted({c[0] for c in sc.cues if c[0] in SHAPE_CUES})
        past = "_past" if background[k] else ""
        for label in labels:
            out.add(f"pc:{pos}&{label}{past}")
            if near:
                out.add(f"pb:{pos}&{label}{past}")
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                out.add(f"pair={a}+{b}")
        if k >= lead and k in kinds:
            out.add("bkind=" + kinds[k])
    counts: dict[str, int] = {}
    for k, v in kinds.items():
        if not background[k]:
            counts[v] = counts.get(v, 0) + 1
    if counts:
        top = max(sorted(counts), key=counts.get)
        out.add("dom=" + top)
    return sorted(out)


for _name in ("pantau_tags", "pantau_article_features"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("pantau_article", default_config={"lead_sentences": 3, "min_neutral_sentences": 3,
                                                    "min_neutral_share": 0.2, "type_model_file": "article_type.npz",
                                                    "type_confidence": 0.0})
def make_article(nlp: Language, name: str, lead_sentences: int, min_neutral_sentences: int,
                 min_neutral_share: float, type_model_file: str, type_confidence: float) -> ArticleReader:
    return ArticleReader(lead_sentences, min_neutral_sentences, min_neutral_share, type_model_file, type_confidence)
