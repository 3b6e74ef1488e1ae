"""Indonesian boilerplate, applied from the rules in extract/data/boilerplate.toml.

`clean_tree` works on the parsed page before trafilatura reads it (captions, share bars, related-link
inserts, embeds; loose text between <br>s wrapped into paragraphs); `clean_lines` works on the extracted
text (leftover inserts, calls to action, copyright, captions, credit lines moved to metadata, datelines).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from lxml import etree

from extract.dates import VISIBLE_DATE

_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "section",
           "article", "figure", "blockquote", "dl", "dd", "dt", "header", "footer", "pre", "center"}
_INLINE_HOSTS = {"div", "td", "section", "article", "span", "font", "center", "main"}
_SPACE = re.compile(r"\s+")
_SOFT_BREAK = re.compile(r"[ \t]*[\r\n][\s]*")


@dataclass(frozen=True)
class Rules:
    drop_tags: frozenset
    class_or_id: re.Pattern
    insert_label: re.Pattern
    insert_max_chars: int
    insert_max_own: int
    cta_max_chars: int
    drop_line: re.Pattern
    caption_ending: re.Pattern
    trailing_credit: re.Pattern
    trailing_credit_inline: re.Pattern
    credit: re.Pattern
    bare_credit: re.Pattern
    credit_fields: dict
    author_fields: tuple
    dateline: re.Pattern


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(resources.files("extract.data").joinpath("boilerplate.toml").read_text("utf-8"))
    el, ins, ln, cr = data["elements"], data["inserts"], data["lines"], data["credits"]

    def any_of(patterns: list[str], anchor: str = "") -> re.Pattern:
        return re.compile(anchor + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.I)

    return Rules(
        drop_tags=frozenset(el["tags"]),
        class_or_id=any_of(el["class_or_id"]),
        insert_label=re.compile(r"^\W{0,3}(?:" + "|".join(f"(?:{p})" for p in ins["labels"]) + r")\b", re.I),
        insert_max_chars=ins["max_chars"], insert_max_own=ins["max_own_chars"], cta_max_chars=ins["max_cta_chars"],
        drop_line=any_of(ln["drop"], r"^\W{0,3}"),
        caption_ending=any_of(ln["caption_endings"]),
        trailing_credit=re.compile(ln["trailing_credit"], re.I),
        trailing_credit_inline=re.compile(ln["trailing_credit_inline"], re.I),
        credit=re.compile(cr["pattern"], re.I),
        bare_credit=re.compile(cr["bare"], re.I),
        credit_fields={k.lower(): v for k, v in cr["fields"].items()},
        author_fields=tuple(cr["author_fields"]),
        dateline=re.compile(data["dateline"]["pattern"]),
    )


def norm(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").replace("\u00a0", " ")).strip()


# ---------------------------------------------------------------- the parsed page


_CAPTION = re.compile(r"caption|keterangan|^ket[-_]|foto|photo|figcaption", re.I)


def clean_tree(root, *, captions: bool = True) -> None:
    """Remove boilerplate elements in place and wrap loose <br>-separated text into paragraphs.
    captions=False keeps photo captions (a photo page's only text)."""
    r = rules()
    doomed = []
    for el in root.iter(etree.Element):
        tag = el.tag
        if tag in ("script", "style", "pre", "textarea", "code"):
            continue
        if el.text and "\n" in el.text:          # source line breaks inside a paragraph are spaces
            el.text = _SOFT_BREAK.sub(" ", el.text)
        if el.tail and "\n" in el.tail:
            el.tail = _SOFT_BREAK.sub(" ", el.tail)
        if not captions and (tag == "figcaption" or _CAPTION.search(el.get("class") or "")):
            continue
        if tag in r.drop_tags:
            doomed.append(el)
            continue
        css_class, css_id = el.get("class"), el.get("id")
        if (css_class or css_id) and tag not in ("html", "body", "main", "article") and \
                ((css_class and _boilerplate_attribute(css_class)) or (css_id and _boilerplate_attribute(css_id))):
            doomed.append(el)
    for el in doomed:
        _drop(el)
    _drop_inserts(root, r)
    _wrap_loose_text(root)


@lru_cache(maxsize=8192)
def _boilerplate_attribute(value: str) -> bool:
    """A class or id attribute ("post-content share-box") with a boilerplate token; pages repeat them."""
    return any(_boilerplate_name(token) for token in value.split())


@lru_cache(maxsize=8192)
def _boilerplate_name(token: str) -> bool:
    return rules().class_or_id.search(token) is not None


def _drop(el) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _drop_inserts(root, r: Rules) -> None:
    """Elements that start with an insert label ("Baca juga:", "Berita Terkait", "Bagikan") and hold links."""
    hits = []
    for node in root.xpath("//body//text()[string-length(normalize-space(.)) > 2]"):
        if not r.insert_label.match(node.strip()):
            continue
        el = node.getparent()
        if el is None or not isinstance(el.tag, str):
            continue
        if node.is_tail:
            el = el.getparent()
        box = _insert_box(el, r)
        if box is not None:
            hits.append(box)
    for box in hits:
        if box.getparent() is None:
            continue
        follower = box.getnext()
        if _is_label_only(box, r) and follower is not None and _mostly_links(follower, r.insert_max_chars * 3):
            _drop(follower)
        _drop(box)


def _insert_box(el, r: Rules):
    """The largest element around a label that is still only the insert, or None (a real paragraph)."""
    best = None
    while el is not None and isinstance(el.tag, str) and el.tag not in ("body", "html", "article", "main"):
        text = norm(el.text_content())
        if len(text) > r.insert_max_chars or not r.insert_label.match(text):
            break
        own = _own_text(el)
        label = r.insert_label.match(own)
        rest = own[label.end():] if label else own
        links = el.xpath(".//a")
        if links and len(norm(rest)) <= r.insert_max_own:
            best = el
        elif not links and (len(text) <= 40 or (len(text) <= r.cta_max_chars and _is_cta(text))):
            best = el
        elif best is None:
            return None
        el = el.getparent()
    return best


def _is_cta(text: str) -> bool:
    return bool(re.search(r"google news|whatsapp|telegram|instagram|facebook|twitter|tiktok|youtube|channel|saluran|"
                          r"aplikasi|newsletter", text, re.I))


def _own_text(el) -> str:
    """Text of an element outside its links."""
    return norm(" ".join(el.xpath(".//text()[not(ancestor::a)]")))


def _is_label_only(el, r: Rules) -> bool:
    text = norm(el.text_content())
    m = r.insert_label.match(text)
    return bool(m) and len(text[m.end():].strip(" :")) == 0


def _mostly_links(el, max_chars: int) -> bool:
    if not isinstance(el.tag, str) or el.tag not in ("ul", "ol", "div", "section", "p", "table"):
        return False
    text = norm(el.text_content())
    link_text = sum(len(norm(a.text_content())) for a in el.xpath(".//a"))
    return 0 < len(text) <= max_chars and link_text >= 0.6 * len(text)


def _wrap_loose_text(root) -> None:
    """Text sitting directly in a container between <br>s or next to block children becomes <p>s, so
    trafilatura does not drop a lead paragraph written as "<div><b>Kota</b> - Text ...<br><br>"."""
    for el in list(root.iter(*_INLINE_HOSTS)):
        children = list(el)
        if not children:
            continue
        has_break = any(isinstance(c.tag, str) and (c.tag == "br" or c.tag in _BLOCKS) for c in children)
        if not has_break:
            continue
        loose = (el.text or "").strip() or any((c.tail or "").strip() for c in children)
        if not loose:
            continue
        _rewrap(el)
    for el in list(root.iter("div")):
        parent = el.getparent()
        if parent is None or not (el.text or "").strip() or any(
                isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            continue
        if any(c.tag == "p" for c in parent):
            el.tag = "p"                      # a text-only <div> beside real paragraphs is one too


def _rewrap(el) -> None:
    from lxml.html import Element
    runs: list[list] = [[]]          # items: str (text) or inline element
    blocks: list = []                # block element that ends each run (or "br")
    if el.text:
        runs[-1].append(el.text)
    for child in list(el):
        tag = child.tag if isinstance(child.tag, str) else ""
        tail = child.tail
        child.tail = None
        if tag == "br" or tag in _BLOCKS:
            blocks.append(child)
            runs.append([])
        else:
            runs[-1].append(child)
        if tail:
            runs[-1].append(tail)
        el.remove(child)
    el.text = None
    for i, run in enumerate(runs):
        if any(norm(x) if isinstance(x, str) else norm(x.text_content()) for x in run):
            p = Element("p")
            for item in run:
                if isinstance(item, str):
                    if len(p):
                        p[-1].tail = (p[-1].tail or "") + item
                    else:
                        p.text = (p.text or "") + item
                else:
                    p.append(item)
            el.append(p)
        elif run:
            for item in run:                      # comments, empty inline elements: keep in place
                if not isinstance(item, str):
                    el.append(item)
        if i < len(blocks) and blocks[i].tag != "br":
            el.append(blocks[i])
    if el.tag == "span":
        el.tag = "div"


# ---------------------------------------------------------------- the extracted text


@dataclass
class CleanText:
    lines: list[str]
    credits: dict[str, str] = field(default_factory=dict)

    @property
    def author(self) -> str | None:
        for name in rules().author_fields:
            if self.credits.get(name):
                return self.credits[name]
        return None


def clean_lines(lines: list[str], *, title: str | None = None, captions: bool = True) -> CleanText:
    r = rules()
    out = CleanText([])
    title_norm = norm(title).casefold() if title else None
    for raw in lines:
        line = norm(raw)
        if not line:
            continue
        if title_norm and line.casefold() == title_norm:
            continue                                  # the headline repeated in the body
        if _only_a_date(line):
            continue
        if _take_credit(line, r, out.credits):
            continue
        if r.drop_line.match(line) and (not _long_sentence(line) or _CHANNEL_LINK.search(line)):
            continue
        if captions and r.caption_ending.search(line) and len(line.split()) <= 45:
            continue
        out.lines.append(line)
    _trailing_credits(out, r)
    _join_datelines(out.lines, r)
    return out


# A link to the outlet's messaging channel: a long line that starts like boilerplate and carries one is a
# call to follow (Kompas's Telegram/WhatsApp paragraphs), not prose
_CHANNEL_LINK = re.compile(r"https?://(t\.me|(www\.)?whatsapp\.com/channel|chat\.whatsapp\.com|news\.google\.com)/", re.I)


def _only_a_date(line: str) -> bool:
    """ "Selasa, 23/02/2016 15:32 WIB", "- Kamis, 05/11/2015 09:25 WIB": a timestamp, not prose."""
    if len(line) > 70:
        return False
    m = VISIBLE_DATE.search(line)
    return bool(m) and len(m.group(0)) >= 0.7 * len(line.strip(" -|•·"))


def _long_sentence(line: str) -> bool:
    """A real paragraph that happens to start like a boilerplate line ("Baca juga buku ...")."""
    return len(line.split()) > 30


# Tribun's line before the body: "Laporan Wartawan TribunJabar.id, Sidqi Al Ghifari" (the reporter)
_DESK_BYLINE = re.compile(r"^\s*laporan\s+(?:wartawan|reporter|kontributor|koresponden|jurnalis)\s+"
                          r"[\w.@-]+(?:\s+[\w.@-]+){0,3}\s*,\s*(?P<value>[^\W\d][^,\d]{2,60}?)\s*$", re.I)


def _take_credit(line: str, r: Rules, credits: dict[str, str]) -> bool:
    desk = _DESK_BYLINE.match(line)
    if desk and len(desk.group("value").split()) <= 6:
        credits.setdefault("reporter", desk.group("value").strip(" ."))
        return True
    m = r.credit.match(line) or r.bare_credit.match(line)
    if not m:
        return False
    value = norm(m.group("value")).strip(" .,;|-")
    if not value or len(value.split()) > 12:
        return False
    labels = [m.group("label")] + ([m.group("label2")] if "label2" in m.groupdict() and m.group("label2") else [])
    for label in labels:
        name = r.credit_fields.get(norm(label).lower(), "source")
        credits.setdefault(name, credit_value(value))
    return True


def credit_value(value: str) -> str:
    """ "Kontributor Lhokseumawe, Masriadi" -> "Masriadi"; "Nama (foto)" -> "Nama"."""
    value = re.sub(r"\s*\([^)]*\)\s*$", "", value)
    m = re.match(r"^(kontributor|koresponden|wartawan|jurnalis)\s+[\w ]+,\s*(.+)$", value, re.I)
    return (m.group(2) if m else value).strip()


def _trailing_credits(out: CleanText, r: Rules) -> None:
    """Initials and names closing the article: "(bgs/rul)", "[ian]", "DINI TEJA"."""
    while out.lines:
        last = out.lines[-1]
        if r.trailing_credit.match(last):
            out.credits.setdefault("initials", last.strip("()[] "))
            out.lines.pop()
            continue
        if 1 <= len(last.split()) <= 4 and re.fullmatch(r"[A-Z][A-Z .'-]+", last) and len(out.lines) > 1:
            wire = last.strip(" .") in ("ANTARA", "REUTERS", "AFP", "AP", "ANT")
            out.credits.setdefault("source" if wire else "author", last.strip())
            out.lines.pop()
            continue
        break
    if out.lines:
        m = r.trailing_credit_inline.search(out.lines[-1])
        if m and len(out.lines[-1]) > len(m.group(0)) + 20:
            out.credits.setdefault("initials", m.group(0).strip("()[] "))
            out.lines[-1] = out.lines[-1][:m.start()].rstrip()


def _join_datelines(lines: list[str], r: Rules) -> None:
    if len(lines) >= 2 and len(lines[0]) <= 80 and r.dateline.match(lines[0]):
        lines[1] = f"{lines[0]} {lines[1]}"
        del lines[0]
