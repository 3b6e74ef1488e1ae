"""Time the typical analyst queries on 100,000 synthetic stored articles, on SQLite and PostgreSQL.

    python bench/bench_queries.py                        # both backends, 100k articles
    python bench/bench_queries.py --articles 20000 --backend sqlite
    python bench/bench_queries.py --reuse                # keep the loaded databases between runs

Targets (issue 6): every query's median < 200 ms on both backends; export of 10k rows < 5 s with flat
memory. Prints one table per backend. The PostgreSQL server is PANTAU_TEST_POSTGRES_URL (or
postgresql+psycopg://postgres@127.0.0.1:5432/test); a database `pantau_bench_N` (or --pg-database) is
(re)created on it.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from analyst_corpus import load  # noqa: E402
from store import Store  # noqa: E402
from store.export import export  # noqa: E402
from store.date_bounds import parse_when  # noqa: E402
from store.filters import Filters  # noqa: E402
from store.models import Article  # noqa: E402
from store.officials import profiles, refresh_merges, top_people  # noqa: E402
from store.resolve import resolve  # noqa: E402
from store.queries import find_articles, find_flags, review_queue, stats  # noqa: E402

JAN = dict(published_since=parse_when("2024-01"), published_until=parse_when("2024-01", end=True))


def queries(person: str) -> list[tuple[str, callable]]:
    """The ten most typical analyst questions, as `pantau` runs them (first page of 50 rows)."""
    return [
        ("1 full-text + region + month (flags)",
         lambda s: find_flags(s, Filters(text="kampanye", provinces=["Jawa Barat"], **JAN))),
        ("2 full-text phrase + outlet (articles)",
         lambda s: find_articles(s, Filters(text='"salam dua jari"', outlets=["Tribun Jabar"]))),
        ("3 role + breach + pending",
         lambda s: find_flags(s, Filters(roles=["ASN"], categories=["campaign_participation"],
                                         statuses=["pending"]))),
        ("4 role + breach + confirmed + province",
         lambda s: find_flags(s, Filters(roles=["KADES"], categories=["money_politics"], statuses=["confirmed"],
                                         provinces=["Jawa Barat"]))),
        ("5 official's profile",
         lambda s: profiles(s, person)),
        ("6 review queue, first page",
         lambda s: review_queue(s, Filters())),
        ("7 review queue, regency + role",
         lambda s: review_queue(s, Filters(regencies=["Kabupaten Garut"], roles=["KADES"]))),
        ("8 full-text OR/prefix, relevance",
         lambda s: find_articles(s, Filters(text="sembako OR uang politik*", provinces=["Jawa Timur"]),
                                 sort="relevance")),
        ("9 stats, one province, one month",
         lambda s: stats(s, Filters(provinces=["Jawa Barat"], **JAN))),
        ("10 most-mentioned people, one province",
         lambda s: top_people(s, resolve(s, Filters(provinces=["Nusa Tenggara Timur"])), limit=20)),
    ]


def timed(store: Store, fn, runs: int) -> tuple[float, float, int]:
    with store.session() as s:
        n = len(fn(s))                          # warm-up (and the row count)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        with store.session() as s:
            fn(s)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), n


def export_figures(store: Store, kind: str, fmt: str, rows: int) -> tuple[float, float, float]:
    """Seconds for `rows` rows, and the Python heap peak (MiB) for rows/10 and rows (flat = about equal)."""
    def run(limit: int) -> None:
        with open(os.devnull, "w", encoding="utf-8") as out, store.session() as s:
            written = export(s, kind, Filters(), out, fmt=fmt, limit=limit)
        assert written == limit, (written, limit)
    t = time.perf_counter()
    run(rows)
    seconds = time.perf_counter() - t
    peaks = []
    for limit in (rows // 10, rows):
        gc.collect()
        tracemalloc.start()
        run(limit)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return seconds, peaks[0], peaks[1]


def open_backend(backend: str, n: int, reuse: bool, workdir: Path, pg_database: str | None = None
                 ) -> tuple[Store, float | None]:
    if backend == "sqlite":
        path = workdir / f"bench-{n}.db"
        if not reuse:
            for p in workdir.glob(f"bench-{n}.db*"):
                p.unlink()
        url = f"sqlite:///{path}"
    else:
        base = make_url(os.environ.get("PANTAU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        name = pg_database or f"pantau_bench_{n}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists and not reuse:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = None
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    store = Store(url)
    with store.session() as s:
        have = s.execute(select(func.count()).select_from(Article)).scalar_one()
    if have == n:
        return store, None
    if have:
        raise SystemExit(f"{backend}: database holds {have} articles, not {n}: run without --reuse")
    t = time.perf_counter()
    load(store, n, progress=lambda done, total: print(f"\r  {backend}: loaded {done}/{total}", end="",
                                                       file=sys.stderr, flush=True))
    print(file=sys.stderr)
    # What autovacuum (PostgreSQL) and PRAGMA optimize (SQLite) do on a live database after a bulk load.
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if store.dialect == "postgresql" else "ANALYZE")
    return store, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--export-rows", type=int, default=10_000)
    ap.add_argument("--reuse", action="store_true", help="Keep and reuse already loaded databases.")
    ap.add_argument("--workdir", default="/tmp/pantau-bench", help="Where the SQLite databases go.")
    ap.add_argument("--pg-database", help="PostgreSQL database to (re)create (default: pantau_bench_N).")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failures = 0
    for backend in backends:
        store, load_s = open_backend(backend, args.articles, args.reuse, workdir, args.pg_database)
        with store.session() as s:
            counts = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("article", "flag", "official", "article_official", "review")}
            t = time.perf_counter()
            report = refresh_merges(s, force=True)
            merge_ms = (time.perf_counter() - t) * 1000
            person = s.execute(text("SELECT p.name FROM official_merge m JOIN official p ON p.id = m.into_id "
                                    "GROUP BY p.name ORDER BY count(*) DESC, p.name LIMIT 1")).scalar() or "Iron"
        print(f"\n== {backend}: {counts['article']:,} articles, {counts['flag']:,} flags, "
              f"{counts['official']:,} officials ({counts['article_official']:,} mentions), "
              f"{counts['review']:,} review decisions"
              + (f"; loaded in {load_s:.0f} s" if load_s else " (reused)"))
        print(f"   refresh_merges (first `pantau officials` after new articles): {merge_ms:.0f} ms, {report.merged:,} short names "
              f"merged, {report.ambiguous:,} ambiguous")
        print(f"   {'query':<42} {'median ms':>10} {'max ms':>8} {'rows':>6}  target < 200 ms")
        for label, fn in queries(person):
            median, worst, n = timed(store, fn, args.runs)
            ok = median < 200
            failures += not ok
            print(f"   {label:<42} {median:>10.1f} {worst:>8.1f} {n:>6}  {'ok' if ok else 'SLOW'}")
        for kind, fmt in (("flags", "csv"), ("articles", "jsonl")):
            seconds, small, big = export_figures(store, kind, fmt, args.export_rows)
            ok = seconds < 5 and big < 3 * small + 5
            failures += not ok
            print(f"   export {args.export_rows:,} {kind} as {fmt}: {seconds:.2f} s; Python heap peak "
                  f"{small:.1f} MiB at {args.export_rows // 10:,} rows, {big:.1f} MiB at {args.export_rows:,} rows"
                  f"  {'ok' if ok else 'MISSED'}")
        store.dispose()
    print(f"\n{'all targets met' if not failures else f'{failures} target(s) missed'}")


if __name__ == "__main__":
    main()
