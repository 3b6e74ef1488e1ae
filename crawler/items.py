"""What the spider hands to the item pipeline: one article, all its fetched pages in order."""
from __future__ import annotations

from dataclasses import dataclass, field

from extract.fetched import FetchedPage


@dataclass
class ArticleItem:
    url: str                                              # first page as linked
    parts: list[FetchedPage] = field(default_factory=list)   # every page, in order
    date_hint: str | None = None                          # ISO date from a news sitemap or feed
