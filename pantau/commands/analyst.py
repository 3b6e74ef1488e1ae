"""The analysts' commands: query, review, officials, export, stats, retag (docs/analysts.md)."""
import functools
import getpass
import inspect
import json
import os
import sys
from datetime import datetime
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.padding import Padding
from rich.text import Text
from sqlalchemy.exc import DBAPIError

from pantau.analyst_view import (print_flag_table, print_article_table, print_people, print_profile,
                                 print_review_article, print_stats, print_history, plain)
from pantau.options import DbOption, fail, open_store
from store.db import StoreError
from store.filters import FilterError, Filters, parse_when
from store.review import ReviewError

app = typer.Typer()

LIMIT = Annotated[int, typer.Option("--limit", "-n", min=1, help="How many rows.")]
OFFSET = Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows (next page).")]
FORMAT = Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")]
SORT = Annotated[str, typer.Option("--sort", help="newest, oldest, fetched or relevance (with --text).")]

_MANY = Optional[list[str]]
_FILTER_OPTIONS = {
    "text": (Optional[str], typer.Option("--text", "-t", help='Full-text search: words, "a phrase", prefix*, '
                                         "a OR b, -excluded.")),
    "role": (_MANY, typer.Option("--role", "-r", help="Role code (ASN, KADES, KPPS, ...); repeat for any of.")),
    "category": (_MANY, typer.Option("--category", "-c", help="Breach category (campaign_participation, ...).")),
    "modality": (_MANY, typer.Option("--modality", "-m", help="alleged, prohibition or denied.")),
    "article_type": (_MANY, typer.Option("--type", help="Article type: allegation, sanction, advisory, other.")),
    "official": (Optional[str], typer.Option("--official", "-o", help="Articles naming this person (any part "
                                             "of the name).")),
    "outlet": (_MANY, typer.Option("--outlet", help="Outlet or source name.")),
    "province": (_MANY, typer.Option("--province", "-p", help="Province, e.g. 'Jawa Barat'.")),
    "regency": (_MANY, typer.Option("--regency", help="Regency or city, e.g. 'Kota Cimahi'.")),
    "since": (Optional[str], typer.Option("--since", help="Published on or after: YYYY-MM-DD, YYYY-MM, today, "
                                          "7d, 2w (dates in WIB).")),
    "until": (Optional[str], typer.Option("--until", help="Published up to and including this day/month.")),
    "fetched_since": (Optional[str], typer.Option("--fetched-since", help="Fetched on or after.")),
    "fetched_until": (Optional[str], typer.Option("--fetched-until", help="Fetched up to and including.")),
    "status": (_MANY, typer.Option("--status", "-s", help="Review status: pending, confirmed, dismissed, "
                                   "reviewed.")),
    "article": (Optional[list[int]], typer.Option("--article", help="Only this article id (repeatable).")),
}


def with_filters(fn):
    """Add the shared filter options to a command; it receives them as one `filters: Filters`."""
    sig = inspect.signature(fn)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                               annotation=Annotated[kind, option])
             for name, (kind, option) in _FILTER_OPTIONS.items()]
    params = [p for p in sig.parameters.values() if p.name != "filters"] + extra

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        raw = {name: kwargs.pop(name, None) for name in _FILTER_OPTIONS}
        try:
            filters = build_filters(**raw)
        except ValueError as exc:
            raise fail(str(exc), 2)
        return fn(*args, filters=filters, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)
    del wrapper.__wrapped__
    return wrapper


def build_filters(*, text=None, role=None, category=None, modality=None, article_type=None, official=None,
                  outlet=None, province=None, regency=None, since=None, until=None, fetched_since=None,
                  fetched_until=None, status=None, article=None) -> Filters:
    return Filters(text=text, roles=role or [], categories=category or [], modalities=modality or [],
                   article_types=article_type or [], official=official, outlets=outlet or [],
                   provinces=province or [], regencies=regency or [],
                   published_since=parse_when(since) if since else None,
                   published_until=parse_when(until, end=True) if until else None,
                   fetched_since=parse_when(fetched_since) if fetched_since else None,
                   fetched_until=parse_when(fetched_until, end=True) if fetched_until else None,
                   statuses=status or [], article_ids=article or []).normalised()


def _run(fn):
    """Turn the errors a user can cause into one clear line (exit 2) instead of a stack trace."""
    try:
        return fn()
    except (FilterError, ReviewError, ValueError) as exc:
        raise fail(str(exc), 2)
    except StoreError as exc:
        raise fail(str(exc), 2)
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise fail(f"the database refused the query: {reason}", 1)


def _in_session(db: Optional[str], work):
    """Open the store and run work(session) in one transaction; errors a user can cause become one line."""
    store = open_store(db)

    def run():
        with store.session() as session:
            return work(session)
    return _run(run)


def _out_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "csv", "jsonl"):
        raise fail(f"unknown format {fmt!r}; choose from: table, csv, jsonl", 2)
    return fmt


def _rows_out(rows: list[dict], fmt: str, kind: str, console: Console, filters: Filters, limit: int,
              offset: int) -> None:
    from store.export import csv_writer, jsonl_writer
    from store.queries import ARTICLE_COLUMNS, FLAG_COLUMNS
    columns = FLAG_COLUMNS if kind == "flags" else tuple(c for c in ARTICLE_COLUMNS if c != "text")
    if fmt == "csv":
        write = csv_writer(sys.stdout, columns)
    elif fmt == "jsonl":
        write = jsonl_writer(sys.stdout, columns)
    else:
        (print_flag_table if kind == "flags" else print_article_table)(console, rows, filters)
        if len(rows) == limit:
            console.print(f"[dim]first {limit} rows shown; next page: --offset {offset + limit}[/]")
        return
    for row in rows:
        write(row)


@app.command()
@with_filters
def query(
    articles: Annotated[bool, typer.Option("--articles", help="One row per article instead of per flag.")] = False,
    sort: SORT = "newest",
    limit: LIMIT = 50,
    offset: OFFSET = 0,
    fmt: FORMAT = "table",
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Flags (or articles) matching the filters, newest first, with the evidence sentence."""
    from store.queries import find_articles, find_flags
    fmt = _out_format(fmt)
    finder = find_articles if articles else find_flags
    rows = _in_session(db, lambda session: finder(session, filters, sort=sort, limit=limit, offset=offset))
    _rows_out(rows, fmt, "articles" if articles else "flags", Console(), filters, limit, offset)


review_app = typer.Typer(help="The queue of flags waiting for review, and decisions on them.",
                         invoke_without_command=True, no_args_is_help=False)
app.add_typer(review_app, name="review")


@review_app.callback()
@with_filters
def review_queue(
    ctx: typer.Context,
    limit: LIMIT = 50,
    offset: OFFSET = 0,
    fmt: FORMAT = "table",
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Alleged flags with no decision yet, newest first (filters as `pantau query`; --status to widen).
    Then: `pantau review show ID`, `pantau review confirm|dismiss ID --note TEXT`."""
    if ctx.invoked_subcommand is not None:
        return
    from store.queries import review_queue as queue
    fmt = _out_format(fmt)
    rows = _in_session(db, lambda session: queue(session, filters, limit=limit, offset=offset))
    if not rows and fmt == "table":
        typer.echo("Nothing waiting for review with these filters.")
        return
    _rows_out(rows, fmt, "flags", Console(), filters, limit, offset)


@review_app.command("show")
def review_show(
    flag_id: Annotated[int, typer.Argument(help="Flag id, as listed by `pantau review` or `pantau query`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """The flag's article with every tag in context and the history of every decision."""
    data = _in_session(db, lambda session: _review_article(session, flag_id))
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        return
    print_review_article(Console(), data, focus=flag_id)


def _review_article(session, flag_id: int) -> dict:
    from store.articles import article_json, get_article
    from store.review import article_reviews, get_flag
    article = get_article(session, get_flag(session, flag_id).article_id)
    data = article_json(session, article)
    data["flags_detail"] = _flags_detail(session, article.id)
    by_fp, orphans = article_reviews(session, article)
    data["decisions"] = {fp: [_review_json(r) for r in rs] for fp, rs in by_fp.items()}
    data["detached_decisions"] = [_review_json(r) for r in orphans]
    data["province"], data["regency"] = article.province, article.regency
    return data


def _flags_detail(session, article_id: int) -> list[dict]:
    from sqlmodel import select
    from store.models import Flag
    flags = session.exec(select(Flag).where(Flag.article_id == article_id).order_by(Flag.start, Flag.id)).all()
    return [{"flag_id": f.id, "category": f.category, "modality": f.modality, "sentence": f.sentence,
             "start": f.start, "end": f.end, "subject": f.subject, "fingerprint": f.fingerprint,
             "tagger_version": f.tagger_version} for f in flags]


def _review_json(r) -> dict:
    return {"review_id": r.id, "decision": r.decision, "note": r.note, "reviewer": r.reviewer,
            "decided_at": r.decided_at.isoformat() if r.decided_at else None, "category": r.category,
            "sentence": r.sentence, "tagger_version": r.tagger_version, "fingerprint": r.fingerprint}


def _decide(decision: str, flag_ids: list[int], note: str, by: Optional[str], db: Optional[str]) -> None:
    from store.review import record_decision
    reviewer = by or os.environ.get("PANTAU_REVIEWER") or getpass.getuser()
    store = open_store(db)
    console = Console()
    failures = 0
    for flag_id in flag_ids:
        try:
            with store.session() as session:
                done = record_decision(session, flag_id, decision, note=note, reviewer=reviewer)
        except (ReviewError, StoreError) as exc:
            failures += 1
            typer.echo(f"pantau: error: {exc}", err=True)
            continue
        r = done.review
        when = f"{r.decided_at:%Y-%m-%d %H:%M} UTC"
        if not done.created:
            console.print(f"Flag #{flag_id}: already {r.decision} by {plain(r.reviewer)} on {when} with this "
                          "note; nothing new recorded.")
            continue
        line = f"Flag #{flag_id} {r.decision} by {plain(r.reviewer)} on {when} (decision #{r.id})."
        if done.previous:
            p = done.previous
            line += f" Supersedes: {p.decision} by {plain(p.reviewer)} on {p.decided_at:%Y-%m-%d}."
        console.print(line)
        # Echo what was judged: an id listed before a re-tag may now name another statement.
        console.print(Padding(Text(f"{r.category}: “{' '.join(r.sentence.split())}”", style="dim"), (0, 0, 0, 2)))
    if failures:
        raise typer.Exit(1)


NOTE = Annotated[str, typer.Option("--note", help="What you checked (required; kept in the record).")]
BY = Annotated[Optional[str], typer.Option("--by", help="Your name (default: $PANTAU_REVIEWER, else your "
                                           "login name).")]
IDS = Annotated[list[int], typer.Argument(help="Flag id(s) from `pantau review`.")]


@review_app.command("confirm")
def review_confirm(flag_ids: IDS, note: NOTE, by: BY = None, db: DbOption = None) -> None:
    """Record that the flagged report is a real breach."""
    _decide("confirmed", flag_ids, note, by, db)


@review_app.command("dismiss")
def review_dismiss(flag_ids: IDS, note: NOTE, by: BY = None, db: DbOption = None) -> None:
    """Record that the flag is not a breach (misread, advisory, wrong person, ...)."""
    _decide("dismissed", flag_ids, note, by, db)


@review_app.command("history")
def review_history(
    flag_id: Annotated[int, typer.Argument(help="Flag id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one decision per line.")] = False,
    db: DbOption = None,
) -> None:
    """Every decision ever recorded on this flag's statement, oldest first."""
    from store.review import flag_history, get_flag
    flag, trail = _in_session(db, lambda session: (get_flag(session, flag_id), flag_history(session, flag_id)))
    if as_json:
        for r in trail:
            sys.stdout.write(json.dumps(_review_json(r), ensure_ascii=False) + "\n")
        return
    print_history(Console(), flag, trail)


@app.command()
@with_filters
def officials(
    name: Annotated[Optional[str], typer.Argument(help="A name or part of it (\"Iron\", \"Sahroni\").")] = None,
    limit: LIMIT = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """People found across articles (short names merged into full ones), their titles over time, the articles
    naming them and the allegations against them. Without NAME: the most mentioned people."""
    from store.filters import resolve
    from store.officials import profiles, refresh_merges, top_people
    store = open_store(db)

    def run():
        with store.session() as session:
            refresh_merges(session)
        with store.session() as session:
            if name:
                return profiles(session, name, limit_articles=limit)
            return top_people(session, resolve(session, filters), limit=limit)
    result = _run(run)
    console = Console()
    if name and not result:
        raise fail(f"no official named {name!r} in stored articles (try part of the name, or `pantau "
                   "officials` to list them)", 1)
    if as_json:
        for item in result:
            obj = item.as_json() if name else {**item, "last_seen": item["last_seen"].isoformat()
                                                   if item["last_seen"] else None}
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        return
    if name:
        for person in result:
            print_profile(console, person)
    else:
        print_people(console, result)


@app.command()
@with_filters
def export(
    kind: Annotated[str, typer.Argument(help="articles, flags, officials or reviews.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or jsonl.")] = "csv",
    output: Annotated[Optional[str], typer.Option("--output", "-O", help="File to write (default: stdout).")] = None,
    sort: SORT = "newest",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most this many rows.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Articles without their full text.")] = False,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Stream rows to CSV or JSON lines (memory stays flat for any size)."""
    from store.export import export as run_export
    from store.officials import refresh_merges
    store = open_store(db)
    target = None

    def run():
        nonlocal target
        if kind == "officials":
            with store.session() as session:
                refresh_merges(session)
        with store.session() as session:
            if output:
                target = open(output, "w", encoding="utf-8", newline="")
            out = target or sys.stdout
            try:
                return run_export(session, kind, filters, out, fmt=fmt.lower(), sort=sort, limit=limit,
                                  with_text=not no_text)
            finally:
                if target:
                    target.close()
    n = _run(run)
    if output:
        typer.echo(f"{n} {kind} written to {output}", err=True)


@app.command()
@with_filters
def stats(
    by: Annotated[Optional[list[str]], typer.Option("--by", help="region, role, category or week (repeatable; "
                                                     "default all).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Counts of articles, flags and review states by region, role, breach category and week."""
    from store.queries import stats as compute
    result = _in_session(db, lambda session: compute(session, filters, by))
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        return
    print_stats(Console(), result)


@app.command()
@with_filters
def retag(
    force: Annotated[bool, typer.Option("--force", help="Also articles already tagged by the current "
                                         "tagger version.")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Articles per transaction.")] = 100,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Re-run the current tagger over stored articles (all, or filtered); review decisions stay attached."""
    from extract.tagging import TAGGER_VERSION, get_tagger
    from store.retag import retag as run_retag
    store = open_store(db)
    tagger = get_tagger()
    version = getattr(tagger, "version", None) or TAGGER_VERSION

    def progress(done: int, total: int) -> None:
        typer.echo(f"\rretagged {done}/{total}", err=True, nl=done == total)

    started = datetime.now()
    report = _run(lambda: run_retag(store, tagger, filters, version=version, force=force, batch=batch,
                                    progress=progress))
    seconds = (datetime.now() - started).total_seconds()
    typer.echo(f"Tagger {report.version}: {report.retagged} of {report.selected} selected articles retagged "
               f"in {seconds:.1f}s; flags {report.flags_before} -> {report.flags_after}.")
    if not report.selected and not force:
        typer.echo("Every matching article is already tagged by this version (--force to redo).")
    if report.decisions_attached or report.decisions_detached:
        typer.echo(f"Review decisions: {report.decisions_attached} statements still flagged; "
                   f"{report.decisions_detached} no longer flagged (their decisions are kept, see "
                   "`pantau export reviews`).")
    for article_id, reason in report.failed:
        typer.echo(f"pantau: error: article {article_id} could not be tagged: {reason}", err=True)
    if report.failed:
        raise typer.Exit(1)
