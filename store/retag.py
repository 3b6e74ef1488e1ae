"""Re-run the current tagger over stored articles after the rules or model improve.

Tags are swapped through store.articles.replace_tags, which records the tagger version on every flag;
reviews refer to (article_id, fingerprint) and are never touched, so a decision stays attached to the
same statement. A statement the new tagger no longer raises keeps its decisions (reported as detached).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel import select as orm_select

from store import Store
from store.articles import article_content_hash, replace_tags, set_tag_columns
from store.conditions import article_conditions
from store.filters import Filters
from store.resolve import resolve
from store.tables import ARTICLE, FLAG, REVIEW
from store.models import Article, utcnow
from store.officials import refresh_merges

log = logging.getLogger(__name__)


@dataclass
class RetagReport:
    version: str
    selected: int = 0
    retagged: int = 0
    flags_before: int = 0
    flags_after: int = 0
    decisions_attached: int = 0        # reviewed statements still raised after the re-tag
    decisions_detached: int = 0        # reviewed statements the new tags no longer raise (decisions kept)
    failed: list[tuple[int, str]] = field(default_factory=list)


def retag(store: Store, tagger, filters: Filters, *, version: str, force: bool = False, batch: int = 100,
          progress: Callable[[int, int], None] | None = None) -> RetagReport:
    """Retag the articles matching filters (only those tagged by another version unless force)."""
    report = RetagReport(version)
    if not force:
        filters = Filters(**{**filters.__dict__, "tagger_version_not": version})
    with store.session() as session:
        res = resolve(session, filters)
        ids = list(session.execute(select(ARTICLE.c.id).where(*article_conditions(res)).order_by(ARTICLE.c.id))
                   .scalars())
    report.selected = len(ids)
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        with store.session() as session:      # one transaction per batch: progress survives an interruption
            articles = session.exec(orm_select(Article).where(col(Article.id).in_(chunk)).order_by(Article.id)).all()
            tagged = _tag(tagger, articles, report)
            report.flags_before += _count(session, chunk)
            for article, tags in tagged:
                replace_tags(session, article, tags, version)
                set_tag_columns(article, tags, version)
                article.updated_at = utcnow()
                # As a fetch would tag it now, so the next crawl of the same page finds it unchanged.
                article.content_hash = article_content_hash(article.title, article.text, version)
                session.add(article)
                report.retagged += 1
            session.flush()
            report.flags_after += _count(session, chunk)
            attached, detached = _decisions(session, chunk)
            report.decisions_attached += attached
            report.decisions_detached += detached
        if progress:
            progress(min(i + batch, len(ids)), len(ids))
    if report.retagged:
        with store.session() as session:
            refresh_merges(session)
    return report


def _tag(tagger, articles: list[Article], report: RetagReport) -> list[tuple[Article, object]]:
    texts = [a.text for a in articles]
    try:
        many = getattr(tagger, "tag_many", None)
        return list(zip(articles, many(texts) if many else [tagger.tag(t) for t in texts]))
    except Exception:  # noqa: BLE001 - isolate the article that breaks the tagger, keep the rest
        out = []
        for article in articles:
            try:
                out.append((article, tagger.tag(article.text)))
            except Exception as exc:  # noqa: BLE001
                log.warning("article %s: tagger failed: %s", article.id, exc)
                report.failed.append((article.id, f"{type(exc).__name__}: {exc}"))
        return out


def _count(session, ids: list[int]) -> int:
    return session.execute(select(func.count()).select_from(FLAG).where(FLAG.c.article_id.in_(ids))).scalar_one()


def _decisions(session, ids: list[int]) -> tuple[int, int]:
    reviewed = set(session.execute(select(REVIEW.c.article_id, REVIEW.c.fingerprint)
                                   .where(REVIEW.c.article_id.in_(ids)).distinct()).all())
    if not reviewed:
        return 0, 0
    raised = set(session.execute(select(FLAG.c.article_id, FLAG.c.fingerprint)
                                 .where(FLAG.c.article_id.in_(ids)).distinct()).all())
    attached = len(reviewed & raised)
    return attached, len(reviewed) - attached
