"""Save a processed article (insert or update, never duplicate) and read it back as the JSON contract."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from store.limits import MAX_ID
from store.models import (Article, ArticleOfficial, ArticleRole, Flag, Mention, Official, UrlAlias,
                          utcnow)
if TYPE_CHECKING:                      # not at run time: the crawl process needs no spaCy
    from extract.article import ProcessedArticle


@dataclass
class SaveResult:
    article_id: int
    status: str          # new | updated | unchanged


def official_key(name: str) -> str:
    """Name key for merging people across articles: case, accents, punctuation and spacing folded."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def flag_fingerprint(category: str, sentence: str) -> str:
    """Stable across re-tagging: the same category on the same sentence is the same flag."""
    norm = re.sub(r"\s+", " ", sentence).strip().lower()
    return hashlib.sha1(f"{category}|{norm}".encode()).hexdigest()[:16]


def article_content_hash(title: str | None, text: str, tagger_version: str) -> str:
    """What decides whether a fetched page changes the stored article: its title, text and tagger version."""
    return hashlib.sha1("\x1f".join([title or "", text, tagger_version]).encode()).hexdigest()


def find_by_key(session: Session, *keys: str) -> Article | None:
    """The article stored under the first of these keys that is known (one query)."""
    found = dict(session.exec(select(UrlAlias.key, UrlAlias.article_id).where(UrlAlias.key.in_(keys))).all())
    for key in keys:
        if key in found:
            return session.get(Article, found[key])
    return None


def known_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these canonical keys are stored already (the crawler's memory of what it has)."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        found.update(session.exec(select(UrlAlias.key).where(UrlAlias.key.in_(chunk))).all())
    return found


def has_articles(session: Session, source: str) -> bool:
    """Is any article of this source stored (is a crawl of it more than its first)?"""
    return session.exec(select(Article.id).where(Article.source == source).limit(1)).first() is not None


def save_article(session: Session, processed: ProcessedArticle, *, source: str | None = None,
                 province: str | None = None, regency: str | None = None) -> SaveResult:
    page, tags = processed.page, processed.tags
    keys = list(dict.fromkeys([processed.key, *processed.aliases]))
    content_hash = article_content_hash(page.title, page.text, processed.tagger_version)
    article = find_by_key(session, *keys)
    status = "updated"
    if article is None:
        article = Article(key=processed.key, url=processed.url, text=page.text)
        status = "new"
    elif article.content_hash == content_hash:
        article.fetched_at = processed.fetched_at
        _add_aliases(session, article.id, keys)
        session.add(article)
        session.flush()
        return SaveResult(article.id, "unchanged")
    published = page.published_at
    article.canonical_url = page.canonical_url
    article.source = source or article.source
    region = getattr(processed, "region", None)      # what the article is about (dateline, text) ...
    if region is not None:
        article.province = region.province
        article.regency = region.regency or (regency if region.province == province else None)
    else:                                             # ... else where its source is
        article.province = province or article.province
        article.regency = regency or article.regency
    article.outlet = page.outlet or article.outlet
    article.title, article.author, article.text = page.title, page.author, page.text
    article.language = page.language
    article.published_at = published.astimezone(timezone.utc) if published else None
    article.published_offset_min = int(published.utcoffset().total_seconds() // 60) if published else None
    article.fetched_at, article.updated_at = processed.fetched_at, utcnow()
    article.pages = processed.pages
    article.content_hash = content_hash
    article.extra = json.dumps({"description": page.description, "credits": page.credits}, ensure_ascii=False)
    set_tag_columns(article, tags, processed.tagger_version)
    session.add(article)
    session.flush()
    if status == "new":                # none of its keys is stored (find_by_key): no need to look again
        _insert(session, UrlAlias, [{"key": key, "article_id": article.id} for key in keys])
    else:
        _add_aliases(session, article.id, keys)
    replace_tags(session, article, tags, processed.tagger_version, new=status == "new")
    return SaveResult(article.id, status)


def set_tag_columns(article: Article, tags, tagger_version: str) -> None:
    """The one writer of the tag columns on `article` (a fetch and a retag both come here)."""
    article.relevant, article.article_type = tags.relevant, tags.article_type
    article.roles = ",".join(sorted(set(tags.roles)))
    article.accused = json.dumps(tags.accused, ensure_ascii=False)
    article.tagger_version = tagger_version


def replace_tags(session: Session, article: Article, tags, tagger_version: str, *, new: bool = False) -> None:
    """Swap an article's tags for new ones. Flags are kept in place by fingerprint (category + sentence), so a
    flag id an analyst noted stays the same finding after a retag or a re-crawl, and reviews stay on it.
    Core bulk inserts: one statement per table, not one ORM object per row."""
    aid = article.id
    for table in () if new else (Mention, ArticleOfficial, ArticleRole):
        session.exec(delete(table).where(table.article_id == aid))
    _insert(session, ArticleRole, [{"article_id": aid, "role": role} for role in sorted(set(tags.roles))])
    _insert(session, Mention, [{"article_id": aid, "label": m.label, "text": m.text, "start": m.start, "end": m.end}
                               for m in tags.mentions])
    ids = _official_ids(session, [o.name for o in tags.officials])
    named: dict[tuple[int, str], str] = {}
    for o in tags.officials:
        named.setdefault((ids[official_key(o.name)], o.title), o.name)
    _insert(session, ArticleOfficial, [{"article_id": aid, "official_id": oid, "title": title, "name_as_printed": name}
                                       for (oid, title), name in named.items()])
    _update_flags(session, aid, tags.flags, tagger_version, new=new)


FLAG_FIELDS = ("category", "modality", "sentence", "start", "end", "subject", "tagger_version")


def _update_flags(session: Session, aid: int, flags, tagger_version: str, *, new: bool) -> None:
    """The article's flags become `flags`: a stored flag with the same fingerprint is updated in place (the n-th
    stored one for the n-th found, in text order), the others are inserted or deleted."""
    table = Flag.__table__
    stored: dict[str, list] = {}
    if not new:
        for row in session.execute(select(table).where(table.c.article_id == aid)
                                   .order_by(table.c.start, table.c.id)).mappings():
            stored.setdefault(row["fingerprint"], []).append(row)
    now, fresh = utcnow(), []
    for f in flags:
        values = {"category": f.category, "modality": f.modality, "sentence": f.sentence, "start": f.start,
                  "end": f.end, "subject": f.subject, "tagger_version": tagger_version}
        fingerprint = flag_fingerprint(f.category, f.sentence)
        same = stored.get(fingerprint)
        if same:
            old = same.pop(0)
            if any(old[k] != values[k] for k in FLAG_FIELDS):
                session.execute(update(table).where(table.c.id == old["id"]).values(**values))
        else:
            fresh.append({**values, "article_id": aid, "fingerprint": fingerprint, "created_at": now})
    gone = [row["id"] for rows in stored.values() for row in rows]
    if gone:
        session.execute(delete(table).where(table.c.id.in_(gone)))
    _insert(session, Flag, fresh)


def _insert(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def _official_ids(session: Session, names: list[str]) -> dict[str, int]:
    """Official id by name key, creating the officials not seen before (first spelling kept as the name)."""
    wanted = {}
    for name in names:
        wanted.setdefault(official_key(name), name)
    if not wanted:
        return {}
    table = Official.__table__
    found = dict(session.execute(select(table.c.key, table.c.id).where(table.c.key.in_(list(wanted)))).all())
    missing = [{"key": k, "name": n} for k, n in wanted.items() if k not in found]
    if missing:
        _insert(session, Official, missing)
        found.update(session.execute(select(table.c.key, table.c.id)
                                     .where(table.c.key.in_([m["key"] for m in missing]))).all())
    return found


def _add_aliases(session: Session, article_id: int, keys: list[str]) -> None:
    for key in keys:
        if session.get(UrlAlias, key) is None:
            session.add(UrlAlias(key=key, article_id=article_id))
    session.flush()


def get_article(session: Session, ref: str | int) -> Article | None:
    """By numeric id, or by any URL variant of the article."""
    if isinstance(ref, int) or str(ref).isdigit():
        return session.get(Article, int(ref)) if 0 < int(ref) <= MAX_ID else None   # out of range: no such row
    from extract.urls import canonical_key
    try:
        return find_by_key(session, canonical_key(str(ref)))
    except ValueError:
        return None


def article_json(session: Session, article: Article) -> dict:
    """The stable JSON contract of `pantau show --json` / `pantau ingest --json` (see README)."""
    published = None
    if article.published_at is not None:
        offset = timezone(timedelta(minutes=article.published_offset_min or 0))
        published = article.published_at.astimezone(offset).isoformat()
    officials = session.exec(select(ArticleOfficial).where(ArticleOfficial.article_id == article.id)
                             .order_by(ArticleOfficial.id)).all()
    flags = session.exec(select(Flag).where(Flag.article_id == article.id).order_by(Flag.start, Flag.category)).all()
    mentions = session.exec(select(Mention).where(Mention.article_id == article.id).order_by(Mention.start)).all()
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url or article.key,
        "outlet": article.outlet,
        "title": article.title,
        "published_at": published,
        "author": article.author,
        "text": article.text,
        "language": article.language,
        "province": article.province,
        "regency": article.regency,
        "relevant": article.relevant,
        "article_type": article.article_type,
        "roles": [r for r in article.roles.split(",") if r],
        "officials": [{"name": o.name_as_printed, "title": o.title} for o in officials],
        "flags": [{"flag_id": f.id, "category": f.category, "modality": f.modality, "sentence": f.sentence, "start": f.start,
                   "end": f.end, "subject": f.subject} for f in flags],
        "mentions": [{"label": m.label, "text": m.text, "start": m.start, "end": m.end} for m in mentions],
        "accused": json.loads(article.accused or "[]"),
        "source": article.source,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
    }
