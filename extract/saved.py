"""Pages saved to disk (`pantau ingest --file/--dir`): their bytes (gzipped or not) and the address a page
names for itself (rel=canonical, else og:url), so a saved page needs no --url. Needs lxml only."""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from extract.decode import decode_html

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


class SavedPageError(ValueError):
    """A saved page that cannot be ingested as it is (unreadable gzip, no address of its own)."""


def read_saved(path: Path, data: bytes | None = None, *, max_bytes: int | None = None) -> bytes:
    """The page's bytes; a gzip file (by its magic bytes, whatever its name) is unpacked, to at most max_bytes
    (a page that unpacks to more is a SavedPageError, found without unpacking it whole)."""
    data = path.read_bytes() if data is None else data
    if data[:2] != b"\x1f\x8b":
        return data
    if max_bytes is None:
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise SavedPageError(f"{path}: not a readable gzip file ({exc})") from exc
    unpack = zlib.decompressobj(wbits=31)
    try:
        page = unpack.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise SavedPageError(f"{path}: not a readable gzip file ({exc})") from exc
    if len(page) > max_bytes:
        raise SavedPageError(f"{path}: page too large (unpacks to over {max_bytes} bytes, the limit for any page)")
    if not unpack.eof:
        raise SavedPageError(f"{path}: not a readable gzip file (it ends before the page does)")
    return page


def saved_pages(folder: Path) -> list[Path]:
    """The pages in a folder (not its subfolders), by name: .html, .htm, and those gzipped."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES))


def page_address(body: bytes | str) -> str | None:
    """The article address the page states: its rel=canonical, else its og:url; a relative one is read
    against <base href> or the other. A home page or section front given as canonical (some themes do) is
    not an article's address and is skipped. None when the page names no usable address."""
    text = decode_html(body) if isinstance(body, bytes) else body
    if not text.strip():
        return None
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml_html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.ParserError, ValueError):
        return None
    candidates = [v.strip() for v in root.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), '
                                                 '" canonical ")]/@href') if v.strip()]
    candidates += [(el.get("content") or "").strip() for el in root.iter("meta")
                   if (el.get("property") or el.get("name") or "").strip().lower() == "og:url"]
    bases = [b.strip() for b in root.xpath("//base/@href") if b.strip()]
    absolute = [c for c in candidates if _is_web_url(c)]
    base = next(iter(bases), None) or next(iter(absolute), None)
    for candidate in candidates:
        url = candidate if _is_web_url(candidate) else (urljoin(base, candidate) if base else "")
        if _is_web_url(url) and _is_article_path(url):
            return url
    return None


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_article_path(url: str) -> bool:
    """More than a home page or a one-word section ("/", "/news", "/berita/")."""
    path = urlsplit(url).path.strip("/")
    return len(path) > 8 or ("/" in path and len(path) > 3) or bool(urlsplit(url).query)
