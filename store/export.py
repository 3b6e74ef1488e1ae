"""Streaming exports of articles, flags, officials and reviews to CSV or JSON lines.

Rows go from a server-side cursor straight to the output, so memory stays flat for any number of rows.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Callable, TextIO

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from store.conditions import article_conditions
from store.filters import FilterError, Filters
from store.resolve import resolve
from store.tables import ARTICLE, ARTICLE_OFFICIAL, FLAG, REVIEW
from store.models import Official, OfficialMerge
from store.queries import ARTICLE_COLUMNS, FLAG_COLUMNS, article_row, article_select, flag_row, flag_select, local_time, stream

KINDS = ("articles", "flags", "officials", "reviews")
FORMATS = ("csv", "jsonl")

OFFICIAL_COLUMNS = ("person_id", "person_name", "official_id", "name_as_printed", "title", "article_id",
                    "article_title", "url", "outlet", "province", "regency", "published_at")
REVIEW_COLUMNS = ("review_id", "article_id", "fingerprint", "category", "decision", "note", "reviewer",
                  "decided_at", "sentence", "tagger_version", "current_flag_id", "article_title", "url", "outlet",
                  "province", "regency", "published_at")


def export(session: Session, kind: str, filters: Filters, out: TextIO, *, fmt: str = "csv", sort: str = "newest",
           limit: int | None = None, with_text: bool = True) -> int:
    """Write the rows; returns how many were written."""
    if kind not in KINDS:
        raise FilterError(f"unknown export {kind!r}; choose from: {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise FilterError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    res = resolve(session, filters)
    stmt, columns, convert = _plan(kind, res, sort, with_text)
    if limit is not None:
        stmt = stmt.limit(limit)
    write = csv_writer(out, columns) if fmt == "csv" else jsonl_writer(out, columns)
    n = 0
    for row in stream(session, stmt):
        write(convert(row))
        n += 1
    return n


def _plan(kind: str, res, sort: str, with_text: bool) -> tuple[Select, tuple[str, ...], Callable]:
    if kind == "flags":
        return flag_select(res, sort), FLAG_COLUMNS, flag_row
    if kind == "articles":
        columns = ARTICLE_COLUMNS if with_text else tuple(c for c in ARTICLE_COLUMNS if c != "text")
        return article_select(res, sort, with_text=with_text), columns, article_row
    a = ARTICLE
    if kind == "officials":
        ao, official, merge = ARTICLE_OFFICIAL, Official.__table__, OfficialMerge.__table__
        person = official.alias("person")
        person_id = func.coalesce(merge.c.into_id, ao.c.official_id)
        stmt = (select(person_id.label("person_id"), person.c.name.label("person_name"),
                       ao.c.official_id, ao.c.name_as_printed, ao.c.title, ao.c.article_id,
                       a.c.title.label("article_title"), a.c.url, a.c.outlet, a.c.province, a.c.regency,
                       a.c.published_at, a.c.published_offset_min)
                .select_from(ao).join(a, a.c.id == ao.c.article_id)
                .outerjoin(merge, (merge.c.article_id == ao.c.article_id) & (merge.c.official_id == ao.c.official_id))
                .join(person, person.c.id == person_id)
                .where(*article_conditions(res)).order_by(person_id, a.c.published_at, ao.c.id))
        return stmt, OFFICIAL_COLUMNS, _dated
    r = REVIEW
    current = (select(func.min(FLAG.c.id)).where(FLAG.c.article_id == r.c.article_id,
                                                 FLAG.c.fingerprint == r.c.fingerprint).scalar_subquery())
    stmt = (select(r.c.id.label("review_id"), r.c.article_id, r.c.fingerprint, r.c.category, r.c.decision, r.c.note,
                   r.c.reviewer, r.c.decided_at, r.c.sentence, r.c.tagger_version,
                   current.label("current_flag_id"), a.c.title.label("article_title"), a.c.url, a.c.outlet,
                   a.c.province, a.c.regency, a.c.published_at, a.c.published_offset_min)
            .select_from(r).join(a, a.c.id == r.c.article_id)
            .where(*article_conditions(res)).order_by(r.c.id))
    return stmt, REVIEW_COLUMNS, _dated


def _dated(r) -> dict:
    row = dict(r)
    row["published_at"] = local_time(r["published_at"], r["published_offset_min"])
    return row


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def csv_writer(out: TextIO, columns: tuple[str, ...]):
    writer = csv.writer(out)
    writer.writerow(columns)

    def write(row: dict) -> None:
        writer.writerow(["" if row.get(c) is None else ";".join(row[c]) if isinstance(row.get(c), list)
                         else _plain(row[c]) for c in columns])
    return write


def jsonl_writer(out: TextIO, columns: tuple[str, ...]):
    def write(row: dict) -> None:
        out.write(json.dumps({c: _plain(row.get(c)) for c in columns}, ensure_ascii=False) + "\n")
    return write
