"""Backfill benchmark (issue #16): one simulated WordPress outlet of N articles behind one sitemap, its article
pages of a real outlet's weight (the simulator's `--heavy` pages: menus, inline scripts and CSS, JSON-LD, ads,
related lists; 75-90 KB, lab/simulator/chrome.py; `--light` for its 7 KB pages), crawled end to end twice, side
by side on the same simulator:

(a) a plain single-process Scrapy SitemapSpider (written here) that runs `trafilatura.bare_extraction` on each
    article and inserts url/title/text into a fresh SQLite file;
(b) Pantau's own crawl, `python -m crawler.run` (default ingest workers), into a fresh database.

Both run with the same politeness as Pantau's crawl of the simulator (its sources file: no download delay,
the same per-domain concurrency; robots.txt obeyed, AutoThrottle, Pantau's user agent). Prints for each the
process wall time (start-up included) and articles/s, the ratio Pantau / plain (target >= 1.0x), and the peak
PSS of Pantau's process tree (sampled every 0.2 s), with the page weight the simulator served.

    python bench/bench_backfill.py [--articles 1500] [--ingest-workers auto] [--light]
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_crawl import _article_urls, _cpu, _memory, _tree  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--ingest-workers", default="auto", help="passed to Pantau's crawler")
    parser.add_argument("--light", action="store_true", help="the simulator's light pages (~7 KB) instead")
    parser.add_argument("--plain-spider", nargs=2, metavar=("SOURCES", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_spider:
        return _run_plain(*args.plain_spider)

    work = Path(tempfile.mkdtemp(prefix="pantau-backfill-"))
    sources = work / "sources.toml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    sim = subprocess.Popen([sys.executable, "-m", "lab.simulator", "--sites", "priangan",
                            "--articles", f"priangan={args.articles}", "--sources", str(sources),
                            *([] if args.light else ["--heavy", "priangan"])],
                           cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        base = sim.stdout.readline().split()[1]
        while not sources.exists():
            time.sleep(0.1)
        urls = _article_urls(base, args.articles)
        sizes = [len(urllib.request.urlopen(u).read()) for u in urls[:: max(len(urls) // 50, 1)]]
        print(f"simulated outlet: {base} ({args.articles} articles in its sitemaps: {len(urls)}); article pages "
              f"{min(sizes) / 1024:.1f}-{max(sizes) / 1024:.1f} KB, median {statistics.median(sizes) / 1024:.1f} KB "
              f"(real outlets: 60-150 KB)", flush=True)

        plain_db = work / "plain.db"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--plain-spider", str(sources), str(plain_db)],
                       cwd=ROOT, check=True, env=env)
        plain_wall = time.perf_counter() - started
        with sqlite3.connect(plain_db) as db:
            plain_stored, plain_empty = db.execute(
                "SELECT count(*), sum(text IS NULL OR text = '') FROM articles").fetchone()

        pantau_db = f"sqlite:///{work / 'pantau.db'}"
        started = time.perf_counter()
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.run", "--db", pantau_db, "--sources", str(sources),
                                  "--log-level", "WARNING", "--ingest-workers", args.ingest_workers, "sim-priangan"],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
        peak_pss, processes = 0, 0
        cpu: dict[int, tuple[str, float]] = {}
        while crawl.poll() is None:
            tree = _tree(crawl.pid)
            cpu.update({p: c for p in tree if (c := _cpu(p, crawl.pid))})
            peak_pss = max(peak_pss, sum(_memory(p, "/proc/{}/smaps_rollup", "Pss:") for p in tree))
            processes = max(processes, len(tree))
            time.sleep(0.2)
        pantau_wall = time.perf_counter() - started
        summary = crawl.stdout.read().strip()
        if crawl.returncode != 0:
            print(summary)
            print(f"Pantau's crawl failed (status {crawl.returncode})")
            return 1
        from store import Store
        from store.runs import last_runs_by_source
        run = last_runs_by_source(Store(pantau_db))["sim-priangan"]
        pantau_stored = run.new + run.updated
        run_seconds = (run.ended_at - run.started_at).total_seconds()
    finally:
        sim.terminate()
        sim.wait(10)

    plain_rate, pantau_rate = plain_stored / plain_wall, pantau_stored / pantau_wall
    print(f"(a) plain SitemapSpider, 1 process: {plain_stored} stored ({plain_empty or 0} without text) in "
          f"{plain_wall:.1f} s: {plain_rate:.1f} articles/s")
    print(f"(b) Pantau crawl.run ({args.ingest_workers} ingest workers): {pantau_stored} stored in {pantau_wall:.1f} s: "
          f"{pantau_rate:.1f} articles/s  (its crawl run itself: {run_seconds:.1f} s, "
          f"{pantau_stored / run_seconds:.1f} articles/s)")
    print(f"ratio Pantau / plain, end to end: {pantau_rate / plain_rate:.2f}x  (target >= 1.0x)")
    print(f"Pantau peak memory, {processes} processes: PSS {peak_pss / 2**20:.0f} MB")
    per_role: dict[str, float] = {}
    for role, seconds in cpu.values():
        per_role[role] = per_role.get(role, 0.0) + seconds
    print("Pantau CPU seconds: " + ", ".join(f"{role} {s:.1f}" for role, s in sorted(per_role.items()))
          + f"  ({os.cpu_count()} CPUs)")
    return 0


def _run_plain(sources_file: str, db_path: str) -> int:
    """The plain spider, in its own process: the one outlet of the sources file, into a fresh SQLite file."""
    import re

    import trafilatura
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    from ingest.http import USER_AGENT

    config = tomllib.loads(Path(sources_file).read_text(encoding="utf-8"))
    defaults, source = config.get("defaults", {}), config["source"][0]
    delay = source.get("delay", defaults.get("delay", 1.0))
    concurrency = source.get("concurrency", defaults.get("concurrency", 2))
    base = source["base_url"].rstrip("/")
    allow = [re.compile(pattern) for pattern in source.get("allow", [])]

    class SQLitePipeline:
        def open_spider(self):
            self.db = sqlite3.connect(db_path)
            self.db.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, title TEXT, text TEXT)")
            self.pending = 0

        def process_item(self, item):
            self.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
                            (item["url"], item["title"], item["text"]))
            self.pending += 1
            if self.pending >= 100:
                self.db.commit()
                self.pending = 0
            return item

        def close_spider(self):
            self.db.commit()
            self.db.close()

    class PlainSpider(SitemapSpider):
        name = "plain"
        sitemap_urls = [base + s for s in source.get("sitemaps", ["/sitemap_index.xml"])]
        sitemap_follow = ["post-sitemap"]
        sitemap_rules = [("", "parse_article")]

        def parse_article(self, response):
            path = response.url[len(base):] if response.url.startswith(base) else response.url
            if allow and not any(p.search(path) for p in allow):
                return
            doc = trafilatura.bare_extraction(response.text, url=response.url)
            if doc is None:
                return
            doc = doc if isinstance(doc, dict) else doc.as_dict()
            yield {"url": response.url, "title": doc.get("title"), "text": doc.get("text")}

    process = CrawlerProcess({
        "USER_AGENT": USER_AGENT, "ROBOTSTXT_OBEY": True, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": max(delay, 0.01),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(concurrency), "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "LOG_LEVEL": "WARNING",
        "ITEM_PIPELINES": {SQLitePipeline: 300},
    })
    process.crawl(PlainSpider)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
