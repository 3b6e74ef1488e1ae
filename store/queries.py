"""The analysts' queries: flags and articles matching Filters, the review queue, and counts.

Rows come back as plain dicts (the same keys in the table, CSV and JSON lines outputs).
"""
from __future__ import annotations

from datetime import timedelta, timezone
from typing import Iterator

from sqlalchemy import Select, String, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from store.conditions import article_conditions, flag_conditions, relevance
from store.filters import FilterError, Filters
from store.joins import alleged_decision_join, fts_rank, latest_review_join, newest_first
from store.resolve import Resolved, resolve
from store.tables import ARTICLE, FLAG, ROLE

SORTS = ("newest", "oldest", "fetched", "relevance")
STATS_DIMENSIONS = ("region", "role", "category", "week")

FLAG_COLUMNS = ("flag_id", "article_id", "category", "modality", "subject", "sentence", "fingerprint",
                "tagger_version", "title", "url", "outlet", "source", "province", "regency", "published_at",
                "fetched_at", "article_type", "roles", "status", "reviewer", "decided_at", "note")
ARTICLE_COLUMNS = ("article_id", "title", "url", "outlet", "source", "province", "regency", "published_at",
                   "fetched_at", "author", "article_type", "relevant", "roles", "flags", "alleged_flags",
                   "tagger_version", "text")


def flag_select(res: Resolved, sort: str = "newest") -> Select:
    """Flags with their article and latest review, filtered and sorted."""
    a, f = ARTICLE, FLAG
    lr, on_latest = latest_review_join(f)
    stmt = (select(f.c.id.label("flag_id"), f.c.article_id, f.c.category, f.c.modality, f.c.subject, f.c.sentence,
                   f.c.start, f.c.end, f.c.fingerprint, f.c.tagger_version, a.c.title, a.c.url, a.c.outlet,
                   a.c.source, a.c.province, a.c.regency, a.c.published_at, a.c.published_offset_min,
                   a.c.fetched_at, a.c.article_type, a.c.roles,
                   func.coalesce(lr.c.decision, "pending").label("status"), lr.c.reviewer, lr.c.decided_at,
                   lr.c.note)
            .select_from(f).join(a, a.c.id == f.c.article_id)
            .outerjoin(lr, on_latest)
            .where(*flag_conditions(res)))
    # Within an article, flags come in text order. On SQLite that is the order of ix_flag_article_id: naming
    # it in ORDER BY would stop the planner from walking the publication-date index (50x slower queue).
    within = [] if res.dialect == "sqlite" else [f.c.start, f.c.id]
    stmt, order = _sorted(stmt, res, sort)
    return stmt.order_by(*order, *within)


def article_select(res: Resolved, sort: str = "newest", *, with_text: bool = False) -> Select:
    a, f = ARTICLE, FLAG.alias("flag_count")
    n_flags = select(func.count(f.c.id)).where(f.c.article_id == a.c.id).scalar_subquery()
    n_alleged = select(func.count(f.c.id)).where(f.c.article_id == a.c.id, f.c.modality == "alleged").scalar_subquery()
    cols = [a.c.id.label("article_id"), a.c.title, a.c.url, a.c.outlet, a.c.source, a.c.province, a.c.regency,
            a.c.published_at, a.c.published_offset_min, a.c.fetched_at, a.c.author, a.c.article_type, a.c.relevant,
            a.c.roles, n_flags.label("flags"), n_alleged.label("alleged_flags"), a.c.tagger_version]
    if with_text:
        cols.append(a.c.text)
    stmt = select(*cols).select_from(a).where(*article_conditions(res))
    stmt, order = _sorted(stmt, res, sort)
    return stmt.order_by(*order)


def _sorted(stmt: Select, res: Resolved, sort: str) -> tuple[Select, list]:
    a = ARTICLE
    if sort not in SORTS:
        raise FilterError(f"unknown sort {sort!r}; choose from: {', '.join(SORTS)}")
    if sort != "relevance":
        return stmt, _order(res, sort)
    if not res.filters.text:
        raise FilterError("--sort relevance needs a full-text search (--text)")
    if res.dialect == "sqlite":       # bm25 from the one FTS5 scan, joined (a correlated rank would rescan)
        rank = fts_rank(res)
        return stmt.join(rank, rank.c.article_id == a.c.id), [rank.c.rank.asc(), a.c.id.desc()]
    return stmt, [relevance(res).desc(), newest_first(res.dialect), a.c.id.desc()]


def _order(res: Resolved, sort: str) -> list:
    a = ARTICLE
    if sort == "oldest":
        return [a.c.published_at.asc().nulls_last(), a.c.id.asc()]
    if sort == "fetched":
        return [a.c.fetched_at.desc(), a.c.id.desc()]
    return [newest_first(res.dialect), a.c.id.desc()]


def find_flags(session: Session, filters: Filters, *, sort: str = "newest", limit: int | None = 50,
               offset: int = 0) -> list[dict]:
    return _find(session, filters, flag_select, flag_row, sort, limit, offset)


def find_articles(session: Session, filters: Filters, *, sort: str = "newest", limit: int | None = 50,
                  offset: int = 0) -> list[dict]:
    return _find(session, filters, article_select, article_row, sort, limit, offset)


def _find(session: Session, filters: Filters, make_select, make_row, sort: str, limit: int | None,
          offset: int) -> list[dict]:
    """One page of rows: resolve the filters, build the sorted select, turn rows into dicts."""
    stmt = make_select(resolve(session, filters), sort).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [make_row(r) for r in session.execute(stmt).mappings()]


def queue_filters(filters: Filters) -> Filters:
    """The review queue: alleged flags with no decision yet, unless the filters say otherwise."""
    from dataclasses import replace
    return replace(filters, modalities=filters.modalities or ["alleged"], statuses=filters.statuses or ["pending"])


def review_queue(session: Session, filters: Filters, *, limit: int = 50, offset: int = 0) -> list[dict]:
    return find_flags(session, queue_filters(filters), sort="newest", limit=limit, offset=offset)


def stream(session: Session, stmt: Select, batch: int = 1000) -> Iterator:
    """Rows one at a time from a server-side cursor, so memory stays flat however many there are."""
    result = session.connection().execution_options(stream_results=True, yield_per=batch).execute(stmt)
    yield from result.mappings()


def local_time(value, offset_min):
    """A stored UTC time shown in the article's own offset (WIB if unknown)."""
    if value is None:
        return None
    return value.astimezone(timezone(timedelta(minutes=420 if offset_min is None else offset_min)))


def flag_row(r) -> dict:
    row = {k: r[k] for k in FLAG_COLUMNS if k not in ("published_at", "roles")}
    row["published_at"] = local_time(r["published_at"], r["published_offset_min"])
    row["roles"] = [x for x in (r["roles"] or "").split(",") if x]
    row["start"], row["end"] = r["start"], r["end"]
    return row


def article_row(r) -> dict:
    row = {k: r[k] for k in ARTICLE_COLUMNS if k in r.keys() and k not in ("published_at", "roles", "relevant")}
    row["published_at"] = local_time(r["published_at"], r["published_offset_min"])
    row["roles"] = [x for x in (r["roles"] or "").split(",") if x]
    row["relevant"] = bool(r["relevant"])
    return row


# --- stats ----------------------------------------------------------------------------------------------

def stats(session: Session, filters: Filters, by: list[str] | None = None) -> dict[str, list[dict]]:
    """Per dimension: articles, flags, alleged flags and their review states, largest first."""
    res = resolve(session, filters)
    out = {}
    for dim in by or list(STATS_DIMENSIONS):
        if dim not in STATS_DIMENSIONS:
            raise FilterError(f"unknown stats dimension {dim!r}; choose from: {', '.join(STATS_DIMENSIONS)}")
        out[dim] = _stats_by(session, res, dim)
    return out


def _dimension(res: Resolved, dim: str):
    a = ARTICLE
    if dim == "region":
        return func.coalesce(a.c.province, literal("(no province)")), func.coalesce(a.c.regency, literal("-"))
    if dim == "role":
        return (ROLE.c.role,)
    if dim == "week":
        return (week_start(res.dialect),)
    return (FLAG.c.category,)


def week_start(dialect: str):
    """The Monday of the article's publication week, in its own time zone, as YYYY-MM-DD."""
    a = ARTICLE
    offset = func.coalesce(a.c.published_offset_min, 420)
    if dialect == "sqlite":
        local = func.datetime(a.c.published_at, func.printf("%+d minutes", offset))
        return func.coalesce(func.date(local, "weekday 0", "-6 days"), literal("(no date)"))
    local = func.timezone("UTC", a.c.published_at) + func.make_interval(0, 0, 0, 0, 0, offset)
    monday = cast(func.date_trunc("week", local), String)
    return func.coalesce(func.substr(monday, 1, 10), literal("(no date)"))


def _only_chosen_roles(res: Resolved) -> list:
    """Grouped by role with --role given: count only the chosen roles, not every role of those articles."""
    return [ROLE.c.role.in_(res.filters.roles)] if res.filters.roles else []


def _stats_by(session: Session, res: Resolved, dim: str) -> list[dict]:
    keys = _dimension(res, dim)
    names = ["province", "regency"] if dim == "region" else [dim]
    # Articles per group (not for category, which only flags have).
    article_counts = {} if dim == "category" else _article_counts(session, res, dim, keys)
    flag_counts = _flag_counts(session, res, dim, keys)
    rows = []
    for key in set(article_counts) | set(flag_counts):
        flagged_articles, flags, alleged_n, pending, confirmed, dismissed = flag_counts.get(key, (0,) * 6)
        row = dict(zip(names, key))
        row.update(articles=article_counts.get(key, flagged_articles), flags=flags, alleged=alleged_n or 0,
                   pending=pending or 0, confirmed=confirmed or 0, dismissed=dismissed or 0)
        rows.append(row)
    if dim == "week":
        rows.sort(key=lambda r: r["week"], reverse=True)
    else:
        rows.sort(key=lambda r: (-r["articles"], -r["flags"], tuple(str(r[n]) for n in names)))
    return rows


def _article_counts(session: Session, res: Resolved, dim: str, keys) -> dict[tuple, int]:
    a = ARTICLE
    if dim == "role":     # an article counts once per role: no DISTINCT needed
        stmt = (select(*keys, func.count()).select_from(a).join(ROLE, ROLE.c.article_id == a.c.id)
                .where(*_only_chosen_roles(res)))
    else:
        stmt = select(*keys, func.count()).select_from(a)
    stmt = stmt.where(*article_conditions(res)).group_by(*keys)
    return {tuple(r[:-1]): r[-1] for r in session.execute(stmt)}


def _flag_counts(session: Session, res: Resolved, dim: str, keys) -> dict[tuple, tuple]:
    """Per group: (flagged articles, flags, alleged, pending, confirmed, dismissed). Flagged articles are
    counted only by category: the other groups take the article count."""
    a, f = ARTICLE, FLAG
    lr, on_decision = alleged_decision_join(f)
    alleged = f.c.modality == "alleged"
    articles = func.count(func.distinct(f.c.article_id)) if dim == "category" else literal(0)
    stmt = (select(*keys, articles, func.count(f.c.id), func.sum(case((alleged, 1), else_=0)),
                   func.sum(case((and_(alleged, lr.c.decision.is_(None)), 1), else_=0)),
                   func.sum(case((lr.c.decision == "confirmed", 1), else_=0)),
                   func.sum(case((lr.c.decision == "dismissed", 1), else_=0)))
            .select_from(f).join(a, a.c.id == f.c.article_id).outerjoin(lr, on_decision))
    if dim == "role":
        stmt = stmt.join(ROLE, ROLE.c.article_id == a.c.id).where(*_only_chosen_roles(res))
    stmt = stmt.where(*flag_conditions(res)).group_by(*keys)
    return {tuple(r[:len(keys)]): tuple(r[len(keys):]) for r in session.execute(stmt)}


__all__ = ["SORTS", "STATS_DIMENSIONS", "FLAG_COLUMNS", "ARTICLE_COLUMNS", "flag_select", "article_select",
           "find_flags", "find_articles", "review_queue", "queue_filters", "stream", "stats", "flag_row",
           "article_row", "local_time"]
