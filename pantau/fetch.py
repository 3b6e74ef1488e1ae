"""Fetch an article for `pantau ingest URL`: identifying User-Agent, timeout, size cap, few redirects, HTML only; an
article split over several pages is fetched whole (`fetch_article`)."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import urllib3

from extract.fetched import FetchedPage
from pantau import USER_AGENT

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = urllib3.Timeout(connect=10, read=20)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(RuntimeError):
    """A page that could not be fetched; the message is one line for the user."""


_pool = urllib3.PoolManager(headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
                            retries=False)


def fetch(url: str, *, user_agent: str | None = None, timeout: urllib3.Timeout | None = None,
          max_bytes: int | None = None) -> FetchedPage:
    timeout, max_bytes = timeout or TIMEOUT, max_bytes or MAX_BYTES
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
            raise FetchError(f"{url}: HTTP {resp.status} {resp.reason or ''}".strip())
        ctype = (resp.headers.get("Content-Type") or "").lower()
        if ctype and not ctype.split(";")[0].strip() in _HTML_TYPES:
            raise FetchError(f"{url}: not an HTML page (Content-Type {ctype.split(';')[0]})")
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: page too large ({int(length)} bytes, limit {max_bytes})")
        body = b""
        try:
            for chunk in resp.stream(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"{url}: page too large (over {max_bytes} bytes)")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(_reason(url, exc)) from exc
    finally:
        resp.release_conn()
    check_html_body(url, body)
    return FetchedPage(url=final_url, body=body, encoding=_charset(ctype))


def check_html_body(url: str, body: bytes) -> None:
    """Reject empty and binary bodies with a clear message."""
    if not body.strip():
        raise FetchError(f"{url}: empty response")
    head = body[:2048]
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8", b"PK\x03\x04")):
        raise FetchError(f"{url}: binary content, not an HTML page")


def _charset(ctype: str) -> str | None:
    for piece in ctype.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.strip() == "charset" and value:
            return value.strip().strip('"')
    return None


def _reason(url: str, exc: BaseException | None) -> str:
    text = str(exc or "")
    if isinstance(exc, urllib3.exceptions.ResponseError) or "redirect" in text.lower():
        return f"{url}: too many redirects"
    if isinstance(exc, urllib3.exceptions.NameResolutionError) or "resolve" in text.lower():
        return f"{url}: host not found ({urlsplit(url).hostname})"
    if isinstance(exc, urllib3.exceptions.NewConnectionError) or "refused" in text.lower():
        return f"{url}: connection refused"
    if isinstance(exc, urllib3.exceptions.TimeoutError) or "timed out" in text.lower():
        return f"{url}: timed out"
    return f"{url}: {type(exc).__name__}: {text}".strip()


def fetch_article(url: str, **kwargs) -> list[FetchedPage]:
    """The article at `url` with all its pages, fetched as a crawl fetches them (crawler.pagination.PartWalk):
    its single-page variant when it links one, else each next part. Only the first page's failure is an error."""
    from crawler.pagination import PartWalk

    walk = PartWalk([fetch(url, **kwargs)])
    while (next_url := walk.next_url()) and walk.received(_fetch_or_none(next_url, **kwargs)):
        pass
    return walk.pages


def _fetch_or_none(url: str, **kwargs) -> FetchedPage | None:
    try:
        return fetch(url, **kwargs)
    except FetchError:
        return None
