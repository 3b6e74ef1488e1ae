"""One article, one key: canonical URLs that fold tracking, AMP, mobile and single-page variants."""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import clean_url

# Query parameters that never change which article a URL names.
_DROP_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|ref|ref_src|src|from|"
    r"amp|amp_js_v|usqp|outputtype|share|s|cx_\w+|trk|page|single|view|i)$",
    re.I,
)
# Values of the paging parameters that mean "the whole article" (kept only when not these).
_WHOLE_ARTICLE = {"page": {"all", "1", ""}, "single": {"1", "true", ""}, "view": {"all", ""}}
_MOBILE_HOST = re.compile(r"^(www\d?|m|mobile|amp)\.", re.I)
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|^/amp_version(?=/)", re.I)


def canonical_key(url: str) -> str:
    """The URL an article is stored under: https, no www/m./amp host, no tracking or paging params."""
    url = (url or "").strip()
    if not url:
        raise ValueError("empty URL")
    cleaned = clean_url(url) or url
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url}")
    host = parts.hostname or ""
    while _MOBILE_HOST.match(host):
        host = _MOBILE_HOST.sub("", host, count=1)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        low = key.lower()
        if low in _WHOLE_ARTICLE and value.lower() in _WHOLE_ARTICLE[low]:
            continue
        if _DROP_PARAMS.match(key) and low not in _WHOLE_ARTICLE:
            continue
        query.append((key, value))
    query.sort()
    return urlunsplit(("https", host.lower(), path, urlencode(query), ""))


def same_site(a: str, b: str) -> bool:
    """True when two URLs belong to the same outlet (ignoring www/m. prefixes)."""
    def base(u: str) -> str:
        host = (urlsplit(u).hostname or "").lower()
        while _MOBILE_HOST.match(host):
            host = _MOBILE_HOST.sub("", host, count=1)
        return ".".join(host.split(".")[-3:]) if host.endswith(".co.id") or host.endswith(".or.id") else ".".join(host.split(".")[-2:])
    return bool(base(a)) and base(a) == base(b)


def same_outlet(url: str, base_url: str) -> bool:
    """Same outlet (www/m. folded); for IP or localhost addresses the port must match too."""
    a, b = urlsplit(url), urlsplit(base_url)
    if _is_local(a.hostname) or _is_local(b.hostname):
        return (a.hostname, a.port) == (b.hostname, b.port)
    return same_site(url, base_url)


def _is_local(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False
