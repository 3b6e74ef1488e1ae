"""Pages per second: Pantau's extraction against bare trafilatura (default settings, metadata on), on the
same pages, in the same process and run, both warmed up first. Target: Pantau >= 80% of trafilatura.

    python bench/bench_extract.py [DIR ...] [--rounds 3]

DIR defaults to ../shared/eval/id-news-html and ../shared/eval/aeb beside the checkout (either layout
that `pantau eval extract` reads).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lab.eval_extract import load_references  # noqa: E402


def pantau(html: bytes, url: str) -> None:
    from extract.page import NoArticleText, extract_page
    try:
        extract_page(html, url)
    except NoArticleText:
        pass


def bare_trafilatura(html: bytes, url: str) -> None:
    import trafilatura
    trafilatura.bare_extraction(html, url=url, with_metadata=True)


def timed(fn, pages) -> float:
    started = time.perf_counter()
    for html, url in pages:
        fn(html, url)
    return time.perf_counter() - started


def interleaved(pages, rounds: int) -> dict[str, float]:
    """Seconds per extractor, timing both on each page in turn, so that other load on a shared machine
    falls on both alike; per page the faster of the rounds is kept."""
    best = {"pantau": [float("inf")] * len(pages), "trafilatura": [float("inf")] * len(pages)}
    for _ in range(rounds):
        for i, (html, url) in enumerate(pages):
            for name, fn in (("trafilatura", bare_trafilatura), ("pantau", pantau)):
                started = time.perf_counter()
                fn(html, url)
                best[name][i] = min(best[name][i], time.perf_counter() - started)
    return {name: sum(times) for name, times in best.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (per page, the best of each is kept)")
    args = parser.parse_args(argv)
    shared = ROOT.parent / "shared" / "eval"
    folders = args.folders or [str(shared / "id-news-html"), str(shared / "aeb")]
    pages = []
    for folder in folders:
        pages += [(ref.html, ref.url) for ref in load_references(folder)]
    print(f"{len(pages)} pages from {', '.join(Path(f).name for f in folders)}")
    for fn in (pantau, bare_trafilatura):            # warm-up: imports, stoplists, dateparser's languages
        timed(fn, pages[:5])
    best = interleaved(pages, args.rounds)
    rate = {name: len(pages) / seconds for name, seconds in best.items()}
    print(f"bare trafilatura: {rate['trafilatura']:.1f} pages/s ({best['trafilatura'] / len(pages) * 1000:.0f} ms/page)")
    print(f"pantau extract:   {rate['pantau']:.1f} pages/s ({best['pantau'] / len(pages) * 1000:.0f} ms/page)")
    ratio = rate["pantau"] / rate["trafilatura"]
    print(f"pantau / trafilatura: {ratio:.0%} (target >= 80%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
