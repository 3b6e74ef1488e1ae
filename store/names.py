"""Finding a stored official by a name an analyst types: whole words, and short forms of full names
("Iron" finds "Iron Sahroni"). Used by the filters (--official) and by the officials' profiles."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.articles import official_key
from store.models import Official

OFFICIAL = Official.__table__


def is_short_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """short's words are a contiguous run of full's words, and full has more of them."""
    n = len(short)
    return 0 < n < len(full) and any(full[i:i + n] == short for i in range(len(full) - n + 1))


def matching_official_ids(session: Session, name: str) -> list[int]:
    """Officials whose name contains these words as whole words ("Iron" finds "Iron" and "Iron Sahroni").
    Filter articles on the person (article_official.person_id) being one of these."""
    words = tuple(official_key(name).split())
    if not words:
        return []
    rows = session.execute(select(OFFICIAL.c.id, OFFICIAL.c.key).where(OFFICIAL.c.key.contains(" ".join(words))))
    return sorted(oid for oid, key in rows
                  if tuple(key.split()) == words or is_short_form(words, tuple(key.split())))
