"""The demo's closing summary counts one thing per number: relevant of stored, in total and per source."""
from __future__ import annotations

import re

from rich.console import Console

from pantau.commands.crawl import print_report
from tests.support.analyst_articles import seeded_store_fixture

seeded = seeded_store_fixture()


def test_the_summary_line_gives_relevant_of_stored_for_the_total_and_each_source(seeded):
    store, ids = seeded
    console = Console(record=True, width=200)
    print_report(console, store)
    line = next(line for line in console.export_text().splitlines() if line.startswith("Articles:"))
    total = re.match(r"Articles: (\d+) of (\d+) stored are about election neutrality \((.*)\)$", line)
    assert total, line
    parts = [re.fullmatch(r"(\S+): (\d+) of (\d+)", p) for p in total.group(3).split("; ")]
    assert all(parts), line
    assert int(total.group(2)) == len(ids) == sum(int(p.group(3)) for p in parts)
    assert int(total.group(1)) == sum(int(p.group(2)) for p in parts)
    assert all(int(p.group(2)) <= int(p.group(3)) for p in parts)
