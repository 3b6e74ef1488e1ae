"""`pantau export`: articles, flags, officials or reviews streamed to CSV or JSON lines."""
import sys
from typing import Annotated, Optional

import typer

from pantau.analyst_options import SORT, with_filters
from pantau.analyst_run import run_guarded
from pantau.options import DbOption, fail, open_store
from pantau.output import OutputError, atomic_output, check_output_path
from store.filters import Filters
from store.limits import MAX_ID

app = typer.Typer()


@app.command()
@with_filters
def export(
    kind: Annotated[str, typer.Argument(help="articles, flags, officials or reviews.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or jsonl.")] = "csv",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="File to write (default: stdout); replaced only when complete.")] = None,
    sort: SORT = "newest",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, max=MAX_ID, help="At most this many rows.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Articles without their full text.")] = False,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Stream rows to CSV or JSON lines (memory stays flat for any size). With --output the file is replaced only
    once every row is written: an error leaves an existing file as it was."""
    from store.export import FORMATS, KINDS, export as run_export
    from store.officials import refresh_merges
    fmt = fmt.lower()
    if kind not in KINDS:
        raise fail(f"unknown export {kind!r}; choose from: {', '.join(KINDS)}", 2)
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}", 2)
    try:
        if output:
            check_output_path(output)
    except OutputError as exc:
        raise fail(str(exc), 2)
    store = open_store(db)

    def write(out) -> int:
        if kind == "officials":
            with store.session() as session:
                refresh_merges(session)
        with store.session() as session:
            return run_export(session, kind, filters, out, fmt=fmt, sort=sort, limit=limit, with_text=not no_text)

    def run() -> int:
        if not output:
            return write(sys.stdout)
        with atomic_output(output) as out:
            return write(out)
    try:
        n = run_guarded(run)
    except OutputError as exc:
        raise fail(str(exc), 1)
    if output:
        typer.echo(f"{n} {kind} written to {output}", err=True)
