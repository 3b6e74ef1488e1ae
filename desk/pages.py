"""The desk's HTML pages: log in, the review queue, a flag in its article, articles, officials, the dashboard,
one's own subscriptions, and (admins) accounts. Server-rendered; htmx only swaps the queue's rows."""
from __future__ import annotations

import json
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlmodel import Session

from desk.charts import CHARTS, dashboard, rows_of
from desk.deps import db, page_account
from desk.exports import csv_response
from desk.params import FilterParams
from desk.reading import reading
from desk.security import check_csrf, csrf_token, require_admin, require_reviewer
from extract.tagging.model import ARTICLE_TYPES, CATEGORIES, MODALITIES, ROLE_CODES
from store.accounts import (ROLES, AccountError, Subscription, authenticate, can_decide, create_account, is_admin,
                            list_accounts, password_stamp, set_disabled, set_password, set_role, set_subscription, subscription)
from store.filters import STATUSES, FilterError
from store.resolve import resolve
from store.models import Account, Article
from store.officials import profile, refresh_merges, top_people
from store.queries import (ARTICLE_COLUMNS, FLAG_COLUMNS, find_articles, find_flags, flag_select, queue_filters)
from store.review import ReviewError, flag_history, get_flag, record_decision

router = APIRouter(include_in_schema=False)
CountCap = 1000
Me = Annotated[Account, Depends(page_account)]
Db = Annotated[Session, Depends(db)]
Filtered = Annotated[FilterParams, Depends()]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
FlagId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CHOICES = {"role": ROLE_CODES, "category": CATEGORIES, "modality": MODALITIES, "type": ARTICLE_TYPES,
           "status": STATUSES}


def render(request: Request, template: str, account: Account | None, status_code: int = 200, **context):
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {
        "account": account, "csrf": csrf_token(request), "can_decide": account is not None and can_decide(account),
        "is_admin": account is not None and is_admin(account), "choices": CHOICES, **context},
        status_code=status_code)


def _bounded_count(session: Session, stmt) -> int:
    return session.execute(select(func.count()).select_from(stmt.limit(CountCap + 1).subquery())).scalar_one()


# --- logging in ------------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/queue"):
    return render(request, "login.html", None, next=_local(next))


@router.post("/login")
def login(request: Request, session: Db, name: Annotated[str, Form(max_length=100)] = "",
          password: Annotated[str, Form(max_length=1000)] = "", csrf_token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/queue"):
    check_csrf(request, csrf_token)
    try:
        account = authenticate(session, name.strip(), password)
    except AccountError as exc:
        time.sleep(request.app.state.config.login_delay)      # failed logins are slowed down
        return render(request, "login.html", None, 401, error=str(exc), name=name, next=_local(next))
    request.session.clear()                                    # a new session: no fixation
    request.session.update(uid=account.id, pw=password_stamp(account))
    return RedirectResponse(_local(next), 303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/login", 303)


def _local(path: str) -> str:
    """Only redirect within the desk (no open redirect to another site)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/queue"


@router.get("/")
def home():
    return RedirectResponse("/queue", 303)


# --- the queue -------------------------------------------------------------------------------------------

@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, me: Me, session: Db, params: Filtered, page: PageNo = 1):
    per = request.app.state.config.per_page
    rows, count, error = [], 0, None
    try:
        filters = queue_filters(params.filters())
        rows = find_flags(session, filters, limit=per, offset=(page - 1) * per)
        count = _bounded_count(session, flag_select(resolve(session, filters)))
    except (FilterError, ValueError) as exc:
        error = str(exc)
    template = "queue_rows.html" if request.headers.get("hx-request") else "queue.html"
    return render(request, template, me, 400 if error else 200, rows=rows, count=count, cap=CountCap,
                  page=page, per=per, params=params, error=error, offset=(page - 1) * per)


@router.get("/queue.csv")
def queue_csv(me: Me, session: Db, params: Filtered):
    rows = _or_400(lambda: find_flags(session, queue_filters(params.filters()), limit=None))
    return csv_response("queue", FLAG_COLUMNS, rows)


def _or_400(make):
    try:
        return make()
    except (FilterError, ValueError) as exc:
        raise HTTPException(400, str(exc)) from None


# --- one flag --------------------------------------------------------------------------------------------

def _neighbours(session: Session, params: FilterParams, i: int, flag_id: int) -> tuple[int | None, int | None]:
    try:
        filters = queue_filters(params.filters())
        before = find_flags(session, filters, limit=1, offset=i - 1) if i > 0 else []
        after = [r for r in find_flags(session, filters, limit=2, offset=i) if r["flag_id"] != flag_id]
    except (FilterError, ValueError):
        return None, None
    return (before[0]["flag_id"] if before else None), (after[0]["flag_id"] if after else None)


@router.get("/flags/{flag_id}", response_class=HTMLResponse)
def flag_page(request: Request, flag_id: FlagId, me: Me, session: Db, params: Filtered,
              i: Annotated[int, Query(ge=0, le=10_000_000)] = 0, done: str | None = None):
    try:
        flag = get_flag(session, flag_id)
    except ReviewError as exc:
        raise HTTPException(404, str(exc)) from None
    article = session.get(Article, flag.article_id)
    view = reading(session, article, current=flag.id)
    current = next(f for f in view.flags if f["flag"].id == flag.id)
    prev_id, next_id = _neighbours(session, params, i, flag.id)
    return render(request, "flag.html", me, flag=flag, view=view, current=current, params=params, i=i,
                  prev_id=prev_id, next_id=next_id, done=done)


@router.get("/flags/{flag_id}/history.csv")
def history_csv(flag_id: FlagId, me: Me, session: Db):
    try:
        trail = flag_history(session, flag_id)
    except ReviewError as exc:
        raise HTTPException(404, str(exc)) from None
    columns = ("review_id", "decision", "reviewer", "decided_at", "note", "category", "sentence", "tagger_version")
    return csv_response(f"flag-{flag_id}-history", columns, [
        {"review_id": r.id, **{c: getattr(r, c) for c in columns[1:]}} for r in trail])


@router.post("/flags/{flag_id}/review")
def decide(request: Request, flag_id: FlagId, me: Me, session: Db,
           decision: Annotated[str, Form(max_length=20)] = "", note: Annotated[str, Form(max_length=5000)] = "",
           csrf_token: Annotated[str, Form()] = "", back: Annotated[str, Form(max_length=4000)] = "",
           i: Annotated[int, Form(ge=0)] = 0):
    check_csrf(request, csrf_token)
    require_reviewer(me)
    try:
        recorded = record_decision(session, flag_id, decision, note=note.replace("\x00", ""), reviewer=me.name)
    except ReviewError as exc:
        raise HTTPException(404 if "no flag" in str(exc) else 400, str(exc)) from None
    done = recorded.review.decision if recorded.created else "unchanged"
    query = f"{back}&" if back and "\n" not in back and "#" not in back else ""
    return RedirectResponse(f"/flags/{flag_id}?{query}i={i}&done={done}#history", 303)


# --- articles ----------------------------------------------------------------------------------------------

@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, me: Me, session: Db, params: Filtered, page: PageNo = 1):
    per = request.app.state.config.per_page
    rows, error = [], None
    try:
        rows = find_articles(session, params.filters(), limit=per, offset=(page - 1) * per)
    except (FilterError, ValueError) as exc:
        error = str(exc)
    return render(request, "articles.html", me, 400 if error else 200, rows=rows, page=page, per=per,
                  params=params, error=error)


@router.get("/articles.csv")
def articles_csv(me: Me, session: Db, params: Filtered):
    rows = _or_400(lambda: find_articles(session, params.filters(), limit=None))
    return csv_response("articles", tuple(c for c in ARTICLE_COLUMNS if c != "text"), rows)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, me: Me, session: Db):
    article = session.get(Article, article_id) if 0 < article_id < 2**31 else None
    if article is None:
        raise HTTPException(404, f"no article #{article_id}")
    return render(request, "article.html", me, view=reading(session, article))


# --- officials ---------------------------------------------------------------------------------------------

def _people(session: Session, params: FilterParams) -> list[dict]:
    refresh_merges(session)              # as `pantau officials`: a no-op unless mentions changed
    return top_people(session, resolve(session, params.filters()), limit=100)


@router.get("/officials", response_class=HTMLResponse)
def officials(request: Request, me: Me, session: Db, params: Filtered):
    rows, error = [], None
    try:
        rows = _people(session, params)
    except (FilterError, ValueError) as exc:
        error = str(exc)
    return render(request, "officials.html", me, 400 if error else 200, rows=rows, params=params, error=error)


@router.get("/officials.csv")
def officials_csv(me: Me, session: Db, params: Filtered):
    rows = _or_400(lambda: _people(session, params))
    return csv_response("officials", ("person_id", "name", "latest_title", "articles", "last_seen"), rows)


@router.get("/officials/{person_id}", response_class=HTMLResponse)
def official_page(request: Request, person_id: int, me: Me, session: Db):
    refresh_merges(session)
    person = profile(session, person_id) if 0 < person_id < 2**31 else None
    if person is None:
        raise HTTPException(404, f"no official #{person_id}")
    return render(request, "official.html", me, person=person)


# --- dashboard ---------------------------------------------------------------------------------------------

@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, me: Me, session: Db, params: Filtered):
    data, error = None, None
    try:
        data = dashboard(session, params.filters())
    except (FilterError, ValueError) as exc:
        error = str(exc)
    tables = {chart: rows_of(data, chart) for chart in CHARTS} if data else {}
    return render(request, "dashboard.html", me, 400 if error else 200, data=data, tables=tables, params=params,
                  error=error, chart_json=json.dumps({k: v for k, v in (data or {}).items()
                                                      if k not in ("since", "until")}, ensure_ascii=False))


@router.get("/dashboard.csv")
def dashboard_csv(me: Me, session: Db, params: Filtered, chart: Annotated[str, Query(max_length=20)] = "category"):
    if chart not in CHARTS:
        raise HTTPException(400, f"unknown chart {chart!r}; choose from: {', '.join(CHARTS)}")
    columns, rows = rows_of(_or_400(lambda: dashboard(session, params.filters())), chart)
    return csv_response(f"dashboard-{chart}", columns, rows)


# --- one's own account -------------------------------------------------------------------------------------

def _lines(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", "\n").splitlines() if v.strip() and "\x00" not in v]


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, me: Me, saved: bool = False):
    return render(request, "account.html", me, sub=subscription(me), saved=saved)


@router.post("/account")
def save_account(request: Request, me: Me, session: Db, csrf_token: Annotated[str, Form()] = "",
                 provinces: Annotated[str, Form(max_length=2000)] = "",
                 roles: Annotated[list[str], Form()] = [], categories: Annotated[list[str], Form()] = [],  # noqa: B006
                 email: Annotated[str, Form(max_length=200)] = "",
                 notify_urls: Annotated[str, Form(max_length=4000)] = ""):
    check_csrf(request, csrf_token)
    sub = Subscription(_lines(provinces), [r for r in roles if r in ROLE_CODES],
                       [c for c in categories if c in CATEGORIES], email.strip(), _lines(notify_urls))
    try:
        set_subscription(session, me.name, sub)
    except AccountError as exc:
        session.rollback()
        return render(request, "account.html", me, 400, sub=sub, error=str(exc))
    return RedirectResponse("/account?saved=1", 303)


# --- accounts (admins) -------------------------------------------------------------------------------------

@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, me: Me, session: Db, message: str | None = None):
    require_admin(me)
    return render(request, "users.html", me, users=list_accounts(session), roles=ROLES, message=message)


@router.get("/users.csv")
def users_csv(me: Me, session: Db):
    require_admin(me)
    rows = [{"name": a.name, "role": a.role, "disabled": a.disabled, "email": a.email, "created_at": a.created_at,
             "last_login_at": a.last_login_at} for a in list_accounts(session)]
    return csv_response("users", ("name", "role", "disabled", "email", "created_at", "last_login_at"), rows)


@router.post("/users")
def users_change(request: Request, me: Me, session: Db, csrf_token: Annotated[str, Form()] = "",
                 action: Annotated[str, Form(max_length=20)] = "", name: Annotated[str, Form(max_length=100)] = "",
                 role: Annotated[str, Form(max_length=20)] = "viewer",
                 password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    check_csrf(request, csrf_token)
    require_admin(me)
    try:
        if action == "add":
            create_account(session, name.strip(), password, role)
            message = f"account {name} added as {role}"
        elif action in ("disable", "enable"):
            if name == me.name:
                raise AccountError("you cannot disable your own account")
            set_disabled(session, name, action == "disable")
            message = f"account {name} {action}d"
        elif action == "role":
            set_role(session, name, role)
            message = f"account {name} is now {role}"
        elif action == "password":
            account = set_password(session, name, password)
            if name == me.name:                    # one's own new password keeps this session, ends the others
                request.session["pw"] = password_stamp(account)
            message = f"password of {name} reset; its other sessions are ended"
        else:
            raise AccountError(f"unknown action {action!r}")
    except AccountError as exc:
        session.rollback()
        return render(request, "users.html", me, 400, users=list_accounts(session), roles=ROLES, error=str(exc))
    session.commit()
    return render(request, "users.html", me, users=list_accounts(session), roles=ROLES, message=message)
