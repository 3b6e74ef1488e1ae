"""The one code path from fetched page(s) to a stored, tagged article. The crawler's ingest workers call
`ingest_many` (a batch of articles: one tagger pass, one transaction), `pantau ingest` calls `ingest` (the same
path for one article)."""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from extract.article import FetchedPage, ProcessedArticle, process_articles
from extract.tagging import Tagger
from store import Store
from store.articles import SaveResult, save_article


@dataclass
class IngestResult:
    article_id: int
    status: str                    # new | updated | unchanged
    processed: ProcessedArticle


@dataclass
class IngestTask:
    """One article to ingest: its pages (page 1 first) and where it comes from."""
    parts: list[FetchedPage]
    source: str | None = None
    province: str | None = None
    regency: str | None = None
    date_hint: datetime | None = None


def ingest(store: Store, parts: list[FetchedPage], *, source: str | None = None, province: str | None = None,
           regency: str | None = None, date_hint: datetime | None = None, tagger: Tagger | None = None) -> IngestResult:
    """Extract, tag and store one article (all its pages). Raises extract errors before anything is written."""
    result = ingest_many(store, [IngestTask(parts, source, province, regency, date_hint)], tagger=tagger)[0]
    if isinstance(result, Exception):
        raise result
    return result


def ingest_many(store: Store, tasks: list[IngestTask], *, tagger: Tagger | None = None,
                writing: AbstractContextManager | None = None) -> list[IngestResult | Exception]:
    """Extract, tag and store several articles: their texts tagged in one pass, all stored in one transaction.
    One slot per task: its result, or the exception that article raised; a bad page fails only its own article
    (extract errors before anything is written; a failed write stores the others one by one). `writing` is held
    while storing (processes writing one SQLite file take turns with it: see crawler/ingest_worker.py)."""
    processed = process_articles([t.parts for t in tasks], date_hints=[t.date_hint for t in tasks], tagger=tagger)
    ready = [(i, p) for i, p in enumerate(processed) if not isinstance(p, Exception)]
    with writing or nullcontext():
        saved = _save_all(store, [(tasks[i], p) for i, p in ready])
    results: list[IngestResult | Exception] = list(processed)
    for (i, p), outcome in zip(ready, saved, strict=True):
        results[i] = outcome if isinstance(outcome, Exception) else IngestResult(outcome.article_id, outcome.status, p)
    return results


def _save_all(store: Store, items: list[tuple[IngestTask, ProcessedArticle]]) -> list[SaveResult | Exception]:
    """One transaction for all; if any of them fails, each again in its own, so only that one fails."""
    if len(items) > 1:
        try:
            with store.session() as session:
                return [save_article(session, p, source=t.source, province=t.province, regency=t.regency)
                        for t, p in items]
        except Exception:  # noqa: BLE001 - rolled back whole; stored one by one below
            pass
    results: list[SaveResult | Exception] = []
    for task, processed in items:
        try:
            results.append(_save(store, processed, task.source, task.province, task.regency))
        except Exception as exc:  # noqa: BLE001 - handed back in the article's slot
            results.append(exc)
    return results


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
