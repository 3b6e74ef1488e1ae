"""The JSON API under /api/ for scripts: flags (the queue's filters), one flag, decisions and their history,
articles, officials, stats. Authenticated by `Authorization: Bearer TOKEN` or the desk's session cookie (then a
POST also needs the session's `X-CSRF-Token`). Its OpenAPI schema is served at /api/openapi.json."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from sqlmodel import Session

from desk.deps import api_account, db
from desk.params import FilterParams
from desk.reading import flag_summary, reading
from desk.security import check_csrf, require_reviewer
from store.accounts import subscription
from store.articles import article_json
from store.filters import FilterError
from store.resolve import resolve
from store.models import Account, Article
from store.officials import profile, refresh_merges, top_people
from store.queries import STATS_DIMENSIONS, find_articles, find_flags, stats
from store.review import ReviewError, flag_history, get_flag, record_decision

class Problem(BaseModel):
    detail: str


def _documented(*codes: int) -> dict:
    words = {400: "a filter or value cannot be used (the detail says why)", 401: "not logged in: no valid token",
             403: "the account may not do this, or the CSRF token is missing", 404: "no such flag, article or official"}
    return {code: {"model": Problem, "description": words[code]} for code in codes}


router = APIRouter(prefix="/api", tags=["api"], responses=_documented(400, 401, 403, 404))
Me = Annotated[Account, Depends(api_account)]
Db = Annotated[Session, Depends(db)]
Filtered = Annotated[FilterParams, Depends()]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


class FlagOut(BaseModel):
    id: int
    article_id: int
    category: str
    modality: str
    sentence: str
    status: str = Field(description="pending, or the latest decision: confirmed | dismissed | needs_more")
    subject: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    province: str | None = None
    regency: str | None = None
    published_at: datetime | None = None
    reviewer: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


class DecisionIn(BaseModel):
    decision: Literal["confirm", "dismiss", "needs_more"]
    note: str = Field(min_length=1, max_length=5000, description="what you checked (required)")


class DecisionOut(BaseModel):
    id: int
    flag_id: int | None = None
    article_id: int
    decision: str
    note: str
    reviewer: str
    decided_at: datetime
    sentence: str
    created: bool = True


def _filters(params: FilterParams):
    try:
        return params.filters()
    except (FilterError, ValueError) as exc:
        raise HTTPException(400, str(exc)) from None


def _run(make):
    try:
        return make()
    except (FilterError, ValueError) as exc:
        raise HTTPException(400, str(exc)) from None


def _decision(review, flag_id: int | None = None, created: bool = True) -> DecisionOut:
    return DecisionOut(id=review.id, flag_id=flag_id, article_id=review.article_id, decision=review.decision,
                       note=review.note, reviewer=review.reviewer, decided_at=review.decided_at,
                       sentence=review.sentence, created=created)


def _flag(session: Session, flag_id: int):
    try:
        return get_flag(session, flag_id)
    except ReviewError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/me")
def me(account: Me) -> dict:
    sub = subscription(account)
    return {"name": account.name, "role": account.role, "subscription": {
        "provinces": sub.provinces, "roles": sub.roles, "categories": sub.categories}}


@router.get("/flags", response_model=list[FlagOut])
def flags(account: Me, session: Db, params: Filtered, limit: Limit = 50, offset: Offset = 0) -> list[FlagOut]:
    """Flags matching the filters of `pantau query`, newest first (`status=pending&modality=alleged` is the
    review queue)."""
    filters = _filters(params)
    rows = _run(lambda: find_flags(session, filters, limit=limit, offset=offset))
    return [FlagOut(id=r["flag_id"], **{k: r.get(k) for k in FlagOut.model_fields if k != "id"}) for r in rows]


@router.get("/flags/{flag_id}")
def flag(flag_id: Id, account: Me, session: Db) -> dict:
    """One flag, its article (text, officials, accused, roles) and its decisions."""
    f = _flag(session, flag_id)
    article = session.get(Article, f.article_id)
    view = reading(session, article, current=f.id)
    return {**flag_summary(session, f), "article": article_json(session, article),
            "history": [_decision(r).model_dump(mode="json") for r in flag_history(session, f.id)],
            "same_people": view.others}


@router.post("/flags/{flag_id}/review", status_code=201, response_model=DecisionOut)
def review(flag_id: Id, body: DecisionIn, request: Request, account: Me, session: Db,
           x_csrf_token: Annotated[str | None, Header()] = None) -> DecisionOut:
    """Record a decision under the caller's account (reviewers and admins). Repeating the latest decision
    with the same note records nothing new (`created: false`)."""
    check_csrf(request, x_csrf_token)
    require_reviewer(account)
    _flag(session, flag_id)
    if "\x00" in body.note or not body.note.strip():
        raise HTTPException(400, "a decision needs a note: say what you checked")
    try:
        done = record_decision(session, flag_id, body.decision, note=body.note, reviewer=account.name)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from None
    return _decision(done.review, flag_id, done.created)


@router.get("/flags/{flag_id}/history", response_model=list[DecisionOut])
def history(flag_id: Id, account: Me, session: Db) -> list[DecisionOut]:
    _flag(session, flag_id)
    return [_decision(r, flag_id) for r in flag_history(session, flag_id)]


@router.get("/articles")
def articles(account: Me, session: Db, params: Filtered, limit: Limit = 50, offset: Offset = 0) -> list[dict]:
    filters = _filters(params)
    return _run(lambda: find_articles(session, filters, limit=limit, offset=offset))


@router.get("/articles/{article_id}")
def article(article_id: Id, account: Me, session: Db) -> dict:
    found = session.get(Article, article_id)
    if found is None:
        raise HTTPException(404, f"no article #{article_id}")
    return article_json(session, found)


@router.get("/officials")
def officials(account: Me, session: Db, params: Filtered, limit: Limit = 50) -> list[dict]:
    """People ranked by how many filtered articles name them."""
    filters = _filters(params)
    refresh_merges(session)              # as `pantau officials`: a no-op unless mentions changed
    return _run(lambda: top_people(session, resolve(session, filters), limit=limit))


@router.get("/officials/{person_id}")
def official(person_id: Id, account: Me, session: Db) -> dict:
    refresh_merges(session)
    person = profile(session, person_id)
    if person is None:
        raise HTTPException(404, f"no official #{person_id}")
    return person.as_json()


@router.get("/stats")
def stats_(account: Me, session: Db, params: Filtered,
           by: Annotated[list[Literal["region", "role", "category", "week"]] | None, Query()] = None) -> dict:
    """Per dimension (region, role, category, week): articles, flags, alleged, pending, confirmed, dismissed."""
    filters = _filters(params)
    return _run(lambda: stats(session, filters, list(by or STATS_DIMENSIONS)))
