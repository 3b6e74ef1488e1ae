"""Filters checked against the database: values that must name something stored (outlet, region, official)
are matched case-insensitively, and a value that matches nothing is a FilterError with suggestions."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.filters import FilterError, Filters
from store.names import matching_official_ids
from store.tables import ARTICLE


@dataclass
class Resolved:
    """Filters checked against the database: stored spellings and official ids."""
    filters: Filters
    dialect: str
    outlets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    regencies: list[str] = field(default_factory=list)
    official_ids: list[int] = field(default_factory=list)


def resolve(session: Session, filters: Filters) -> Resolved:
    filters = filters.normalised()
    dialect = session.get_bind().dialect.name
    res = Resolved(filters, dialect)
    if filters.outlets:
        outlets = _stored_values(session, ARTICLE.c.outlet)
        sources = _stored_values(session, ARTICLE.c.source)
        for value in filters.outlets:
            hit_o, hit_s = _same(value, outlets), _same(value, sources)
            if not hit_o and not hit_s:
                raise FilterError(_unknown("outlet", value, outlets + sources))
            res.outlets += hit_o
            res.sources += hit_s
    for name, wanted, column, target in (("province", filters.provinces, ARTICLE.c.province, res.provinces),
                                         ("regency", filters.regencies, ARTICLE.c.regency, res.regencies)):
        if wanted:
            known = _stored_values(session, column)
            for value in wanted:
                hit = _same(value, known)
                if not hit:
                    raise FilterError(_unknown(name, value, known))
                target += hit
    if filters.official:
        res.official_ids = matching_official_ids(session, filters.official)
        if not res.official_ids:
            raise FilterError(f"no official named {filters.official!r} in stored articles "
                              "(try part of the name, or `pantau officials` to list them)")
    return res


def _stored_values(session: Session, column) -> list[str]:
    """The distinct values of an indexed article column, one index probe each (a loose index scan):
    a few provinces or outlets among 100,000 articles, without reading them all."""
    table = column.table
    step = table.alias("next_value")
    values = select(func.min(column).label("value")).cte("stored_values", recursive=True)
    after = select(func.min(step.c[column.name])).where(step.c[column.name] > values.c.value).scalar_subquery()
    values = values.union_all(select(after).where(values.c.value.isnot(None)))
    return list(session.execute(select(values.c.value).where(values.c.value.isnot(None))).scalars())


def _fold(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


def _same(value: str, known: list[str]) -> list[str]:
    return [k for k in known if _fold(k) == _fold(value)]


def _unknown(what: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    close += [k for k in known if _fold(value) in _fold(k) and k not in close][:3]
    hint = f"; did you mean: {', '.join(close)}" if close else ("" if known else " (nothing stored yet)")
    return f"no stored article has {what} {value!r}{hint}"
