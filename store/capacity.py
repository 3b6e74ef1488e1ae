"""Is there enough crawl capacity? The beats of the scheduler, the crawl engines and the workers (table engine_beat:
running, waiting, jobs done, memory), and which outlets are overdue: not crawled for longer than their interval
allows, the first sign that the machines cannot keep up."""
from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import select

from store import Store
from store.models import CrawlRun, EngineBeat, utcnow

STALE_AFTER = 90.0          # seconds without a beat before an engine or worker counts as gone
FORGET_AFTER = timedelta(days=1)      # a worker gone this long drops out of `pantau status`
OVERDUE_FACTOR = 1.5        # an outlet is overdue when its last crawl started longer ago than 1.5 intervals


def beat(store: Store, name: str, role: str, started_at: datetime, *, jobs_done: int = 0, running: int = 0,
         waiting: int = 0, memory: int = 0, detail: dict | None = None) -> None:
    with store.session() as session:
        session.merge(EngineBeat(name=name, role=role, host=socket.gethostname(), pid=os.getpid(),
                                 started_at=started_at, beat_at=utcnow(), jobs_done=jobs_done, running=running,
                                 waiting=waiting, memory=memory, detail=json.dumps(detail or {}, default=str)))


def clear_beat(store: Store, name: str) -> None:
    """On a clean stop: status shows it gone at once."""
    with store.session() as session:
        session.exec(delete(EngineBeat).where(EngineBeat.name == name))


def overdue(store: Store, intervals: dict[str, float], since: datetime, now: datetime | None = None) -> list[dict]:
    """Outlets (name -> interval in seconds) whose last crawl started more than OVERDUE_FACTOR intervals ago, or,
    never crawled, whose scheduler has been up that long. Most overdue first."""
    now = now or utcnow()
    with store.session() as session:
        last = dict(session.exec(select(CrawlRun.source, func.max(CrawlRun.started_at))
                                 .group_by(CrawlRun.source)).all())
    late = []
    for name, seconds in intervals.items():
        started = last.get(name)
        if started is not None and started.tzinfo is None:
            started = started.replace(tzinfo=now.tzinfo)
        age = (now - (started or since)).total_seconds()
        if age > OVERDUE_FACTOR * seconds:
            late.append({"source": name, "last_start": started, "late_s": round(age - seconds, 1),
                         "interval_s": seconds})
    return sorted(late, key=lambda r: -r["late_s"] / r["interval_s"])


def engine_state(store: Store, now: datetime | None = None) -> dict:
    """For `pantau status`: the scheduler's counts and overdue outlets, and every engine or worker seen lately
    (host, alive, jobs done, memory)."""
    now = now or utcnow()
    with store.session() as session:
        rows = session.exec(select(EngineBeat).order_by(EngineBeat.role, EngineBeat.host, EngineBeat.pid)).all()
    scheduler, workers = None, []
    for row in rows:
        age = (now - row.beat_at).total_seconds()
        if row.role != "scheduler" and now - row.beat_at > FORGET_AFTER:
            continue
        entry = {"name": row.name, "role": row.role, "host": row.host, "pid": row.pid, "alive": age <= STALE_AFTER,
                 "beat_age_s": round(age, 1), "started_at": row.started_at, "jobs_done": row.jobs_done,
                 "running": row.running, "waiting": row.waiting, "memory": row.memory,
                 **json.loads(row.detail or "{}")}
        if row.role == "scheduler":
            scheduler = entry
        else:
            workers.append(entry)
    return {"scheduler": scheduler, "workers": workers}
