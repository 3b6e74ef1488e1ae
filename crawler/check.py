"""`pantau sources check`: fetch every feed, sitemap and listing URL of the sources and say what answers
(a feed with N items, a sitemap index, a listing with N article links, blocked, missing, unreachable)."""
from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from protego import Protego

from crawler.botwall import blocked_reason
from crawler.discovery import NotXml, article_links, parse_feed, parse_sitemap
from crawler.sources import SourceConfig
from ingest.http import USER_AGENT


@dataclass
class CheckResult:
    source: str
    kind: str
    url: str
    ok: bool
    summary: str
    blocked: bool = False


def check_sources(sources: list[SourceConfig], *, timeout: float = 15.0, workers: int = 8) -> list[CheckResult]:
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    pool = urllib3.PoolManager(workers, headers={"User-Agent": USER_AGENT}, maxsize=workers,
                               retries=urllib3.Retry(total=2, connect=1, redirect=3, status=0),
                               timeout=urllib3.Timeout(connect=timeout, read=timeout))
    jobs = []
    for s in sources:
        jobs += [(s, "feed", u) for u in s.feed_urls] + [(s, "sitemap", u) for u in s.sitemap_urls]
        jobs += [(s, "listing", u) for u in s.listing_urls]
        if not (s.feeds or s.sitemaps or s.listings):
            jobs.append((s, "home", s.base_url))
    robots: dict[str, Protego | None] = {}
    with ThreadPoolExecutor(workers) as executor:
        for s in sources:
            robots[s.name] = None
        robot_texts = dict(zip([s.name for s in sources],
                               executor.map(lambda s: _robots(pool, s.base_url), sources)))
        return list(executor.map(lambda job: check_one(pool, *job, robot_texts.get(job[0].name)), jobs))


def _robots(pool, base_url: str) -> Protego | None:
    try:
        resp = pool.request("GET", urljoin(base_url, "/robots.txt"))
        return Protego.parse(resp.data.decode("utf-8", "replace")) if resp.status == 200 else None
    except (urllib3.exceptions.HTTPError, OSError):
        return None


def check_one(pool, source: SourceConfig, kind: str, url: str, robots: Protego | None = None) -> CheckResult:
    def result(ok: bool, summary: str, blocked: bool = False) -> CheckResult:
        return CheckResult(source.name, kind, url, ok, summary, blocked)
    if robots is not None and not robots.can_fetch(url, USER_AGENT):
        return result(False, "disallowed by robots.txt")
    try:
        resp = pool.request("GET", url, preload_content=True)
    except urllib3.exceptions.MaxRetryError as exc:
        reason = str(exc.reason)
        if "resolve" in reason.lower() or "Name or service" in reason:
            return result(False, "host not found (no network?)")
        return result(False, f"unreachable: {type(exc.reason).__name__}")
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return result(False, f"unreachable: {type(exc).__name__}")
    body = resp.data or b""
    headers = {k.lower(): v for k, v in resp.headers.items()}
    reason = blocked_reason(resp.status, body, headers)
    if reason:
        return result(False, f"blocked: {reason}", blocked=True)
    if resp.status != 200:
        return result(False, f"HTTP {resp.status}")
    try:
        if kind == "feed":
            entries = parse_feed(body, url)
            return result(bool(entries), f"feed, {len(entries)} items" if entries else "feed with no items")
        if kind == "sitemap":
            sitemap = parse_sitemap(body, url)
            what = "sitemap index" if sitemap.kind == "index" else "sitemap"
            news = sum(1 for e in sitemap.entries if e.published)
            extra = f", {news} with news:publication_date" if news else ""
            return result(bool(sitemap.entries), f"{what}, {len(sitemap.entries)} entries{extra}")
    except NotXml as exc:
        return result(False, f"not a {kind}: {exc}")
    allow = [re.compile(p) for p in source.allow]
    deny = [re.compile(p) for p in source.deny]
    links = article_links(body, url, source.base_url, allow, deny)
    return result(bool(links), f"{len(links)} article links" if links else "no article links (check allow/deny)")
