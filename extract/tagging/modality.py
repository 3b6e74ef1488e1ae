"""`pantau_modality`: a learned reading of each breach sentence: alleged, sanction, prohibition, denied, none.

The rules of `pantau_breaches` find the breach mentions (trigger, category, actor) and propose a modality
from the nearest cue; how a sentence is meant depends on wording that varies without end ("belum ada
temuan", "diberi sanksi teguran", "jangan sampai ikut kampanye"), so a small model over hashed features
(the sentence's words and word pairs, the words around the trigger, the cues and where they stand, the
rules' own proposal, the actor) makes the decision. Its model file is trained by `python -m
lab.train_tagger` (lab/tagging/train.cfg) and holds no text. Without the file the rules decide.

Result: doc._.pantau_flags rewritten (sanction sentences count as alleged breaches: a breach found),
doc._.pantau_sentence_kinds {sentence index: kind} for the article reading.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.tagging.learned import load_model
from extract.tagging.tokens import TokenTable, token_table

KINDS = ("alleged", "sanction", "prohibition", "denied", "none")
TO_MODALITY = {"alleged": "alleged", "sanction": "alleged", "prohibition": "prohibition", "denied": "denied"}
RULE_KIND = {"alleged": "alleged", "prohibition": "prohibition", "denied": "denied"}
WINDOW = 3
ARTICLE_CUES = ("verdict", "process", "dismissed", "tally")     # cue families only the article type reads


def _alpha(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def sentence_features(table: TokenTable, cues, sent: tuple[int, int], trigger: tuple[int, int] | None = None,
                      category: str = "", rule: str = "", actor=None) -> list[str]:
    """What the model sees of one breach sentence (strings, hashed by the model)."""
    lowers = table.lowers
    s0, s1 = sent
    words = [w for w in lowers[s0:s1] if _alpha(w)]
    out = ["w=" + w for w in words]
    out += ["b=" + a + "_" + b for a, b in zip(words, words[1:])]
    if trigger is not None:
        ts, te = trigger
        left = [w for w in lowers[max(s0, ts - 8):ts] if _alpha(w)][-WINDOW:]
        right = [w for w in lowers[te:min(s1, te + 8)] if _alpha(w)][:WINDOW]
        out += [f"L{len(left) - k}={w}" for k, w in enumerate(left)]
        out += [f"R{k + 1}={w}" for k, w in enumerate(right)]
        out += ["near=" + w for w in left + right]
    for label, cs, ce in cues:
        if label in ARTICLE_CUES:
            continue
        side = "in" if trigger is None else "before" if ce <= trigger[0] else "after" if cs >= trigger[1] else "in"
        out += ["cue=" + label, f"cue_{side}={label}"]
    if rule:
        out.append("rule=" + rule)
        out.append(f"rule={rule}&cat={category}")
    if category:
        out.append("cat=" + category)
    if actor is not None:
        out.append("actor=" + (actor.code or "unbound"))
        out.append("actor_named" if actor.person else "actor_unnamed")
        if actor.description:
            out.append("actor_first=" + actor.description.split()[0].lower())
    if s0 == 0:
        out.append("first_sentence")
    return out


def candidate_features(doc: Doc, candidate) -> list[str]:
    table = token_table(doc)
    sc = doc._.pantau_cues[candidate.sent_index]
    return sentence_features(table, sc.cues, table.sents[candidate.sent_index], candidate.trigger,
                             candidate.flag.category, candidate.flag.modality, candidate.actor)


class ModalityReader:
    def __init__(self, model_file: str, confidence: float):
        self.model = load_model(model_file) if model_file else None
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        candidates = doc._.pantau_candidates or []
        kinds: dict[int, str] = {}
        if self.model is None:
            doc._.pantau_sentence_kinds = {f.sent_index: f.flag.modality for f in doc._.pantau_flags or []}
            return doc
        flags = []
        for c in candidates:
            proba = self.model.proba(candidate_features(doc, c))
            kind = max(proba, key=proba.get)
            if proba[kind] < self.confidence:             # unsure: the rules' reading stands
                kind = RULE_KIND.get(c.flag.modality, "none")
            if kind == "sanction" or kinds.get(c.sent_index) != "sanction":
                kinds[c.sent_index] = kind
            if kind in TO_MODALITY:
                c.flag.modality = TO_MODALITY[kind]
                c.kind = kind
                flags.append(c)
        doc._.pantau_flags = flags
        doc._.pantau_sentence_kinds = kinds
        return doc


for _name in ("pantau_candidates", "pantau_sentence_kinds"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("pantau_modality", default_config={"model_file": "modality.npz", "confidence": 0.0})
def make_modality(nlp: Language, name: str, model_file: str, confidence: float) -> ModalityReader:
    return ModalityReader(model_file, confidence)
