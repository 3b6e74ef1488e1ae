"""What the store says about crawls and the daemon: run records (open, stale, pruned), the daemon's
heartbeat, and per source the last and next run (for `pantau status`)."""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from store.processes import pid_alive
from store import Store
from store.db import StoreError
from store.models import CrawlRun, Heartbeat, PageError, Source, utcnow
from store.runs import interrupt_dead_runs

HEARTBEAT_NAME = "daemon"
JOB_PREFIX = "crawl:"                         # APScheduler job ids: crawl:SOURCE
STALE_AFTER = 90.0                           # seconds without a heartbeat before a daemon counts as dead


def mark_stale_runs(store: Store, max_age: float) -> list[int]:
    """Runs left 'running' by a daemon that crashed or was killed: their process is gone (or far past
    any timeout), so they are interrupted."""
    cutoff = utcnow() - timedelta(seconds=max_age)
    marked = []
    with store.session() as session:
        for run in session.exec(select(CrawlRun).where(CrawlRun.status == "running")).all():
            if run.started_at > cutoff and run.pid and pid_alive(run.pid):
                continue
            run.status, run.ended_at = "interrupted", run.ended_at or utcnow()
            run.message = join_notes("left running by a daemon that stopped without finishing it", run.message)
            session.add(run)
            marked.append(run.id)
    return marked


def interrupt_runs(store: Store, message: str, *, run_ids: list[int] | None = None,
                   sources: list[str] | None = None, trigger: str | None = None) -> list[int]:
    """Close the runs still 'running' among these (by id, or by source and trigger) as interrupted: their crawl
    process died (a crash, a kill, a machine gone) and the outlet is crawled again."""
    if not run_ids and not sources:
        return []
    query = select(CrawlRun).where(CrawlRun.status == "running")
    query = query.where(CrawlRun.id.in_(run_ids)) if run_ids else query.where(CrawlRun.source.in_(sources))
    if trigger:
        query = query.where(CrawlRun.trigger == trigger)
    with store.session() as session:
        runs = session.exec(query).all()
        for run in runs:
            run.status, run.ended_at = "interrupted", utcnow()
            run.message = join_notes(message, run.message)
            session.add(run)
        return [run.id for run in runs]


def busy_run(store: Store, source: str, max_age: float) -> CrawlRun | None:
    """A run of this source still going in another process on this host (e.g. `run-once` beside the daemon)."""
    cutoff = utcnow() - timedelta(seconds=max_age)
    with store.session() as session:
        runs = session.exec(select(CrawlRun).where(CrawlRun.source == source, CrawlRun.status == "running",
                                                   CrawlRun.started_at > cutoff)).all()
    return next((r for r in runs if r.pid and pid_alive(r.pid)), None)


def prune_runs(store: Store, older_than_days: float, dry_run: bool = False) -> int:
    """Delete finished runs (and their page errors) older than this; each source's latest run stays."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    with store.session() as session:
        latest = select(func.max(CrawlRun.id)).group_by(CrawlRun.source)
        ids = session.exec(select(CrawlRun.id).where(CrawlRun.status != "running", CrawlRun.started_at < cutoff,
                                                     CrawlRun.id.not_in(latest))).all()
        if ids and not dry_run:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                session.exec(delete(PageError).where(PageError.run_id.in_(chunk)))
                session.exec(delete(CrawlRun).where(CrawlRun.id.in_(chunk)))
    return len(ids)


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def daemon_state(store: Store, stale_after: float = STALE_AFTER) -> dict:
    """Is a daemon alive on this database: a fresh heartbeat (and, on this host, a live process)."""
    with store.session() as session:
        row = session.get(Heartbeat, HEARTBEAT_NAME)
    if row is None:
        return {"alive": False, "reason": "no daemon heartbeat"}
    age = (utcnow() - row.beat_at).total_seconds()
    state = {"pid": row.pid, "host": row.host, "started_at": row.started_at, "beat_at": row.beat_at,
             "beat_age_s": round(age, 1)}
    if row.host == socket.gethostname() and not pid_alive(row.pid):
        return {**state, "alive": False, "reason": "its process is gone"}
    if age > stale_after:
        return {**state, "alive": False, "reason": f"no heartbeat for {age:.0f} s"}
    return {**state, "alive": True, "reason": ""}


def check_no_other_daemon(store: Store) -> None:
    state = daemon_state(store)
    mine = state.get("host") == socket.gethostname() and state.get("pid") == os.getpid()
    if state["alive"] and not mine:
        raise StoreError(f"another daemon is running on this database (pid {state['pid']} on {state['host']}, "
                         f"last heartbeat {state['beat_age_s']:.0f} s ago): stop it first")


def next_runs(store: Store) -> dict[str, datetime | None]:
    """Next run per source, read from APScheduler's table (empty if no daemon ever ran here)."""
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all()
    except SQLAlchemyError:
        return {}
    return {job_id[len(JOB_PREFIX):]: (datetime.fromtimestamp(ts, timezone.utc) if ts is not None else None)
            for job_id, ts in rows if job_id.startswith(JOB_PREFIX)}


def source_status(store: Store) -> list[dict]:
    """Per source: its last run, its next run, whether it is enabled (dead `running` runs marked interrupted first)."""
    interrupt_dead_runs(store)
    nexts = next_runs(store)
    with store.session() as session:
        sources = {s.name: s for s in session.exec(select(Source)).all()}
        last_ids = session.exec(select(func.max(CrawlRun.id)).group_by(CrawlRun.source)).all()
        last = {r.source: r for r in session.exec(select(CrawlRun).where(CrawlRun.id.in_(last_ids))).all()}
    rows = []
    for name in sorted(set(sources) | set(last) | set(nexts)):
        src, run = sources.get(name), last.get(name)
        rows.append({
            "source": name,
            "enabled": src.enabled if src else None,
            "scheduled": name in nexts,
            "last_run": None if run is None else {
                "id": run.id, "trigger": run.trigger, "status": run.status, "started_at": run.started_at,
                "ended_at": run.ended_at, "pages": run.pages, "new": run.new, "updated": run.updated,
                "errors": run.errors, "message": run.message},
            "next_run": nexts.get(name),
        })
    return rows


def write_heartbeat(store: Store, started_at: datetime) -> None:
    with store.session() as session:
        session.merge(Heartbeat(name=HEARTBEAT_NAME, pid=os.getpid(), host=socket.gethostname(),
                                started_at=started_at, beat_at=utcnow()))


def clear_heartbeat(store: Store) -> None:
    """On a clean stop: `pantau status` then says at once that no daemon runs."""
    with store.session() as session:
        row = session.get(Heartbeat, HEARTBEAT_NAME)
        if row is not None and row.pid == os.getpid() and row.host == socket.gethostname():
            session.delete(row)
