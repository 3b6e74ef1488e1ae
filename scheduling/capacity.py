"""The scheduler's beat for `pantau status`: outlets due, running and waiting, the ones overdue (crawled less often
than their interval: too little capacity), and in the embedded mode the engine's own line (jobs done, memory)."""
from __future__ import annotations

import socket

from store import Store
from store.capacity import beat, clear_beat, overdue
from store.history import next_runs
from store.models import utcnow

SCHEDULER = "scheduler"
SHOWN_OVERDUE = 20             # outlets named in the beat (all are counted)


def scheduler_beat(daemon) -> None:
    settings, store = daemon.settings, daemon.store
    now = utcnow()
    intervals = {name: float(src.interval) * settings.minute for name, src in daemon.launcher.sources.items()
                 if getattr(src, "enabled", True) and not getattr(src, "cron", None)}
    late = overdue(store, intervals, daemon.started_at, now)
    due = sum(1 for when in next_runs(store).values() if when is not None and when <= now)
    if daemon.queue is not None:
        mode, counts = "workers", daemon.queue.counts()
    elif daemon.engine is not None:
        stats = daemon.engine.stats()
        mode, counts = "engine", {"running": stats["running"], "waiting": stats["waiting"]}
        beat(store, f"engine:{socket.gethostname()}", "engine", daemon.started_at, jobs_done=stats["done"],
             running=stats["running"], waiting=stats["waiting"], memory=stats["memory"],
             detail={"engines": stats["engines"], "recycled": stats["recycled"]})
    else:
        mode, counts = "processes", {"running": len(daemon.launcher.running()), "waiting": 0}
    beat(store, SCHEDULER, SCHEDULER, daemon.started_at, running=counts["running"], waiting=counts["waiting"],
         detail={"mode": mode, "due": due, "outlets": len(intervals), "overdue_count": len(late),
                 "overdue": late[:SHOWN_OVERDUE]})


def clear_scheduler_beat(store: Store) -> None:
    clear_beat(store, SCHEDULER)
    clear_beat(store, f"engine:{socket.gethostname()}")
