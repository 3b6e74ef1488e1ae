"""`pantau export`: articles, flags, officials or reviews streamed to CSV or JSON lines."""
import sys
from typing import Annotated, Optional

import typer

from pantau.analyst_options import SORT, with_filters
from pantau.analyst_run import run_guarded
from pantau.options import DbOption, open_store
from store.filters import Filters

app = typer.Typer()


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
    n = run_guarded(run)
    if output:
        typer.echo(f"{n} {kind} written to {output}", err=True)
