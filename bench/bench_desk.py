"""Time the review desk's pages and API, server side, on the synthetic benchmark database (SQLite and PostgreSQL).

    python bench/bench_desk.py                                  # both backends, 100k articles
    python bench/bench_desk.py --articles 15000 --backend sqlite
    python bench/bench_desk.py --reuse                          # reuse databases bench_queries.py loaded

Each request goes through the whole ASGI application in-process (routing, session cookie, queries, Jinja2
rendering), so the figures are the server's time without the network. Target (issue 17): median < 300 ms for
the queue and flag pages, and for the dashboard and API. The databases are those of bench_queries.py
(analyst_corpus.py: Indonesian regional election news, with tags and reviews).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*httpx.*")     # Starlette's TestClient notice, not a figure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fastapi.testclient import TestClient  # noqa: E402

from bench_queries import open_backend  # noqa: E402
from desk.app import create_app  # noqa: E402
from desk.config import DeskConfig  # noqa: E402
from store.accounts import create_account, get_account, new_token  # noqa: E402

TARGET_MS = 300
NAME, PASSWORD = "bench-reviewer", "bench-sandi-aman-1"


def requests(client: TestClient) -> list[tuple[str, str]]:
    """(label, path): the pages and API calls an analyst's morning is made of."""
    first = client.get("/api/flags?status=pending&modality=alleged&limit=1").json()[0]["id"]
    jabar = client.get("/api/flags?status=pending&modality=alleged&province=Jawa Barat&role=KADES&limit=1").json()
    flag = jabar[0]["id"] if jabar else first
    return [
        ("queue (pending allegations)", "/queue"),
        ("queue: Jawa Barat + KADES", "/queue?province=Jawa+Barat&role=KADES"),
        ("queue: text \"salam dua jari\"", "/queue?text=%22salam+dua+jari%22"),
        ("queue: page 20", "/queue?page=20"),
        ("flag page (newest pending)", f"/flags/{first}"),
        ("flag page (Jawa Barat KADES, in queue)", f"/flags/{flag}?province=Jawa+Barat&role=KADES&i=0"),
        ("dashboard (default: newest 12 weeks)", "/dashboard"),
        ("dashboard: Jawa Barat, 2024", "/dashboard?province=Jawa+Barat&since=2024&until=2024"),
        ("dashboard: Jawa Barat, 2024-01", "/dashboard?province=Jawa+Barat&since=2024-01&until=2024-01"),
        ("articles: text kampanye", "/articles?text=kampanye"),
        ("API GET /api/flags?status=pending", "/api/flags?status=pending&modality=alleged"),
        ("API GET /api/flags/ID", f"/api/flags/{first}"),
        ("API GET /api/flags/ID/history", f"/api/flags/{first}/history"),
        ("API GET /api/stats?by=category (2024-01)", "/api/stats?by=category&since=2024-01&until=2024-01"),
    ]


def timed(client: TestClient, path: str, runs: int, headers: dict | None = None) -> tuple[float, float, int]:
    r = client.get(path, headers=headers)                     # warm-up
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(path, headers=headers)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), len(r.content)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--reuse", action="store_true", help="Keep and reuse already loaded databases.")
    ap.add_argument("--workdir", default="/tmp/pantau-bench", help="Where the SQLite databases go.")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    missed = 0
    for backend in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        store, load_s = open_backend(backend, args.articles, args.reuse, workdir)
        with store.session() as s:
            if get_account(s, NAME) is None:
                create_account(s, NAME, PASSWORD, "reviewer")
            token = new_token(s, NAME)
        client = TestClient(create_app(store, DeskConfig(secret_key="bench", login_delay=0)), follow_redirects=False)
        page = client.get("/login").text
        csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
        assert client.post("/login", data={"name": NAME, "password": PASSWORD, "csrf_token": csrf}).status_code == 303
        print(f"\n== {backend}: {args.articles:,} articles" + (f" (loaded in {load_s:.0f} s)" if load_s else " (reused)"))
        print(f"   {'request':<42} {'median ms':>10} {'max ms':>8} {'KiB':>6}  target < {TARGET_MS} ms")
        for label, path in requests(client):
            headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else None
            median, worst, size = timed(client, path, args.runs, headers)
            ok = median < TARGET_MS
            missed += not ok
            print(f"   {label:<42} {median:>10.1f} {worst:>8.1f} {size / 1024:>6.0f}  {'ok' if ok else 'SLOW'}")
        client.close()
        store.dispose()
    print(f"\n{'all targets met' if not missed else f'{missed} target(s) missed'}")


if __name__ == "__main__":
    main()
