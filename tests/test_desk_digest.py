"""Daily digests: each account gets the new allegations of its subscription, by e-mail (received here by a local
aiosmtpd server) and through apprise to a JSON webhook (a local HTTP server); a second run sends nothing twice,
and a failed delivery is sent on the next run."""
from __future__ import annotations

import json
import socket
import threading
from datetime import datetime, timezone
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from desk.digest import DigestError, SmtpSettings, parse_since, send_digests
from store.accounts import Subscription, create_account, set_disabled, set_subscription
from tests.support.analyst_articles import emptied_store_fixture, seed

_backend, store = emptied_store_fixture()
SINCE = datetime(2024, 2, 19, tzinfo=timezone.utc)          # the corpus was fetched on 2024-02-20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=controller.port, sender="pantau@bawaslu.test", security="none")
    controller.stop()


@pytest.fixture
def webhook():
    received, status = [], {"code": 200}

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if status["code"] == 200:
                received.append((self.path, json.loads(body)))
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield received, status, f"json://127.0.0.1:{server.server_port}/pantau-hook"
    server.shutdown()
    server.server_close()


def _account(store, name, **sub):
    with store.session() as s:
        create_account(s, name, f"{name}-sandi-aman-9", "reviewer")
        set_subscription(s, name, Subscription(sub.get("provinces", []), sub.get("roles", []),
                                               sub.get("categories", []), sub.get("email", ""),
                                               sub.get("urls", [])))


def test_digest_email_follows_the_subscription_and_is_not_sent_twice(store, smtp):
    inbox, settings = smtp
    seed(store)
    _account(store, "rina", provinces=["Jawa Barat"], roles=["KADES"], email="rina@bawaslu-jabar.go.id")
    _account(store, "yosef", provinces=["Nusa Tenggara Timur"], email="yosef@bawaslu-ntt.go.id")
    outcomes = send_digests(store, SINCE, smtp=settings, desk_url="https://desk.pantau.test")
    assert {o.account: o.email for o in outcomes} == {"rina": "sent 3", "yosef": "sent 1"}
    by_to = {to[0]: msg for to, msg in inbox.messages}
    rina = by_to["rina@bawaslu-jabar.go.id"]
    assert rina["Subject"] == "Pantau: 3 new allegations (Jawa Barat, KADES)"
    body = rina.get_body(("plain",)).get_content()
    assert "salam dua jari" in body and "Kades di Garut Kedapatan Ikut Kampanye Caleg" in body
    assert "sembako" not in body and "https://desk.pantau.test/flags/" in body
    assert "bagi-bagi sembako" in by_to["yosef@bawaslu-ntt.go.id"].get_body(("html",)).get_content()
    again = send_digests(store, SINCE, smtp=settings)
    assert {o.email for o in again} == {"nothing new"} and len(inbox.messages) == 2


def test_digest_reaches_a_webhook_through_apprise_and_retries_after_a_failure(store, webhook, smtp):
    received, status, url = webhook
    _inbox, settings = smtp
    seed(store)
    _account(store, "tim-ntt", provinces=["Nusa Tenggara Timur"], urls=[url])
    status["code"] = 500
    failed = send_digests(store, SINCE, smtp=settings)
    assert failed[0].notify.startswith("failed") and received == []
    status["code"] = 200
    sent = send_digests(store, SINCE, smtp=settings)
    assert sent[0].notify == "sent 1"
    path, payload = received[0]
    assert path == "/pantau-hook" and payload["title"] == "Pantau: 1 new allegation (Nusa Tenggara Timur)"
    assert "bagi-bagi sembako" in payload["message"]
    assert send_digests(store, SINCE, smtp=settings)[0].notify == "nothing new" and len(received) == 1


def test_disabled_accounts_and_bad_settings(store, smtp):
    _inbox, settings = smtp
    seed(store)
    _account(store, "budi", email="budi@example.org")
    _account(store, "sari", provinces=["Papua Tengah"], email="sari@example.org")
    with store.session() as s:
        set_disabled(s, "budi")
    outcomes = send_digests(store, SINCE, smtp=settings)
    assert [o.account for o in outcomes] == ["sari"]
    assert "no stored article has province 'Papua Tengah'" in outcomes[0].problem
    _account(store, "dewi", categories=["money_politics"], email="dewi@example.org")
    no_server = {o.account: o.email for o in send_digests(store, SINCE, smtp=SmtpSettings())}
    assert no_server["dewi"] == "no SMTP server (set PANTAU_SMTP_HOST)"
    assert {o.account: o.email for o in send_digests(store, SINCE, smtp=settings)}["dewi"] == "sent 1"
    assert parse_since("24h").total_seconds() == 86400 and parse_since("2d").days == 2
    with pytest.raises(DigestError, match="24h, 2d, 1w"):
        parse_since("kemarin")


def test_the_daemon_sends_digests_on_its_schedule(store, smtp, monkeypatch):
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from scheduling import daemon, jobs
    inbox, settings = smtp
    sched = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=store.engine)}, timezone=timezone.utc)
    sched.start(paused=True)
    try:
        on = jobs.Settings(digest_cron="0 6 * * *", digest_since="30000d")
        jobs.sync_jobs(sched, [], on)
        job = sched.get_job(jobs.DIGEST_JOB)
        assert job.func_ref == "scheduler:digest_job"
        first = job.trigger.get_next_fire_time(None, datetime(2024, 2, 20, tzinfo=timezone.utc))
        assert (first.astimezone(ZoneInfo("Asia/Jakarta")).hour, first.minute) == (6, 0)
        jobs.sync_jobs(sched, [], jobs.Settings(digest_cron=None))
        assert sched.get_job(jobs.DIGEST_JOB) is None
    finally:
        sched.shutdown(wait=False)
    seed(store)
    _account(store, "rina", provinces=["Nusa Tenggara Timur"], email="rina@bawaslu-ntt.go.id")
    for key, value in (("PANTAU_SMTP_HOST", settings.host), ("PANTAU_SMTP_PORT", str(settings.port)),
                       ("PANTAU_SMTP_SECURITY", "none")):
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(daemon, "_ACTIVE", SimpleNamespace(store=store, settings=on))
    import scheduler
    scheduler.digest_job()
    assert [to for to, _msg in inbox.messages] == [["rina@bawaslu-ntt.go.id"]]
