"""A duplicate-request filter with bounded memory. Scrapy's RFPDupeFilter keeps every fingerprint ever seen
(and a JOBDIR file of them): a long crawl grows without limit. Articles are not filtered here at all (they are
known through the store, by canonical key); this only stops a run from fetching the same feed, sitemap or
listing page twice, remembering the most recent fingerprints."""
from __future__ import annotations

from collections import OrderedDict

from scrapy.dupefilters import BaseDupeFilter

DEFAULT_MAX = 20_000


class BoundedDupeFilter(BaseDupeFilter):
    def __init__(self, fingerprinter, max_size: int = DEFAULT_MAX) -> None:
        self.fingerprinter, self.max_size = fingerprinter, max_size
        self._seen: OrderedDict[bytes, None] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.request_fingerprinter, crawler.settings.getint("PANTAU_DUPEFILTER_MAX", DEFAULT_MAX))

    def request_seen(self, request) -> bool:
        fp = self.fingerprinter.fingerprint(request)
        if fp in self._seen:
            self._seen.move_to_end(fp)
            return True
        self._seen[fp] = None
        if len(self._seen) > self.max_size:
            self._seen.popitem(last=False)
        return False

    def log(self, request, spider) -> None:
        """Count filtered duplicates (the crawl's stats show them as dupefilter/filtered)."""
        crawler = getattr(spider, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value("dupefilter/filtered")

    def __len__(self) -> int:
        return len(self._seen)
