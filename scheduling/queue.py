"""The crawl queue for more machines: procrastinate's job tables on PostgreSQL (docs/distributed.md says why).

The daemon enqueues one job per outlet as it falls due (`CrawlQueue.enqueue`); `pantau worker` on any machine
takes jobs and crawls them (scheduling/worker.py). Every job carries two locks named after its outlet:
`queueing_lock` (at most one job of an outlet waits in the queue: a slot that comes while the last one still waits
is skipped) and `lock` (no job of an outlet starts while another one of it is being crawled, on any machine).
"""
from __future__ import annotations

import logging
import os
import socket
from typing import Awaitable, Callable

log = logging.getLogger("pantau.queue")

QUEUE = "crawl"
TASK = "pantau.crawl"
SCHEMA_LOCK = 7_426_862_803             # pg_advisory_xact_lock key held while creating the queue's tables
ENV_BROKER = "PANTAU_BROKER_URL"

_runner: list[Callable[[str], Awaitable[dict]]] = []      # what a worker does with a job (scheduling/worker.py)


class QueueError(RuntimeError):
    """The broker cannot be reached or is not a PostgreSQL URL (the message says which)."""


def conninfo(url: str) -> str:
    """A libpq URL from an SQLAlchemy one (postgresql+psycopg://... -> postgresql://...)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise QueueError(f"the broker must be a PostgreSQL URL (postgresql://user@host/db), not {url!r}")
    return f"postgresql://{rest}"


def broker_url(given: str | None) -> str | None:
    return given or os.environ.get(ENV_BROKER) or None


def make_app(url: str):
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))

    @app.task(name=TASK, queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=3, wait=30))
    async def crawl(source: str, slot: str = "", by: str = "") -> dict:
        if not _runner:
            raise RuntimeError("a crawl job reached a process that is not a Pantau worker")
        return await _runner[0](source)

    return app


def set_runner(runner: Callable[[str], Awaitable[dict]] | None) -> None:
    _runner[:] = [runner] if runner else []


def ensure_schema(url: str) -> None:
    """Create procrastinate's tables on the broker once (several processes may start at the same moment)."""
    import procrastinate
    import psycopg
    try:
        with psycopg.connect(conninfo(url), autocommit=True) as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
                    conn.execute(procrastinate.schema.SchemaManager.get_schema())
    except psycopg.Error as exc:
        raise QueueError(f"cannot open the crawl queue on {_safe(url)}: {str(exc).strip().splitlines()[0]}") from exc


def counts(url: str) -> dict[str, int]:
    """Crawl jobs waiting (todo) and being crawled (doing) right now."""
    import psycopg
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        rows = conn.execute("SELECT status, count(*) FROM procrastinate_jobs WHERE queue_name = %s "
                            "AND status IN ('todo', 'doing') GROUP BY status", (QUEUE,)).fetchall()
    found = dict(rows)
    return {"waiting": found.get("todo", 0), "running": found.get("doing", 0)}


class CrawlQueue:
    """The daemon's side: enqueue an outlet that falls due."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.app = make_app(url)
        self._open = False

    def open(self) -> "CrawlQueue":
        ensure_schema(self.url)
        self.app.open()
        self._open = True
        return self

    def enqueue(self, source: str) -> int | None:
        """The job id, or None when a job of this outlet is already waiting (this slot is skipped)."""
        from procrastinate.exceptions import AlreadyEnqueued
        from store.models import utcnow
        try:
            return self.app.configure_task(TASK, queueing_lock=source, lock=source).defer(
                source=source, slot=utcnow().isoformat(), by=f"{socket.gethostname()}:{os.getpid()}")
        except AlreadyEnqueued:
            log.warning("source %s: its last crawl job is still waiting in the queue: this slot is skipped", source,
                        extra={"source": source})
            return None

    def counts(self) -> dict[str, int]:
        return counts(self.url)

    def close(self) -> None:
        if self._open:
            self.app.close()
            self._open = False


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message
        return "the broker"
