"""`pantau worker`: one machine's share of the crawls. Takes crawl jobs from the queue on the broker
(scheduling/queue.py), runs each in this machine's long-lived crawl engine (scheduling/engine_client.py), and
beats every few seconds: host, jobs done, crawls running, memory (table engine_beat, for `pantau status`), and
procrastinate's own worker heartbeat.

A worker that dies (killed, machine gone) stops beating; any other worker then finds its jobs stalled, records
their runs as interrupted and puts the jobs back on the queue, where the next free worker crawls them again.
The outlet's lock holds meanwhile, so no other crawl of it starts before that. Articles are keyed by URL: the
second crawl stores what the first did not, and nothing twice.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from dataclasses import dataclass
from pathlib import Path

from scheduling.engine_client import EngineClient
from scheduling.queue import QUEUE, ensure_schema, make_app, set_runner
from store import Store
from store.capacity import beat, clear_beat
from store.history import interrupt_runs
from store.models import utcnow

log = logging.getLogger("pantau.worker")


@dataclass
class WorkerSettings:
    broker: str
    db_url: str | None = None
    sources_path: Path | None = None
    in_flight: int = 100                     # crawl jobs at once on this machine
    recycle_after: int = 1000
    memory_mark_mb: float = 1200.0
    run_timeout: float = 3600.0
    heartbeat: float = 10.0                  # seconds between beats
    stalled_after: float = 60.0              # seconds without a beat before a worker's jobs are taken back
    shutdown_grace: float = 60.0


class Worker:
    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.name = f"worker:{socket.gethostname()}:{os.getpid()}"
        self.started_at = utcnow()
        self.store: Store | None = None
        self.engine: EngineClient | None = None
        self.jobs_done = 0

    def serve(self) -> int:
        """Run until SIGTERM/SIGINT: crawl jobs as they come. Raises QueueError or StoreError before starting."""
        from crawler.sources import default_sources_path
        ensure_schema(self.settings.broker)
        self.store = Store(self.settings.db_url)
        sources = self.settings.sources_path or default_sources_path()
        s = self.settings
        self.engine = EngineClient(self.store, sources, trigger="worker", in_flight=s.in_flight,
                                   recycle_after=s.recycle_after, memory_mark=int(s.memory_mark_mb * 2**20),
                                   run_timeout=s.run_timeout)
        set_runner(self._crawl)
        try:
            asyncio.run(self._serve())
        finally:
            set_runner(None)
            self.engine.close(s.shutdown_grace)
            try:
                clear_beat(self.store, self.name)
            except Exception as exc:  # noqa: BLE001 - status shows it gone after STALE_AFTER anyway
                log.warning("beat not cleared: %s", exc)
            self.store.dispose()
        return 0

    async def _serve(self) -> None:
        s = self.settings
        app = make_app(s.broker)
        async with app.open_async():
            worker = asyncio.create_task(app.run_worker_async(
                queues=[QUEUE], concurrency=s.in_flight, name=self.name, install_signal_handlers=False,
                update_heartbeat_interval=s.heartbeat, stalled_worker_timeout=s.stalled_after,
                shutdown_graceful_timeout=s.shutdown_grace, listen_notify=True))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            log.info("worker %s taking crawl jobs (at most %d at once)", self.name, s.in_flight)
            while not stop.is_set() and not worker.done():
                await self._beat(app)
                try:
                    await asyncio.wait_for(stop.wait(), s.heartbeat)
                except asyncio.TimeoutError:
                    pass
            log.info("worker %s stopping: its crawls get %g s to end; unfinished jobs go back on the queue",
                     self.name, s.shutdown_grace)
            await asyncio.to_thread(self.engine.close, s.shutdown_grace)
            worker.cancel()                  # procrastinate's worker stops gracefully on cancellation
            try:
                await worker
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping either way
                pass

    async def _crawl(self, source: str) -> dict:
        future = self.engine.submit(source)
        if future is None:                   # the outlet's lock makes this a bug, not a race
            raise RuntimeError(f"{source} is already being crawled by this worker")
        outcome = await asyncio.wrap_future(future)
        self.jobs_done += 1
        log.info("crawl %s %s (run %s): %s new, %s errors", source, outcome.get("status"), outcome.get("run_id"),
                 outcome.get("new", 0), outcome.get("errors", 0), extra={"source": source})
        if outcome.get("status") == "interrupted" or (outcome.get("status") == "skipped" and self.engine.closing):
            raise RuntimeError(f"the crawl of {source} was interrupted: {outcome.get('message')}")   # retried
        return outcome

    async def _beat(self, app) -> None:
        stats = self.engine.stats()
        try:
            await asyncio.to_thread(beat, self.store, self.name, "worker", self.started_at, jobs_done=self.jobs_done,
                                    running=stats["running"], waiting=stats["waiting"], memory=stats["memory"])
            await self._take_back_stalled(app)
        except Exception as exc:  # noqa: BLE001 - a missed beat is only a warning
            log.warning("worker beat failed: %s", exc)

    async def _take_back_stalled(self, app) -> None:
        """Jobs of workers that stopped beating go back on the queue; their runs are recorded as interrupted."""
        stalled = await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=self.settings.stalled_after)
        for job in stalled:
            source = job.task_kwargs.get("source")
            try:
                await asyncio.to_thread(interrupt_runs, self.store, "its worker stopped beating; crawled again",
                                        sources=[source], trigger="worker")
                await app.job_manager.retry_job(job)
                log.warning("job %s (%s) of a worker that stopped beating is back on the queue", job.id, source,
                            extra={"source": source})
            except Exception as exc:  # noqa: BLE001 - another worker took it back first, or a newer job waits
                log.info("stalled job %s (%s) not taken back: %s", job.id, source, exc)
                if "queueing_lock" in str(exc) or "unique" in str(exc).lower():
                    from procrastinate.jobs import Status
                    await app.job_manager.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
