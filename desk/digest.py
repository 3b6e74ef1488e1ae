"""Digests: the new allegations of each account's subscription (provinces, roles, categories), sent by e-mail
(SMTP) and to chat or webhook targets through apprise (Telegram, Slack, WhatsApp gateways, JSON webhooks).

`pantau digest --since 24h` and the daemon (PANTAU_DIGEST_CRON) call send_digests(). What was delivered is
recorded per account, flag and channel (digest_sent), so a second run sends nothing twice and a failed
delivery is tried again on the next run. Settings (environment): docs/desk.md."""
from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import insert, select

from store import Store
from store.accounts import subscription
from store.filters import FilterError, Filters
from store.models import Account, DigestSent, utcnow
from store.queries import find_flags, queue_filters

log = logging.getLogger("pantau.digest")
MAX_ITEMS = 100                       # flags listed in one message; the rest are counted with a link
_env = Environment(loader=PackageLoader("desk", "templates"), autoescape=select_autoescape(["html"]))


class DigestError(ValueError):
    """A digest setting cannot be used; the message says which and how to fix it."""


def parse_since(value: str) -> timedelta:
    """'24h', '90m', '2d', '1w' as a duration."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", value or "")
    if not m:
        raise DigestError(f"cannot read --since {value!r}: use a number and m, h, d or w (24h, 2d, 1w)")
    n, unit = float(m.group(1)), m.group(2)
    return timedelta(minutes=n) if unit == "m" else timedelta(hours=n * {"h": 1, "d": 24, "w": 168}[unit])


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = "pantau@localhost"
    security: str = "starttls"           # starttls | ssl | none

    @classmethod
    def from_env(cls) -> "SmtpSettings":
        env = os.environ.get
        security = env("PANTAU_SMTP_SECURITY", "starttls").lower()
        if security not in ("starttls", "ssl", "none"):
            raise DigestError(f"PANTAU_SMTP_SECURITY={security!r}: use starttls, ssl or none")
        try:
            port = int(env("PANTAU_SMTP_PORT", "465" if security == "ssl" else "587"))
        except ValueError:
            raise DigestError("PANTAU_SMTP_PORT must be a number") from None
        return cls(env("PANTAU_SMTP_HOST", ""), port, env("PANTAU_SMTP_USER", ""), env("PANTAU_SMTP_PASSWORD", ""),
                   env("PANTAU_SMTP_FROM", "pantau@localhost"), security)


@dataclass
class Outcome:
    account: str
    flags: int = 0                       # new allegations in the digest
    email: str = "-"                     # sent | failed: reason | no address | no SMTP | nothing new
    notify: str = "-"
    problem: str = ""


@dataclass
class Digest:
    account: Account
    since: datetime
    items: list[dict] = field(default_factory=list)
    desk_url: str = ""

    @property
    def subject(self) -> str:
        sub = subscription(self.account)
        scope = ", ".join(sub.provinces + sub.roles + sub.categories) or "all regions"
        n = len(self.items)
        return f"Pantau: {n} new allegation{'s' if n != 1 else ''} ({scope})"

    def text(self) -> str:
        return _env.get_template("digest.txt").render(d=self, items=self.items[:MAX_ITEMS],
                                                      more=max(0, len(self.items) - MAX_ITEMS))

    def html(self) -> str:
        return _env.get_template("digest.html").render(d=self, items=self.items[:MAX_ITEMS],
                                                       more=max(0, len(self.items) - MAX_ITEMS))


def subscription_filters(account: Account, since: datetime) -> Filters:
    sub = subscription(account)
    return queue_filters(Filters(provinces=sub.provinces, roles=sub.roles, categories=sub.categories,
                                 fetched_since=since))


def _unsent(session, account: Account, rows: list[dict], channel: str) -> list[dict]:
    sent = set(session.execute(select(DigestSent.article_id, DigestSent.fingerprint).where(
        DigestSent.account_id == account.id, DigestSent.channel == channel)).all())
    return [r for r in rows if (r["article_id"], r["fingerprint"]) not in sent]


def _mark_sent(store: Store, account: Account, items: list[dict], channel: str) -> None:
    if not items:
        return
    with store.session() as session:
        session.execute(insert(DigestSent.__table__), [
            {"account_id": account.id, "article_id": r["article_id"], "fingerprint": r["fingerprint"],
             "channel": channel, "sent_at": utcnow()} for r in items])


def send_email(smtp: SmtpSettings, to: str, digest: Digest) -> None:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = digest.subject, smtp.sender, to
    msg.set_content(digest.text())
    msg.add_alternative(digest.html(), subtype="html")
    connect = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
    with connect(smtp.host, smtp.port, timeout=30) as server:
        if smtp.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if smtp.user:
            server.login(smtp.user, smtp.password)
        server.send_message(msg)


def send_notifications(urls: list[str], digest: Digest) -> None:
    import apprise      # imported here: only digests need it
    targets = apprise.Apprise()
    for url in urls:
        if not targets.add(url):
            raise DigestError(f"apprise cannot use the target {url.split('://')[0]}://...")
    if not targets.notify(title=digest.subject, body=digest.text()):
        raise DigestError("a chat or webhook target refused the digest (see the log)")


def send_digests(store: Store, since: timedelta | datetime, *, smtp: SmtpSettings | None = None,
                 desk_url: str | None = None, now: datetime | None = None) -> list[Outcome]:
    """One digest per enabled account with an e-mail address or notification targets. Never raises for one
    account's failure: each Outcome says what happened."""
    smtp = smtp or SmtpSettings.from_env()
    desk_url = (desk_url if desk_url is not None else os.environ.get("PANTAU_DESK_URL", "")).rstrip("/")
    start = since if isinstance(since, datetime) else (now or utcnow()) - since
    with store.session() as session:
        accounts = list(session.execute(select(Account).where(Account.disabled.is_(False))
                                        .order_by(Account.name)).scalars())
    outcomes = []
    for account in accounts:
        sub = subscription(account)
        outcome = Outcome(account.name)
        outcomes.append(outcome)
        if not sub.email and not sub.notify_urls:
            outcome.problem = "no e-mail address or chat target"
            continue
        try:
            with store.session() as session:
                rows = find_flags(session, subscription_filters(account, start), limit=None)
                pending = {ch: _unsent(session, account, rows, ch) for ch in ("email", "notify")}
        except FilterError as exc:
            outcome.problem = f"subscription: {exc}"
            log.warning("digest for %s skipped: %s", account.name, exc)
            continue
        outcome.flags = len(rows)
        for channel, wanted in (("email", bool(sub.email)), ("notify", bool(sub.notify_urls))):
            items = pending[channel]
            if not wanted:
                status = "no e-mail address" if channel == "email" else "no targets"
            elif not items:
                status = "nothing new"
            elif channel == "email" and not smtp.host:
                status = "no SMTP server (set PANTAU_SMTP_HOST)"
            else:
                digest = Digest(account, start, items, desk_url)
                try:
                    if channel == "email":
                        send_email(smtp, sub.email, digest)
                    else:
                        send_notifications(sub.notify_urls, digest)
                except (OSError, smtplib.SMTPException, DigestError) as exc:
                    status = f"failed: {exc}"
                    log.warning("digest %s to %s failed: %s", channel, account.name, exc)
                else:
                    _mark_sent(store, account, items, channel)
                    status = f"sent {len(items)}"
            setattr(outcome, channel, status)
    return outcomes
