"""What the crawler and one-off fetching share about HTTP: who we say we are, which answers are HTML pages,
the declared charset, and the one-line wording of each kind of failure."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("pantau")
except PackageNotFoundError:        # running from a checkout that was never installed
    VERSION = "0.0.0"

USER_AGENT = f"Pantau/{VERSION} (+https://github.com/pantau-pemilu/pantau; election-neutrality news monitor)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT_HTML = "text/html,application/xhtml+xml"
MAX_PAGE_BYTES = 5 * 1024 * 1024    # a fetched page, a saved page or stdin: the same cap

TIMED_OUT = "timed out"
HOST_NOT_FOUND = "host not found"
CONNECTION_REFUSED = "connection refused"
TOO_MANY_REDIRECTS = "too many redirects (redirect loop?)"
EMPTY = "empty response"
BINARY = "binary content, not an HTML page"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8", b"PK\x03\x04", b"\x1f\x8b")


def media_type(content_type: str | bytes | None) -> str:
    """'text/html; charset=UTF-8' -> 'text/html'."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    return (content_type or "").split(";")[0].strip().lower()


def is_html(content_type: str | bytes | None) -> bool:
    """True for HTML, and for a missing Content-Type (many small portals send none)."""
    kind = media_type(content_type)
    return not kind or kind in HTML_TYPES


def charset(content_type: str | bytes | None) -> str | None:
    """The charset a Content-Type header declares, if any."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    for piece in (content_type or "").split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.strip().lower() == "charset" and value:
            return value.strip().strip('"\'')
    return None


def not_html(content_type: str | bytes | None) -> str:
    return f"not an HTML page (Content-Type {media_type(content_type)})"


def http_status(status: int, reason: str = "") -> str:
    return f"HTTP {status} {reason}".strip()


def too_large(size: int | None, limit: int) -> str:
    return f"page too large ({size} bytes, limit {limit})" if size else f"page too large (over {limit} bytes)"


def too_slow(received: int, deadline: float) -> str:
    return (f"{TIMED_OUT}: the page was still arriving after {deadline:g} s ({received} bytes so far); "
            "the server is too slow, try again later")


def body_problem(body: bytes) -> str | None:
    """Why a body cannot be an HTML page (empty, binary), or None."""
    if not body.strip():
        return EMPTY
    head = body[:2048]
    if b"\x00" in head or head.startswith(_BINARY_MAGIC):
        return BINARY
    return None
