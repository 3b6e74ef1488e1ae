"""What the queue, lists, dashboard and API take as filters: the options of `pantau query`, as query
parameters, turned into store.filters.Filters (the one place that knows their meaning)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

from store.date_bounds import parse_when
from store.filters import FilterError, Filters

ListParam = Annotated[list[str] | None, Query(max_length=200)]
TextParam = Annotated[str | None, Query(max_length=500)]
NAMES = ("text", "role", "category", "modality", "type", "province", "regency", "outlet", "official",
         "since", "until", "status")


def _many(values: list[str] | None) -> list[str]:
    """Repeated parameters and comma lists alike: ?role=KADES&role=ASN or ?role=KADES,ASN."""
    out = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def _clean(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if "\x00" in value:
        raise FilterError("a filter value holds a NUL character: remove it")
    return value.strip()


@dataclass
class FilterParams:
    """A FastAPI dependency: the filters of one request, kept to rebuild links (paging, CSV, next flag)."""
    text: TextParam = None
    role: ListParam = None
    category: ListParam = None
    modality: ListParam = None
    type: ListParam = None
    province: ListParam = None
    regency: ListParam = None
    outlet: ListParam = None
    official: TextParam = None
    since: TextParam = None
    until: TextParam = None
    status: ListParam = None

    def filters(self) -> Filters:
        """Filters, or FilterError (a ValueError) with the reason."""
        lists = {k: [_clean(v) for v in _many(getattr(self, k))] for k in
                 ("role", "category", "modality", "type", "province", "regency", "outlet", "status")}
        since, until = _clean(self.since), _clean(self.until)
        return Filters(text=_clean(self.text), roles=lists["role"], categories=lists["category"],
                       modalities=lists["modality"], article_types=lists["type"], provinces=lists["province"],
                       regencies=lists["regency"], outlets=lists["outlet"], official=_clean(self.official),
                       published_since=parse_when(since) if since else None,
                       published_until=parse_when(until, end=True) if until else None,
                       statuses=lists["status"]).normalised()

    def pairs(self) -> list[tuple[str, str]]:
        out = []
        for name in NAMES:
            value = getattr(self, name)
            for v in (value if isinstance(value, list) else [value]):
                if v:
                    out.append((name, v))
        return out

    def query_string(self, **extra) -> str:
        pairs = self.pairs() + [(k, str(v)) for k, v in extra.items() if v is not None]
        return urlencode(pairs)

    def value(self, name: str) -> str:
        """One filter's value as the form shows it."""
        value = getattr(self, name)
        return ", ".join(value) if isinstance(value, list) else (value or "")
