"""The scheduler in-process: jobs from the sources file, the persistent job store, run records, status,
and what happens to a crawl child that hangs, crashes or never records its result (a stand-in child
here; the real crawler runs in tests/test_scheduler_daemon.py)."""
from __future__ import annotations

import json
import logging
import os
import socket
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from crawler.sources import parse_sources
from pantau.cli import app
from scheduling import jobs, launcher as launching
from store import history
from scheduling.logs import JsonFormatter
from store.models import CrawlRun, Heartbeat, PageError, utcnow

WIB = ZoneInfo("Asia/Jakarta")

SOURCES = {
    "defaults": {"interval": 60, "timeout": 1800},
    "source": [
        {"name": "jabarekspres", "base_url": "https://jabarekspres.com/", "province": "Jawa Barat",
         "regency": "Kota Bandung", "feeds": ["/feed/"], "interval": 30},
        {"name": "timex", "base_url": "https://timex.fajar.co.id/", "province": "Nusa Tenggara Timur",
         "regency": "Kota Kupang", "sitemaps": ["/sitemap_index.xml"], "cron": "30 6 * * 1-5"},
        {"name": "tribun-jambi", "base_url": "https://jambi.tribunnews.com/", "province": "Jambi"},
        {"name": "pojoksatu-bogor", "base_url": "https://bogor.pojoksatu.id/", "enabled": False},
    ],
}


def sources(data=SOURCES):
    return parse_sources(data, "test-sources.toml")


def jobs_by_source(settings=None):
    return {j.source: j for j in jobs.build_jobs(sources(), settings or jobs.Settings())}


# ---------------------------------------------------------------- schedules

def test_each_enabled_source_gets_its_own_schedule_with_jitter():
    by_source = jobs_by_source()
    assert set(by_source) == {"jabarekspres", "timex", "tribun-jambi"}        # disabled outlet not scheduled
    assert by_source["jabarekspres"].trigger.interval == timedelta(minutes=30)
    assert by_source["jabarekspres"].trigger.jitter == 180                   # a tenth of the interval
    assert by_source["tribun-jambi"].trigger.interval == timedelta(minutes=60)   # the file's [defaults]
    assert by_source["tribun-jambi"].trigger.jitter == 300                   # capped at five minutes
    # New interval jobs start within their jitter window, not all at the same instant.
    now = utcnow()
    assert now <= by_source["jabarekspres"].first_run <= now + timedelta(seconds=181)


def test_cron_weekdays_follow_crontab_not_apscheduler_numbering():
    """'1-5' is Monday to Friday in crontab; APScheduler 3's from_crontab would read Tuesday to Saturday."""
    trigger = jobs_by_source(jobs.Settings(jitter=0))["timex"].trigger
    friday_evening = datetime(2024, 2, 9, 20, 0, tzinfo=WIB)           # Friday 9 February 2024
    fire = trigger.get_next_fire_time(None, friday_evening)
    assert fire == datetime(2024, 2, 12, 6, 30, tzinfo=WIB)             # Monday 06:30 WIB
    sunday = jobs.cron_trigger("x", "0 5 * * 0", "Asia/Jakarta", 0)
    assert sunday.get_next_fire_time(None, friday_evening).strftime("%A %H:%M") == "Sunday 05:00"


def test_bad_schedule_names_the_source():
    with pytest.raises(jobs.ConfigError, match="'timex'.*5 fields"):
        jobs.cron_trigger("timex", "30 6 * *", "Asia/Jakarta", 0)
    with pytest.raises(jobs.ConfigError, match="'timex'.*bad cron"):
        jobs.cron_trigger("timex", "30 25 * * *", "Asia/Jakarta", 0)


def test_a_shorter_schedule_minute_scales_intervals():
    by_source = jobs_by_source(jobs.Settings(minute=1))
    assert by_source["jabarekspres"].trigger.interval == timedelta(seconds=30)
    assert by_source["jabarekspres"].description == "every 30 s, jitter 3 s"


# ---------------------------------------------------------------- the persistent job store

def _scheduler_on(store):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    sched = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=store.engine)}, timezone=timezone.utc)
    sched.start(paused=True)       # jobs are stored and compared, never run here
    return sched


def test_job_store_survives_a_restart_and_follows_the_sources_file(store):
    settings = jobs.Settings()
    first = _scheduler_on(store)
    changes = jobs.sync_jobs(first, jobs.build_jobs(sources(), settings), settings)
    assert sorted(changes["added"]) == ["jabarekspres", "timex", "tribun-jambi"]
    job = first.get_job("crawl:jabarekspres")
    assert (job.func_ref, job.args, job.max_instances, job.coalesce, job.misfire_grace_time) == \
        ("scheduler:run_source", ("jabarekspres",), 1, True, 3600)
    planned = {j.id: j.next_run_time for j in first.get_jobs()}
    first.shutdown(wait=False)

    # Restart: the same file keeps every job and its planned next run (a missed slot is not lost).
    second = _scheduler_on(store)
    changes = jobs.sync_jobs(second, jobs.build_jobs(sources(), settings), settings)
    assert sorted(changes["kept"]) == ["jabarekspres", "timex", "tribun-jambi"] and not changes["added"]
    assert {j.id: j.next_run_time for j in second.get_jobs()} == planned

    # The file changes: one interval, one outlet removed, one disabled, one enabled.
    data = json.loads(json.dumps(SOURCES))
    data["source"][0]["interval"] = 15
    data["source"] = [s for s in data["source"] if s["name"] != "tribun-jambi"]
    data["source"][1]["enabled"] = False
    data["source"][2]["enabled"] = True
    changes = jobs.sync_jobs(second, jobs.build_jobs(sources(data), settings), settings)
    assert (changes["added"], changes["changed"], sorted(changes["removed"]), changes["kept"]) == \
        (["pojoksatu-bogor"], ["jabarekspres"], ["timex", "tribun-jambi"], [])
    assert second.get_job("crawl:jabarekspres").trigger.interval == timedelta(minutes=15)
    assert history.next_runs(store).keys() == {"jabarekspres", "pojoksatu-bogor"}
    second.shutdown(wait=False)


# ---------------------------------------------------------------- run records

def _run(store, source, status, started, pid=None, **counts):
    with store.session() as session:
        run = CrawlRun(source=source, status=status, started_at=started, pid=pid,
                       ended_at=None if status == "running" else started + timedelta(minutes=3), **counts)
        session.add(run)
        session.flush()
        return run.id


def _dead_pid():
    import subprocess
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_runs_left_running_by_a_dead_daemon_are_marked_interrupted(store):
    now = utcnow()
    orphan = _run(store, "jabarekspres", "running", now - timedelta(minutes=5), pid=_dead_pid(), new=4)
    alive = _run(store, "timex", "running", now - timedelta(minutes=1), pid=os.getpid())
    ancient = _run(store, "tribun-jambi", "running", now - timedelta(days=2), pid=os.getpid())
    done = _run(store, "jabarekspres", "ok", now - timedelta(hours=1))
    assert sorted(history.mark_stale_runs(store, max_age=3600)) == sorted([orphan, ancient])
    with store.session() as session:
        got = {r.id: r for r in session.exec(__import__("sqlmodel").select(CrawlRun)).all()}
    assert got[orphan].status == "interrupted" and got[orphan].new == 4 and got[orphan].ended_at
    assert "left running" in got[orphan].message
    assert got[alive].status == "running" and got[done].status == "ok"
    assert history.busy_run(store, "timex", 3600).id == alive        # run-once beside the daemon waits
    assert history.busy_run(store, "jabarekspres", 3600) is None


def test_prune_keeps_recent_runs_and_each_sources_latest(store):
    now = utcnow()
    old = _run(store, "jabarekspres", "failed", now - timedelta(days=100), errors=2)
    _run(store, "jabarekspres", "ok", now - timedelta(days=1), new=7)
    only = _run(store, "timex", "ok", now - timedelta(days=200), new=3)     # its latest: kept
    with store.session() as session:
        session.add(PageError(run_id=old, url="https://jabarekspres.com/feed/", error="HTTP 500"))
    assert history.prune_runs(store, 90, dry_run=True) == 1
    assert history.prune_runs(store, 90) == 1
    assert history.prune_runs(store, 90) == 0
    with store.session() as session:
        from sqlmodel import select
        ids = set(session.exec(select(CrawlRun.id)).all())
        assert old not in ids and only in ids and len(ids) == 2
        assert session.exec(select(PageError)).all() == []


# ---------------------------------------------------------------- status and the CLI

def test_status_shows_daemon_liveness_last_and_next_runs(store):
    runner = CliRunner()
    result = runner.invoke(app, ["status", "--db", store.url, "--check"])
    assert result.exit_code == 1 and "not running" in result.output and "no daemon heartbeat" in result.output

    jobs.record_sources(store, sources())
    _run(store, "jabarekspres", "ok", utcnow() - timedelta(minutes=10), new=12, updated=1, pages=30)
    timex_run = _run(store, "timex", "timeout", utcnow() - timedelta(minutes=40), new=2, errors=1)
    settings = jobs.Settings()
    sched = _scheduler_on(store)
    jobs.sync_jobs(sched, jobs.build_jobs(sources(), settings), settings)
    sched.shutdown(wait=False)
    with store.session() as session:
        session.add(Heartbeat(name="daemon", pid=os.getpid(), host=socket.gethostname(),
                              started_at=utcnow() - timedelta(hours=2), beat_at=utcnow()))
        timex = session.get(CrawlRun, timex_run)
        timex.message = "killed after its 1800 s timeout"
        session.add(timex)

    result = runner.invoke(app, ["status", "--db", store.url, "--check"])
    assert result.exit_code == 0, result.output
    assert f"alive -- pid {os.getpid()}" in result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "ok" in lines["jabarekspres"] and " 12 " in lines["jabarekspres"]
    assert "timeout" in lines["timex"]
    assert "never run" in lines["tribun-jambi"]
    assert "disabled" in lines["pojoksatu-bogor"]
    assert "timex: killed after its 1800 s timeout" in result.output

    data = json.loads(runner.invoke(app, ["status", "--db", store.url, "--json"]).output)
    assert data["daemon"]["alive"] is True
    rows = {r["source"]: r for r in data["sources"]}
    assert rows["jabarekspres"]["last_run"]["new"] == 12 and rows["jabarekspres"]["next_run"]
    assert rows["pojoksatu-bogor"]["next_run"] is None and rows["pojoksatu-bogor"]["enabled"] is False

    # A heartbeat from a process that is gone is not a live daemon.
    with store.session() as session:
        session.get(Heartbeat, "daemon").pid = _dead_pid()
    state = history.daemon_state(store)
    assert (state["alive"], state["reason"]) == (False, "its process is gone")


def test_prune_runs_command(store):
    _run(store, "jabarekspres", "ok", utcnow() - timedelta(days=400))
    _run(store, "jabarekspres", "ok", utcnow())
    result = CliRunner().invoke(app, ["prune-runs", "--older-than", "365", "--db", store.url])
    assert result.exit_code == 0 and "deleted 1 runs older than 365 days" in result.output


def test_json_log_lines_carry_the_source_and_run():
    record = logging.LogRecord("pantau.scheduler", logging.WARNING, __file__, 1, "crawl %s %s", ("timex", "timeout"),
                               None)
    record.source, record.run_id = "timex", 41
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "crawl timex timeout" and line["level"] == "WARNING"
    assert line["source"] == "timex" and line["run_id"] == 41 and line["ts"].endswith("+00:00")


# ---------------------------------------------------------------- the child process

def _launcher(store, tmp_path, child_code: str, timeout: int = 2, **settings):
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(child_code))
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(f'[[source]]\nname = "timex"\nbase_url = "https://timex.fajar.co.id/"\ntimeout = {timeout}\n')
    cfg = jobs.Settings(db_url=store.url, state_dir=tmp_path / "state", kill_grace=1,
                             crawler_command=f"{sys.executable} {script}", **settings)
    launcher = launching.Launcher(store, cfg, "daemon")
    path = jobs.sources_path(jobs.Settings(sources_path=sources_file))
    launcher.use_sources(jobs.load_sources(path), path)
    return launcher


def test_a_hung_crawl_is_killed_at_its_timeout_and_recorded(store, tmp_path):
    launcher = _launcher(store, tmp_path, """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)    # deaf to the polite request
        print("menunggu respons server...", flush=True)
        time.sleep(60)
    """)
    start = time.monotonic()
    outcome = launcher.run("timex")
    assert 2 + 1 + 1 <= time.monotonic() - start < 2 + 1 + 1 + 3      # timeout, SIGTERM, SIGKILL
    assert outcome.status == "timeout" and "2 s timeout" in outcome.message
    with store.session() as session:
        run = session.get(CrawlRun, outcome.run_id)
    assert run.status == "timeout" and run.ended_at and run.trigger == "daemon" and run.pid


def test_a_crashing_crawler_is_recorded_failed_with_its_last_words(store, tmp_path):
    launcher = _launcher(store, tmp_path, """
        import sys
        print("Traceback (most recent call last):", flush=True)
        print("ModuleNotFoundError: No module named 'twisted'", flush=True)
        sys.exit(3)
    """)
    outcome = launcher.run("timex")
    assert outcome.status == "failed"
    assert "exited with status 3" in outcome.message and "No module named 'twisted'" in outcome.message


def test_a_crawler_that_records_its_own_result_is_left_alone(store, tmp_path):
    launcher = _launcher(store, tmp_path, """
        import sys
        from store import Store
        from store.runs import RunCounts, finish_run, start_run
        args = sys.argv[1:]
        run_id = int(args[args.index("--run-id") + 1])
        assert args[-1] == "timex" and "--sources" in args and "--jobdir" in args
        s = Store()
        start_run(s, "timex", trigger="daemon", run_id=run_id, pid=0)
        finish_run(s, run_id, "ok", RunCounts(pages=9, new=5, updated=1))
    """, timeout=60)
    outcome = launcher.run("timex")
    assert (outcome.status, outcome.new, outcome.updated) == ("ok", 5, 1)


def test_one_source_never_runs_twice_at_once(store, tmp_path):
    import threading
    launcher = _launcher(store, tmp_path, """
        import time
        time.sleep(1.5)
    """, timeout=30)
    results = []
    threads = [threading.Thread(target=lambda: results.append(launcher.run("timex"))) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.3)
    for t in threads:
        t.join()
    assert sorted(r.status for r in results) == ["failed", "skipped"]      # the stand-in records nothing
    assert [r.message for r in results if r.status == "skipped"] == ["already running"]


def test_a_second_daemon_on_the_same_database_is_refused(store):
    with store.session() as session:
        session.add(Heartbeat(name="daemon", pid=os.getppid(), host=socket.gethostname(),
                              started_at=utcnow(), beat_at=utcnow()))
    with pytest.raises(Exception, match=f"another daemon is running on this database \\(pid {os.getppid()}"):
        history.check_no_other_daemon(store)
    with store.session() as session:                  # its heartbeat went stale: it crashed elsewhere
        beat = session.get(Heartbeat, "daemon")
        beat.host, beat.beat_at = "pantau-old-host", utcnow() - timedelta(minutes=5)
    history.check_no_other_daemon(store)


def test_the_crawl_command_line_never_shows_a_database_password():
    url, env = launching._url_for_child("postgresql+psycopg://pantau:rahasia@db.example:5432/pantau")
    assert "rahasia" not in url and url == "postgresql+psycopg://pantau@db.example:5432/pantau"
    assert env["PGPASSWORD"] == "rahasia"
    assert launching._url_for_child("sqlite:////var/lib/pantau/pantau.db")[0] == "sqlite:////var/lib/pantau/pantau.db"


def test_run_once_crawls_each_source_once_and_reports(store, tmp_path):
    child = tmp_path / "child.py"
    child.write_text(textwrap.dedent("""
        import sys
        from store import Store
        from store.runs import RunCounts, finish_run, start_run
        args = sys.argv[1:]
        run_id, name = int(args[args.index("--run-id") + 1]), args[-1]
        assert args[args.index("--trigger") + 1] == "run-once"
        s = Store()
        start_run(s, name, trigger="run-once", run_id=run_id)
        if name == "timex":
            finish_run(s, run_id, "failed", RunCounts(errors=3), "feed https://timex.fajar.co.id/feed/: HTTP 500")
        else:
            finish_run(s, run_id, "ok", RunCounts(pages=14, new=6))
    """))
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(textwrap.dedent("""
        [[source]]
        name = "jabarekspres"
        base_url = "https://jabarekspres.com/"
        [[source]]
        name = "timex"
        base_url = "https://timex.fajar.co.id/"
        [[source]]
        name = "pojoksatu-bogor"
        base_url = "https://bogor.pojoksatu.id/"
        enabled = false
    """))
    common = ["--db", store.url, "--sources", str(sources_file), "--state-dir", str(tmp_path / "state"),
              "--crawler-command", f"{sys.executable} {child}"]
    runner = CliRunner()
    result = runner.invoke(app, ["run-once", *common])
    assert result.exit_code == 1, result.output                 # timex failed
    lines = sorted(result.output.splitlines())
    assert lines[0].startswith("jabarekspres: ok, 6 new, 0 updated, 0 errors")
    assert lines[1].startswith("timex: failed, 0 new, 0 updated, 3 errors") and "HTTP 500" in lines[1]
    result = runner.invoke(app, ["run-once", "jabarekspres", "--json", *common])
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "ok"
    result = runner.invoke(app, ["run-once", "kompas", *common])
    assert result.exit_code == 2 and "unknown source(s): kompas" in result.output
    with store.session() as session:
        from sqlmodel import select
        triggers = session.exec(select(CrawlRun.source, CrawlRun.trigger)).all()
    assert sorted(triggers) == [("jabarekspres", "run-once"), ("jabarekspres", "run-once"), ("timex", "run-once")]
