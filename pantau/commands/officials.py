"""`pantau officials`: the people found across articles, merged, with their allegations."""
import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from pantau.analyst_options import LIMIT, with_filters
from pantau.analyst_run import run_guarded
from pantau.analyst_view import print_people, print_profile
from pantau.options import DbOption, fail, open_store
from store.filters import Filters

app = typer.Typer()


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
    from store.resolve import resolve
    from store.officials import profiles, refresh_merges, top_people
    store = open_store(db)

    def run():
        with store.session() as session:
            refresh_merges(session)
        with store.session() as session:
            if name:
                return profiles(session, name, limit_articles=limit)
            return top_people(session, resolve(session, filters), limit=limit)
    result = run_guarded(run)
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
