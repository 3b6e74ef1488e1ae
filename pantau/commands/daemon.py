"""`pantau daemon`, `status`, `run-once`, `reload` and `prune-runs`: the scheduler seen from the shell.
The logic lives in scheduling/ and store/history.py; this module parses options and prints."""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from pantau.capacity import BrokerOption, EngineOption, InFlightOption, MemoryMarkOption, RecycleOption, print_engine
from pantau.options import DbOption, SourcesOption, fail, open_store

app = typer.Typer()

StateDirOption = Annotated[Optional[Path], typer.Option(
    "--state-dir", help="Crawl checkpoints and the active sources snapshot (default: in your data directory).")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Crawls running at once, each in a child "
                                            "process.")]
DaemonWorkersOption = Annotated[int, typer.Option("--workers", min=1, help="With --process-per-crawl: crawls running "
                                                  "at once (the engine runs up to --in-flight).")]
RunTimeoutOption = Annotated[float, typer.Option("--run-timeout", min=1, help="Seconds a crawl may take when its "
                                                 "source sets no timeout.")]
CrawlerCommandOption = Annotated[str, typer.Option("--crawler-command", help="Command that runs one crawl, e.g. "
                                                   "'nice -n 10 python -m crawler.run' (default: this Python with "
                                                   "-m crawler.run).")]


class LogFormat(str, Enum):
    plain = "plain"
    json = "json"


class LogLevel(str, Enum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


@app.command("daemon")
def daemon_command(
    db: DbOption = None,
    sources: SourcesOption = None,
    log_format: Annotated[LogFormat, typer.Option("--log-format", help="stderr lines: plain text or JSON.")] = LogFormat.plain,
    log_level: Annotated[LogLevel, typer.Option("--log-level", case_sensitive=False)] = LogLevel.INFO,
    workers: DaemonWorkersOption = 4,
    run_timeout: RunTimeoutOption = 3600,
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
    state_dir: StateDirOption = None,
    crawler_command: Annotated[str, typer.Option("--crawler-command", help="With --process-per-crawl: the command "
                                                 "that runs one crawl, e.g. 'nice -n 10 python -m crawler.run' "
                                                 "(default: this Python with -m crawler.run).")] = "",
    engine: EngineOption = None, in_flight: InFlightOption = 200, recycle_after: RecycleOption = 1000,
    memory_mark: MemoryMarkOption = 1200, broker: BrokerOption = None,
    heartbeat: Annotated[float, typer.Option("--heartbeat", min=0.1, hidden=True)] = 15,
    kill_grace: Annotated[float, typer.Option("--kill-grace", min=0, hidden=True)] = 15,
    minute: Annotated[float, typer.Option("--minute-seconds", min=0.01, hidden=True,
                                          help="Seconds in a schedule minute (tests and demos).")] = 60,
) -> None:
    """Run the scheduler in the foreground: every source crawled on its own schedule.

    Crawls run in one long-lived crawl engine process (up to --in-flight side by side, each outlet with its own
    politeness and timeout; recycled after --recycle-after crawls or above --memory-mark); --process-per-crawl
    runs each crawl in a child process of its own instead; with --broker, workers on any machine crawl.
    SIGHUP (or `pantau reload`) re-reads the sources file; SIGTERM or SIGINT stops gracefully, a second one at
    once. See docs/operations.md and docs/distributed.md."""
    from scheduling.daemon import Daemon
    from scheduling.jobs import ConfigError, Settings
    from scheduling.logs import setup_logging
    from scheduling.queue import QueueError
    from store.db import StoreError
    if engine and crawler_command:
        raise fail("--crawler-command runs each crawl in a child process: give it with --process-per-crawl, "
                   "not --engine", 2)
    if engine is None:
        engine = not crawler_command
    setup_logging(log_format.value, log_level.value)
    settings = Settings(
        db_url=db, sources_path=sources, state_dir=state_dir, workers=workers, run_timeout=run_timeout,
        kill_grace=kill_grace, shutdown_grace=shutdown_grace, default_interval=default_interval, jitter=jitter,
        misfire_grace=misfire_grace, timezone=tz, heartbeat=heartbeat, keep_runs_days=keep_runs, minute=minute,
        crawler_command=crawler_command, engine=engine, in_flight=in_flight, recycle_after=recycle_after,
        memory_mark_mb=memory_mark, broker=broker)
    try:
        code = Daemon(settings).serve()
    except (ConfigError, StoreError, QueueError) as exc:
        typer.echo(f"pantau: error: not starting: {exc}", err=True)
        raise typer.Exit(2)
    raise typer.Exit(code)


@app.command("run-once")
def run_once(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[SOURCE]...", help="Sources to crawl "
                                                         "(default: every enabled one).")] = None,
    db: DbOption = None,
    sources: SourcesOption = None,
    workers: WorkersOption = 2,
    run_timeout: RunTimeoutOption = 3600,
    state_dir: StateDirOption = None,
    crawler_command: CrawlerCommandOption = "",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source on stdout.")] = False,
) -> None:
    """Crawl each source once, as the daemon would, and exit (for cron).

    Each crawl runs in a child process of its own (as `pantau daemon --process-per-crawl` does), --workers at
    once, with the same timeouts and run records. Exit status 1 if any source could not be crawled (failed, blocked, interrupted, timeout); a partial crawl is 0."""
    from scheduling.jobs import ConfigError, Settings
    from scheduling.launcher import run_once as run_sources_once
    from store.db import StoreError
    from store.runs import FAILED_STATUSES
    settings = Settings(db_url=db, sources_path=sources, state_dir=state_dir, workers=workers,
                        run_timeout=run_timeout, crawler_command=crawler_command)
    try:
        outcomes = run_sources_once(settings, names)
    except ConfigError as exc:
        raise fail(str(exc), 2)
    except StoreError as exc:
        raise fail(str(exc), 2)
    for o in outcomes:
        if as_json:
            sys.stdout.write(json.dumps({"source": o.source, "run_id": o.run_id, "status": o.status, "new": o.new,
                                         "updated": o.updated, "errors": o.errors, "seconds": round(o.seconds, 1),
                                         "message": o.message}, ensure_ascii=False) + "\n")
        else:
            note = f" -- {o.message}" if o.message else ""
            typer.echo(f"{o.source}: {o.status}, {o.new} new, {o.updated} updated, {o.errors} errors "
                       f"({o.seconds:.1f} s, run {o.run_id}){note}")
    if any(o.status in FAILED_STATUSES for o in outcomes):
        raise typer.Exit(1)


@app.command()
def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit status 1 unless a daemon is alive "
                                        "(for health checks).")] = False,
) -> None:
    """Whether a daemon is alive, and per source: last run, its result and counts, next run."""
    from store.capacity import engine_state
    from store.db import StoreError
    from store.history import daemon_state, source_status
    store = open_store(db)
    try:
        state = daemon_state(store)
        rows = source_status(store)
        engine = engine_state(store)
    except StoreError as exc:
        raise fail(str(exc), 2)
    finally:
        store.dispose()
    if as_json:
        sys.stdout.write(json.dumps({"daemon": state, "sources": rows, "engine": engine}, default=_iso,
                                    ensure_ascii=False) + "\n")
    else:
        _print_status(state, rows)
        print_engine(engine, Console(width=None if sys.stdout.isatty() else 160))
    if check and not state["alive"]:
        raise typer.Exit(1)


def _print_status(state: dict, rows: list[dict]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 160)
    if state["alive"]:
        console.print(f"daemon: [green]alive[/] -- pid {state['pid']} on {state['host']}, up since "
                      f"{_when(state['started_at'])}, heartbeat {state['beat_age_s']:.0f} s ago")
    else:
        console.print(f"daemon: [red]not running[/] ({state['reason']})")
    table = Table(box=None, pad_edge=False, caption=f"times in {datetime.now().astimezone():%Z (UTC%z)}",
                  caption_justify="left")
    for column in ("source", "last start", "last end", "result", "new", "updated", "errors", "next run"):
        table.add_column(column, justify="right" if column in ("new", "updated", "errors") else "left",
                         no_wrap=True)
    for row in rows:
        run = row["last_run"] or {}
        result = run.get("status", "never run")
        style = {"ok": "green", "partial": "yellow", "running": "cyan", "failed": "red", "timeout": "red", "blocked": "red",
                 "interrupted": "yellow"}.get(result, "")
        if row["next_run"]:
            nxt = _when(row["next_run"])
        else:
            nxt = "disabled" if row["enabled"] is False else ("paused" if row["scheduled"] else "not scheduled")
        table.add_row(row["source"], _when(run.get("started_at")), _when(run.get("ended_at")),
                      f"[{style}]{result}[/]" if style else result, str(run.get("new", "")),
                      str(run.get("updated", "")), str(run.get("errors", "")), nxt)
    console.print(table)
    for row in rows:
        run = row["last_run"] or {}
        if run.get("message") and run.get("status") != "ok":
            console.print(f"{row['source']}: {run['message']}", markup=False, highlight=False)


@app.command()
def reload(db: DbOption = None) -> None:
    """Ask the running daemon to re-read the sources file (SIGHUP; the daemon must run on this host)."""
    from store.history import daemon_state
    store = open_store(db)
    try:
        state = daemon_state(store)
    finally:
        store.dispose()
    if not state["alive"]:
        raise fail(f"no daemon is running on this database ({state['reason']})")
    if state["host"] != socket.gethostname():
        raise fail(f"the daemon runs on {state['host']} (pid {state['pid']}): reload it there")
    os.kill(state["pid"], signal.SIGHUP)
    typer.echo(f"sent SIGHUP to the daemon (pid {state['pid']}); its log says whether the file was accepted")


@app.command("prune-runs")
def prune_runs(
    older_than: Annotated[float, typer.Option("--older-than", min=0, help="Days: runs started before this "
                                              "are deleted (each source's latest run stays).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count them.")] = False,
    db: DbOption = None,
) -> None:
    """Delete old crawl-run history (and its page errors)."""
    from store.db import StoreError
    from store.history import prune_runs as prune_old_runs
    store = open_store(db)
    try:
        n = prune_old_runs(store, older_than, dry_run=dry_run)
    except StoreError as exc:
        raise fail(str(exc), 2)
    finally:
        store.dispose()
    typer.echo(f"{'would delete' if dry_run else 'deleted'} {n} runs older than {older_than:g} days")


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%m-%d %H:%M:%S") if value else "-"


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
