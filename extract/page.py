"""Main text and metadata of one news page (trafilatura plus Indonesian clean-up)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import trafilatura
from lxml import html as lxml_html

from extract.decode import decode_html
from extract.dates import parse_published


MIN_WORDS = 25   # fewer words than this is a listing, an error page or a bot wall, not an article


class NoArticleText(ValueError):
    """The page holds no article text (an index page, an error page, a bot wall)."""


@dataclass
class ExtractedPage:
    url: str
    text: str                                  # paragraphs separated by "\n"
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None       # timezone-aware
    outlet: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    credits: dict[str, str] = field(default_factory=dict)   # "editor", "source", ... lines moved out of the body
    next_page_urls: list[str] = field(default_factory=list)  # the article's own later pages


def extract_page(html: str | bytes, url: str, *, declared_encoding: str | None = None,
                 date_hint: datetime | None = None, fetched_at: datetime | None = None) -> ExtractedPage:
    """Extract one page. Raises NoArticleText when there is no article body."""
    text_html = decode_html(html, declared_encoding) if isinstance(html, bytes) else html
    doc = trafilatura.bare_extraction(text_html, url=url, favor_precision=True, with_metadata=True,
                                      include_comments=False, include_tables=False)
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        raise NoArticleText(f"no article text found at {url}")
    tree = lxml_html.fromstring(text_html) if text_html.strip() else None
    canonical = _first(tree, '//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content')
    return ExtractedPage(
        url=url,
        text="\n".join(line.strip() for line in doc.text.splitlines() if line.strip()),
        title=doc.title,
        author=doc.author,
        published_at=parse_published(text_html, doc.date, date_hint=date_hint, fetched_at=fetched_at),
        outlet=doc.sitename,
        language=doc.language or "id",
        canonical_url=canonical,
        description=doc.description,
    )


def merge_pages(pages: list[ExtractedPage]) -> ExtractedPage:
    """One article from its pages in order: metadata from the first, bodies appended."""
    first = pages[0]
    if len(pages) == 1:
        return first
    seen: set[str] = set()
    lines: list[str] = []
    for page in pages:
        for line in page.text.split("\n"):
            if line not in seen:
                seen.add(line)
                lines.append(line)
    merged = ExtractedPage(**{**first.__dict__})
    merged.text = "\n".join(lines)
    merged.next_page_urls = []
    return merged


def _first(tree, *xpaths: str) -> str | None:
    if tree is None:
        return None
    for xp in xpaths:
        for value in tree.xpath(xp):
            if value and value.strip():
                return value.strip()
    return None
