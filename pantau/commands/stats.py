"""`pantau stats`: counts by region, role, breach category and week."""
import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from pantau.analyst_options import with_filters
from pantau.analyst_run import in_session
from pantau.analyst_view import print_stats
from pantau.options import DbOption
from store.filters import Filters

app = typer.Typer()


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
    result = in_session(db, lambda session: compute(session, filters, by))
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        return
    print_stats(Console(), result)
