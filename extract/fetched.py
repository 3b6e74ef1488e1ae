"""A page as fetched, before extraction: what the crawler, `pantau ingest` and `process_article` pass around.
Kept apart from extract.article so the crawl process can build one without importing the tagger."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FetchedPage:
    url: str
    body: bytes | str
    encoding: str | None = None     # charset the server declared, if any
