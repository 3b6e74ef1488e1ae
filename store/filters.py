"""The filters analysts compose (`pantau query`, `review`, `export`, `stats`, `retag`) and their SQL conditions.

Every user value reaches SQL as a bound parameter. Values that must name something stored (outlet, region,
official) are matched case-insensitively against what is stored, and a value that matches nothing is a
clear FilterError with suggestions rather than an empty result.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import (Column, ColumnElement, Float, Integer, MetaData, Table, Text, and_, bindparam, exists, false,
                        func, literal_column, not_, or_, select)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from extract.tagging.model import ARTICLE_TYPES, CATEGORIES, MODALITIES, ROLE_CODES
from store.models import Article, ArticleOfficial, ArticleRole, Flag, Review
from store.names import matching_official_ids
from store.search import PG_TSVECTOR, SearchQuery, parse_search

ARTICLE = Article.__table__
FLAG = Flag.__table__
REVIEW = Review.__table__
ROLE = ArticleRole.__table__
ARTICLE_OFFICIAL = ArticleOfficial.__table__
# The SQLite FTS5 index (migration 0002); its hidden column of the same name is the MATCH target.
ARTICLE_FTS = Table("article_fts", MetaData(), Column("rowid", Integer), Column("article_fts", Text),
                    Column("rank", Float))

STATUSES = ("pending", "confirmed", "dismissed", "needs_more", "reviewed")
WIB = timezone(timedelta(hours=7))    # dates without a zone are read as Western Indonesia Time


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


@dataclass
class Resolved:
    """Filters checked against the database: stored spellings and official ids."""
    filters: Filters
    dialect: str
    outlets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    regencies: list[str] = field(default_factory=list)
    official_ids: list[int] = field(default_factory=list)


def resolve(session: Session, filters: Filters) -> Resolved:
    filters = filters.normalised()
    dialect = session.get_bind().dialect.name
    res = Resolved(filters, dialect)
    if filters.outlets:
        outlets = _stored_values(session, ARTICLE.c.outlet)
        sources = _stored_values(session, ARTICLE.c.source)
        for value in filters.outlets:
            hit_o, hit_s = _same(value, outlets), _same(value, sources)
            if not hit_o and not hit_s:
                raise FilterError(_unknown("outlet", value, outlets + sources))
            res.outlets += hit_o
            res.sources += hit_s
    for name, wanted, column, target in (("province", filters.provinces, ARTICLE.c.province, res.provinces),
                                         ("regency", filters.regencies, ARTICLE.c.regency, res.regencies)):
        if wanted:
            known = _stored_values(session, column)
            for value in wanted:
                hit = _same(value, known)
                if not hit:
                    raise FilterError(_unknown(name, value, known))
                target += hit
    if filters.official:
        res.official_ids = matching_official_ids(session, filters.official)
        if not res.official_ids:
            raise FilterError(f"no official named {filters.official!r} in stored articles "
                              "(try part of the name, or `pantau officials` to list them)")
    return res


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


def _choices(what: str, values: list[str], allowed: tuple[str, ...], *, upper: bool = False) -> list[str]:
    out = []
    for value in values:
        v = value.strip().replace("-", "_")
        v = v.upper() if upper else v.lower()
        if v not in allowed:
            raise FilterError(f"unknown {what} {value!r}; choose from: {', '.join(allowed)}")
        out.append(v)
    return list(dict.fromkeys(out))


def _stored_values(session: Session, column) -> list[str]:
    """The distinct values of an indexed article column, one index probe each (a loose index scan):
    a few provinces or outlets among 100,000 articles, without reading them all."""
    table = column.table
    step = table.alias("next_value")
    values = select(func.min(column).label("value")).cte("stored_values", recursive=True)
    after = select(func.min(step.c[column.name])).where(step.c[column.name] > values.c.value).scalar_subquery()
    values = values.union_all(select(after).where(values.c.value.isnot(None)))
    return list(session.execute(select(values.c.value).where(values.c.value.isnot(None))).scalars())


def _fold(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


def _same(value: str, known: list[str]) -> list[str]:
    return [k for k in known if _fold(k) == _fold(value)]


def _unknown(what: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    close += [k for k in known if _fold(value) in _fold(k) and k not in close][:3]
    hint = f"; did you mean: {', '.join(close)}" if close else ("" if known else " (nothing stored yet)")
    return f"no stored article has {what} {value!r}{hint}"


# --- dates on the command line --------------------------------------------------------------------------

def parse_when(value: str, *, end: bool = False, now: datetime | None = None) -> datetime:
    """A date bound from the command line, as an aware UTC datetime.

    Accepts YYYY-MM-DD, YYYY-MM (a month), YYYY, an ISO datetime (its offset respected), `today`,
    `yesterday`, or Nd / Nw (N days / weeks ago). Dates without a zone are days in WIB (UTC+07:00).
    With end=True a date means "up to the end of that day/month/year" (the bound is exclusive).
    """
    raw = value.strip().lower()
    now = (now or datetime.now(timezone.utc)).astimezone(WIB)
    today = now.date()
    m = re.fullmatch(r"(\d+)([dw])", raw)
    if raw in ("today", "yesterday") or m:
        days = 0 if raw == "today" else 1 if raw == "yesterday" else int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        day = today - timedelta(days=days)
        return _day_bound(day + timedelta(days=1) if end else day)
    try:
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
            return _day_bound(date(year + 1 if end else year, 1, 1))
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            year, month = map(int, raw.split("-"))
            start = date(year, month, 1)
            if end:
                start = date(year + (month == 12), month % 12 + 1, 1)
            return _day_bound(start)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
            return _day_bound(day + timedelta(days=1) if end else day)
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"cannot read date {value!r}: use YYYY-MM-DD, YYYY-MM, an ISO datetime, "
                          "today, yesterday, or Nd / Nw (days / weeks ago)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(timezone.utc)


def _day_bound(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=WIB).astimezone(timezone.utc)
