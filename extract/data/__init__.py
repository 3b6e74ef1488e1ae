"""Pantau's vocabularies as data files (TOML): boilerplate rules, link and paging words, lexicons."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


def load(name: str) -> dict:
    """extract/data/NAME.toml, parsed."""
    return tomllib.loads(resources.files(__name__).joinpath(f"{name}.toml").read_text("utf-8"))


def any_of(words: list[str], before: str = "", after: str = "") -> re.Pattern:
    """One case-insensitive regex matching any of `words` (each a regex), between `before` and `after`."""
    return re.compile(before + "(?:" + "|".join(words) + ")" + after, re.I)


@dataclass(frozen=True)
class Links:
    non_article_path: re.Pattern
    media_section: re.Pattern
    media_host: re.Pattern
    static_file: re.Pattern
    conventional_feeds: tuple[str, ...]
    conventional_sitemaps: tuple[str, ...]
    skip_sitemap: re.Pattern
    next_part: re.Pattern
    next_listing: re.Pattern
    whole_article: re.Pattern
    load_more: re.Pattern
    pager_container: re.Pattern
    whole_article_params: dict[str, str]


@cache
def links() -> Links:
    """extract/data/links.toml compiled: what sections, pagers and single-page links look like."""
    data = load("links")
    urls, maps, paging = data["article_urls"], data["sitemaps"], data["paging"]
    return Links(
        non_article_path=any_of(urls["non_article_sections"], "^/", "(?:/|$)"),
        media_section=any_of(urls["media_sections"], "/", "/"),
        media_host=any_of(urls["media_hosts"], "^", r"\."),
        static_file=any_of(urls["static_extensions"], r"\.", "$"),
        conventional_feeds=tuple(maps["conventional_feeds"]),
        conventional_sitemaps=tuple(maps["conventional_sitemaps"]),
        skip_sitemap=re.compile(maps["skip_pattern"], re.I),
        next_part=re.compile(paging["next_part_pattern"], re.I),
        next_listing=re.compile(paging["next_listing_pattern"], re.I),
        whole_article=any_of(paging["whole_article"]),
        load_more=any_of(paging["load_more"]),
        pager_container=any_of(paging["pager_container"]),
        whole_article_params=dict(paging["whole_article_params"]),
    )
