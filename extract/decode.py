"""Bytes to text for pages whose declared charset may lie."""
from __future__ import annotations

import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


class UnreadableEncoding(ValueError):
    pass


def decode_html(body: bytes, declared: str | None = None) -> str:
    """UTF-8 first (many pages declare iso-8859-1 but hold UTF-8), then the declared charset, then a guess."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        name = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "us-ascii": "windows-1252"}.get(name.lower(), name)
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    if best is None:
        raise UnreadableEncoding("cannot tell the page's text encoding")
    return str(best)


# UTF-8 read as windows-1252 / ISO-8859-1 leaves pairs such as "Ã©", "â€œ", "Â©".
_MOJIBAKE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152-\u2122]")


def repair_mojibake(text: str) -> str:
    """Text that was UTF-8 but decoded as windows-1252 / ISO-8859-1 ("â€œKami" -> "“Kami"), repaired by ftfy
    (only its encoding fix: quotes, dashes and the rest stay as the outlet wrote them)."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy
    return ftfy.fix_encoding(text)
