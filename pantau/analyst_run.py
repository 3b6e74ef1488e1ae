"""Running an analyst's query: one transaction, and the errors a user can cause as one line."""
from typing import TYPE_CHECKING, Optional

import sys
from rich.console import Console

from pantau.options import fail, open_store

if TYPE_CHECKING:
    from store.filters import Filters


def run_guarded(fn):
    """Turn the errors a user can cause into one clear line (exit 2) instead of a stack trace."""
    from sqlalchemy.exc import DBAPIError
    from store.db import StoreError
    from store.filters import FilterError
    from store.review import ReviewError
    try:
        return fn()
    except (FilterError, ReviewError, ValueError) as exc:
        raise fail(str(exc), 2)
    except StoreError as exc:
        raise fail(str(exc), 2)
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise fail(f"the database refused the query: {reason}", 1)


def in_session(db: Optional[str], work):
    """Open the store and run work(session) in one transaction; errors a user can cause become one line."""
    store = open_store(db)

    def run():
        with store.session() as session:
            return work(session)
    return run_guarded(run)


def out_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "csv", "jsonl"):
        raise fail(f"unknown format {fmt!r}; choose from: table, csv, jsonl", 2)
    return fmt


def rows_out(rows: list[dict], fmt: str, kind: str, console: Console, filters: "Filters", limit: int,
              offset: int) -> None:
    from pantau.analyst_view import print_article_table, print_flag_table
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
