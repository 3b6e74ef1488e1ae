"""store/runs.py: crawl runs, page errors and feed state with backoff, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from store.models import utcnow
from store.runs import (RunCounts, backoff, feed_due, feed_failed, feed_states, feed_succeeded, finish_run,
                        get_run, last_runs_by_source, page_errors, record_page_error, start_run, update_run)


def test_run_lifecycle(store):
    run_id = start_run(store, "jabarekspres", trigger="daemon", pid=4242)
    update_run(store, run_id, RunCounts(pages=3, new=1))
    assert get_run(store, run_id).status == "running" and get_run(store, run_id).pages == 3
    record_page_error(store, run_id, "https://jabarekspres.com/x/", "HTTP 500\n  Internal")
    finish_run(store, run_id, "ok", RunCounts(pages=10, new=4, updated=1, skipped=5, errors=1), "1 URL(s) disallowed")
    run = get_run(store, run_id)
    assert (run.status, run.pages, run.new, run.updated, run.skipped, run.errors, run.pid, run.trigger) == \
        ("ok", 10, 4, 1, 5, 1, 4242, "daemon")
    assert run.ended_at is not None and run.message == "1 URL(s) disallowed"
    assert [e.error for e in page_errors(store, run_id)] == ["HTTP 500 Internal"]
    # the scheduler may create the row first and hand its id to the child
    taken = start_run(store, "jabarekspres", run_id=run_id, pid=99)
    assert taken == run_id and get_run(store, run_id).status == "running"
    with pytest.raises(ValueError):
        start_run(store, "x", run_id=10_000)
    with pytest.raises(ValueError, match="unknown run status"):
        finish_run(store, run_id, "meh", RunCounts())
    assert last_runs_by_source(store)["jabarekspres"].id == run_id


def test_feed_state_backoff_and_validators(store):
    url = "https://jabarekspres.com/feed/"
    assert backoff(1) == timedelta(minutes=15) and backoff(3) == timedelta(hours=1) and backoff(30) == timedelta(hours=24)
    state = feed_failed(store, url, "jabarekspres", "feed", "HTTP 503: challenge page", blocked=True)
    assert (state.failures, state.last_status) == (1, "blocked")
    assert not feed_due(state) and feed_due(state, utcnow() + timedelta(minutes=16))
    state = feed_failed(store, url, "jabarekspres", "feed", "timed out")
    assert state.failures == 2 and not feed_due(state, utcnow() + timedelta(minutes=16))
    feed_succeeded(store, url, "jabarekspres", "feed", etag='"abc"', last_modified="Wed, 20 Nov 2024 02:30:00 GMT")
    state = feed_states(store, [url])[url]
    assert (state.failures, state.last_status, state.etag, state.next_attempt_at) == (0, "ok", '"abc"', None)
    feed_succeeded(store, url, "jabarekspres", "feed", not_modified=True)
    state = feed_states(store, [url])[url]
    assert state.last_status == "not-modified" and state.etag == '"abc"'       # validators kept on a 304
