"""The `pantau` command. Each group of commands lives in pantau/commands/; they register on `app`."""
from __future__ import annotations

import logging
import os
from typing import Annotated, Optional

import typer

from store import Store
from store.db import StoreError

app = typer.Typer(help="Pantau: news monitoring for Indonesian election neutrality.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database URL (default: $PANTAU_DATABASE_URL, "
                                                  "else an SQLite file in your data directory).")]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"pantau: error: {message}", err=True)
    return typer.Exit(code)


def open_store(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        raise fail(str(exc), 2)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


from pantau.commands import articles  # noqa: E402,F401  (registers commands)

for _optional in ("crawl", "daemon", "analyst", "evaluate"):
    try:
        __import__(f"pantau.commands.{_optional}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"pantau.commands.{_optional}":
            raise
