"""Pantau's own annotated domain sentences: templates in domain_sentences.txt filled from domain_lexicon.json."""
from __future__ import annotations

import json
import random
import re
from importlib import resources

from lab.ner.conll import Sentence

_ENTITY = re.compile(r"\[([^\]]+)\]\((PER|ORG|LOC)\)")
_SLOT = re.compile(r"\{([a-z_]+?)(\d?)\}")


def templates() -> list[str]:
    text = resources.files("lab.ner").joinpath("domain_sentences.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def lexicon() -> dict[str, list[str]]:
    data = json.loads(resources.files("lab.ner").joinpath("domain_lexicon.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def fill(template: str, lex: dict[str, list[str]], rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """One sentence from a template: its text and its entities as (start char, end char, label)."""
    chosen: dict[str, str] = {}

    def draw(name: str) -> str:
        if name == "person":
            return rng.choice(lex["given"]) + (f" {rng.choice(lex['family'])}" if rng.random() < 0.7 else "")
        if name not in lex:
            raise ValueError(f"domain_sentences.txt: unknown slot {{{name}}} in {template!r}")
        return rng.choice(lex[name])

    def value(match: re.Match) -> str:
        key = match.group(0)
        if key not in chosen:
            v = draw(match.group(1))
            for _ in range(10):          # {person} and {person2} are different people
                if not v or v not in chosen.values():
                    break
                v = draw(match.group(1))
            chosen[key] = v
        return chosen[key]

    text, entities, pos = "", [], 0
    for m in _ENTITY.finditer(template):
        text += _SLOT.sub(value, template[pos:m.start()])
        inner = _SLOT.sub(value, m.group(1))
        entities.append((len(text), len(text) + len(inner), m.group(2)))
        text += inner
        pos = m.end()
    text += _SLOT.sub(value, template[pos:])
    return text, entities


def domain_sentences(seed: int = 0, per_template: int = 6) -> list[Sentence]:
    """`per_template` filled variants of every template, tokenized like articles (blank("id") + abbreviations)."""
    import spacy

    from extract.ner.tokenizer import add_abbreviations

    nlp = add_abbreviations(spacy.blank("id"))
    rng = random.Random(seed)
    lex = lexicon()
    out: list[Sentence] = []
    for template in templates():
        for _ in range(per_template):
            text, entities = fill(template, lex, rng)
            doc = nlp.make_doc(text)
            spans = [doc.char_span(s, e, label=label) for s, e, label in entities]
            if any(span is None for span in spans):
                raise ValueError(f"domain_sentences.txt: entity not on token boundaries in {text!r}")
            tags = ["O"] * len(doc)
            for span in spans:
                tags[span.start] = f"B-{span.label_}"
                for i in range(span.start + 1, span.end):
                    tags[i] = f"I-{span.label_}"
            out.append(Sentence([t.text for t in doc], tags, [bool(t.whitespace_) for t in doc]))
    return out
