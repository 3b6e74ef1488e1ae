"""Who is asking, and may they: session cookies or Bearer tokens, roles, CSRF tokens, security headers.

- Sessions: Starlette's SessionMiddleware, an itsdangerous-signed cookie, HttpOnly and SameSite=Lax
  (Secure with PANTAU_DESK_HTTPS=1); it holds the account id and the CSRF token only.
- CSRF: every state-changing request made with the session cookie carries the session's token, as the form
  field `csrf_token` or the header `X-CSRF-Token`. Bearer-token requests carry no ambient credential and need
  none.
"""
from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware

from store.accounts import account_for_token, can_decide, is_admin, password_stamp
from store.models import Account

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path not in ("/login",) and not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class NotLoggedIn(Exception):
    """A page asked for without a session: the handler redirects to the login page."""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def account_of(request: Request, session) -> Account | None:
    """The enabled account behind this request's Bearer token or session cookie, else None."""
    token = bearer(request)
    if token is not None:
        request.state.by_token = True
        return account_for_token(session, token)
    account_id = request.session.get("uid")
    if not isinstance(account_id, int):
        return None
    account = session.get(Account, account_id)
    if account is None or account.disabled or request.session.get("pw") != password_stamp(account):
        request.session.clear()                # gone, disabled, or its password changed since this login
        return None
    return account


def check_csrf(request: Request, submitted: str | None) -> None:
    """403 unless a session-authenticated state change carries the session's CSRF token."""
    if getattr(request.state, "by_token", False):
        return
    expected = request.session.get("csrf")
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


def require_reviewer(account: Account) -> None:
    if not can_decide(account):
        raise HTTPException(403, f"{account.name} is a {account.role}: only reviewers and admins can decide")


def require_admin(account: Account) -> None:
    if not is_admin(account):
        raise HTTPException(403, "only admins manage accounts")
