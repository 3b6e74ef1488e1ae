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


class OneLineTyper(typer.Typer):
    """The top-level app: a usage error (unknown option, a value out of range, ...) is one line on stderr naming
    the command's --help, not a box of usage text. Errors inside commands already go through fail()."""

    def __call__(self, *args, **kwargs):
        if kwargs.get("standalone_mode", True) is False:
            return super().__call__(*args, **kwargs)
        try:
            code = super().__call__(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            typer.echo("pantau: aborted", err=True)
            raise SystemExit(1)
        except typer.TyperException as exc:     # typer's click: usage errors, bad parameters
            if type(exc).__name__ != "NoArgsIsHelpError":     # that one has printed the help already
                ctx = getattr(exc, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
                typer.echo(f"pantau: error: {' '.join(message.split())}{hint}", err=True)
            raise SystemExit(getattr(exc, "exit_code", 2))
        raise SystemExit(code if isinstance(code, int) else 0)
