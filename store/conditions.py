"""The SQL conditions of resolved filters, on articles and on flags. Every user value is a bound parameter."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, func, literal_column, not_, or_, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from store.filters import FilterError
from store.resolve import Resolved
from store.search import PG_TSVECTOR, SearchQuery
from store.tables import ARTICLE, ARTICLE_FTS, ARTICLE_OFFICIAL, FLAG, REVIEW, ROLE


def article_conditions(res: Resolved) -> list[ColumnElement]:
    """Conditions on `article`; flag-level filters become EXISTS over the article's flags."""
    f, a = res.filters, ARTICLE
    conds: list[ColumnElement] = _article_only(res)
    if f.has_flag_filters:
        fl = FLAG.alias("flag_filter")
        conds.append(exists(select(fl.c.id).where(fl.c.article_id == a.c.id, *flag_only_conditions(res, fl))))
    return conds


def flag_conditions(res: Resolved, flag=FLAG) -> list[ColumnElement]:
    """Conditions on `flag` joined to `article`."""
    return _article_only(res) + flag_only_conditions(res, flag)


def flag_only_conditions(res: Resolved, flag=FLAG) -> list[ColumnElement]:
    f = res.filters
    conds: list[ColumnElement] = []
    if f.categories:
        conds.append(_walk(res, flag.c.category).in_(f.categories))
    if f.modalities:
        conds.append(_walk(res, flag.c.modality).in_(f.modalities))
    if f.statuses:
        conds.append(or_(*[status_condition(s, flag) for s in f.statuses]))
        if "pending" not in f.statuses:
            # Decided flags are few: let the planner start from the articles that have decisions.
            decisions = [s for s in f.statuses if s != "reviewed"] if "reviewed" not in f.statuses else None
            decided = select(REVIEW.c.article_id)
            if decisions:
                decided = decided.where(REVIEW.c.decision.in_(decisions))
            conds.append(flag.c.article_id.in_(decided))
    return conds


def _walk(res: Resolved, column) -> ColumnElement:
    """On SQLite, keep the planner from starting at this column's index. Its estimates cannot tell a
    common category or a common search word from a rare one; walking the article date (or region+date)
    index and stopping at LIMIT is fast for common values and still bounded for rare ones (bench/)."""
    if res.dialect != "sqlite":
        return column
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def status_condition(status: str, flag=FLAG) -> ColumnElement:
    """A flag's review status is its latest decision, or pending if it has none."""
    r = REVIEW.alias("r_status")
    same_flag = and_(r.c.article_id == flag.c.article_id, r.c.fingerprint == flag.c.fingerprint)
    if status == "pending":
        return not_(exists(select(r.c.id).where(same_flag)))
    if status == "reviewed":
        return exists(select(r.c.id).where(same_flag))
    later = REVIEW.alias("r_later")
    return exists(select(r.c.id).where(same_flag, r.c.decision == status, not_(exists(
        select(later.c.id).where(later.c.article_id == r.c.article_id, later.c.fingerprint == r.c.fingerprint,
                                 later.c.id > r.c.id)))))


def text_condition(res: Resolved) -> ColumnElement | None:
    query = res.filters.search
    if query is None:
        return None
    if res.dialect == "sqlite":
        match = select(ARTICLE_FTS.c.rowid).where(
            ARTICLE_FTS.c.article_fts.op("MATCH")(bindparam("fts_query", query.fts5())))
        return _walk(res, ARTICLE.c.id).in_(match)
    if res.dialect == "postgresql":
        return literal_column(PG_TSVECTOR).op("@@")(_tsquery(query))
    raise FilterError(f"full-text search is not available on {res.dialect}")


def relevance(res: Resolved) -> ColumnElement:
    """PostgreSQL: ts_rank, higher is better (SQLite joins fts_rank instead)."""
    return func.ts_rank(literal_column(PG_TSVECTOR), _tsquery(res.filters.search, "fts_rank_query"))


def _tsquery(query: SearchQuery, name: str = "fts_query"):
    return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam(name, query.tsquery()))


def _article_only(res: Resolved) -> list[ColumnElement]:
    f, a = res.filters, ARTICLE
    conds: list[ColumnElement] = []
    text_cond = text_condition(res)
    if text_cond is not None:
        conds.append(text_cond)
    if f.roles:
        r = ROLE.alias("role_filter")
        conds.append(exists(select(r.c.role).where(r.c.article_id == a.c.id, r.c.role.in_(f.roles))))
    if f.article_types:
        conds.append(a.c.article_type.in_(f.article_types))
    if f.outlets:
        parts = []
        if res.outlets:
            parts.append(a.c.outlet.in_(res.outlets))
        if res.sources:
            parts.append(a.c.source.in_(res.sources))
        conds.append(or_(*parts) if parts else false())
    if f.provinces:
        conds.append(a.c.province.in_(res.provinces))
    if f.regencies:
        conds.append(a.c.regency.in_(res.regencies))
    if f.official:
        ao = ARTICLE_OFFICIAL.alias("official_filter")
        conds.append(a.c.id.in_(select(ao.c.article_id).where(ao.c.person_id.in_(res.official_ids))))
    if f.published_since:
        conds.append(a.c.published_at >= f.published_since)
    if f.published_until:
        conds.append(a.c.published_at < f.published_until)
    if f.fetched_since:
        conds.append(a.c.fetched_at >= f.fetched_since)
    if f.fetched_until:
        conds.append(a.c.fetched_at < f.fetched_until)
    if f.article_ids:
        conds.append(a.c.id.in_(f.article_ids))
    if f.relevant is not None:
        conds.append(a.c.relevant.is_(f.relevant))
    if f.tagger_version_not is not None:
        conds.append(a.c.tagger_version != f.tagger_version_not)
    return conds
