"""Score an NER pipeline on CoNLL sentences: precision, recall and F1 per type (exact spans), and words/s."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc
from spacy.training import Example

from lab.ner.conll import Sentence


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    support: int        # gold entities


@dataclass
class NerReport:
    per_type: dict[str, Score]
    overall: Score
    sentences: int
    words: int
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else float("nan")

    def as_dict(self) -> dict:
        def row(s: Score) -> dict:
            return {"p": round(s.precision, 4), "r": round(s.recall, 4), "f1": round(s.f1, 4), "support": s.support}
        return {"files": self.files, "sentences": self.sentences, "words": self.words,
                "words_per_second": round(self.words_per_second), "overall": row(self.overall),
                "per_type": {k: row(v) for k, v in self.per_type.items()}}


def score_docs(gold: list[Doc], predicted: list[Doc]) -> NerReport:
    """Exact-span P/R/F1 of `predicted` entities against `gold` (docs paired in order; tokens may differ)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predicted documents for {len(gold)} gold ones")
    examples = [Example(p, g) for p, g in zip(predicted, gold)]
    prf = get_ner_prf(examples)
    support = Counter(ent.label_ for doc in gold for ent in doc.ents)
    per_type = {label: Score(v["p"], v["r"], v["f"], support.get(label, 0))
                for label, v in sorted((prf["ents_per_type"] or {}).items())}
    overall = Score(prf["ents_p"] or 0.0, prf["ents_r"] or 0.0, prf["ents_f"] or 0.0, sum(support.values()))
    return NerReport(per_type, overall, sentences=len(gold), words=sum(len(d) for d in gold))


def evaluate(nlp: Language, sentences: list[Sentence], *, tokens: str = "gold", batch_size: int = 256) -> NerReport:
    """Run `nlp` over the sentences and score it. tokens="gold" keeps the file's tokens (the usual CoNLL
    figure); "spacy" tokenizes the running text with the pipeline's own tokenizer (what articles get)."""
    if tokens not in ("gold", "spacy"):
        raise ValueError(f"tokens must be 'gold' or 'spacy', not {tokens!r}")
    gold = [s.to_doc(nlp.vocab) for s in sentences]
    start = time.perf_counter()
    if tokens == "gold":
        inputs = [Doc(nlp.vocab, words=s.words, spaces=s.spaces) for s in sentences]
        predicted = list(nlp.pipe(inputs, batch_size=batch_size))
    else:
        predicted = list(nlp.pipe((s.text for s in sentences), batch_size=batch_size))
    seconds = time.perf_counter() - start
    report = score_docs(gold, predicted)
    report.seconds = seconds
    return report
