"""The crawl engine seen from the shell: the options `pantau daemon` and `pantau worker` share, and the engine's
part of `pantau status` (outlets due, running, waiting; each worker's host, alive, jobs done, memory; overdue outlets)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

BrokerOption = Annotated[Optional[str], typer.Option(
    "--broker", envvar="PANTAU_BROKER_URL", show_envvar=False,
    help="PostgreSQL URL of the crawl queue (default: $PANTAU_BROKER_URL). With it the daemon only enqueues, "
         "`pantau worker` on each machine crawls, and a second daemon stands by. See docs/distributed.md.")]
EngineOption = Annotated[Optional[bool], typer.Option(
    "--engine/--process-per-crawl", show_default=False, help="Crawl in one long-lived engine process (the "
    "default: thousands of outlets side by side), or each crawl in a child process of its own (the default when "
    "--crawler-command is given).")]
InFlightOption = Annotated[int, typer.Option("--in-flight", min=1, help="Engine: crawls side by side at most (the "
                                            "others wait their turn).")]
RecycleOption = Annotated[int, typer.Option("--recycle-after", min=1, help="Engine: a fresh engine process after "
                                            "this many crawls (the old one finishes its crawls first).")]
MemoryMarkOption = Annotated[float, typer.Option("--memory-mark", min=50, help="Engine: a fresh engine process "
                                                 "once it and its ingest workers use this many MB (PSS).")]


def print_engine(engine: dict, console: Console | None = None) -> None:
    """The engine's lines in `pantau status` (nothing when no daemon or worker ever beat here)."""
    console = console or Console()
    scheduler, workers = engine.get("scheduler"), engine.get("workers") or []
    if scheduler:
        state = "" if scheduler["alive"] else " [red](scheduler not beating)[/]"
        console.print(f"crawls ({scheduler.get('mode', '?')}): {scheduler.get('due', 0)} due, "
                      f"{scheduler['running']} running, {scheduler['waiting']} waiting, "
                      f"{scheduler.get('overdue_count', 0)} of {scheduler.get('outlets', 0)} outlets overdue{state}")
    if workers:
        table = Table(box=None, pad_edge=False)
        for column in ("worker", "host", "pid", "alive", "jobs done", "running", "memory", "last beat"):
            table.add_column(column, justify="right" if column in ("pid", "jobs done", "running", "memory") else "left")
        for w in workers:
            table.add_row(w["role"], w["host"], str(w["pid"]), "[green]yes[/]" if w["alive"] else "[red]no[/]",
                          str(w["jobs_done"]), str(w["running"]), f"{w['memory'] / 2**20:.0f} MB",
                          f"{w['beat_age_s']:.0f} s ago")
        console.print(table)
    for late in (scheduler or {}).get("overdue", []):
        last = late["last_start"]
        when = datetime.fromisoformat(last).astimezone().strftime("%m-%d %H:%M") if isinstance(last, str) else "never"
        console.print(f"overdue: {late['source']} -- last crawl started {when}, {late['late_s']:.0f} s past its "
                      f"{late['interval_s']:.0f} s interval", markup=False, highlight=False)
