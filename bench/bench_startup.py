"""How long the model-free commands take to start, against Python importing sqlalchemy, typer and rich.

    python bench/bench_startup.py            # medians of 5 runs each
    python bench/bench_startup.py --runs 9

Target (issue 14): `pantau --help`, `status`, `sources list`, `query` and `stats` within 0.5 s of the bare
import. `status`, `query` and `stats` run on an empty SQLite database made once before timing (its schema
creation is not timed). Prints one line per command: median seconds and the difference to the baseline.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import sqlalchemy, typer, rich"]
TARGET = 0.5


def median_seconds(cmd: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pantau = [sys.executable, "-m", "pantau.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/empty.db"
        subprocess.run(pantau + ["status", "--db", db], cwd=ROOT, env=env, capture_output=True, check=True)
        commands = {"pantau --help": ["--help"], "pantau status": ["status", "--db", db],
                    "pantau sources list": ["sources", "list"], "pantau query": ["query", "--db", db],
                    "pantau stats": ["stats", "--db", db]}
        base = median_seconds(BASELINE, args.runs, env)
        print(f"{'python -c import sqlalchemy, typer, rich':42} {base:6.3f} s  (baseline, median of {args.runs})")
        worst = 0.0
        for name, argv in commands.items():
            t = median_seconds(pantau + argv, args.runs, env)
            worst = max(worst, t - base)
            print(f"{name:42} {t:6.3f} s  {t - base:+.3f} s")
    print(f"slowest command: {worst:+.3f} s over the baseline (target: at most +{TARGET} s) -> "
          f"{'ok' if worst <= TARGET else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
