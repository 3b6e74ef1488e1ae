"""Crawl benchmark: a simulated WordPress outlet of N articles on 127.0.0.1, crawled end to end (discovery,
download, extraction, tagging, storage) by `python -m crawler.run`, against bare trafilatura extraction of
the same pages in one process. Prints articles/s for both, their ratio, and the peak memory of the crawl,
sampled every 0.2 s over the crawl process and its descendants (fork server, ingest workers): the largest sum
of PSS (each shared page split among the processes sharing it: the memory the crawl really holds) and, for
comparison, of RSS (shared pages counted once per process, so it overstates).

    python bench/bench_crawl.py [--articles 2000] [--db URL] [--ingest-workers N|auto]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", type=int, default=200, help="articles timed step by step (0: skip)")
    parser.add_argument("--ingest-workers", default="auto", help="passed to the crawler (0: ingest in the crawl process)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    sources = work / "sources.toml"
    db_url = args.db or f"sqlite:///{work / 'bench.db'}"
    sim = subprocess.Popen([sys.executable, "-m", "lab.simulator", "--sites", "priangan",
                            "--articles", f"priangan={args.articles}", "--sources", str(sources)],
                           cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base = sim.stdout.readline().split()[1]
        while not sources.exists():
            time.sleep(0.1)
        print(f"simulated outlet: {base} ({args.articles} articles), database: {db_url}", flush=True)

        started = time.perf_counter()
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.run", "--db", db_url, "--sources", str(sources),
                                  "--log-level", "WARNING", "--ingest-workers", args.ingest_workers, "sim-priangan"],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        peak_rss, peak_pss, processes = 0, 0, 0
        cpu: dict[int, tuple[str, float]] = {}          # pid -> (role, CPU seconds so far)
        while crawl.poll() is None:
            tree = _tree(crawl.pid)
            cpu.update({p: c for p in tree if (c := _cpu(p, crawl.pid))})
            peak_rss = max(peak_rss, sum(_memory(p, "/proc/{}/status", "VmRSS:") for p in tree))
            peak_pss = max(peak_pss, sum(_memory(p, "/proc/{}/smaps_rollup", "Pss:") for p in tree))
            processes = max(processes, len(tree))
            time.sleep(0.2)
        status = crawl.returncode
        wall = time.perf_counter() - started
        summary = crawl.stdout.read().strip()
        print(summary)
        if status != 0:
            print(f"crawl failed (status {status})")
            return 1

        from store import Store
        from store.runs import last_runs_by_source
        store = Store(db_url)
        run = last_runs_by_source(store)["sim-priangan"]
        crawl_seconds = (run.ended_at - run.started_at).total_seconds()
        stored = run.new + run.updated

        urls = _article_urls(base, args.articles)
        pages = [urllib.request.urlopen(u).read() for u in urls]
        import trafilatura
        t0 = time.perf_counter()
        for url, body in zip(urls, pages):
            trafilatura.extract(body.decode("utf-8"), url=url, favor_precision=True)
        bare_seconds = time.perf_counter() - t0
        stages = _stages(urls[:args.profile], pages[:args.profile]) if args.profile else None
    finally:
        sim.terminate()
        sim.wait(10)

    end_to_end = stored / crawl_seconds
    bare = len(pages) / bare_seconds
    print(f"articles stored:              {stored} of {args.articles}")
    print(f"end to end (crawl run):       {end_to_end:.1f} articles/s  ({crawl_seconds:.1f} s, "
          f"process wall {wall:.1f} s incl. start-up)")
    print(f"bare trafilatura, 1 process:  {bare:.1f} articles/s  ({bare_seconds:.1f} s)")
    print(f"ratio end-to-end / bare:      {end_to_end / bare:.1%}  (target >= 50%)")
    print(f"crawl peak memory, {processes} processes: PSS {peak_pss / 2**20:.0f} MB  (target < 600 MB), "
          f"RSS summed {peak_rss / 2**20:.0f} MB")
    per_role: dict[str, float] = {}
    for role, seconds in cpu.values():
        per_role[role] = per_role.get(role, 0.0) + seconds
    print("CPU seconds of the crawl: " + ", ".join(f"{role} {s:.1f}" for role, s in sorted(per_role.items()))
          + f"  (wall {crawl_seconds:.1f} s, {os.cpu_count()} CPUs)")
    cpus = os.cpu_count() or 1
    if cpus > 1:
        print(f"this machine's parallel speed-up: {_parallel_speedup(cpus):.2f}x with {cpus} processes busy at once "
              f"(a CPU-bound loop; {cpus:.2f}x would be one full core each): the ceiling for ingest workers")
    if stages:
        print(f"where an article's time goes (mean of {args.profile}, one process): "
              + ", ".join(f"{name} {ms:.1f} ms" for name, ms in stages.items()))
    return 0


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def _memory(pid: int, path: str, field: str) -> int:
    """A kB figure of /proc (VmRSS in status, Pss in smaps_rollup), in bytes; 0 for a process gone."""
    try:
        for line in Path(path.format(pid)).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu(pid: int, crawl_pid: int) -> tuple[str, float] | None:
    """(role, user + system CPU seconds) of a process of the crawl, from /proc/PID/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    role = ("crawl" if pid == crawl_pid else "fork server" if b"forkserver" in cmdline and b"main(" in cmdline
            and _is_forkserver(pid, crawl_pid) else "tracker" if b"resource_tracker" in cmdline else "ingest workers")
    return role, seconds


def _is_forkserver(pid: int, crawl_pid: int) -> bool:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) == crawl_pid
    except (OSError, ValueError):
        return False


def _spin(_=None) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(20_000_000):             # seconds long: a virtual CPU's share shows over time
        x += i
    return time.perf_counter() - started


def _parallel_speedup(n: int) -> float:
    """How much more work n processes get done than one (virtual CPUs may share a physical core)."""
    import multiprocessing
    alone = min(_spin() for _ in range(2))
    with multiprocessing.get_context("spawn").Pool(n) as pool:
        pool.map(_spin, range(n))                   # start-up
        together = max(pool.map(_spin, range(n)))
    return n * alone / together


def _stages(urls: list[str], pages: list[bytes]) -> dict[str, float]:
    """Mean milliseconds per article of each step of pantau.ingest: extraction, tagging."""
    from extract.page import extract_page
    from extract.tagging import get_tagger
    tagger = get_tagger()
    t0 = time.perf_counter()
    texts = [extract_page(body, url).text for url, body in zip(urls, pages)]
    t1 = time.perf_counter()
    for text in texts:
        tagger.tag(text)
    t2 = time.perf_counter()
    n = max(len(pages), 1)
    return {"extract_page": (t1 - t0) * 1000 / n, "tagging": (t2 - t1) * 1000 / n}


def _article_urls(base: str, count: int) -> list[str]:
    """The article URLs of the simulated outlet, read from its sitemaps (what the crawler found)."""
    from crawler.discovery import parse_sitemap
    index = parse_sitemap(urllib.request.urlopen(base + "sitemap_index.xml").read(), base)
    urls: list[str] = []
    for child in index.entries:
        if "post-sitemap" in child.url:
            urls += [e.url for e in parse_sitemap(urllib.request.urlopen(child.url).read(), base).entries]
    return urls[:count]


if __name__ == "__main__":
    sys.exit(main())
