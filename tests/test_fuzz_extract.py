"""Extraction never crashes: generated and mutated HTML (real outlet pages cut, flipped, re-encoded, nested without
end) either gives an article or one of extraction's own errors (no article text, unreadable encoding)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.decode import UnreadableEncoding
from extract.page import ExtractedPage, NoArticleText, extract_page
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*.html"))
URL = "https://jabar.tribunnews.com/2024/01/10/kades-di-garut-ikut-kampanye"
TRIED = {"inputs": 0}

WORDS = ["Bawaslu", "Kabupaten", "Garut", "kepala", "desa", "ikut", "kampanye", "caleg", "ASN", "netral", "Pemilu",
         "2024", "Rabu", "(10/1/2024)", "TRIBUNJABAR.ID,", "—", "Baca", "Juga:", "\u00a0", "é", "\ufffd", "😀", "&amp;",
         "&#x1F600;", "&nbsp;", "<", ">", "\"", "'", "\x00", "\r\n"]
TAGS = ["p", "div", "article", "span", "script", "style", "a", "h1", "time", "meta", "table", "td", "br", "iframe",
        "svg", "noscript", "figure", "figcaption", "ul", "li", "b", "html", "body", "head", "title", "template"]


@st.composite
def made_up_html(draw):
    """Pages of random nesting, attributes and Indonesian news words, often unclosed or closed in the wrong order."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attrs = draw(st.sampled_from(['', ' class="read__content"', ' itemprop="articleBody"', ' id="x" id="y"',
                                          ' charset="utf-16"', ' content="2024-13-45T99:99"', ' href="javascript:"',
                                          ' property="article:published_time" content="kemarin"']))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=40))))
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_page(draw):
    """A real outlet page, cut short, with bytes flipped, spliced or a wrong charset declared."""
    body = bytearray(draw(st.sampled_from(PAGES)).read_bytes())
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.integers(0, 3))
        at = draw(st.integers(0, max(0, len(body) - 1)))
        if op == 0:
            body = body[:at]
        elif op == 1 and body:
            body[at] = draw(st.integers(0, 255))
        elif op == 2:
            body[at:at] = draw(st.binary(max_size=64))
        else:
            body[at:at] = draw(st.sampled_from([b'<meta charset="shift_jis">', b'<meta charset="x-nonsense">',
                                                b"\xef\xbb\xbf", b"\xff\xfe", b"<!--", b"<![CDATA[", b"<script>"]))
    return bytes(body)


def _extract(body: bytes) -> None:
    TRIED["inputs"] += 1
    try:
        page = extract_page(body, URL)
    except (NoArticleText, UnreadableEncoding):
        return
    assert isinstance(page, ExtractedPage)
    assert page.text.strip() and "\x00" not in page.text


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


@FUZZ
@given(made_up_html())
def test_made_up_html_never_crashes_extraction(body):
    _extract(body)


@FUZZ
@given(mutated_page())
def test_mutated_outlet_pages_never_crash_extraction(body):
    _extract(body)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash_extraction(body):
    _extract(body)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nextraction fuzz: {TRIED['inputs']} inputs tried")
