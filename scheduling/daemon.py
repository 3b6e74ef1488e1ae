"""The daemon: every outlet crawled on its own schedule, each crawl in a child process.

`pantau daemon` (or `python scheduler.py`) runs `Daemon(settings).serve()`. The scheduler only starts crawls and
records runs. APScheduler 3 keeps one job per source in the same database (table apscheduler_jobs);
a job names its function by text ("scheduler:run_source") and holds only the source name. Each run is
`python -m crawler.run ... SOURCE` in its own process group (Twisted's reactor cannot restart in one
process; memory comes back; a hung crawl can be killed). Operations: docs/operations.md.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import timezone

from sqlalchemy.exc import SQLAlchemyError

from scheduling.jobs import (ConfigError, Settings, build_jobs, load_sources, record_sources, sources_path,
                             sync_jobs)
from scheduling.launcher import Launcher
from store import Store
from store.history import check_no_other_daemon, clear_heartbeat, mark_stale_runs, prune_runs, write_heartbeat
from store.db import StoreError
from store.models import utcnow

log = logging.getLogger("pantau.scheduler")

_ACTIVE: "Daemon | None" = None


def run_source(name: str) -> None:
    """The scheduled job body (referenced by text from the job store)."""
    daemon = _ACTIVE
    if daemon is None:
        raise RuntimeError("run_source called outside a running daemon")
    daemon.launcher.run(name)


class Daemon:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store | None = None
        self.launcher: Launcher | None = None
        self.scheduler = None
        self.started_at = utcnow()
        self._wake = threading.Event()
        self._signals = 0
        self._reload = False

    def serve(self) -> int:
        """Run in the foreground until SIGTERM/SIGINT, then return 0. Raises ConfigError (the sources file
        is bad: nothing started) or StoreError (database unusable, or another daemon is alive on it)."""
        global _ACTIVE
        path = sources_path(self.settings)
        sources = load_sources(path)
        specs = build_jobs(sources, self.settings)
        self.store = Store(self.settings.db_url)
        self.launcher = Launcher(self.store, self.settings, "daemon")
        previous = {}
        try:
            check_no_other_daemon(self.store)
            self.launcher.use_sources(sources, path)
            record_sources(self.store, sources)
            stale = mark_stale_runs(self.store, self.launcher.max_run_seconds())
            if stale:
                log.warning("marked %d runs left running by a previous daemon as interrupted: %s", len(stale),
                            ", ".join(map(str, stale)))
            self.scheduler = self._make_scheduler()
            _ACTIVE = self
            previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
            self.beat()
            self.scheduler.start(paused=True)
            changes = sync_jobs(self.scheduler, specs, self.settings)
            self.scheduler.resume()
            log.info("daemon started (pid %d): %d sources scheduled (%s), %d workers, database %s", os.getpid(),
                     len(specs), _describe(changes), self.settings.workers, self.store.safe_url)
            self._loop()
            self._stop()
        finally:
            if self.scheduler is not None and self.scheduler.running:   # only after an unexpected error
                self.launcher.kill_all()
                self.scheduler.shutdown(wait=False)
            for s, handler in previous.items():
                signal.signal(s, handler)
            _ACTIVE = None
            self._clear_heartbeat()
            self.store.dispose()
        return 0

    def _make_scheduler(self):
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        return BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine)},
                                   executors={"default": ThreadPoolExecutor(self.settings.workers)},
                                   timezone=timezone.utc)

    def _on_signal(self, signum, _frame) -> None:
        # Only flags here; the main loop acts on them.
        if signum == signal.SIGHUP:
            self._reload = True
        else:
            self._signals += 1
            if self._signals > 1:
                self.launcher.stopping = True
        self._wake.set()

    def _loop(self) -> None:
        while not self._signals:
            self._wake.wait(self.settings.heartbeat)
            self._wake.clear()
            if self._reload and not self._signals:
                self._reload = False
                self.reload()
            self.beat()

    def reload(self) -> None:
        """Re-read the sources file; on any error keep the running configuration and say why."""
        try:
            path = sources_path(self.settings)
            sources = load_sources(path)
            specs = build_jobs(sources, self.settings)
        except ConfigError as exc:
            log.error("reload failed, keeping the last good configuration: %s", exc)
            return
        try:
            self.launcher.use_sources(sources, path)
            record_sources(self.store, sources)
            changes = sync_jobs(self.scheduler, specs, self.settings)
        except (OSError, StoreError, SQLAlchemyError) as exc:
            log.error("reload failed half-way (%s): send SIGHUP again once it is fixed", exc)
            return
        log.info("reloaded the sources file: %s", _describe(changes))

    def _stop(self) -> None:
        self.scheduler.pause()
        with getattr(self.scheduler, "_jobstores_lock", threading.Lock()):
            pass                                  # a job hand-out already under way has finished
        running = self.launcher.terminate_all()
        grace = self.settings.shutdown_grace
        log.info("stopping: no new crawls; %d running crawls get %g s to checkpoint and end", running, grace)
        deadline = time.monotonic() + grace
        while self.launcher.running() and time.monotonic() < deadline and self._signals < 2:
            time.sleep(0.1)
        if self.launcher.running():
            log.warning("ending the crawls still running now: %s", ", ".join(self.launcher.running()))
            self.launcher.kill_all()
        self.scheduler.shutdown(wait=True)
        log.info("daemon stopped")

    def beat(self) -> None:
        try:
            write_heartbeat(self.store, self.started_at)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("heartbeat not recorded: %s", exc)

    def _clear_heartbeat(self) -> None:
        try:
            clear_heartbeat(self.store)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("heartbeat not cleared: %s", exc)


def _describe(changes: dict[str, list[str]]) -> str:
    return ", ".join(f"{k} {len(v)}" + (f" ({', '.join(v)})" if v and k != "kept" else "")
                     for k, v in changes.items() if v) or "no sources"


def prune_job() -> None:
    daemon = _ACTIVE
    if daemon is not None and daemon.settings.keep_runs_days:
        n = prune_runs(daemon.store, daemon.settings.keep_runs_days)
        log.info("pruned %d runs older than %g days", n, daemon.settings.keep_runs_days)


def digest_job() -> None:
    """The desk's digests, on PANTAU_DIGEST_CRON (docs/desk.md)."""
    from desk.digest import parse_since, send_digests
    daemon = _ACTIVE
    if daemon is not None:
        outcomes = send_digests(daemon.store, parse_since(daemon.settings.digest_since))
        log.info("digests: %s", "; ".join(f"{o.account} e-mail {o.email}, chat {o.notify}" for o in outcomes) or "no accounts")
