"""The sources registry (crawler/sources.toml): every enabled outlet builds on a platform, and every platform has
a golden page in its real shape (tests/fixtures/golden/PLATFORM.json) that extraction and the platform's link
rules read right: title, byline, date, first and last paragraphs, and exactly the article links."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.discovery import article_links
from crawler.sources import SourcesError, default_sources_path, load_sources, parse_sources
from extract.page import extract_page

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "golden").glob("*.json"))}
PLATFORMS = tomllib.loads(default_sources_path().read_text(encoding="utf-8"))["platforms"]


@pytest.mark.parametrize("source", [s for s in load_sources() if s.enabled], ids=lambda s: s.name)
def test_every_enabled_source_builds_on_a_platform_with_a_golden_page(source):
    assert source.platform, f"{source.name}: name its platform (platform = ...) in crawler/sources.toml"
    assert source.platform in GOLDEN, f"{source.name}: platform {source.platform!r} has no golden page in {FIXTURES / 'golden'}"


def test_every_platform_has_a_golden_page_and_no_golden_page_is_orphaned():
    assert set(PLATFORMS) == set(GOLDEN)


@pytest.mark.parametrize("platform", sorted(GOLDEN))
def test_golden_page_is_read_right(platform):
    golden = GOLDEN[platform]
    body = (FIXTURES / golden["page"]).read_bytes()
    page = extract_page(body, golden["url"])
    paragraphs = page.text.split("\n")
    assert page.title == golden["title"]
    assert page.author == golden["author"]
    assert page.published_at.isoformat() == golden["published"]
    assert paragraphs[0] == golden["first_paragraph"]
    assert paragraphs[-1] == golden["last_paragraph"]
    assert not any(p.upper().startswith(("BACA JUGA:", "LIHAT JUGA:")) for p in paragraphs)   # inserts, not text


@pytest.mark.parametrize("platform", sorted(GOLDEN))
def test_platform_rules_pick_exactly_the_article_links_of_its_golden_page(platform):
    golden, rules = GOLDEN[platform], PLATFORMS[platform]
    body = (FIXTURES / golden["page"]).read_bytes()
    base = f"https://{urlsplit(golden['url']).hostname}/"
    found = article_links(body, golden["url"], base, [re.compile(p) for p in rules.get("allow", [])],
                          [re.compile(p) for p in rules.get("deny", [])])
    assert [urlsplit(u).path for u in found] == golden["article_links"]   # menus, tags, authors, categories left out


def test_an_entry_states_only_its_own_and_overrides_its_platform():
    data = {"platforms": {"tribun": {"feeds": ["/rss"], "sitemaps": ["/sitemap_news.xml"], "delay": 2.0}},
            "source": [{"name": "tribun-jambi", "platform": "tribun", "base_url": "https://jambi.tribunnews.com/"},
                       {"name": "tribun-bali", "platform": "tribun", "base_url": "https://bali.tribunnews.com/",
                        "delay": 0.5, "sitemaps": []}]}
    jambi, bali = parse_sources(data)
    assert jambi.feed_urls == ["https://jambi.tribunnews.com/rss"] and jambi.delay == 2.0
    assert bali.sitemaps == [] and bali.delay == 0.5 and bali.feed_urls == ["https://bali.tribunnews.com/rss"]


def test_platform_mistakes_are_named():
    with pytest.raises(SourcesError, match="unknown platform 'wp'"):
        parse_sources({"platforms": {"wordpress": {}}, "source": [{"name": "a", "platform": "wp", "base_url": "https://a.id/"}]})
    with pytest.raises(SourcesError, match=r"\[platforms.wordpress\]: key\(s\) \['base_url'\] belong to an outlet"):
        parse_sources({"platforms": {"wordpress": {"base_url": "https://a.id/"}}})
