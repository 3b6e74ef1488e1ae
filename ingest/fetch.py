"""Fetch an article for `pantau ingest URL`: identifying User-Agent, timeout, size cap, few redirects, HTML only; an
article split over several pages is fetched whole (`fetch_article`)."""
from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import urllib3

from extract.fetched import FetchedPage
from ingest import http

MAX_BYTES = http.MAX_PAGE_BYTES
MAX_REDIRECTS = 5
TIMEOUT = urllib3.Timeout(connect=10, read=20)
PAGE_DEADLINE = 60.0        # seconds for a whole page: a server that drips bytes is cut off (the read timeout is per read)


class FetchError(RuntimeError):
    """A page that could not be fetched; the message is one line for the user."""


_pool = urllib3.PoolManager(headers={"User-Agent": http.USER_AGENT, "Accept": http.ACCEPT_HTML}, retries=False)


def fetch(url: str, *, user_agent: str | None = None, timeout: urllib3.Timeout | None = None,
          max_bytes: int | None = None, deadline: float | None = None) -> FetchedPage:
    """One page, whole within `deadline` seconds (default PAGE_DEADLINE) and at most `max_bytes`."""
    timeout, max_bytes, deadline = timeout or TIMEOUT, max_bytes or MAX_BYTES, deadline or PAGE_DEADLINE
    give_up = time.monotonic() + deadline
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url!r}")
    headers = {"User-Agent": user_agent} if user_agent else None
    try:
        resp = _pool.request("GET", url, headers=headers, timeout=timeout, preload_content=False,
                             redirect=True, retries=urllib3.Retry(total=MAX_REDIRECTS, connect=0, read=0,
                                                                  redirect=MAX_REDIRECTS, status=0,
                                                                  raise_on_redirect=True))
    except urllib3.exceptions.MaxRetryError as exc:
        raise FetchError(_reason(url, exc.reason)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchError(_reason(url, exc)) from exc
    try:
        final_url = urljoin(url, resp.geturl() or url)
        if resp.status >= 400:
            raise FetchError(f"{url}: {http.http_status(resp.status, resp.reason or '')}")
        ctype = resp.headers.get("Content-Type") or ""
        if not http.is_html(ctype):
            raise FetchError(f"{url}: {http.not_html(ctype)}")
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: {http.too_large(int(length), max_bytes)}")
        chunks, size = [], 0
        try:
            while chunk := resp.read1(64 * 1024):     # returns what has arrived: the deadline is checked often
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: {http.too_large(None, max_bytes)}")
                if time.monotonic() > give_up:
                    raise FetchError(f"{url}: {http.too_slow(size, deadline)}")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(_reason(url, exc)) from exc
    except BaseException:
        resp.close()            # not drained: a dripping or oversized body is dropped with its connection
        raise
    else:
        resp.release_conn()
    body = b"".join(chunks)
    check_html_body(url, body)
    return FetchedPage(url=final_url, body=body, encoding=http.charset(ctype))


def check_html_body(url: str, body: bytes) -> None:
    """Reject empty and binary bodies with a clear message."""
    problem = http.body_problem(body)
    if problem:
        raise FetchError(f"{url}: {problem}")


def _reason(url: str, exc: BaseException | None) -> str:
    text = str(exc or "")
    if isinstance(exc, urllib3.exceptions.ResponseError) or "redirect" in text.lower():
        return f"{url}: {http.TOO_MANY_REDIRECTS}"
    if isinstance(exc, urllib3.exceptions.NameResolutionError) or "resolve" in text.lower():
        return f"{url}: {http.HOST_NOT_FOUND} ({urlsplit(url).hostname})"
    if isinstance(exc, urllib3.exceptions.NewConnectionError) or "refused" in text.lower():
        return f"{url}: {http.CONNECTION_REFUSED}"
    if isinstance(exc, urllib3.exceptions.TimeoutError) or "timed out" in text.lower():
        return f"{url}: {http.TIMED_OUT}"
    return f"{url}: {type(exc).__name__}: {text}".strip()


def fetch_article(url: str, **kwargs) -> list[FetchedPage]:
    """The article at `url` with all its pages, fetched as a crawl fetches them (ingest.paging.PartWalk):
    its single-page variant when it links one, else each next part. Only the first page's failure is an error."""
    from ingest.paging import PartWalk

    walk = PartWalk([fetch(url, **kwargs)])
    while (next_url := walk.next_url()) and walk.received(_fetch_or_none(next_url, **kwargs)):
        pass
    return walk.pages


def _fetch_or_none(url: str, **kwargs) -> FetchedPage | None:
    try:
        return fetch(url, **kwargs)
    except FetchError:
        return None
