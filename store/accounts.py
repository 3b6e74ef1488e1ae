"""Review-desk accounts: argon2 password hashes, roles, a disabled flag, API tokens stored hashed, failed-login
locks and digest subscriptions. The account's name is what its decisions record as `reviewer`."""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from store.models import Account, ApiToken, utcnow

ROLES = ("viewer", "reviewer", "admin")
MIN_PASSWORD = 10
LOCK_AFTER = 5                       # failed logins in a row ...
LOCK_FOR = timedelta(minutes=15)     # ... lock the account for this long
_hasher = PasswordHasher()           # argon2id, the library's recommended parameters
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,39}")


class AccountError(ValueError):
    """An account cannot be created, changed or used; the message says why and what to do."""


@dataclass
class Subscription:
    provinces: list[str]
    roles: list[str]
    categories: list[str]
    email: str
    notify_urls: list[str]


def can_decide(account: Account) -> bool:
    return account.role in ("reviewer", "admin") and not account.disabled


def is_admin(account: Account) -> bool:
    return account.role == "admin" and not account.disabled


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose from: {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    return password


def get_account(session: Session, name: str) -> Account | None:
    return session.exec(select(Account).where(Account.name == name)).first()


def require_account(session: Session, name: str) -> Account:
    account = get_account(session, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (`pantau users list` shows them)")
    return account


def create_account(session: Session, name: str, password: str, role: str = "viewer", *, email: str = "") -> Account:
    if not _NAME.fullmatch(name or ""):
        raise AccountError(f"account name {name!r}: use 2-40 letters, digits, '.', '_' or '-'")
    _check_role(role)
    if get_account(session, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    account = Account(name=name, password_hash=_hasher.hash(_check_password(password)), role=role, email=email)
    session.add(account)
    session.flush()
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(Account.name)).all())


def set_password(session: Session, name: str, password: str) -> Account:
    account = require_account(session, name)
    account.password_hash = _hasher.hash(_check_password(password))
    account.failed_logins, account.locked_until = 0, None
    session.add(account)
    return account


def set_role(session: Session, name: str, role: str) -> Account:
    account = require_account(session, name)
    account.role = _check_role(role)
    session.add(account)
    return account


def set_disabled(session: Session, name: str, disabled: bool = True) -> Account:
    """A disabled account cannot log in, and its API tokens stop working; its decisions stay."""
    account = require_account(session, name)
    account.disabled = disabled
    session.add(account)
    return account


def authenticate(session: Session, name: str, password: str, *, now: datetime | None = None) -> Account:
    """The account if the password is right; AccountError otherwise (same words for a wrong name or password).
    LOCK_AFTER failures in a row lock the account for LOCK_FOR (a failure is committed before it raises)."""
    now = now or utcnow()
    account = get_account(session, name)
    if account is None:
        _hasher.hash(password or "-")          # the same work as a real check: names cannot be probed by timing
        raise AccountError("wrong name or password")
    if account.locked_until and account.locked_until > now:
        minutes = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        raise AccountError(f"too many failed logins: try again in {minutes} min, or ask an admin to reset "
                           "the password")
    try:
        _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        account.failed_logins += 1
        if account.failed_logins >= LOCK_AFTER:
            account.locked_until, account.failed_logins = now + LOCK_FOR, 0
        session.add(account)
        session.commit()                       # the count stands although the caller's session fails
        raise AccountError("wrong name or password") from None
    if account.disabled:
        raise AccountError("this account is disabled: ask an admin")
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    session.add(account)
    return account


def password_stamp(account: Account) -> str:
    """A short digest of the account's password hash: a desk session keeps it, and a new password ends the
    sessions made with the old one."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(session: Session, name: str) -> str:
    """A new API token for the account (printed once; only its hash is kept)."""
    account = require_account(session, name)
    if account.disabled:
        raise AccountError(f"account {name!r} is disabled: enable it before giving it a token")
    token = "pnt_" + secrets.token_urlsafe(32)
    session.add(ApiToken(account_id=account.id, token_hash=_token_hash(token)))
    session.flush()
    return token


def account_for_token(session: Session, token: str) -> Account | None:
    """The enabled account holding this token, or None."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_hash(token or ""))).first()
    if row is None:
        return None
    account = session.get(Account, row.account_id)
    if account is None or account.disabled:
        return None
    row.last_used_at = utcnow()
    session.add(row)
    return account


def subscription(account: Account) -> Subscription:
    return Subscription(json.loads(account.sub_provinces or "[]"), json.loads(account.sub_roles or "[]"),
                        json.loads(account.sub_categories or "[]"), account.email or "",
                        json.loads(account.notify_urls or "[]"))


def set_subscription(session: Session, name: str, sub: Subscription) -> Account:
    """Store what the account's digest holds (values are checked by the caller against store.filters)."""
    account = require_account(session, name)
    if sub.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", sub.email):
        raise AccountError(f"not an e-mail address: {sub.email!r}")
    for url in sub.notify_urls:
        if "://" not in url:
            raise AccountError(f"not a notification URL: {url!r} (e.g. tgram://BOT/CHAT, slack://..., "
                               "json://host/path)")
    account.sub_provinces = json.dumps(sub.provinces, ensure_ascii=False)
    account.sub_roles = json.dumps(sub.roles)
    account.sub_categories = json.dumps(sub.categories)
    account.email = sub.email
    account.notify_urls = json.dumps(sub.notify_urls)
    session.add(account)
    return account
