"""Crawl engine benchmark: one polling round over M simulated outlets (lab/simulator/fleet.py: one 127.0.0.1
server, outlet N under /oN/, a feed of a few new articles each, a polite delay), with the daemon's long-lived
engine (scheduling/engine_client.py) against the `pantau run-once` way (a child process per outlet, 4 at once).

Prints, per M: wall time of the round, CPU seconds per outlet poll and peak memory (PSS, sampled every 0.5 s over
every process the round started: engine, fork server, ingest workers; the simulator is not counted), and the
projected outlets per 30 minutes on this machine. The run-once way is measured on --baseline outlets and projected
linearly (it takes outlets in turn, four at a time); both are measured on one outlet alone too.

    python bench/bench_engine.py [--outlets 100,500,2000] [--articles 3] [--delay 0.5] [--baseline 20]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lab.simulator.fleet import Fleet  # noqa: E402
from store import Store  # noqa: E402
from store.processes import descendants, tree_pss  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


class TreeSampler:
    """Peak PSS of our descendants, and the CPU each of them used (last reading per process)."""

    def __init__(self) -> None:
        self.peak, self.cpu = 0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, tree_pss(me) - tree_pss_self(me))
            for pid in descendants(me):
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
                    self.cpu[pid] = (int(fields[11]) + int(fields[12])) / TICK
                except (OSError, IndexError, ValueError):
                    pass

    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def tree_pss_self(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return sum(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except OSError:
        return 0


def engine_round(m: int, args, work: Path) -> dict:
    from scheduling.engine_client import EngineClient
    with Fleet(m, articles=args.articles) as fleet:
        sources = fleet.write_sources(work / f"engine-{m}.toml", delay=args.delay, concurrency=1)
        store = Store(f"sqlite:///{work / f'engine-{m}.db'}")
        client = EngineClient(store, sources, in_flight=args.in_flight, ingest_workers=args.ingest_workers)
        with TreeSampler() as sampler:
            start = time.monotonic()
            futures = [client.submit(f"fleet-{name}") for name in fleet.outlets]
            outcomes = [f.result() for f in futures]
            wall = time.monotonic() - start
            client.close(60)
        store.dispose()
    ok = sum(o["status"] == "ok" for o in outcomes)
    new = sum(o.get("new", 0) for o in outcomes)
    return {"wall": wall, "cpu": sampler.cpu_seconds(), "pss": sampler.peak, "ok": ok, "new": new}


def run_once_round(m: int, args, work: Path) -> dict:
    from scheduling.jobs import Settings
    from scheduling.launcher import run_once
    with Fleet(m, articles=args.articles) as fleet:
        sources = fleet.write_sources(work / f"once-{m}.toml", delay=args.delay, concurrency=1)
        settings = Settings(db_url=f"sqlite:///{work / f'once-{m}.db'}", sources_path=sources,
                            state_dir=work / f"once-{m}", workers=4)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with TreeSampler() as sampler:
            start = time.monotonic()
            outcomes = run_once(settings)
            wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": max(cpu, sampler.cpu_seconds()), "pss": sampler.peak,
            "ok": sum(o.status == "ok" for o in outcomes), "new": sum(o.new for o in outcomes)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", default="100,500,2000", help="comma-separated M values")
    parser.add_argument("--articles", type=int, default=3, help="new articles per outlet")
    parser.add_argument("--delay", type=float, default=0.5, help="polite delay per outlet, seconds")
    parser.add_argument("--baseline", type=int, default=20, help="outlets for the run-once way (0: skip it)")
    parser.add_argument("--in-flight", type=int, default=200)
    parser.add_argument("--ingest-workers", default="auto")
    args = parser.parse_args()
    logging_quiet()
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-engine-"))
    print(f"{os.cpu_count()} CPUs; {args.articles} new articles per outlet, {args.delay:g} s polite delay; "
          f"engine: {args.in_flight} crawls in flight", flush=True)
    rows = []
    if args.baseline:
        for m in (1, args.baseline):
            r = run_once_round(m, args, work)
            rows.append(("run-once", m, r))
            print_row("run-once", m, r)
    for m in [1] + [int(x) for x in args.outlets.split(",") if x.strip()]:
        r = engine_round(m, args, work)
        rows.append(("engine", m, r))
        print_row("engine", m, r)
    one = {kind: r["wall"] for kind, m, r in rows if m == 1}
    base = next((r for kind, m, r in rows if kind == "run-once" and m > 1), None)
    for kind, m, r in rows:
        if kind == "engine" and m > 1:
            line = f"engine M={m}: round = {r['wall'] / one['engine']:.1f}x one outlet alone"
            if base:
                projected = base["wall"] / args.baseline * m
                line += f"; run-once projected {projected:.0f} s, engine {projected / r['wall']:.2f}x faster"
            print(line, flush=True)
    return 0


def print_row(kind: str, m: int, r: dict) -> None:
    per_30 = m / r["wall"] * 1800
    print(f"{kind:8} M={m:<5} wall {r['wall']:7.1f} s  CPU {r['cpu'] / m:5.2f} s/poll  peak PSS "
          f"{r['pss'] / 2**20:6.0f} MB  ok {r['ok']}/{m}, {r['new']} new  -> {per_30:,.0f} outlets per 30 min",
          flush=True)


def logging_quiet() -> None:
    import logging
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("pantau.crawl").setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
