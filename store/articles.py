"""Save a processed article (insert or update, never duplicate) and read it back as the JSON contract."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta, timezone

from sqlalchemy import delete
from sqlmodel import Session, select

from extract.article import ProcessedArticle
from store.models import (Article, ArticleOfficial, ArticleRole, Flag, Mention, Official, UrlAlias,
                          utcnow)


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


def find_by_key(session: Session, *keys: str) -> Article | None:
    for key in keys:
        alias = session.get(UrlAlias, key)
        if alias is not None:
            return session.get(Article, alias.article_id)
    return None


def known_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these canonical keys are stored already (the crawler's memory of what it has)."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        found.update(session.exec(select(UrlAlias.key).where(UrlAlias.key.in_(chunk))).all())
    return found


def save_article(session: Session, processed: ProcessedArticle, *, source: str | None = None,
                 province: str | None = None, regency: str | None = None) -> SaveResult:
    page, tags = processed.page, processed.tags
    keys = [processed.key, *processed.aliases]
    content_hash = hashlib.sha1("\x1f".join([page.title or "", page.text, processed.tagger_version]).encode()).hexdigest()
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
    article.province = province or article.province
    article.regency = regency or article.regency
    article.outlet = page.outlet or article.outlet
    article.title, article.author, article.text = page.title, page.author, page.text
    article.language = page.language
    article.published_at = published.astimezone(timezone.utc) if published else None
    article.published_offset_min = int(published.utcoffset().total_seconds() // 60) if published else None
    article.fetched_at, article.updated_at = processed.fetched_at, utcnow()
    article.pages = processed.pages
    article.relevant, article.article_type = tags.relevant, tags.article_type
    article.roles = ",".join(sorted(tags.roles))
    article.accused = json.dumps(tags.accused, ensure_ascii=False)
    article.content_hash, article.tagger_version = content_hash, processed.tagger_version
    article.extra = json.dumps({"description": page.description, "credits": page.credits}, ensure_ascii=False)
    session.add(article)
    session.flush()
    _add_aliases(session, article.id, keys)
    replace_tags(session, article, tags, processed.tagger_version)
    return SaveResult(article.id, status)


def replace_tags(session: Session, article: Article, tags, tagger_version: str) -> None:
    """Swap an article's tags for new ones; reviews refer to flag fingerprints, so they survive."""
    for table in (Mention, Flag, ArticleOfficial, ArticleRole):
        session.exec(delete(table).where(table.article_id == article.id))
    for role in sorted(set(tags.roles)):
        session.add(ArticleRole(article_id=article.id, role=role))
    for m in tags.mentions:
        session.add(Mention(article_id=article.id, label=m.label, text=m.text, start=m.start, end=m.end))
    seen: set[tuple[int, str]] = set()
    for o in tags.officials:
        official = _official(session, o.name)
        if (official.id, o.title) not in seen:
            seen.add((official.id, o.title))
            session.add(ArticleOfficial(article_id=article.id, official_id=official.id, title=o.title,
                                        name_as_printed=o.name))
    for f in tags.flags:
        session.add(Flag(article_id=article.id, category=f.category, modality=f.modality, sentence=f.sentence,
                         start=f.start, end=f.end, subject=f.subject,
                         fingerprint=flag_fingerprint(f.category, f.sentence), tagger_version=tagger_version))
    session.flush()


def _official(session: Session, name: str) -> Official:
    key = official_key(name)
    official = session.exec(select(Official).where(Official.key == key)).first()
    if official is None:
        official = Official(key=key, name=name)
        session.add(official)
        session.flush()
    return official


def _add_aliases(session: Session, article_id: int, keys: list[str]) -> None:
    for key in dict.fromkeys(keys):
        if session.get(UrlAlias, key) is None:
            session.add(UrlAlias(key=key, article_id=article_id))
    session.flush()


def get_article(session: Session, ref: str | int) -> Article | None:
    """By numeric id, or by any URL variant of the article."""
    if isinstance(ref, int) or str(ref).isdigit():
        return session.get(Article, int(ref))
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
        "relevant": article.relevant,
        "article_type": article.article_type,
        "roles": [r for r in article.roles.split(",") if r],
        "officials": [{"name": o.name_as_printed, "title": o.title} for o in officials],
        "flags": [{"category": f.category, "modality": f.modality, "sentence": f.sentence, "start": f.start,
                   "end": f.end, "subject": f.subject} for f in flags],
        "mentions": [{"label": m.label, "text": m.text, "start": m.start, "end": m.end} for m in mentions],
        "accused": json.loads(article.accused or "[]"),
        "source": article.source,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
    }
