"""Joins and orderings the queries share: a flag's latest decision, full-text rank, newest first."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, exists, func, not_, select

from store.resolve import Resolved
from store.tables import ARTICLE, ARTICLE_FTS, FLAG, REVIEW


def fts_rank(res: Resolved):
    """SQLite: the FTS5 matches with their bm25 rank (lower is better), to join on article id."""
    match = ARTICLE_FTS.c.article_fts.op("MATCH")(bindparam("fts_rank_query", res.filters.search.fts5()))
    return select(ARTICLE_FTS.c.rowid.label("article_id"), ARTICLE_FTS.c.rank.label("rank")).where(match) \
        .subquery("fts_rank")


def latest_review_join(flag=FLAG):
    """(review alias, ON clause) to LEFT JOIN a flag's latest decision: an index lookup per flag."""
    lr, r = REVIEW.alias("latest_review"), REVIEW.alias("r_latest")
    last = select(func.max(r.c.id)).where(r.c.article_id == flag.c.article_id,
                                          r.c.fingerprint == flag.c.fingerprint).scalar_subquery()
    return lr, lr.c.id == last


def alleged_decision_join(flag=FLAG):
    """(review alias, ON clause) to LEFT JOIN an alleged flag's latest decision, i.e. its review with no later
    one. For counts: unlike latest_review_join the planner may probe the index for a few flags or hash the
    reviews for many."""
    lr, later = REVIEW.alias("decision"), REVIEW.alias("later_decision")
    superseded = exists(select(later.c.id).where(later.c.article_id == lr.c.article_id,
                                                 later.c.fingerprint == lr.c.fingerprint, later.c.id > lr.c.id))
    return lr, and_(lr.c.article_id == flag.c.article_id, lr.c.fingerprint == flag.c.fingerprint,
                    flag.c.modality == "alleged", not_(superseded))


def newest_first(dialect: str, column=ARTICLE.c.published_at):
    """Newest first, undated last. SQLite's DESC already puts NULL last (and then walks the index);
    PostgreSQL needs NULLS LAST (matched by ix_article_published_desc)."""
    return column.desc() if dialect == "sqlite" else column.desc().nulls_last()
