"""`pantau review`: the queue of flags waiting for a decision, and the decisions (docs/analysts.md)."""
import getpass
import json
import os
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from pantau.analyst_options import FORMAT, LIMIT, OFFSET, with_filters
from pantau.analyst_run import in_session, out_format, rows_out
from pantau.analyst_view import plain, print_history, print_review_article
from pantau.options import DbOption, fail, open_store
from store.filters import Filters
from store.limits import MAX_ID, MAX_NAME_CHARS

app = typer.Typer()


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
    fmt = out_format(fmt)
    rows = in_session(db, lambda session: queue(session, filters, limit=limit, offset=offset))
    if not rows and fmt == "table":
        typer.echo("Nothing waiting for review with these filters.")
        return
    rows_out(rows, fmt, "flags", Console(), filters, limit, offset)


@review_app.command("show")
def review_show(
    flag_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Flag id, as listed by `pantau review` or `pantau query`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """The flag's article with every tag in context and the history of every decision."""
    data = in_session(db, lambda session: _review_article(session, flag_id))
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
    from store.db import StoreError
    from store.review import ReviewError
    from store.review import record_decision
    reviewer = by or os.environ.get("PANTAU_REVIEWER") or getpass.getuser()
    if len(reviewer) > MAX_NAME_CHARS:
        raise fail(f"reviewer name of {len(reviewer):,} characters: give a name of at most {MAX_NAME_CHARS} "
                   "(--by or $PANTAU_REVIEWER)", 2)
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
        # Echo what was judged, so a mistyped id shows at once.
        console.print(Padding(Text(f"{r.category}: “{' '.join(r.sentence.split())}”", style="dim"), (0, 0, 0, 2)))
    if failures:
        raise typer.Exit(1)


NOTE = Annotated[str, typer.Option("--note", help="What you checked (required; kept in the record).")]
BY = Annotated[Optional[str], typer.Option("--by", help="Your name (default: $PANTAU_REVIEWER, else your "
                                           "login name).")]
IDS = Annotated[list[int], typer.Argument(min=1, max=MAX_ID, help="Flag id(s) from `pantau review`.")]


@review_app.command("confirm")
def review_confirm(flag_ids: IDS, note: NOTE, by: BY = None, db: DbOption = None) -> None:
    """Record that the flagged report is a real breach."""
    _decide("confirmed", flag_ids, note, by, db)


@review_app.command("dismiss")
def review_dismiss(flag_ids: IDS, note: NOTE, by: BY = None, db: DbOption = None) -> None:
    """Record that the flag is not a breach (misread, advisory, wrong person, ...)."""
    _decide("dismissed", flag_ids, note, by, db)


@review_app.command("needs-more")
def review_needs_more(flag_ids: IDS, note: NOTE, by: BY = None, db: DbOption = None) -> None:
    """Record that the flag needs checking further before a verdict (the note says what is missing)."""
    _decide("needs_more", flag_ids, note, by, db)


@review_app.command("history")
def review_history(
    flag_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Flag id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one decision per line.")] = False,
    db: DbOption = None,
) -> None:
    """Every decision ever recorded on this flag's statement, oldest first."""
    from store.review import flag_history, get_flag
    flag, trail = in_session(db, lambda session: (get_flag(session, flag_id), flag_history(session, flag_id)))
    if as_json:
        for r in trail:
            sys.stdout.write(json.dumps(_review_json(r), ensure_ascii=False) + "\n")
        return
    print_history(Console(), flag, trail)
