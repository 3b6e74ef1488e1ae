"""Crawl history: one CrawlRun per source per crawl, its page errors, and per feed/sitemap/listing state
(conditional-request validators, last success, consecutive failures with backoff)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from store.db import Store
from store.models import CrawlRun, FeedState, PageError, utcnow
from store.processes import pid_alive

RUN_STATUSES = ("running", "ok", "partial", "failed", "blocked", "interrupted", "timeout")
FAILED_STATUSES = ("failed", "blocked", "interrupted", "timeout")      # the outlet could not be crawled
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)
MAX_MESSAGE = 2000


@dataclass
class RunCounts:
    pages: int = 0       # responses downloaded (feeds, sitemaps, listings, article pages)
    new: int = 0         # articles stored for the first time
    updated: int = 0     # stored articles whose text or tags changed
    skipped: int = 0     # article links already stored (not downloaded) or unchanged
    errors: int = 0      # page errors recorded

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def start_run(store: Store, source: str, *, trigger: str = "cli", pid: int | None = None,
              run_id: int | None = None) -> int:
    """A new running CrawlRun, or take over the one the scheduler created (run_id). Returns its id."""
    with store.session() as session:
        run = session.get(CrawlRun, run_id) if run_id is not None else None
        if run_id is not None and run is None:
            raise ValueError(f"no crawl run with id {run_id}")
        if run is None:
            run = CrawlRun(source=source, trigger=trigger)
        run.status, run.pid, run.started_at, run.ended_at = "running", pid, utcnow(), None
        session.add(run)
        session.flush()
        return run.id


def update_run(store: Store, run_id: int, counts: RunCounts) -> None:
    """Save counts of a running crawl (so a crawl killed hard still shows how far it got)."""
    with store.session() as session:
        run = session.get(CrawlRun, run_id)
        if run is not None:
            _apply(run, counts)
            session.add(run)


def finish_run(store: Store, run_id: int, status: str, counts: RunCounts, message: str = "") -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    with store.session() as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            raise ValueError(f"no crawl run with id {run_id}")
        _apply(run, counts)
        run.status, run.ended_at, run.message = status, utcnow(), message[:MAX_MESSAGE]
        session.add(run)


def record_page_error(store: Store, run_id: int | None, url: str, error: str) -> None:
    with store.session() as session:
        session.add(PageError(run_id=run_id, url=url, error=" ".join(error.split())[:MAX_MESSAGE]))


def page_errors(store: Store, run_id: int) -> list[PageError]:
    with store.session() as session:
        return list(session.exec(select(PageError).where(PageError.run_id == run_id).order_by(PageError.id)).all())


def get_run(store: Store, run_id: int) -> CrawlRun | None:
    with store.session() as session:
        return session.get(CrawlRun, run_id)


def recent_runs(store: Store, source: str | None = None, limit: int = 20) -> list[CrawlRun]:
    with store.session() as session:
        query = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
        if source:
            query = query.where(CrawlRun.source == source)
        return list(session.exec(query).all())


def interrupt_dead_runs(store: Store) -> list[int]:
    """Runs still `running` whose crawl process is gone (a `pantau crawl` killed with -9, a crashed child): marked
    interrupted by whichever command reads run state, so they never look like crawls in progress. Runs without a
    pid yet (created by the daemon's launcher before its child starts) are the daemon's to judge, and so are runs of
    `pantau worker` (their pid may be on another machine: the workers take back the jobs of a worker that stopped
    beating, scheduling/worker.py)."""
    marked = []
    with store.session() as session:
        for run in session.exec(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.pid > 0,
                                                       CrawlRun.trigger != "worker")).all():
            if pid_alive(run.pid):
                continue
            run.status, run.ended_at = "interrupted", run.ended_at or utcnow()
            note = f"its crawl process (pid {run.pid}) ended without finishing the run (killed or crashed)"
            run.message = f"{note}; {run.message}" if run.message else note
            session.add(run)
            marked.append(run.id)
    return marked


def last_runs_by_source(store: Store) -> dict[str, CrawlRun]:
    """The latest run of every source that has one (dead `running` ones marked interrupted first)."""
    interrupt_dead_runs(store)
    with store.session() as session:
        runs = session.exec(select(CrawlRun).order_by(CrawlRun.id)).all()
        return {run.source: run for run in runs}


# --- feeds, sitemaps and listings ---------------------------------------------------------------------------

def feed_states(store: Store, urls: list[str]) -> dict[str, FeedState]:
    with store.session() as session:
        rows = session.exec(select(FeedState).where(FeedState.url.in_(urls))).all() if urls else []
        return {row.url: row for row in rows}


def feed_due(state: FeedState | None, now: datetime | None = None) -> bool:
    """False while a failing feed is backing off."""
    if state is None or state.next_attempt_at is None:
        return True
    now = now or utcnow()
    due = state.next_attempt_at
    if due.tzinfo is None:
        due = due.replace(tzinfo=timezone.utc)
    return now >= due


def backoff(failures: int) -> timedelta:
    """15 min after one failure, doubling, at most a day."""
    if failures <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * (2 ** (failures - 1)), BACKOFF_MAX)


def feed_succeeded(store: Store, url: str, source: str, kind: str, *, etag: str | None = None,
                   last_modified: str | None = None, not_modified: bool = False,
                   keep_validators: bool = True) -> None:
    """Record a good fetch. Validators are saved only when keep_validators (the crawl used what it listed)."""
    with store.session() as session:
        state = session.get(FeedState, url) or FeedState(url=url, source=source, kind=kind)
        state.source, state.kind = source, kind
        if keep_validators and not not_modified:
            state.etag, state.last_modified = etag, last_modified
        state.last_success_at = utcnow()
        state.last_status = "not-modified" if not_modified else "ok"
        state.last_error, state.failures, state.next_attempt_at = "", 0, None
        session.add(state)


def feed_failed(store: Store, url: str, source: str, kind: str, error: str, *, blocked: bool = False) -> FeedState:
    """Record a failed or blocked fetch; the next attempt waits longer with each consecutive failure."""
    with store.session() as session:
        state = session.get(FeedState, url) or FeedState(url=url, source=source, kind=kind)
        state.source, state.kind = source, kind
        state.failures = (state.failures or 0) + 1
        state.last_status = "blocked" if blocked else "error"
        state.last_error = " ".join(error.split())[:MAX_MESSAGE]
        state.next_attempt_at = utcnow() + backoff(state.failures)
        session.add(state)
        session.flush()
        return FeedState(**state.model_dump())


def mark_feeds(store: Store, urls: list[str], source: str, kind: str, status: str) -> None:
    """Set last_status for these URLs (e.g. listings 'incomplete' while a crawl walks them)."""
    with store.session() as session:
        for url in urls:
            state = session.get(FeedState, url) or FeedState(url=url, source=source, kind=kind)
            state.source, state.kind, state.last_status = source, kind, status
            session.add(state)


def _apply(run: CrawlRun, counts: RunCounts) -> None:
    run.pages, run.new, run.updated = counts.pages, counts.new, counts.updated
    run.skipped, run.errors = counts.skipped, counts.errors
