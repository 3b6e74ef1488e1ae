"""Main text and metadata of one news page: parse once (lxml), read the page's own metadata, strip
Indonesian boilerplate by rule (extract/cleanup.py), let trafilatura find the body, clean its lines."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from extract.cleanup import clean_lines, clean_tree, norm
from extract.dates import choose_published, url_day
from extract.decode import decode_html, repair_mojibake
from extract.language import detect_language
from extract.metadata import is_initials, read_meta

# trafilatura warns "discarding data: URL" for a page without a body; NoArticleText says it once, in our words.
# Left alone when an application has set the logger's level itself.
if logging.getLogger("trafilatura").level == logging.NOTSET:
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

MIN_WORDS = 25   # fewer words than this is a listing, an error page or a bot wall, not an article


class NoArticleText(ValueError):
    """The page holds no article text (an index page, an error page, a bot wall)."""


@dataclass
class ExtractedPage:
    url: str
    text: str                                  # paragraphs separated by "\n"
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None       # timezone-aware, in the page's own offset (WIB +07:00 ...)
    outlet: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    credits: dict[str, str] = field(default_factory=dict)   # "editor", "source", ... lines moved out of the body


def parse(html: str | bytes, declared_encoding: str | None = None):
    """Text and lxml tree of a page; raises NoArticleText for an empty or unparsable one."""
    text = decode_html(html, declared_encoding) if isinstance(html, bytes) else repair_mojibake(html)
    text = _NOT_XML.sub("", text)     # NUL and control bytes (a damaged page) cannot be text in an lxml tree
    if not text.strip():
        raise NoArticleText("empty page")
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NoArticleText(f"unparsable page: {exc}") from exc
    return text, root


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def extract_page(html: str | bytes, url: str, *, declared_encoding: str | None = None,
                 date_hint: datetime | None = None, fetched_at: datetime | None = None) -> ExtractedPage:
    """Extract one page. Raises NoArticleText when there is no article body."""
    text, root = parse(html, declared_encoding)
    meta = read_meta(root, url)
    guess = None if meta.machine_dates or meta.visible_dates or date_hint else _htmldate(root)
    clean_tree(root)
    doc = _trafilatura(root, url, precision=True)
    title = meta.title
    cleaned = clean_lines((doc.text or "").splitlines(), title=title) if doc else None
    if cleaned is None or _words(cleaned.lines) < MIN_WORDS:
        # A photo or gallery page: its captions are its only text. Read it again, keeping them.
        _, root = parse(text)
        clean_tree(root, captions=False)
        doc = _trafilatura(root, url, precision=False)
        cleaned = clean_lines((doc.text or "").splitlines(), title=title, captions=False) if doc else None
        if cleaned is None or _words(cleaned.lines) < MIN_WORDS:
            raise NoArticleText(f"no article text found at {url}")
    credits = {**meta.byline, **{k: v for k, v in cleaned.credits.items() if k not in meta.byline}}
    text_lines = "\n".join(cleaned.lines)
    language = detect_language(text_lines, hint=meta.language) or meta.language or "id"
    indonesian = language in ("id", "jv", "su") or (meta.language or "id") == "id"   # WIB when no zone is named
    return ExtractedPage(
        url=url,
        text=text_lines,
        title=title,
        author=_author(meta, credits),
        published_at=choose_published(machine=meta.machine_dates, visible=meta.visible_dates, date_hint=date_hint,
                                      guess=guess, fetched_at=fetched_at, indonesian=indonesian,
                                      url_day=url_day(url)),
        outlet=meta.site_name,
        language=language,
        canonical_url=meta.canonical_url or None,
        description=meta.description,
        credits=credits,
    )


def _trafilatura(root, url: str, *, precision: bool):
    """The body only: Pantau reads title, date, author and the rest itself (extract/metadata.py)."""
    return trafilatura.bare_extraction(root, url=url, favor_precision=precision, with_metadata=False,
                                       include_comments=False, include_tables=True)


def _htmldate(root) -> str | None:
    """htmldate's guess, extensive mode (it finds "Agu"/"Des"); only for pages that state no date."""
    from htmldate import find_date
    try:
        return find_date(root, extensive_search=True, original_date=True)
    except (ValueError, TypeError):
        return None


def _words(lines: list[str]) -> int:
    """Words, or for scripts written without spaces (Japanese, Chinese) one per six characters."""
    return max(sum(len(line.split()) for line in lines), sum(len(line) for line in lines) // 6)


def _author(meta, credits: dict[str, str]) -> str | None:
    """The writer as the page credits them: the byline first, then structured data that is not the editor."""
    for name in ("author", "reporter", "photographer"):
        if credits.get(name) and not is_initials(credits[name]):
            return credits[name]
    editors = {e.casefold() for e in meta.editors} | ({credits["editor"].casefold()} if credits.get("editor") else set())
    for name in meta.authors:
        if name.casefold() not in editors:
            return name
    return None


def merge_pages(pages: list[ExtractedPage]) -> ExtractedPage:
    """One article from its pages in order: metadata from the first, bodies appended; lines that every
    part repeats (a lead re-printed on each page, a leftover footer) are kept once."""
    if not pages:
        raise ValueError("no pages to merge")
    first = pages[0]
    if len(pages) == 1:
        return first
    seen: set[str] = set()
    lines: list[str] = []
    credits: dict[str, str] = {}
    for page in pages:
        for key, value in page.credits.items():
            credits.setdefault(key, value)
        for line in page.text.split("\n"):
            key = norm(line).casefold()
            if key and key not in seen:
                seen.add(key)
                lines.append(line)
    return replace(first, text="\n".join(lines), credits=credits,
                   author=first.author or next((p.author for p in pages if p.author), None),
                   published_at=first.published_at or next((p.published_at for p in pages if p.published_at), None))
