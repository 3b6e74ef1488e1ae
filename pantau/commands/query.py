"""`pantau query`: flags (or articles) matching the analysts' filters."""
from typing import Annotated

import typer
from rich.console import Console

from pantau.analyst_options import FORMAT, LIMIT, OFFSET, SORT, with_filters
from pantau.analyst_run import in_session, out_format, rows_out
from pantau.options import DbOption
from store.filters import Filters

app = typer.Typer()


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
    fmt = out_format(fmt)
    finder = find_articles if articles else find_flags
    rows = in_session(db, lambda session: finder(session, filters, sort=sort, limit=limit, offset=offset))
    rows_out(rows, fmt, "articles" if articles else "flags", Console(), filters, limit, offset)
