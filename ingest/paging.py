"""Pages of one article (?page=2, /2 suffix, rel=next, "Halaman selanjutnya", page-number lists, ?page=all)
and the next page of a listing. Cheap lxml passes, no extraction."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from extract.data import links
from extract.fetched import FetchedPage
from extract.metadata import read_meta
from extract.urls import canonical_key, same_outlet

# Pager and single-page vocabulary: extract/data/links.toml.
_LINKS = links()
NEXT_TEXT, LISTING_NEXT_TEXT, ALL_TEXT = _LINKS.next_part, _LINKS.next_listing, _LINKS.whole_article
LOAD_MORE, PAGER_CONTAINER = _LINKS.load_more, _LINKS.pager_container
_PART_SUFFIX = re.compile(r"(?:/(?:amp|\d{1,2}))+$|^/amp(?=/)", re.I)
WHOLE = _LINKS.whole_article_params
MAX_PAGES = 20


@dataclass
class ArticlePaging:
    single_url: str | None = None     # the whole article on one page (?page=all, ?single=1), not this page
    next_url: str | None = None       # the next part
    page: int = 1                     # this part's number


def _base_and_page(url: str) -> tuple[str, str, int]:
    """(canonical path without page suffix, canonical query without paging or tracking, page number)."""
    parts = urlsplit(url)
    page = 1
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in ("page", "paged", "hal", "halaman") and v.isdigit():
            page = int(v)
    try:
        canonical = urlsplit(canonical_key(url))
    except ValueError:
        canonical = parts
    query = urlencode(sorted((k, v) for k, v in parse_qsl(canonical.query, keep_blank_values=True)
                             if k.lower() not in ("paged", "hal", "halaman") and k.lower() not in WHOLE))
    path = canonical.path.rstrip("/")
    m = re.search(r"^(.+?)/(\d{1,2})$", path)
    if m and page == 1 and not re.search(r"/\d{4}/\d{2}$", path):
        path, page = m.group(1), int(m.group(2))
    return path, query, page


def _path_root(url: str) -> str:
    """The path without trailing slash, page-number or /amp suffix: the same for every part of one article."""
    return _PART_SUFFIX.sub("", urlsplit(url).path.rstrip("/")).lower()


def _ancestor_classes(el) -> str:
    out = []
    while el is not None and el.tag not in ("body", "html"):
        out.append(f"{el.get('class', '')} {el.get('id', '')}")
        el = el.getparent()
    return " ".join(out)


def article_paging(body: bytes | str, url: str) -> ArticlePaging:
    """Where the rest of this article is: its single-page variant, or its next part."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    base_path, base_query, page = _base_and_page(url)
    result = ArticlePaging(page=page)
    root = _path_root(url)
    slug = root.rsplit("/", 1)[-1]
    if not _may_link_parts(text, url, root, slug):
        return result                      # most articles are one page: no need to parse it here
    tree = parse_html(text)
    if tree is None:
        return result
    candidates: dict[int, str] = {}
    for link in tree.xpath('//link[@rel="next"][@href]'):
        _consider(candidates, urljoin(url, link.get("href")), url, base_path, base_query)
    for a in tree.iter("a"):
        target = _part_target(a.get("href") or "", url, root, slug)
        if target is None:
            continue
        text = " ".join(a.text_content().split())
        context = _ancestor_classes(a)
        if _single_variant(target, base_path, base_query, url) or (ALL_TEXT.search(text) and
                                                                   _same_article(target, base_path, base_query, url)):
            if result.single_url is None and page == 1:
                result.single_url = target
            continue
        rel_next = "next" in (a.get("rel") or "").split()
        if LOAD_MORE.search(text) or (LOAD_MORE.search(context) and not PAGER_CONTAINER.search(a.get("class", ""))):
            if not rel_next:
                continue
        if rel_next or NEXT_TEXT.match(text) or PAGER_CONTAINER.search(context):
            _consider(candidates, target, url, base_path, base_query)
    later = sorted(n for n in candidates if n > page)
    if later and later[0] <= MAX_PAGES:
        result.next_url = candidates[later[0]]
    return result


_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")       # on the lowercased page
_REL_NEXT = re.compile(r"""rel\s*=\s*["']?[^"'>]*\bnext""")


def _may_link_parts(text: str, url: str, root: str, slug: str) -> bool:
    """A scan of the raw page for what article_paging looks at: False only when no href anywhere (quoted or
    not, entities decoded or not) passes its link tests and nothing is rel=next, so parsing would find nothing.
    Links to the page itself never count: they lead to no other part. (Regular expressions run on the
    lowercased page, many times faster than case-insensitive ones; the values are read from the page itself.)"""
    low = text.lower()
    if len(low) != len(text):              # a letter that lowercases to two: positions differ, parse instead
        return True
    if "next" in low and _REL_NEXT.search(low):
        return True
    for match in _HREF.finditer(low):
        value = match.group(match.lastindex or 0)
        if "&" not in value and slug not in value and value.lstrip().startswith(("/", "http:", "https:")):
            continue                       # the common case, decided on the lowercased value alone
        group = match.lastindex or 0
        raw = text[match.start(group):match.end(group)]
        for href in (raw, html.unescape(raw)) if "&" in raw else (raw,):
            if _part_target(href, url, root, slug) is not None:
                return True
    return False


def _part_target(href: str, url: str, root: str, slug: str) -> str | None:
    """The address a link leads to if it could be another part of this article (it shares the article's path and
    is not the page itself), else None."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:")):
        return None
    if slug not in href.lower() and href.startswith(("/", "http:", "https:")):
        return None                        # an absolute link to a part of this article holds its last path segment
    target = urljoin(url, href).split("#")[0]
    return target if target != url and _path_root(target) == root else None


@dataclass
class PartWalk:
    """The pages of one article and which page to fetch next: the one rule the crawler and `pantau ingest` follow.
    Page 1 first; then its single-page variant (?page=all) when it links one, which replaces it whole; else each
    next part up to MAX_PAGES. A page that repeats the last one, carries another headline or fails ends the
    article with the pages so far; a failed single-page variant falls back to the parts. No I/O: the caller
    fetches `next_url()` and hands the page (None if it failed) to `received`."""
    pages: list[FetchedPage]
    whole: bool = False            # the URL asked for is the single-page variant
    whole_tried: bool = False
    _title: str | None = field(default=None, repr=False)

    def next_url(self) -> str | None:
        """The page to fetch next, or None when the article is complete."""
        last = self.pages[-1]
        paging = article_paging(last.body, last.url)
        self.whole = (len(self.pages) == 1 and not self.whole_tried and paging.single_url is not None
                      and paging.single_url != last.url)
        if self.whole:
            self.whole_tried = True
            return paging.single_url
        if paging.next_url and len(self.pages) < MAX_PAGES and paging.next_url not in {p.url for p in self.pages}:
            return paging.next_url
        return None

    def received(self, page: FetchedPage | None) -> bool:
        """Take the page fetched for `next_url()` (None: it failed). True while there may be more to fetch."""
        if page is not None and self._belongs(page):
            if self.whole:
                self.pages = [page]
                return False
            self.pages.append(page)
            return True
        return self.whole and page is None

    def _belongs(self, page: FetchedPage) -> bool:
        if page.body == self.pages[-1].body:
            return False
        if self._title is None:
            self._title = page_title(self.pages[0]) or ""
        return same_part_title(self._title, page_title(page))


def _same_article(target: str, base_path: str, base_query: str, url: str) -> bool:
    if not same_outlet(target, url):
        return False
    path, query, _ = _base_and_page(target)
    return path == base_path and query == base_query


def _single_variant(target: str, base_path: str, base_query: str, url: str) -> bool:
    parts = urlsplit(target)
    params = {k.lower(): v.lower() for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    if not any(params.get(k) == v for k, v in WHOLE.items()):
        return False
    return same_outlet(target, url) and _base_and_page(target)[0] == base_path


def _consider(candidates: dict[int, str], target: str, url: str, base_path: str, base_query: str) -> None:
    if not same_outlet(target, url) or target == url:
        return
    path, query, page = _base_and_page(target)
    if path == base_path and query == base_query and page > 1:
        candidates.setdefault(page, target)


def same_part_title(first: str | None, other: str | None) -> bool:
    """A later part repeats the first part's headline (maybe with "Halaman 2"); a different one is another page."""
    if not first or not other:
        return True
    def norm(s):
        return re.sub(r"\W+", " ", re.sub(r"(?i)\b(halaman|hal|page)\s*\d+\b", "", s)).strip().lower()
    a, b = norm(first), norm(other)
    return a == b or a.startswith(b) or b.startswith(a)


def page_title(page: FetchedPage) -> str | None:
    """The headline as extraction reads it (extract.metadata), so a part is judged by the same title."""
    tree = parse_html(page.body)
    return read_meta(tree, page.url).title if tree is not None else None


# --- listings ---------------------------------------------------------------------------------------------------

def next_listing_url(body: bytes | str, url: str) -> str | None:
    """The next page of an index/category/tag listing (?page=N, /page/N/, rel=next, "Selanjutnya")."""
    tree = parse_html(body)
    if tree is None:
        return None
    current = _listing_page(url)
    for href in tree.xpath('//link[@rel="next"]/@href | //a[contains(concat(" ", @rel, " "), " next ")]/@href'):
        target = urljoin(url, href.strip())
        if same_outlet(target, url) and target != url:
            return target
    numbered: dict[int, str] = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        target = urljoin(url, href).split("#")[0]
        if not same_outlet(target, url) or target == url:
            continue
        text = " ".join(a.text_content().split())
        n = _listing_page(target)
        if LISTING_NEXT_TEXT.match(text) and n > current:
            return target
        if n == current + 1 and (text == str(n) or PAGER_CONTAINER.search(_ancestor_classes(a))):
            numbered.setdefault(n, target)
    return numbered.get(current + 1)


def _listing_page(url: str) -> int:
    parts = urlsplit(url)
    for k, v in parse_qsl(parts.query):
        if k.lower() in ("page", "paged", "p", "hal") and v.isdigit():
            return int(v)
    m = re.search(r"/(?:page|halaman|hal)/(\d+)/?$", parts.path) or re.search(r"/(\d{1,4})/?$", parts.path)
    return int(m.group(1)) if m else 1


def listing_page_url(url: str, page: int) -> str:
    """URL of page N of a ?page=N listing (used when a site has no links to its own pages)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"] + [("page", str(page))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def parse_html(body: bytes | str):
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not body.strip():
        return None
    try:
        return lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None
