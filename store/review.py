"""Analysts' decisions on flags: recorded, never changed, readable back as a history.

A decision is made on a flag id that the analyst sees, and stored against (article_id, fingerprint) with
the sentence that was judged: a flag is updated in place by its fingerprint (store.articles.flag_fingerprint),
so its id and its decisions stay with the same statement across re-tags and re-crawls. Decisions are
append-only (the database refuses UPDATE on review); the latest one is the flag's status.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from store.models import Article, Flag, Review

DECISIONS = ("confirmed", "dismissed", "needs_more")     # needs_more: the desk's "check further"


class ReviewError(ValueError):
    """The decision cannot be recorded (unknown flag, missing note); nothing was written."""


@dataclass
class Recorded:
    review: Review
    created: bool            # False when the same decision was already the latest (idempotent repeat)
    previous: Review | None  # the decision this one supersedes, if any


def get_flag(session: Session, flag_id: int) -> Flag:
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise ReviewError(f"no flag #{flag_id}: list the flags with `pantau review` or `pantau query`")
    return flag


def record_decision(session: Session, flag_id: int, decision: str, *, note: str, reviewer: str) -> Recorded:
    decision = {"confirm": "confirmed", "dismiss": "dismissed", "needs-more": "needs_more"}.get(decision, decision)
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r}; choose from: {', '.join(DECISIONS)}")
    note, reviewer = (note or "").strip(), (reviewer or "").strip()
    if not note:
        raise ReviewError("a decision needs a note (--note): say what you checked")
    if not reviewer:
        raise ReviewError("a decision needs a reviewer name (--by, or $PANTAU_REVIEWER)")
    flag = get_flag(session, flag_id)
    trail = history(session, flag.article_id, flag.fingerprint)
    previous = trail[-1] if trail else None
    if previous and (previous.decision, previous.note, previous.reviewer) == (decision, note, reviewer):
        return Recorded(previous, False, trail[-2] if len(trail) > 1 else None)
    review = Review(article_id=flag.article_id, fingerprint=flag.fingerprint, category=flag.category,
                    decision=decision, note=note, reviewer=reviewer, sentence=flag.sentence,
                    tagger_version=flag.tagger_version)
    session.add(review)
    session.flush()
    return Recorded(review, True, previous)


def history(session: Session, article_id: int, fingerprint: str) -> list[Review]:
    """Every decision on this statement, oldest first."""
    return list(session.exec(select(Review).where(Review.article_id == article_id, Review.fingerprint == fingerprint)
                             .order_by(Review.id)).all())


def flag_history(session: Session, flag_id: int) -> list[Review]:
    flag = get_flag(session, flag_id)
    return history(session, flag.article_id, flag.fingerprint)


def article_reviews(session: Session, article: Article) -> tuple[dict[str, list[Review]], list[Review]]:
    """Decisions on the article by fingerprint, and those whose statement the current tags no longer raise."""
    current = set(session.exec(select(Flag.fingerprint).where(Flag.article_id == article.id)).all())
    by_fp: dict[str, list[Review]] = {}
    orphans: list[Review] = []
    for review in session.exec(select(Review).where(Review.article_id == article.id).order_by(Review.id)).all():
        if review.fingerprint in current:
            by_fp.setdefault(review.fingerprint, []).append(review)
        else:
            orphans.append(review)
    return by_fp, orphans
