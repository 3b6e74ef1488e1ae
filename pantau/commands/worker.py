"""`pantau worker`: crawl jobs from the queue on the broker, on this machine (scheduling/worker.py does it)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pantau.capacity import BrokerOption, InFlightOption, MemoryMarkOption, RecycleOption
from pantau.options import DbOption, SourcesOption, fail

app = typer.Typer()


@app.command("worker")
def worker_command(
    broker: BrokerOption = None,
    db: DbOption = None,
    sources: SourcesOption = None,
    in_flight: InFlightOption = 100,
    recycle_after: RecycleOption = 1000,
    memory_mark: MemoryMarkOption = 1200,
    run_timeout: Annotated[float, typer.Option("--run-timeout", min=1, help="Seconds a crawl may take when its "
                                               "source sets no timeout.")] = 3600,
    shutdown_grace: Annotated[float, typer.Option("--shutdown-grace", min=0, help="On SIGTERM/SIGINT, seconds "
                                                  "running crawls get to end (unfinished jobs are queued again).")] = 60,
    log_format: Annotated[str, typer.Option("--log-format", help="stderr lines: plain or json.")] = "plain",
    log_level: Annotated[str, typer.Option("--log-level")] = "INFO",
    heartbeat: Annotated[float, typer.Option("--heartbeat", min=0.1, hidden=True)] = 10,
    stalled_after: Annotated[float, typer.Option("--stalled-after", min=1, hidden=True)] = 60,
) -> None:
    """Crawl the outlets the daemon enqueues, on this machine, until SIGTERM.

    Needs the broker (PostgreSQL) and the database the daemon uses; every machine runs one worker. A worker that
    dies has its jobs crawled again by the others. See docs/distributed.md."""
    from scheduling.logs import setup_logging
    from scheduling.queue import QueueError, broker_url
    from scheduling.worker import Worker, WorkerSettings
    from store.db import StoreError
    url = broker_url(broker)
    if not url:
        raise fail("no broker: give --broker postgresql://USER@HOST/DB or set PANTAU_BROKER_URL", 2)
    if log_format not in ("plain", "json"):
        raise fail(f"--log-format must be plain or json, not {log_format!r}", 2)
    setup_logging(log_format, log_level)
    settings = WorkerSettings(broker=url, db_url=db, sources_path=Path(sources) if sources else None,
                              in_flight=in_flight, recycle_after=recycle_after, memory_mark_mb=memory_mark,
                              run_timeout=run_timeout, heartbeat=heartbeat, stalled_after=stalled_after,
                              shutdown_grace=shutdown_grace)
    try:
        code = Worker(settings).serve()
    except (QueueError, StoreError) as exc:
        raise fail(f"not starting: {exc}", 2)
    raise typer.Exit(code)



