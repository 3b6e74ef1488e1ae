"""People across articles: merging short names into full names, finding people, their profiles.

The merge rule (docs/analysts.md, "Who is the same person"):
  A stored official S is a *short form* of F when S's name words are a contiguous run of F's name words
  and F has more words ("Iron" and "Sahroni" of "Iron Sahroni"; "Dikdik Suratno" of "Dikdik Suratno
  Nugrahawan"). Words are compared after store.articles.official_key (case, accents, punctuation folded).
  Each article that prints S is resolved on its own, in the narrowest scope holding a full form of S:
    1. the same article,  2. articles of the same outlet,  3. of the same regency,  4. of the same province.
  Exactly one full form in that scope: S is that person in this article. Two or more: ambiguous, S stays
  a person of its own there. None anywhere: S stays itself. ("Agus" is Agus Setiawan in one article and
  Agus Pratama in another.) Merges are recomputed from scratch when mentions changed, so an article that
  makes a scope ambiguous undoes the merges that relied on it.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from store.conditions import article_conditions
from store.joins import latest_review_join
from store.resolve import Resolved
from store.tables import ARTICLE, ARTICLE_OFFICIAL, FLAG
from store.models import OfficialMerge, OfficialMergeState, utcnow
from store.names import OFFICIAL, is_short_form, matching_official_ids

MERGE = OfficialMerge.__table__
STATE = OfficialMergeState.__table__
SCOPES = ("article", "outlet", "regency", "province")
_CHUNK = 500


@dataclass
class MergeReport:
    merged: int                 # (article, short name) pairs resolved to a full name
    ambiguous: int              # pairs left alone because two full names fit
    refreshed: bool = True      # False: nothing changed since the last refresh


def _signature(session: Session) -> str:
    n, top = session.execute(select(func.count(), func.max(ARTICLE_OFFICIAL.c.id))).one()
    return f"{n}:{top}"


def refresh_merges(session: Session, *, force: bool = False) -> MergeReport:
    """Recompute official_merge when mentions changed since the last time (or always with force)."""
    signature = _signature(session)
    state = session.execute(select(STATE.c.signature).where(STATE.c.name == "officials")).scalar()
    if state == signature and not force:
        n = session.execute(select(func.count()).select_from(MERGE)).scalar_one()
        return MergeReport(n, 0, refreshed=False)
    keys = {oid: tuple(key.split()) for oid, key in session.execute(select(OFFICIAL.c.id, OFFICIAL.c.key))}
    by_token: dict[str, set[int]] = defaultdict(set)
    for oid, words in keys.items():
        for w in words:
            by_token[w].add(oid)
    fulls: dict[int, frozenset[int]] = {}
    for oid, words in keys.items():
        if not words or len("".join(words)) < 3:
            continue
        pool = min((by_token[w] for w in words), key=len)
        found = frozenset(other for other in pool if is_short_form(words, keys[other]))
        if found:
            fulls[oid] = found
    # Who appears where: one pass over the mentions.
    present: dict[str, dict] = {scope: defaultdict(set) for scope in SCOPES}
    occurrences: list[tuple[int, int, tuple]] = []
    rows = session.execute(select(ARTICLE_OFFICIAL.c.article_id, ARTICLE_OFFICIAL.c.official_id, ARTICLE.c.outlet,
                                  ARTICLE.c.regency, ARTICLE.c.province)
                           .join(ARTICLE, ARTICLE.c.id == ARTICLE_OFFICIAL.c.article_id))
    for article_id, oid, outlet, regency, province in rows:
        places = (article_id, outlet, regency, province)
        for scope, value in zip(SCOPES, places):
            if value is not None:
                present[scope][value].add(oid)
        if oid in fulls:
            occurrences.append((article_id, oid, places))
    resolved: dict[tuple[int, int], tuple[int, str]] = {}
    ambiguous = 0
    for article_id, oid, places in occurrences:
        for scope, value in zip(SCOPES, places):
            if value is None:
                continue
            fits = fulls[oid] & present[scope][value]
            if len(fits) == 1:
                resolved[(article_id, oid)] = (next(iter(fits)), scope)
            elif fits:
                ambiguous += 1
            if fits:
                break
    for (article_id, oid), (into, scope) in list(resolved.items()):   # "Iron" -> "Iron Sahroni" -> longer
        seen = {oid}
        while (article_id, into) in resolved and into not in seen:
            seen.add(into)
            into = resolved[(article_id, into)][0]
        resolved[(article_id, oid)] = (into, scope)
    _write(session, resolved)
    session.execute(delete(STATE).where(STATE.c.name == "officials"))
    session.execute(insert(STATE).values(name="officials", signature=signature, refreshed_at=utcnow()))
    session.flush()
    return MergeReport(len(resolved), ambiguous)


def _write(session: Session, resolved: dict[tuple[int, int], tuple[int, str]]) -> None:
    """Store the merges that changed, and point the mentions they concern at their person."""
    current = {(r.article_id, r.official_id): (r.into_id, r.scope) for r in session.execute(select(MERGE))}
    stale = [k for k, v in current.items() if resolved.get(k) != v]
    for article_id, oid in stale:
        session.execute(delete(MERGE).where(MERGE.c.article_id == article_id, MERGE.c.official_id == oid))
    fresh = [{"article_id": a, "official_id": o, "into_id": into, "scope": scope}
             for (a, o), (into, scope) in resolved.items() if current.get((a, o)) != (into, scope)]
    for i in range(0, len(fresh), 5000):
        session.execute(insert(MERGE), fresh[i:i + 5000])
    people = {(a, o): o for a, o in stale} | {(m["article_id"], m["official_id"]): m["into_id"] for m in fresh}
    _point_mentions(session, people)
    session.flush()


def _point_mentions(session: Session, people: dict[tuple[int, int], int]) -> None:
    """article_official.person_id for these (article, official) pairs. Rows inserted later get theirs from
    official_merge by a trigger (migration 0003)."""
    ao = ARTICLE_OFFICIAL
    stmt = (update(ao).where(ao.c.article_id == bindparam("b_article"), ao.c.official_id == bindparam("b_official"))
            .values(person_id=bindparam("b_person")))
    rows = [{"b_article": a, "b_official": o, "b_person": p} for (a, o), p in people.items()]
    for i in range(0, len(rows), 5000):
        session.execute(stmt, rows[i:i + 5000])


# --- profiles -------------------------------------------------------------------------------------------

@dataclass
class TitleSpan:
    title: str
    first: datetime | None
    last: datetime | None
    articles: int


@dataclass
class Person:
    person_id: int
    name: str
    official_ids: list[int]
    names_as_printed: list[str] = field(default_factory=list)
    titles: list[TitleSpan] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)         # newest first
    allegations: list[dict] = field(default_factory=list)      # alleged flags naming them, newest first

    def as_json(self) -> dict:
        return {"person_id": self.person_id, "name": self.name, "names_as_printed": self.names_as_printed,
                "titles": [{"title": t.title, "first_seen": _iso(t.first), "last_seen": _iso(t.last),
                            "articles": t.articles} for t in self.titles],
                "articles": [{**a, "published_at": _iso(a["published_at"])} for a in self.articles],
                "allegations": [{**a, "published_at": _iso(a["published_at"]),
                                 "decided_at": _iso(a["decided_at"])} for a in self.allegations]}


def profiles(session: Session, name: str, *, limit_articles: int = 50) -> list[Person]:
    """Everyone matching NAME (most mentioned first), each with titles over time, articles, allegations."""
    ids = matching_official_ids(session, name)
    if not ids:
        return []
    ao = ARTICLE_OFFICIAL
    counts = session.execute(select(ao.c.person_id, func.count(func.distinct(ao.c.article_id)))
                             .where(ao.c.person_id.in_(ids)).group_by(ao.c.person_id)).all()
    ranked = sorted(counts, key=lambda r: (-r[1], r[0]))
    return [_profile(session, person, limit_articles) for person, _n in ranked]


def profile(session: Session, person_id: int, *, limit_articles: int = 50) -> Person | None:
    """One person by id (an official the merges did not fold into another), or None."""
    found = session.execute(select(func.count()).select_from(ARTICLE_OFFICIAL)
                            .where(ARTICLE_OFFICIAL.c.person_id == person_id)).scalar_one()
    return _profile(session, person_id, limit_articles) if found else None


def _profile(session: Session, pid: int, limit_articles: int) -> Person:
    ao, a = ARTICLE_OFFICIAL, ARTICLE
    name = session.execute(select(OFFICIAL.c.name).where(OFFICIAL.c.id == pid)).scalar_one()
    rows = session.execute(
        select(ao.c.article_id, ao.c.title, ao.c.name_as_printed, a.c.published_at, a.c.fetched_at, a.c.title,
               a.c.outlet, a.c.province, a.c.regency, a.c.url, a.c.accused, ao.c.official_id)
        .select_from(ao).join(a, a.c.id == ao.c.article_id).where(ao.c.person_id == pid)
        .order_by(a.c.published_at.desc().nulls_last(), a.c.id.desc(), ao.c.id)).all()     # titles as printed
    person = Person(pid, name, sorted({r[-1] for r in rows}))
    printed: dict[str, int] = defaultdict(int)
    spans: dict[str, TitleSpan] = {}
    articles: dict[int, dict] = {}
    for article_id, title, as_printed, published, fetched, headline, outlet, province, regency, url, accused, _ in rows:
        printed[as_printed] += 1
        when = published or fetched
        span = spans.setdefault(title, TitleSpan(title, when, when, 0))
        span.first = min(filter(None, (span.first, when)), default=None)
        span.last = max(filter(None, (span.last, when)), default=None)
        if article_id not in articles:
            articles[article_id] = {"article_id": article_id, "published_at": published, "title": headline,
                                    "outlet": outlet, "province": province, "regency": regency, "url": url,
                                    "titles": [], "accused": json.loads(accused or "[]")}
        if title not in articles[article_id]["titles"]:
            articles[article_id]["titles"].append(title)
    for title in {t for a_ in articles.values() for t in a_["titles"]}:
        spans[title].articles = sum(title in a_["titles"] for a_ in articles.values())
    person.names_as_printed = sorted(printed, key=lambda n: (-printed[n], n))
    person.titles = sorted(spans.values(), key=lambda s: (s.first is None, s.first or datetime.max, s.title))
    names = sorted({name, *printed}, key=len, reverse=True)
    person.allegations = _allegations(session, list(articles.values()), names)
    for article in articles.values():
        article.pop("accused")
    person.articles = list(articles.values())[:limit_articles]
    return person


# A name in attribution position is the person speaking, not the person accused:
# "Ketua Bawaslu, Aan Sugiharto, mengatakan ...", "kata Aan", "Menurut Aan, ...".
SPEECH_BEFORE = re.compile(r"\b(kata|ujar|ucap|ungkap|tutur|jelas|tegas|imbuh|tambah|menurut|lanjut)\s+"
                           r"(\w+\.?\s+){0,2}$", re.I)
SPEECH_AFTER = re.compile(r"^[\s,]*(\w+\s+){0,1}(mengatakan|menyebut(kan)?|menjelaskan|mengungkapkan|menegaskan|"
                          r"menuturkan|menambahkan|mengimbau|mengingatkan|meminta|menyampaikan|berkata|"
                          r"menerangkan|memastikan)\b", re.I)


def names_in_sentence(sentence: str, pattern: re.Pattern) -> bool:
    """The sentence names the person other than as the one speaking."""
    for m in pattern.finditer(sentence):
        if not (SPEECH_BEFORE.search(sentence[:m.start()]) or SPEECH_AFTER.search(sentence[m.end():])):
            return True
    return False


def _allegations(session: Session, articles: list[dict], names: list[str]) -> list[dict]:
    """Alleged flags in their articles that are about them: the tagger's subject or the article's accused
    names them (basis subject / accused), or the flagged sentence names them other than as the speaker
    (basis sentence)."""
    if not articles:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.I)
    by_id = {a["article_id"]: a for a in articles}
    lr, on_latest = latest_review_join(FLAG)
    out = []
    ids = sorted(by_id)
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(FLAG.c.id, FLAG.c.article_id, FLAG.c.category, FLAG.c.sentence, FLAG.c.subject,
                   lr.c.decision, lr.c.reviewer, lr.c.decided_at)
            .select_from(FLAG).outerjoin(lr, on_latest)
            .where(FLAG.c.article_id.in_(ids[i:i + _CHUNK]), FLAG.c.modality == "alleged")
            .order_by(FLAG.c.article_id, FLAG.c.start))
        for flag_id, article_id, category, sentence, subject, decision, reviewer, decided_at in rows:
            article = by_id[article_id]
            basis = ("subject" if pattern.search(subject or "") else
                     "accused" if any(pattern.search(a_) for a_ in article["accused"]) else
                     "sentence" if names_in_sentence(sentence, pattern) else None)
            if basis is None:
                continue
            out.append({"flag_id": flag_id, "article_id": article_id, "category": category, "basis": basis,
                        "sentence": sentence,
                        "outlet": article["outlet"], "published_at": article["published_at"],
                        "status": decision or "pending", "reviewer": reviewer, "decided_at": decided_at})
    out.sort(key=lambda x: (x["published_at"] is None, -(x["published_at"].timestamp() if x["published_at"] else 0),
                            x["flag_id"]))
    return out


def top_people(session: Session, res: Resolved, *, limit: int = 50) -> list[dict]:
    """People ranked by how many (filtered) articles mention them."""
    ao, a = ARTICLE_OFFICIAL, ARTICLE
    n_articles = func.count(func.distinct(ao.c.article_id))
    stmt = (select(ao.c.person_id, n_articles.label("articles"), func.max(a.c.published_at).label("last_seen"))
            .select_from(ao).join(a, a.c.id == ao.c.article_id)
            .where(*article_conditions(res))
            .group_by(ao.c.person_id).order_by(n_articles.desc(), ao.c.person_id).limit(limit))
    rows = session.execute(stmt).all()
    ids = [r.person_id for r in rows]
    names = dict(session.execute(select(OFFICIAL.c.id, OFFICIAL.c.name).where(OFFICIAL.c.id.in_(ids))).all())
    latest = _latest_titles(session, ids)
    return [{"person_id": r.person_id, "name": names.get(r.person_id, "?"), "latest_title": latest.get(r.person_id),
             "articles": r.articles, "last_seen": r.last_seen} for r in rows]


def _latest_titles(session: Session, ids: list[int]) -> dict[int, str]:
    """Each person's title in their newest article, the first printed there (one query; the choice is made
    here)."""
    if not ids:
        return {}
    ao, a = ARTICLE_OFFICIAL, ARTICLE
    best: dict[int, tuple] = {}
    for pid, title, published, article_id, ao_id in session.execute(
            select(ao.c.person_id, ao.c.title, a.c.published_at, a.c.id, ao.c.id).select_from(ao)
            .join(a, a.c.id == ao.c.article_id).where(ao.c.person_id.in_(ids))):
        key = (published is not None, published or datetime.min, article_id, -ao_id)
        if pid not in best or key > best[pid][0]:
            best[pid] = (key, title)
    return {pid: title for pid, (_key, title) in best.items()}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
