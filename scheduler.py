"""The Pantau daemon: every outlet crawled on its own schedule, each crawl in a child process.

`python scheduler.py [OPTIONS]` (or `python -m scheduler`) is `pantau daemon [OPTIONS]`. The scheduler only starts crawls and
records runs. APScheduler 3 keeps one job per source in the same database (table apscheduler_jobs);
a job names its function by text ("scheduler:run_source") and holds only the source name. Each run is
`python -m crawler.run ... SOURCE` in its own process group (Twisted's reactor cannot restart in one
process; memory comes back; a hung crawl can be killed). Operations: docs/operations.md.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from datetime import timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from sqlalchemy.exc import SQLAlchemyError

from pantau.scheduling.history import (check_no_other_daemon, clear_heartbeat, mark_stale_runs, prune_runs,
                                       write_heartbeat)
from pantau.scheduling.jobs import (ConfigError, Settings, build_jobs, load_sources, record_sources, sources_path,
                                    sync_jobs)
from pantau.scheduling.launcher import Launcher
from pantau.scheduling.logs import setup_logging
from store import Store
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



class LogFormat(str, Enum):
    plain = "plain"
    json = "json"


class LogLevel(str, Enum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


def daemon_command(
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (default: $PANTAU_DATABASE_URL, else an "
                                              "SQLite file in your data directory).")] = None,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="Sources file (default: $PANTAU_SOURCES, "
                                                    "else the shipped crawler/sources.toml).")] = None,
    log_format: Annotated[LogFormat, typer.Option("--log-format", help="stderr lines: plain text or JSON.")] = LogFormat.plain,
    log_level: Annotated[LogLevel, typer.Option("--log-level", case_sensitive=False)] = LogLevel.INFO,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Crawls running at once.")] = 4,
    run_timeout: Annotated[float, typer.Option("--run-timeout", min=1, help="Seconds a crawl may take when "
                                               "its source sets no timeout.")] = 3600,
    shutdown_grace: Annotated[float, typer.Option("--shutdown-grace", min=0, help="On SIGTERM/SIGINT, seconds "
                                                  "running crawls get to checkpoint and end.")] = 60,
    default_interval: Annotated[float, typer.Option("--default-interval", min=1, help="Minutes between crawls "
                                                    "of a source with neither interval nor cron.")] = 60,
    jitter: Annotated[Optional[float], typer.Option("--jitter", min=0, help="Seconds of random delay per run "
                                                    "(default: a tenth of the interval, at most 300; 300 for cron).")] = None,
    misfire_grace: Annotated[int, typer.Option("--misfire-grace", min=1, help="Seconds a missed run (daemon "
                                               "down, workers busy) may still start late; once, not per slot.")] = 3600,
    tz: Annotated[str, typer.Option("--timezone", help="Time zone of cron expressions.")] = "Asia/Jakarta",
    keep_runs: Annotated[Optional[float], typer.Option("--keep-runs", min=1, help="Days of run history to keep "
                                                       "(pruned daily; default: keep all).")] = None,
    state_dir: Annotated[Optional[Path], typer.Option("--state-dir", help="Crawl checkpoints and the active "
                                                      "sources snapshot (default: in your data directory).")] = None,
    crawler_command: Annotated[str, typer.Option("--crawler-command", help="Command that runs one crawl, e.g. "
                                                 "'nice -n 10 python -m crawler.run' (default: this Python "
                                                 "with -m crawler.run).")] = "",
    heartbeat: Annotated[float, typer.Option("--heartbeat", min=0.1, hidden=True)] = 15,
    kill_grace: Annotated[float, typer.Option("--kill-grace", min=0, hidden=True)] = 15,
    minute: Annotated[float, typer.Option("--minute-seconds", min=0.01, hidden=True,
                                          help="Seconds in a schedule minute (tests and demos).")] = 60,
) -> None:
    """Run the scheduler in the foreground: every source crawled on its own schedule.

    Each crawl runs in a child process. SIGHUP (or `pantau reload`) re-reads the sources file; SIGTERM or
    SIGINT stops gracefully, a second one at once. See docs/operations.md."""
    setup_logging(log_format.value, log_level.value)
    settings = Settings(
        db_url=db, sources_path=sources, state_dir=state_dir, workers=workers, run_timeout=run_timeout,
        kill_grace=kill_grace, shutdown_grace=shutdown_grace, default_interval=default_interval, jitter=jitter,
        misfire_grace=misfire_grace, timezone=tz, heartbeat=heartbeat, keep_runs_days=keep_runs, minute=minute,
        crawler_command=crawler_command)
    try:
        code = Daemon(settings).serve()
    except (ConfigError, StoreError) as exc:
        typer.echo(f"pantau: error: not starting: {exc}", err=True)
        raise typer.Exit(2)
    raise typer.Exit(code)


def main(argv: list[str] | None = None) -> int:
    """`python scheduler.py [OPTIONS]` (or `python -m scheduler`): `pantau daemon` without loading the
    rest of the CLI (the daemon never extracts or tags; its children do)."""
    cli = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    cli.command()(daemon_command)
    try:
        cli(args=sys.argv[1:] if argv is None else argv, prog_name="scheduler.py")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    import scheduler  # the module the job store names ("scheduler:run_source"), not a second __main__ copy
    sys.exit(scheduler.main())
