"""The sources file: which outlets to crawl, where their articles are listed, how politely (docs/sources.md).

`load_sources()` reads TOML, checks every entry and raises `SourcesError` naming the bad entry and key."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DEFAULT_SOURCES = Path(__file__).parent / "sources.toml"
ENV_SOURCES = "PANTAU_SOURCES"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


class SourcesError(ValueError):
    """The sources file is missing, not TOML, or has a bad entry (the message names it)."""


@dataclass
class SourceConfig:
    name: str
    base_url: str
    enabled: bool = True
    province: str | None = None
    regency: str | None = None
    feeds: list[str] = field(default_factory=list)       # RSS / Atom
    sitemaps: list[str] = field(default_factory=list)    # sitemap indexes, sitemaps, Google News sitemaps
    listings: list[str] = field(default_factory=list)    # index / category / tag pages (paginated)
    allow: list[str] = field(default_factory=list)       # regexes an article URL must match (one of)
    deny: list[str] = field(default_factory=list)        # regexes that rule a URL out
    interval: int = 60                                   # minutes between crawls (daemon)
    cron: str | None = None                              # crontab expression, instead of interval
    timeout: int | None = None                           # seconds a whole crawl may take
    listing_depth: int = 3                               # listing pages followed per listing URL
    max_articles: int | None = None                      # article pages per crawl (None: no cap)
    delay: float = 1.0                                   # seconds between requests to the outlet
    concurrency: int = 2                                 # parallel requests to the outlet
    download_timeout: int = 30                           # seconds for one request
    user_agent: str | None = None                        # default: Pantau's identifying User-Agent
    platform: str | None = None                          # a [platforms.NAME] template the entry builds on
    notes: str = ""

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url, url)

    @property
    def feed_urls(self) -> list[str]:
        return [self.absolute(u) for u in self.feeds]

    @property
    def sitemap_urls(self) -> list[str]:
        return [self.absolute(u) for u in self.sitemaps]

    @property
    def listing_urls(self) -> list[str]:
        return [self.absolute(u) for u in self.listings]


_FIELDS = {f.name: f for f in fields(SourceConfig)}
_LISTS = {"feeds", "sitemaps", "listings", "allow", "deny"}
_INTS = {"interval": 1, "timeout": 1, "listing_depth": 1, "max_articles": 1, "concurrency": 1, "download_timeout": 1}
_STRS = {"name", "base_url", "province", "regency", "cron", "user_agent", "platform", "notes"}
_DEFAULTABLE = set(_FIELDS) - {"name", "base_url", "feeds", "sitemaps", "listings", "province", "regency", "notes",
                               "platform"}
_PLATFORM_KEYS = _DEFAULTABLE | {"feeds", "sitemaps", "listings"}


def default_sources_path() -> Path:
    return Path(os.environ[ENV_SOURCES]) if os.environ.get(ENV_SOURCES) else DEFAULT_SOURCES


def load_sources(path: str | Path | None = None) -> list[SourceConfig]:
    """All sources in the file (None: $PANTAU_SOURCES, else the shipped crawler/sources.toml)."""
    path = Path(path) if path else default_sources_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, str(path))


def parse_sources(data: dict, origin: str = "sources") -> list[SourceConfig]:
    unknown = set(data) - {"defaults", "platforms", "source"}
    if unknown:
        raise SourcesError(f"{origin}: unknown top-level key(s) {sorted(unknown)}; expected [defaults], "
                           "[platforms.NAME] and [[source]]")
    platforms = _platforms(data.get("platforms", {}), origin)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SourcesError(f"{origin}: [defaults] must be a table")
    bad = set(defaults) - _DEFAULTABLE
    if bad:
        raise SourcesError(f"{origin}: [defaults]: key(s) {sorted(bad)} cannot have a default "
                           f"(allowed: {', '.join(sorted(_DEFAULTABLE))})")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourcesError(f"{origin}: sources must be [[source]] tables")
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        label = f"{origin}: source #{number}" + (f" {entry['name']!r}" if isinstance(entry.get("name"), str) else "")
        platform = entry.get("platform")
        if platform is not None and platform not in platforms:
            raise SourcesError(f"{label}: unknown platform {platform!r} (defined: {', '.join(sorted(platforms)) or 'none'})")
        source = _source({**defaults, **platforms.get(platform, {}), **entry}, label)
        if source.name in seen:
            raise SourcesError(f"{label}: duplicate name {source.name!r}")
        seen.add(source.name)
        sources.append(source)
    return sources


def _platforms(tables, origin: str) -> dict[str, dict]:
    """[platforms.NAME] tables: what every outlet on one CMS shares (feeds, sitemaps, listings, allow, deny, ...)."""
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise SourcesError(f"{origin}: platforms must be [platforms.NAME] tables")
    for name, table in tables.items():
        bad = set(table) - _PLATFORM_KEYS
        if bad:
            raise SourcesError(f"{origin}: [platforms.{name}]: key(s) {sorted(bad)} belong to an outlet, not a "
                               f"platform (allowed: {', '.join(sorted(_PLATFORM_KEYS))})")
    return tables


def select_sources(sources: list[SourceConfig], names: list[str] | None) -> list[SourceConfig]:
    """The named sources (any state), or all enabled ones when no name is given."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SourcesError(f"unknown source(s): {', '.join(missing)} (known: {', '.join(sorted(by_name)) or 'none'})")
    return [by_name[n] for n in dict.fromkeys(names)]


def _source(entry: dict, label: str) -> SourceConfig:
    unknown = set(entry) - set(_FIELDS)
    if unknown:
        raise SourcesError(f"{label}: unknown key(s) {sorted(unknown)} (allowed: {', '.join(_FIELDS)})")
    for required in ("name", "base_url"):
        if required not in entry:
            raise SourcesError(f"{label}: missing {required!r}")
    values: dict = {}
    for key, value in entry.items():
        values[key] = _check(key, value, label)
    if not _NAME.match(values["name"]):
        raise SourcesError(f"{label}: 'name' must be lower-case letters, digits, '-', '_' or '.', got {values['name']!r}")
    _check_url(values["base_url"], label, "base_url")
    base = values["base_url"]
    for key in ("feeds", "sitemaps", "listings"):
        for url in values.get(key, []):
            _check_url(urljoin(base, url), label, key)
    for key in ("allow", "deny"):
        for pattern in values.get(key, []):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourcesError(f"{label}: {key!r} pattern {pattern!r} is not a valid regex: {exc}") from None
    if values.get("cron"):
        _check_cron(values["cron"], label)
    if values.get("delay", 0) < 0:
        raise SourcesError(f"{label}: 'delay' must be >= 0 seconds")
    return SourceConfig(**values)


def _check(key: str, value, label: str):
    if key in _LISTS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise SourcesError(f"{label}: {key!r} must be a list of non-empty strings")
        return [v.strip() for v in value]
    if key == "enabled":
        if not isinstance(value, bool):
            raise SourcesError(f"{label}: 'enabled' must be true or false, got {value!r}")
        return value
    if key in _INTS:
        if isinstance(value, bool) or not isinstance(value, int) or value < _INTS[key]:
            raise SourcesError(f"{label}: {key!r} must be a whole number >= {_INTS[key]}, got {value!r}")
        return value
    if key == "delay":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SourcesError(f"{label}: 'delay' must be a number of seconds, got {value!r}")
        return float(value)
    if key in _STRS:
        if not isinstance(value, str) or (key in ("name", "base_url") and not value.strip()):
            raise SourcesError(f"{label}: {key!r} must be a string, got {value!r}")
        return value.strip()
    return value


def _check_url(url: str, label: str, key: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{label}: {key!r} has a URL that is not http(s): {url!r}")


def _check_cron(expr: str, label: str) -> None:
    try:
        from apscheduler.triggers.cron import CronTrigger
        CronTrigger.from_crontab(expr)
    except ValueError as exc:
        raise SourcesError(f"{label}: 'cron' {expr!r} is not a crontab expression: {exc}") from None
