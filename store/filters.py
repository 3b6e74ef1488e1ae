"""The filters analysts compose (`pantau query`, `review`, `export`, `stats`, `retag`), checked on their own.

Checking them against what is stored is store/resolve.py; their SQL conditions are store/conditions.py; the
command line's date bounds are store/date_bounds.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from extract.tagging.model import ARTICLE_TYPES, CATEGORIES, MODALITIES, ROLE_CODES
from store.search import SearchQuery, parse_search

STATUSES = ("pending", "confirmed", "dismissed", "needs_more", "reviewed")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says why and what would work."""


@dataclass
class Filters:
    text: str | None = None
    roles: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    article_types: list[str] = field(default_factory=list)
    official: str | None = None
    outlets: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    regencies: list[str] = field(default_factory=list)
    published_since: datetime | None = None
    published_until: datetime | None = None     # exclusive
    fetched_since: datetime | None = None
    fetched_until: datetime | None = None       # exclusive
    statuses: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    relevant: bool | None = None
    tagger_version_not: str | None = None

    def normalised(self) -> "Filters":
        """Check enum values (case-insensitive) and parse the search; raise FilterError on a bad value."""
        out = replace(self, roles=_choices("role", self.roles, ROLE_CODES, upper=True),
                      categories=_choices("category", self.categories, CATEGORIES),
                      modalities=_choices("modality", self.modalities, MODALITIES),
                      article_types=_choices("article type", self.article_types, ARTICLE_TYPES),
                      statuses=_choices("review status", self.statuses, STATUSES))
        if out.text is not None:
            parse_search(out.text)      # raises SearchSyntaxError (a ValueError) early
        for lo, hi, what in ((out.published_since, out.published_until, "published"),
                             (out.fetched_since, out.fetched_until, "fetched")):
            if lo and hi and lo >= hi:
                raise FilterError(f"the {what} date range is empty: since {lo:%Y-%m-%d %H:%M} is not before "
                                  f"until {hi:%Y-%m-%d %H:%M}")
        return out

    @property
    def has_flag_filters(self) -> bool:
        return bool(self.categories or self.modalities or self.statuses)

    @property
    def search(self) -> SearchQuery | None:
        return parse_search(self.text) if self.text else None


def _choices(what: str, values: list[str], allowed: tuple[str, ...], *, upper: bool = False) -> list[str]:
    out = []
    for value in values:
        v = value.strip().replace("-", "_")
        v = v.upper() if upper else v.lower()
        if v not in allowed:
            raise FilterError(f"unknown {what} {value!r}; choose from: {', '.join(allowed)}")
        out.append(v)
    return list(dict.fromkeys(out))
