"""What a news page says about itself: JSON-LD, meta tags, the visible headline, byline and date, and
links to the article's own later pages. Reads the parsed page (lxml); never changes it."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from extract.cleanup import credit_value, norm, rules
from extract.dates import VISIBLE_DATE

NEWS_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
              "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "report", "liveblogposting"}
_META_DATES = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
               "pubdate", "publishdate", "publish-date", "publish_date", "publication_date", "date",
               "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "content_publisheddate",
               "article_date_original", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime")
_DATE_CLASS = re.compile(r"date|time|tanggal|tgl|waktu|publish|posted|jam|byline|meta|author|info", re.I)
_TEAM = re.compile(r"^(tim|team)\s+\S", re.I)      # "Tim detikBali", "Tim Liputan6.com": a team byline, kept
_ORG_AUTHOR = re.compile(r"\b(pt|tbk|media|cyber|redaksi|news|online|admin|team|facebook|twitter|instagram|whatsapp|"
                         r"google|youtube|tiktok|telegram)\b|\.(com|co\.id|id|net)\b|^https?:|@", re.I)
def _organisation(name: str) -> bool:
    """A company, CMS account or site rather than a writer; a team byline ("Tim detikBali") is a writer."""
    return bool(_ORG_AUTHOR.search(name)) and not _TEAM.match(name)


_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|:|»|·)\s+")


@dataclass
class PageMeta:
    title: str | None = None
    site_name: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)          # JSON-LD / meta, people only
    editors: list[str] = field(default_factory=list)
    byline: dict[str, str] = field(default_factory=dict)       # "Penulis: X" and friends printed on the page
    machine_dates: list[str] = field(default_factory=list)     # JSON-LD first, then meta tags, then <time>
    visible_dates: list[str] = field(default_factory=list)     # date strings printed near the headline


def read_meta(root, url: str) -> PageMeta:
    meta = PageMeta()
    tags = _meta_tags(root)
    ld = _json_ld(root)
    site = tags.get("og:site_name")
    host = re.sub(r"[^a-z]", "", (urlsplit(url).hostname or "").lower())
    if site and re.fullmatch(r"[a-z]+", site) and site not in host and _ld_name(ld.get("publisher")):
        site = None                   # a section ("nasional") where the outlet's name belongs: the publisher's
    meta.site_name = next((n for n in (site, _ld_name(ld.get("publisher")))
                           if n and len(n) <= 40), None)      # some outlets put the page title there
    meta.description = tags.get("og:description") or tags.get("description")
    meta.canonical_url = _first(root, '//link[@rel="canonical"]/@href') or tags.get("og:url")
    meta.language = _language(root, tags)
    headline = _headline_element(root, [ld.get("headline"), tags.get("og:title"), tags.get("twitter:title"),
                                        _first(root, "//title/text()")], meta.site_name or _brand(url))
    meta.title = headline[0]
    meta.authors = [n for n in _ld_names(ld.get("author")) if not _organisation(n)]
    meta.editors = _ld_names(ld.get("editor"))
    if not meta.authors and tags.get("author") and not _organisation(tags["author"]):
        meta.authors = [tags["author"]]
    meta.machine_dates = [v for v in [ld.get("datePublished")] + [tags.get(k) for k in _META_DATES] if v]
    meta.machine_dates += [t for t in root.xpath('//*[@itemprop="datePublished"]/@datetime | '
                                                 '//time[contains(@class, "publish")]/@datetime | '
                                                 '//time[@pubdate]/@datetime')]
    meta.visible_dates = _visible_dates(root, headline[1])
    meta.byline = _byline(root)
    bylined = _bylined_author(root, headline[1])
    if bylined:
        meta.authors = [bylined] + [a for a in meta.authors if a.casefold() != bylined.casefold()]
    meta.authors = [a for a in meta.authors if not is_initials(a)]
    return meta


# ---------------------------------------------------------------- meta tags and JSON-LD


def _meta_tags(root) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _json_ld(root) -> dict:
    """The first news-article object in the page's JSON-LD (merged over @graph), or {}."""
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, TypeError):
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in NEWS_TYPES for t in types):
                return obj
    return {}


def _walk(data):
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def _ld_names(value) -> list[str]:
    names = []
    for item in value if isinstance(value, list) else [value]:
        name = _ld_name(item)
        if name:
            names.append(name)
    return names


def _ld_name(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return norm(value) if isinstance(value, str) and norm(value) else None


def _language(root, tags: dict) -> str | None:
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or tags.get("og:locale") \
        or tags.get("content-language") or tags.get("language")
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


_INITIALS = re.compile(r"[a-z]{1,4}|[A-Z]{1,4}|[A-Za-z]{1,5}(\s*[/.,-]\s*[A-Za-z]{1,5})+\.?")


def is_initials(name: str) -> bool:
    """A reporter's or editor's code ("bgs", "ADY", "rdp/imk", "ant/mhd"), not a name ("Ady", "Monalisa")."""
    return bool(_INITIALS.fullmatch(name.strip(" ()[]")))


def _first(root, xpath: str) -> str | None:
    for value in root.xpath(xpath):
        if value and value.strip():
            return value.strip()
    return None


# ---------------------------------------------------------------- headline


def _headline_element(root, meta_titles: list, site_name: str | None):
    """The visible headline (an <h1>/<h2> that the metadata title contains), else the metadata title without
    the outlet's name around it. Returns (title, headline element or None)."""
    titles = [norm(t) for t in meta_titles if isinstance(t, str) and norm(t)]
    best, best_el = None, None
    candidates = root.xpath("//h1 | //h2 | //*[@itemprop='headline'][not(self::meta)]")
    for el in candidates:
        text = norm(el.text_content())
        if len(text.split()) < 2 or len(text) > 300:
            continue
        text = _strip_site(text, site_name) if _SEPARATORS.search(text) else text
        for t in titles:
            if _fold(text) in _fold(t) and len(text) >= 0.45 * len(_strip_site(t, site_name)):
                if best is None or (_SEPARATORS.search(best) is not None, -len(best)) > \
                        (_SEPARATORS.search(text) is not None, -len(text)):
                    best, best_el = text, el
                break
        if best_el is el and el.tag == "h1":
            break
    if best:
        return best, best_el
    # An <h1> that is the metadata title reworded (a shortened or SEO og:title, other punctuation): the
    # headline readers see. A logo or section <h1> shares few words with it.
    if titles:
        words = [set(_TITLE_WORD.findall(_fold(_strip_site(t, site_name)))) for t in titles]
        scored = []
        for el in candidates:
            if el.tag != "h1":
                continue
            text = norm(el.text_content())
            own = set(_TITLE_WORD.findall(_fold(text)))
            if len(own) >= 3 and len(text) <= 300:
                overlap = max(len(own & w) / len(own | w) for w in words if w) if any(words) else 0.0
                scored.append((overlap, text, el))
        if scored:
            overlap, text, el = max(scored, key=lambda x: x[0])
            if overlap >= 0.6:
                return _strip_site(text, site_name) if _SEPARATORS.search(text) else text, el
        return _strip_site(titles[0], site_name), None
    return None, None


_TITLE_WORD = re.compile(r"\w+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def _fold(text: str) -> str:
    """For comparing a visible headline with metadata titles: case, curly quotes, dashes, ellipses."""
    return text.translate(_QUOTES).replace("…", "...").casefold()


def _brand(url: str) -> str | None:
    """ "https://news.okezone.com/read/..." -> "okezone": how an outlet without og:site_name names itself."""
    labels = (urlsplit(url).hostname or "").split(".")
    while labels and labels[-1] in ("com", "id", "co", "net", "org", "or", "go", "ac", "web"):
        labels.pop()
    return labels[-1] if labels and len(labels[-1]) > 3 else None


def _strip_site(title: str, site_name: str | None) -> str:
    """ "Judul - Kompas.com", "KapanLagi.com: Judul", "Judul | Republika Online" -> "Judul"."""
    parts = _SEPARATORS.split(title)
    if len(parts) == 1:
        m = re.match(r"^[\w.]+\.(com|co\.id|id|net)\s*:\s*(.+)$", title, re.I)
        return m.group(2) if m else title
    site = (site_name or "").casefold()
    kept = [p for p in parts if not (re.search(r"\.(com|co\.id|id|net|co)\b|\bonline\b", p, re.I)
                                     or (site and (site in p.casefold() or p.casefold() in site)))]
    if not kept:
        return title
    if len(kept) == 1:
        return kept[0]
    return max(kept, key=len) if len(kept) < len(parts) else title


# ---------------------------------------------------------------- byline and dates


_LABELS = r"(?:penulis|reporter|wartawan|pewarta|jurnalis|kontributor|editor|redaktur|fotografer|penyunting)"
_CREDIT_LABEL = re.compile(rf"(?<![\w])({_LABELS})(?:\s*(?:&|dan|/)\s*({_LABELS}))?\s*[:：]", re.I)
_CREDIT_WORD = re.compile(rf"^\W*{_LABELS}(?:\s*(?:&|dan|/)\s*{_LABELS})?\W*$|^\W*{_LABELS}\s*[:：]", re.I)
_AUTHOR_CLASS = re.compile(r"author|byline|reporter|penulis|writer|wartawan|jurnalis|contributor", re.I)
_AUTHOR_LINK = re.compile(r"/(author|penulis|reporter|wartawan|jurnalis|profile/penulis)/", re.I)
_LEADING_LABEL = re.compile(r"^(oleh|by|penulis|reporter|pewarta|jurnalis|wartawan|laporan wartawan [\w.]+)\s*[:：]?\s+", re.I)
_TRAILING_LABEL = re.compile(r"\s+(jurnalis|reporter|penulis|wartawan|kontributor|author)$", re.I)


def _byline(root) -> dict[str, str]:
    """Credits printed outside the body text: "Penulis: X", "Reporter: X | Editor: Y", "Penulis | : X"."""
    r = rules()
    found: dict[str, str] = {}
    for node in root.xpath("//body//text()[string-length(normalize-space(.)) > 3]"):
        if not _CREDIT_WORD.search(node.strip()):
            continue
        el = node.getparent()
        if node.is_tail:
            el = el.getparent()
        text = ""
        for _ in range(3):                    # the label may sit in its own cell: climb to the row
            if el is None:
                break
            text = _lines_text(el)
            if _CREDIT_LABEL.search(text) or len(text) > 200:
                break
            el = el.getparent()
        if not text or len(text) > 200:
            continue
        if not _CREDIT_LABEL.search(text):
            _split_credit(node, r, found)       # "Penulis" and the name in elements of their own
            continue
        marks = list(_CREDIT_LABEL.finditer(text))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            value = re.split(r"\n|\s[|•/]\s|\s{2,}|\s-\s", text[m.end():end].strip())[0].strip(" ,.|")
            if value and len(value.split()) <= 8 and not VISIBLE_DATE.search(value):
                for label in filter(None, m.groups()):
                    found.setdefault(r.credit_fields.get(label.lower(), "source"), credit_value(value))
    return found


_BARE_LABEL = re.compile(rf"^\W*({_LABELS})\W*$", re.I)


def _split_credit(node, r, found: dict[str, str]) -> None:
    """A label printed without a colon in an element of its own, its value in the next one ("<h6>Penulis</h6>
    <a>Nama</a>", kompas) or the one before ("<div>Nama</div><span>Jurnalis</span>", okezone). The
    container's first (or last) text is a label: each label takes the text after it (or before it)."""
    el = node.getparent()
    if el is None or any(a.tag in ("a", "li", "nav", "option", "button") for a in [el, *el.iterancestors()]):
        return
    for _ in range(3):
        el = el.getparent()
        if el is None or el.tag in ("body", "html"):
            return
        parts = [norm(t) for t in el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")]
        parts = [p for p in parts if p and p not in ("|", "/", "-", "•", ":")]
        if sum(len(p) for p in parts) > 200 or len(parts) > 8:
            return
        if len(parts) < 2:
            continue
        first, last = _BARE_LABEL.match(parts[0]), _BARE_LABEL.match(parts[-1])
        if not (first or last):
            return
        step = 1 if first else -1
        for i, part in enumerate(parts):
            m = _BARE_LABEL.match(part)
            j = i + step
            if m and 0 <= j < len(parts) and not _BARE_LABEL.match(parts[j]):
                value = credit_value(parts[j].strip(" ,.|:"))
                if value and len(value.split()) <= 8 and not VISIBLE_DATE.search(value):
                    found.setdefault(r.credit_fields.get(m.group(1).lower(), "source"), value)
        return


def _lines_text(el) -> str:
    """The element's text with its <br> kept as line breaks ("Pewarta: X<br>Editor: Y" is two credits)."""
    raw = "".join(p if isinstance(p, str) else "\n" for p in el.xpath(".//text() | .//br"))
    return "\n".join(filter(None, (norm(line) for line in raw.split("\n"))))


def _bylined_author(root, headline) -> str | None:
    """The writer named in an author/byline element (or an /author/ link) next to the headline."""
    scopes = [a for _, a in zip(range(4), headline.iterancestors()) if a.tag not in ("body", "html")] \
        if headline is not None else root.xpath("//article")[:1]
    for scope in scopes:
        for el in scope.iter(etree.Element):
            if el.tag in ("meta", "link", "script", "style", "img", "figure", "figcaption", "li"):
                continue
            names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''} {el.get('rel') or ''}"
            is_link = el.tag == "a" and _AUTHOR_LINK.search(el.get("href") or "")
            if not is_link and el.tag != "author" and not _AUTHOR_CLASS.search(names):
                continue
            if any(a.tag in ("figure", "figcaption", "li") for a in _ancestors_until(el, scope)):
                continue
            name = _person(norm(el.text_content()))
            if name:
                return name
    return None


_EDITOR_LABEL = re.compile(r"\b(editor|redaktur|penyunting|editing|red)\s*[:：]|\b(editor|redaktur|penyunting)\b", re.I)
_DESK = re.compile(r"^(laporan\s+)?(wartawan|reporter|kontributor|koresponden|jurnalis)\s+[\w.@ -]{2,40}?,\s*(?=\S)", re.I)


def _person(text: str) -> str | None:
    if not text or len(text) > 160:
        return None
    editor = _EDITOR_LABEL.search(text)
    if editor:                            # "Editor: X" is not the writer; "Reporter: A Editor: B" is A
        text = text[:editor.start()].strip(" |/-–,")
        if not text:
            return None
    text = _DESK.sub("", text)            # "Laporan Wartawan TribunJabar.id, Nama", "Kontributor Garut, Nama"
    text = _LEADING_LABEL.sub("", text)
    text = re.split(r"\s+[-|–—/]\s+|,|\s+on\s+|\s+pada\s+|\s{2,}", text)[0].strip(" :.")
    text = _TRAILING_LABEL.sub("", text).strip()
    if VISIBLE_DATE.search(text) or re.search(r"\d|@", text):
        return None
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) < 4 or _organisation(text):
        return None
    return text


def _visible_dates(root, headline) -> list[str]:
    """Date strings printed next to the headline (in its container, up to a few levels up), in page order.
    Dates elsewhere (lists of other articles, sidebars) are never the article's."""
    if headline is None:
        scopes = root.xpath("//article") or []
    else:
        scopes = [a for _, a in zip(range(4), headline.iterancestors()) if a.tag not in ("body", "html")]
    for scope in scopes:
        found = []
        for el in scope.iter(etree.Element):
            if el.tag in ("script", "style", "a", "li", "ul", "ol", "aside", "nav"):
                continue
            names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
            if el.tag != "time" and not _DATE_CLASS.search(names) and not _only_date(el):
                continue
            if any(a.tag in ("li", "a", "aside", "nav") for a in _ancestors_until(el, scope)):
                continue
            text = norm(el.text_content())
            if text and len(text) <= 200:
                m = VISIBLE_DATE.search(text)
                if m:
                    found.append(m.group(0))
        if found:
            return found[:3]
    return []


def _only_date(el) -> bool:
    """An element of its own holding a printed date and little else ("<div class=namerep>Sabtu 10 Februari
    2024 08:15</div>"), whatever its class is called."""
    if len(el) or el.tag in ("p", "h1", "h2", "h3", "a", "span") and el.getparent() is not None and \
            el.getparent().tag == "p":
        return False
    text = norm(el.text_content())
    m = VISIBLE_DATE.search(text) if 8 <= len(text) <= 60 else None
    return bool(m) and len(m.group(0)) >= 0.7 * len(text)


def _ancestors_until(el, stop):
    for a in el.iterancestors():
        if a is stop:
            return
        yield a
