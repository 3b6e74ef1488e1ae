"""The full-text query language of `pantau query`, translated to SQLite FTS5 and to PostgreSQL tsquery.

One small syntax, the same results on both backends:
  kampanye camat          both words (AND)
  "salam dua jari"        a phrase
  kampanye*               a prefix (kampanye, kampanyekan, ...)
  camat OR lurah          either word (OR binds tighter than the implicit AND)
  -sosialisasi            not this word (also NOT sosialisasi)
Words are split on anything that is not a letter or digit ("bagi-bagi" is the phrase "bagi bagi"),
case and accents do not matter. The rendered query reaches SQL only as a bound parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r'\s*(?:(?P<neg>-)?"(?P<phrase>[^"]*)(?P<close>")?|(?P<word>[^\s"]+))')
_WORD_PART = re.compile(r"[^\W_]+")

# On PostgreSQL: a generated column (migration 0002) holding to_tsvector('simple', title + text) with
# punctuation folded to spaces, so that its words are those of SQLite FTS5's unicode61 tokenizer.
PG_TSVECTOR = "article.search_vector"


class SearchSyntaxError(ValueError):
    """The full-text query cannot be read; the message says where and how to fix it."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]       # one word, or the words of a phrase
    prefix: bool = False         # the last word is a prefix

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        lexemes = [f"'{w}'" for w in self.words]
        if self.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"

    def pattern(self) -> str:
        """A regular expression finding this term in text (for highlighting)."""
        parts = [re.escape(w) for w in self.words]
        body = r"[\W_]+".join(parts) + (r"[^\W_]*" if self.prefix else "")
        return r"(?<![^\W_])" + body + (r"" if self.prefix else r"(?![^\W_])")


@dataclass
class SearchQuery:
    groups: list[list[Term]] = field(default_factory=list)   # AND of ORs
    excluded: list[Term] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]

    def fts5(self) -> str:
        expr = " AND ".join("(" + " OR ".join(t.fts5() for t in g) + ")" for g in self.groups)
        for term in self.excluded:
            expr = f"({expr}) NOT {term.fts5()}"
        return expr

    def tsquery(self) -> str:
        expr = " & ".join("(" + " | ".join(t.tsquery() for t in g) + ")" for g in self.groups)
        for term in self.excluded:
            expr += f" & !{term.tsquery()}"
        return expr

    def highlighter(self) -> re.Pattern | None:
        terms = sorted(self.terms, key=lambda t: -sum(map(len, t.words)))
        return re.compile("|".join(t.pattern() for t in terms), re.I) if terms else None


def parse_search(text: str) -> SearchQuery:
    """Read the query language above; raise SearchSyntaxError with a hint on anything unreadable."""
    if not text or not text.strip():
        raise SearchSyntaxError("empty search: give at least one word")
    if "(" in text or ")" in text:
        raise SearchSyntaxError("parentheses are not supported: write alternatives with OR "
                                "(camat OR lurah kampanye means (camat OR lurah) AND kampanye)")
    query = SearchQuery()
    pending_or = False
    negate_next = False
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m.group("phrase") is not None:
            if m.group("close") is None:
                raise SearchSyntaxError(f'unclosed quote at character {m.start("phrase")}: close the phrase with "')
            term = _term(m.group("phrase"), prefix=False)
            negated = bool(m.group("neg")) or negate_next
        else:
            word = m.group("word")
            if word == "OR":
                if not query.groups or pending_or or negate_next:
                    raise SearchSyntaxError("OR needs a word on each side")
                pending_or = True
                continue
            if word == "AND":
                continue
            if word == "NOT":
                negate_next = True
                continue
            negated = negate_next
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            prefix = word.endswith("*")
            term = _term(word.rstrip("*"), prefix=prefix)
        negate_next = False
        if term is None:
            continue
        if negated:
            if pending_or:
                raise SearchSyntaxError("OR cannot be followed by an excluded word")
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    if pending_or or negate_next:
        raise SearchSyntaxError("the search ends with an operator (OR/NOT): add the word it applies to")
    if not query.groups:
        raise SearchSyntaxError("the search needs at least one word that is not excluded")
    return query


def _term(raw: str, *, prefix: bool) -> Term | None:
    words = tuple(w.lower() for w in _WORD_PART.findall(raw))
    if not words:
        return None
    if prefix and len(words[-1]) < 2:
        raise SearchSyntaxError(f"prefix {raw!r}* is too short: give at least two letters before *")
    return Term(words, prefix)


def highlight_spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
