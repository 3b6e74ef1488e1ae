"""The one code path from fetched page(s) to a stored, tagged article. The crawler's item pipeline
and `pantau ingest` both call `ingest`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from extract.article import FetchedPage, ProcessedArticle, process_article
from extract.tagging import Tagger
from store import Store
from store.articles import SaveResult, save_article


@dataclass
class IngestResult:
    article_id: int
    status: str                    # new | updated | unchanged
    processed: ProcessedArticle


def ingest(store: Store, parts: list[FetchedPage], *, source: str | None = None, province: str | None = None,
           regency: str | None = None, date_hint: datetime | None = None, tagger: Tagger | None = None) -> IngestResult:
    """Extract, tag and store one article (all its pages). Raises extract errors before anything is written."""
    processed = process_article(parts, date_hint=date_hint, tagger=tagger)
    result = _save(store, processed, source, province, regency)
    return IngestResult(result.article_id, result.status, processed)


def _save(store: Store, processed: ProcessedArticle, source, province, regency) -> SaveResult:
    for attempt in range(2):
        try:
            with store.session() as session:
                return save_article(session, processed, source=source, province=province, regency=regency)
        except IntegrityError:
            # Another writer stored the same article at the same moment: the second try updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")
