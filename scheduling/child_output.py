"""A crawl child's output as the daemon logs it: one record per event (Scrapy's multi-line messages, such as its
settings and middleware lists or a traceback, joined into one line), and Scrapy's start-up banner shown for the
first crawl only (the same versions and settings for every crawl of this daemon)."""
from __future__ import annotations

import re
import threading
from typing import Iterable, Iterator

# What continues the record before it: Scrapy's pretty-printed lists and dicts ("['scrapy.extensions...",
# " 'w3lib': '2.5.0',"), indented lines and a traceback's lines. Anything else (a timestamped record, the child's
# own summary or error line) starts a new one.
_CONTINUES = re.compile(r"^([ \t\[\]{}]|Traceback \(most recent call last\))")
_STARTUP = re.compile(r"\[(scrapy\.utils\.log|scrapy\.addons|scrapy\.middleware|scrapy\.crawler|"
                      r"scrapy\.extensions\.telnet)\] INFO: (Scrapy \S+ started|Versions|Enabled \w+( \w+)*|"
                      r"Overridden settings|Telnet \w+)")


def records(lines: Iterable[str]) -> Iterator[str]:
    """Lines grouped into records, continuation lines joined to the record they continue."""
    current: list[str] = []
    for line in lines:
        if current and not _CONTINUES.match(line):
            yield " ".join(current)
            current = []
        if line.strip():
            current.append(line.strip() if current else line.rstrip())
    if current:
        yield " ".join(current)


class StartupOnce:
    """Passes each kind of Scrapy start-up record ("Scrapy 2.13 started", "Versions", "Enabled extensions", ...)
    the first time any crawl prints it; later crawls' copies are dropped. Shared by the daemon's crawl threads."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def keep(self, record: str) -> bool:
        match = _STARTUP.search(record)
        if match is None:
            return True
        kind = match.group(1) + ":" + re.sub(r"\d[\w.]*", "", match.group(2))
        with self._lock:
            if kind in self._seen:
                return False
            self._seen.add(kind)
            return True
