"""What every command shares: the --db option, opening the store, and the one-line error exit."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from store import Store


DbOption = Annotated[Optional[str], typer.Option("--db", help="Database URL (default: $PANTAU_DATABASE_URL, "
                                                  "else an SQLite file in your data directory).")]
SourcesOption = Annotated[Optional[str], typer.Option("--sources", help="Sources file (default: $PANTAU_SOURCES, "
                                                      "else the shipped crawler/sources.toml).")]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"pantau: error: {message}", err=True)
    return typer.Exit(code)


def open_store(db: str | None) -> "Store":
    from store import Store
    from store.db import StoreError
    try:
        return Store(db)
    except StoreError as exc:
        raise fail(str(exc), 2)
