"""A run recorded `ok` never carries notes of blocked or failed feeds, listings or pages: those make it `partial`
(the outlet answered) or `blocked`/`failed` (nothing could be read), whatever the mix and however the crawl ended."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extensions import run_status
from store.runs import RunCounts

PROBLEMS = st.lists(st.sampled_from([
    "feed https://jabar.tribunnews.com/rss: 403 Forbidden (Cloudflare challenge)",
    "listing https://radarcirebon.disway.id/kategori/politik: no article links (bot wall?)",
    "article https://timex.fajar.co.id/2024/09/05/camat-di-kupang/: 503 Service Unavailable",
    "sitemap https://www.jpnn.com/sitemap.xml: timed out"]), max_size=3)


@settings(max_examples=300, deadline=None)
@given(blocked=PROBLEMS, failed=PROBLEMS, discovery_ok=st.integers(0, 5), new=st.integers(0, 20),
       updated=st.integers(0, 5), robots=st.integers(0, 3),
       reason=st.sampled_from(["finished", "shutdown", "closespider_timeout", "cancelled", "closespider_itemcount"]))
def test_ok_runs_carry_no_blocked_or_failed_notes(blocked, failed, discovery_ok, new, updated, robots, reason):
    state = SimpleNamespace(counts=RunCounts(new=new, updated=updated), blocked=blocked, discovery_failed=failed,
                            discovery_ok=discovery_ok, robots_skipped=robots,
                            source=SimpleNamespace(name="tribunjambi", timeout=900.0))
    status, notes = run_status(state, reason)
    if reason == "closespider_timeout":
        assert notes.startswith("stopped after its 900 s timeout"), notes
    if status == "ok":
        assert "blocked:" not in notes and "failed:" not in notes, notes
    if blocked or failed:
        assert status != "ok"
        assert ("blocked:" in notes) == bool(blocked) and ("failed:" in notes) == bool(failed)
