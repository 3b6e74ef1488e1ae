"""The one function that turns fetched page(s) into a processed, tagged article."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from extract.fetched import FetchedPage
from extract.page import ExtractedPage, NoArticleText, extract_page, merge_pages
from extract.privacy import scrub
from extract.region import Region, find_region
from extract.tagging import TAGGER_VERSION, Tags, Tagger, get_tagger
from extract.urls import canonical_key, same_site

# A news article, even merged from many pages, is tens of thousands of characters; far more is an archive or a
# dump, and spaCy refuses texts over 1,000,000 characters with a paragraph-long error.
MAX_TEXT_CHARS = 300_000


class ArticleTooLong(NoArticleText):
    """The extracted text is far longer than any article: not tagged, not stored."""


@dataclass
class ProcessedArticle:
    key: str                         # canonical identity of the article
    url: str
    page: ExtractedPage
    tags: Tags
    tagger_version: str = TAGGER_VERSION
    aliases: list[str] = field(default_factory=list)   # other keys this article is known under
    pages: int = 1
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    dropped: list[tuple[str, str]] = field(default_factory=list)   # (url, why) of later parts left out
    region: Region | None = None     # (province, regency) the article is about, from its dateline and text


def process_article(parts: list[FetchedPage], *, date_hint: datetime | None = None,
                    tagger: Tagger | None = None, fetched_at: datetime | None = None) -> ProcessedArticle:
    """Extract every part of one article (page 1 first), merge, scrub personal data, tag. A later part with no
    article text of its own (an error page in the middle of a series) is left out and listed in `dropped`;
    page 1 without text raises NoArticleText."""
    result = process_articles([parts], date_hints=[date_hint], tagger=tagger, fetched_at=fetched_at)[0]
    if isinstance(result, Exception):
        raise result
    return result


def process_articles(articles: list[list[FetchedPage]], *, date_hints: list[datetime | None] | None = None,
                     tagger: Tagger | None = None, fetched_at: datetime | None = None
                     ) -> list[ProcessedArticle | Exception]:
    """Several articles, each as process_article makes it, their texts tagged in one pass of the tagger (one
    nlp.pipe: the NER model runs on the windows of all of them together). One slot per article: the processed
    article, or the exception it raised (one bad page fails only its own article)."""
    hints = date_hints or [None] * len(articles)
    results: list[ProcessedArticle | Exception] = []
    for parts, hint in zip(articles, hints, strict=True):
        try:
            results.append(_extracted(parts, hint, fetched_at or datetime.now(timezone.utc)))
        except Exception as exc:  # noqa: BLE001 - handed back in the article's slot
            results.append(exc)
    ready = [r for r in results if not isinstance(r, Exception)]
    if not ready:
        return results
    tagger = tagger or get_tagger()
    try:
        for article, tags in zip(ready, tagger.tag_many([a.page.text for a in ready]), strict=True):
            article.tags = tags
    except Exception:  # noqa: BLE001 - one text broke the batch: tag each alone, so only it fails
        for i, article in enumerate(results):
            if isinstance(article, ProcessedArticle):
                try:
                    article.tags = tagger.tag(article.page.text)
                except Exception as exc:  # noqa: BLE001
                    results[i] = exc
    return results


def _extracted(parts: list[FetchedPage], date_hint: datetime | None, fetched_at: datetime) -> ProcessedArticle:
    """An article extracted, merged and scrubbed, not tagged yet (its `tags` are set by process_articles)."""
    extracted, dropped = [], []
    for i, part in enumerate(parts):
        try:
            extracted.append(extract_page(part.body, part.url, declared_encoding=part.encoding,
                                          date_hint=date_hint, fetched_at=fetched_at))
        except NoArticleText as exc:
            if i == 0:
                raise
            dropped.append((part.url, str(exc)))
    page = merge_pages(extracted)
    if len(page.text) > MAX_TEXT_CHARS:
        raise ArticleTooLong(f"{parts[0].url}: {len(page.text):,} characters of text, more than any news article "
                             f"(limit {MAX_TEXT_CHARS:,}): a whole archive or a dump? Not stored")
    page.text = scrub(page.text)
    first_url = parts[0].url
    key = canonical_key(first_url)
    aliases = {key}
    if page.canonical_url and _plausible_canonical(page.canonical_url, first_url):
        key = canonical_key(page.canonical_url)
        aliases.add(key)
    return ProcessedArticle(key=key, url=first_url, page=page, tags=None, aliases=sorted(aliases - {key}),
                            pages=len(extracted), fetched_at=fetched_at, dropped=dropped, region=find_region(page.text))


def process_page(body: bytes | str, url: str, **kwargs) -> ProcessedArticle:
    return process_article([FetchedPage(url, body)], **kwargs)


def _plausible_canonical(canonical: str, url: str) -> bool:
    """A rel=canonical we trust: same outlet, and not the home page or a generic path."""
    try:
        key = canonical_key(canonical)
    except ValueError:
        return False
    path = key.split("/", 3)[3] if key.count("/") >= 3 else ""
    return same_site(canonical, url) and len(path) > 8
