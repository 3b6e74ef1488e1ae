"""Request dependencies shared by the pages and the API: a database session, the account asking."""
from __future__ import annotations

from typing import Iterator

from fastapi import HTTPException, Request
from sqlmodel import Session

from desk.security import NotLoggedIn, account_of
from store.models import Account


def db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as session:
        yield session


def page_account(request: Request) -> Account:
    """The logged-in account for a page; otherwise the page redirects to the login form."""
    with request.app.state.store.session() as session:
        account = account_of(request, session)
    if account is None:
        raise NotLoggedIn()
    return account


def api_account(request: Request) -> Account:
    """The account for an API call (Bearer token or session cookie); otherwise 401."""
    with request.app.state.store.session() as session:
        account = account_of(request, session)
    if account is None:
        raise HTTPException(401, "log in, or send Authorization: Bearer TOKEN (`pantau users token NAME`)",
                            headers={"WWW-Authenticate": "Bearer"})
    return account
