"""What the flag and article pages show: the text cut into marked segments (every tag in context), the
article's flags and decisions, and other articles on the same people."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from store.joins import latest_review_join
from store.tables import ARTICLE, ARTICLE_OFFICIAL, FLAG
from store.models import Article, ArticleOfficial, Flag, Mention, Official
from store.queries import local_time
from store.review import history

ROLE_LABELS = {"PER": "person", "ORG": "organisation", "LOC": "place", "GPE": "place"}


@dataclass
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)     # css classes: flag, current, person, accused, role, ...
    labels: list[str] = field(default_factory=list)    # what the marks say, for the title tooltip
    anchor: int | None = None                          # a flag id starting here


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    if len(needle.strip()) < 3:
        return []
    return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.I)]


def segments(article: Article, flags: list[Flag], mentions: list[Mention], officials: list[ArticleOfficial],
             current: int | None = None) -> list[Segment]:
    """The article text cut at every mark boundary; each piece knows the marks covering it. Jinja escapes
    the text when it renders, so a page's `<script>` stays text."""
    text = article.text
    marks: list[tuple[int, int, str, str, int | None]] = []
    for f in flags:
        kind = "flag current" if f.id == current else "flag"
        marks.append((f.start, f.end, kind, f"{f.category} ({f.modality}) #{f.id}", f.id))
    for m in mentions:
        kind = ROLE_LABELS.get(m.label, "role")
        marks.append((m.start, m.end, kind, m.label if kind != "role" else f"role {m.label}", None))
    for o in officials:
        for s, e in _occurrences(text, o.name_as_printed):
            marks.append((s, e, "official", f"{o.title}: {o.name_as_printed}", None))
        for s, e in _occurrences(text, o.title):
            marks.append((s, e, "role", o.title, None))
    for name in json.loads(article.accused or "[]"):
        for s, e in _occurrences(text, name):
            marks.append((s, e, "accused", f"accused: {name}", None))
    marks = [(max(0, s), min(len(text), e), *rest) for s, e, *rest in marks if 0 <= s < e]
    cuts = sorted({0, len(text), *[s for s, *_ in marks], *[e for _, e, *_ in marks]})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= lo and m[1] >= hi]
        seg = Segment(text[lo:hi])
        for s, _e, kind, label, flag_id in covering:
            seg.kinds += [k for k in kind.split() if k not in seg.kinds]
            seg.labels.append(label)
            if flag_id is not None and s == lo and seg.anchor is None:
                seg.anchor = flag_id
        out.append(seg)
    return out


@dataclass
class Reading:
    article: Article
    published: object
    flags: list[dict]
    segments: list[Segment]
    officials: list[ArticleOfficial]
    accused: list[str]
    roles: list[str]
    others: list[dict]


def reading(session: Session, article: Article, current: int | None = None) -> Reading:
    flags = list(session.exec(select(Flag).where(Flag.article_id == article.id).order_by(Flag.start, Flag.id)).all())
    mentions = list(session.exec(select(Mention).where(Mention.article_id == article.id)
                                 .order_by(Mention.start)).all())
    officials = list(session.exec(select(ArticleOfficial).where(ArticleOfficial.article_id == article.id)
                                  .order_by(ArticleOfficial.id)).all())
    flag_rows = []
    for f in flags:
        trail = history(session, f.article_id, f.fingerprint)
        flag_rows.append({"flag": f, "status": trail[-1].decision if trail else "pending", "history": trail})
    return Reading(article, local_time(article.published_at, article.published_offset_min), flag_rows,
                   segments(article, flags, mentions, officials, current), officials,
                   json.loads(article.accused or "[]"), [r for r in (article.roles or "").split(",") if r],
                   same_people(session, article.id))


def same_people(session: Session, article_id: int, limit: int = 10) -> list[dict]:
    """Other articles naming the people of this one (after merging short names), newest first."""
    ao, a = ARTICLE_OFFICIAL, ARTICLE
    people = select(ao.c.person_id).where(ao.c.article_id == article_id)
    other = ao.alias("other")
    rows = session.execute(
        select(a.c.id, a.c.title, a.c.outlet, a.c.published_at, a.c.published_offset_min,
               func.min(Official.__table__.c.name).label("person"))
        .select_from(other).join(a, a.c.id == other.c.article_id)
        .join(Official.__table__, Official.__table__.c.id == other.c.person_id)
        .where(other.c.person_id.in_(people), other.c.article_id != article_id)
        .group_by(a.c.id, a.c.title, a.c.outlet, a.c.published_at, a.c.published_offset_min)
        .order_by(a.c.published_at.desc().nulls_last(), a.c.id.desc()).limit(limit)).all()
    return [{"article_id": r.id, "title": r.title, "outlet": r.outlet, "person": r.person,
             "published_at": local_time(r.published_at, r.published_offset_min)} for r in rows]


def flag_summary(session: Session, flag: Flag) -> dict:
    """One flag as the API gives it: the fields of the list, and the latest decision."""
    lr, on_latest = latest_review_join()
    row = session.execute(select(lr.c.decision, lr.c.reviewer, lr.c.decided_at, lr.c.note)
                          .select_from(FLAG).outerjoin(lr, on_latest).where(FLAG.c.id == flag.id)).one()
    return {"id": flag.id, "article_id": flag.article_id, "category": flag.category, "modality": flag.modality,
            "sentence": flag.sentence, "subject": flag.subject, "start": flag.start, "end": flag.end,
            "status": row.decision or "pending", "reviewer": row.reviewer, "decided_at": row.decided_at,
            "note": row.note}
