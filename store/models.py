"""Tables. Any change here needs an Alembic revision in store/migrations/versions.

Datetimes are timezone-aware and stored as UTC."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, ForeignKeyConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Source(SQLModel, table=True):
    """An outlet, as last read from the sources file."""
    name: str = Field(primary_key=True)
    base_url: str
    province: str | None = None
    regency: str | None = None
    enabled: bool = True
    updated_at: datetime = Field(default_factory=utcnow)


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)                # canonical identity (extract.urls.canonical_key)
    url: str                                                 # the URL it was first fetched from
    canonical_url: str | None = None                         # rel=canonical as the page printed it
    source: str | None = Field(default=None, index=True)
    outlet: str | None = Field(default=None, index=True)
    province: str | None = Field(default=None, index=True)
    regency: str | None = None
    title: str | None = None
    author: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    language: str | None = None
    published_at: datetime | None = Field(default=None, index=True)   # UTC
    published_offset_min: int | None = None                           # the page's UTC offset (WIB = 420)
    fetched_at: datetime = Field(default_factory=utcnow, index=True)   # UTC
    updated_at: datetime = Field(default_factory=utcnow)
    pages: int = 1
    relevant: bool = Field(default=False, index=True)
    article_type: str = Field(default="other", index=True)
    roles: str = ""                     # sorted role codes, comma separated (also in article_role)
    accused: str = "[]"                 # JSON list of names or short descriptions
    content_hash: str = ""
    tagger_version: str = ""
    extra: str = "{}"                   # JSON: description, credits, hints


class ArticleRole(SQLModel, table=True):
    __tablename__ = "article_role"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(primary_key=True, index=True)


class UrlAlias(SQLModel, table=True):
    """Every key an article is known under, so any variant finds the one row (and the crawler skips it)."""
    __tablename__ = "url_alias"
    key: str = Field(primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")


class Mention(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    label: str = Field(index=True)
    text: str
    start: int
    end: int


class Official(SQLModel, table=True):
    """A person, merged across articles by a normalised name key."""
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str


def _official_of_this_row(context) -> int:
    return context.get_current_parameters()["official_id"]


class ArticleOfficial(SQLModel, table=True):
    """An official named in an article. `person_id` is who that is after merging short names: the full
    name's official (official_merge.into_id) or the official itself (migration 0003). The database fills it
    on insert and store.officials.refresh_merges keeps it in step with official_merge."""
    __tablename__ = "article_official"
    __table_args__ = (UniqueConstraint("article_id", "official_id", "title"),
                      ForeignKeyConstraint(["person_id"], ["official.id"], name="fk_article_official_person_id"),
                      Index("ix_article_official_article_person", "article_id", "person_id"),
                      Index("ix_article_official_person", "person_id", "article_id"))
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    official_id: int = Field(foreign_key="official.id", index=True)
    title: str
    name_as_printed: str
    person_id: int | None = Field(default=None, nullable=False,
                                  sa_column_kwargs={"default": _official_of_this_row})


class Flag(SQLModel, table=True):
    """One breach mention. `fingerprint` stays the same across re-tagging, so reviews stay attached; an id is
    never given to another flag, even after a delete (AUTOINCREMENT on SQLite, migration 0006)."""
    __table_args__ = (Index("ix_flag_cat_mod", "category", "modality"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    category: str
    modality: str = Field(index=True)
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    subject: str | None = None
    fingerprint: str = Field(index=True)
    tagger_version: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    """An analyst's decision on a flag; never deleted, the latest one is the flag's status."""
    __table_args__ = (Index("ix_review_flag", "article_id", "fingerprint"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    fingerprint: str
    category: str
    decision: str                       # confirmed | dismissed
    note: str = ""
    reviewer: str = ""
    decided_at: datetime = Field(default_factory=utcnow)
    # What was judged, kept even if a re-tag stops raising the flag (migration 0002).
    sentence: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    tagger_version: str = Field(default="", sa_column_kwargs={"server_default": ""})


class OfficialMerge(SQLModel, table=True):
    """In one article, a short name printed for the full name of the same person ("Iron" -> "Iron
    Sahroni"); derived data, recomputed by store.officials.refresh_merges (migration 0002)."""
    __tablename__ = "official_merge"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    official_id: int = Field(foreign_key="official.id", primary_key=True, ondelete="CASCADE")
    into_id: int = Field(foreign_key="official.id", index=True, ondelete="CASCADE")
    scope: str                          # article | outlet | regency | province: where the full name was found


class OfficialMergeState(SQLModel, table=True):
    """What official_merge was computed from, so it is recomputed only when mentions changed (0002)."""
    __tablename__ = "official_merge_state"
    name: str = Field(primary_key=True)
    signature: str
    refreshed_at: datetime = Field(default_factory=utcnow)


class CrawlRun(SQLModel, table=True):
    __tablename__ = "crawl_run"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    trigger: str = "cli"                # cli | daemon | run-once | demo
    status: str = "running"             # running | ok | failed | interrupted | timeout | blocked
    started_at: datetime = Field(default_factory=utcnow, index=True)
    ended_at: datetime | None = None
    pid: int | None = None
    pages: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    message: str = ""


class PageError(SQLModel, table=True):
    __tablename__ = "page_error"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="crawl_run.id", index=True, ondelete="CASCADE")
    url: str
    error: str
    at: datetime = Field(default_factory=utcnow)


class FeedState(SQLModel, table=True):
    """Per feed, sitemap or listing URL: conditional-request validators and failure backoff."""
    __tablename__ = "feed_state"
    url: str = Field(primary_key=True)
    source: str = Field(index=True)
    kind: str = "feed"                  # feed | sitemap | listing
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: datetime | None = None
    last_status: str = ""               # ok | not-modified | blocked | error
    last_error: str = ""
    failures: int = 0
    next_attempt_at: datetime | None = None


class Heartbeat(SQLModel, table=True):
    name: str = Field(primary_key=True)  # "daemon"
    pid: int
    host: str
    started_at: datetime
    beat_at: datetime


class Account(SQLModel, table=True):
    """A person who uses the review desk (migration 0004). Their name is the `reviewer` of their decisions.
    Subscriptions (JSON lists) choose what their digest holds; empty means everything."""
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    password_hash: str = ""             # argon2id
    role: str = "viewer"                # viewer | reviewer | admin
    disabled: bool = False
    email: str = ""
    notify_urls: str = "[]"             # apprise URLs: tgram://, slack://, json://, ...
    sub_provinces: str = "[]"
    sub_roles: str = "[]"
    sub_categories: str = "[]"
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A per-account API token, stored as its SHA-256 (the token itself is shown once)."""
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None


class DigestSent(SQLModel, table=True):
    """A flag already sent to an account in a digest, so a digest run never sends it twice (0004)."""
    __tablename__ = "digest_sent"
    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    fingerprint: str = Field(primary_key=True)
    channel: str = Field(primary_key=True)        # email | notify: each is retried on its own
    sent_at: datetime = Field(default_factory=utcnow)


class EngineBeat(SQLModel, table=True):
    """What runs the crawls, for `pantau status`: the scheduler ("scheduler": outlets running, waiting, overdue) and
    each crawl engine or worker ("worker:HOST:PID": jobs done, memory), refreshed every few seconds."""
    __tablename__ = "engine_beat"
    name: str = Field(primary_key=True)
    role: str                           # scheduler | engine | worker
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime
    jobs_done: int = 0
    running: int = 0
    waiting: int = 0
    memory: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))   # bytes (PSS of the process tree)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))   # JSON: overdue outlets, ...
