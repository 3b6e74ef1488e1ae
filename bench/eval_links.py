"""Link-discovery evaluation on real Indonesian listing pages (../shared/eval/id-news-html/listing beside the checkout):
precision and recall of the article links crawler.discovery.article_links finds with no allow/deny
patterns (the heuristics alone, as `pantau crawl --site` uses them), and whether the next listing page is found.

    python bench/eval_links.py [--dir ../shared/eval/id-news-html/listing]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawler.discovery import article_links
from ingest.paging import next_listing_url
from extract.urls import canonical_key

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "id-news-html" / "listing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"no evaluation data at {args.dir}")
        return 1
    total_tp = total_found = total_expected = 0
    print(f"{'page':16} {'expected':>8} {'found':>6} {'P':>6} {'R':>6}  next page")
    for meta_path in sorted(args.dir.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = meta_path.with_suffix(".html").read_bytes()
        url = meta["page_url"]
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}/"
        expected = {canonical_key(u) for u in meta["article_urls"]}
        found = {canonical_key(u) for u in article_links(body, url, base)}
        tp = len(expected & found)
        total_tp, total_found, total_expected = total_tp + tp, total_found + len(found), total_expected + len(expected)
        nxt = next_listing_url(body, url)
        pagination = {canonical_key(u) for u in meta.get("pagination_urls", [])}
        nxt_ok = "-" if not pagination else ("ok" if nxt and canonical_key(nxt) in pagination else f"missed ({nxt})")
        print(f"{meta_path.stem:16} {len(expected):8} {len(found):6} {tp / max(len(found), 1):6.2f} "
              f"{tp / max(len(expected), 1):6.2f}  {nxt_ok}")
    p, r = total_tp / max(total_found, 1), total_tp / max(total_expected, 1)
    print(f"{'all':16} {total_expected:8} {total_found:6} {p:6.2f} {r:6.2f}  F1 {2 * p * r / max(p + r, 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
