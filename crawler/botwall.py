"""Bot walls, recognised by what they are: a challenge page (its status code, server and markers), or a listing
or feed that had article links on the outlet's last crawl and now has none. A short last page, an empty tag page
or a quiet section is not a wall: it ends the walk, nothing more."""
from __future__ import annotations

import re

BLOCK_STATUSES = {202, 403, 429, 503}
CHALLENGE_MARKERS = re.compile(
    rb"cf-chl|challenge-platform|cf_chl_|just a moment\.\.\.|checking your browser|attention required!|"
    rb"ddos-guard|ddos protection|enable javascript and cookies|_incapsula_resource|sgcaptcha|"
    rb"g-recaptcha|h-captcha|hcaptcha|captcha-delivery|verify you are human|please wait while we verify|"
    rb"access denied|request unsuccessful|bot protection|perlindungan bot", re.I)


def blocked_reason(status: int, body: bytes, headers: dict[str, str] | None = None) -> str | None:
    """Why this response looks like a bot wall or JS challenge, or None."""
    head = body[:20000]
    server = (headers or {}).get("server", "").lower()
    if status in BLOCK_STATUSES:
        marker = CHALLENGE_MARKERS.search(head)
        if marker:
            return f"HTTP {status}: challenge page ({marker.group(0).decode(errors='replace').strip()})"
        if "cloudflare" in server or "ddos-guard" in server or "sucuri" in server:
            return f"HTTP {status} from {server} (bot protection)"
        if status in (202, 429) or (status == 403 and len(body) < 4096):
            return f"HTTP {status} with no content (bot wall)"
        return None
    if status != 200 or len(body) >= 60000 or _has_many_links(head):
        return None                   # a real page (the marker search below is the costly part)
    marker = CHALLENGE_MARKERS.search(head)
    return f"challenge page ({marker.group(0).decode(errors='replace').strip()})" if marker else None


def _has_many_links(body: bytes) -> bool:
    return body.lower().count(b"<a ") >= 15


def headers_of(response) -> dict[str, str]:
    """A Scrapy response's headers as lower-case str keys and first values."""
    return {k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v}


def went_dark(links: int, previous_status: str | None) -> str | None:
    """A listing's first page or a feed with no article links, when the last crawl of it succeeded: the outlet
    now serves something else (a challenge that passes as a page). None when it never had links or still has."""
    if links or previous_status not in ("ok", "not-modified"):
        return None
    return "no article links where the last crawl found some (a bot wall or a changed layout)"
