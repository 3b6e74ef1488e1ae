"""The daemon's log has one line per event: a crawl child's multi-line Scrapy messages become one record, and
Scrapy's start-up banner (versions, settings, middlewares) appears for the first crawl only."""
from __future__ import annotations

from scheduling.child_output import StartupOnce, records

CHILD = """\
2026-01-10 14:17:40 [scrapy.utils.log] INFO: Scrapy 2.13.3 started (bot: pantau)
2026-01-10 14:17:40 [scrapy.utils.log] INFO: Versions:
{'lxml': '6.1.3',
 'Twisted': '25.5.0',
 'Platform': 'Linux-6.1-x86_64-with-glibc2.36'}
2026-01-10 14:17:41 [scrapy.addons] INFO: Enabled addons:
[]
2026-01-10 14:17:41 [scrapy.middleware] INFO: Enabled extensions:
['scrapy.extensions.corestats.CoreStats',
 'crawler.state.CrawlState',
 'crawler.extensions.RunRecorder']
2026-01-10 14:17:41 [scrapy.crawler] INFO: Overridden settings:
{'BOT_NAME': 'pantau', 'COOKIES_ENABLED': False}
2026-01-10 14:17:41 [scrapy.core.engine] INFO: Spider opened
2026-01-10 14:17:44 [scrapy.core.scraper] ERROR: Error processing https://jabar.tribunnews.com/2024/01/10/x
Traceback (most recent call last):
  File "/srv/pantau/crawler/pipelines.py", line 86, in process_item
    raise ValueError("page too large")
ValueError: page too large
2026-01-10 14:17:50 [scrapy.core.engine] INFO: Closing spider (finished)
sim-priangan: partial run=7 pages=12 new=10 updated=0 skipped=0 errors=2
""".splitlines()


def test_multi_line_messages_become_one_record_and_summary_lines_stay_their_own():
    got = list(records(CHILD))
    assert got[1].startswith("2026-01-10 14:17:40 [scrapy.utils.log] INFO: Versions: {'lxml': '6.1.3', 'Twisted'")
    assert got[3] == ("2026-01-10 14:17:41 [scrapy.middleware] INFO: Enabled extensions: ['scrapy.extensions."
                      "corestats.CoreStats', 'crawler.state.CrawlState', 'crawler.extensions.RunRecorder']")
    error = next(r for r in got if "ERROR" in r)
    assert "Traceback (most recent call last): File" in error and 'raise ValueError("page too large")' in error
    assert got[-1] == "sim-priangan: partial run=7 pages=12 new=10 updated=0 skipped=0 errors=2"
    assert "ValueError: page too large" in got and len(got) == 10


def test_the_start_up_banner_is_logged_for_the_first_crawl_only():
    once = StartupOnce()
    first = [r for r in records(CHILD) if once.keep(r)]
    second = [r for r in records(CHILD) if once.keep(r)]
    assert len(first) == 10
    assert not any("Scrapy 2.13.3 started" in r or "Versions:" in r or "Enabled" in r or "Overridden" in r
                   for r in second)
    assert any("Spider opened" in r for r in second) and second[-1].startswith("sim-priangan: partial")
