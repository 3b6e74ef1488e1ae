"""`pantau web`, `pantau users ...` and `pantau digest`: the review desk seen from the shell. The logic lives
in desk/ and store/accounts.py; this module parses options and prints."""
from __future__ import annotations

import getpass
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from pantau.options import DbOption, fail, open_store

app = typer.Typer()
users = typer.Typer(help="Review-desk accounts: add, list, disable, reset-password, token.", no_args_is_help=True)
app.add_typer(users, name="users")

NameArg = Annotated[str, typer.Argument(help="Account name (what its decisions record as reviewer).")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input "
                                             "(first line) instead of a prompt.")]


@app.command("web")
def web(db: DbOption = None,
        host: Annotated[str, typer.Option("--host", help="Address to listen on (put a TLS reverse proxy in "
                                          "front for anything but 127.0.0.1: docs/operations.md).")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000) -> None:
    """Serve the review desk (queue, flags, dashboard, API under /api/) over the same database as the CLI."""
    import uvicorn

    from desk.app import create_app
    store = open_store(db)
    typer.echo(f"Pantau desk on http://{host}:{port}/ (database {store.safe_url}); Ctrl+C stops it.", err=True)
    try:
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning", proxy_headers=True,
                    server_header=False)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port", 2)
    finally:
        store.dispose()


def _password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise fail("--password-stdin: standard input holds no password", 2)
        return line
    if not sys.stdin.isatty():
        raise fail("no terminal to prompt for the password: pass it with --password-stdin", 2)
    first = getpass.getpass(f"{prompt}: ")
    if first != getpass.getpass(f"{prompt} again: "):
        raise fail("the two passwords differ; nothing changed", 1)
    return first


def _accounts(db: str | None, change, done: str) -> None:
    from store.accounts import AccountError
    from store.db import StoreError
    store = open_store(db)
    try:
        with store.session() as session:
            result = change(session)
    except (AccountError, StoreError) as exc:
        raise fail(str(exc))
    finally:
        store.dispose()
    if done:
        typer.echo(done)
    return result


@users.command("add")
def users_add(name: NameArg, db: DbOption = None,
              role: Annotated[str, typer.Option("--role", help="viewer (reads), reviewer (also decides), "
                                                "admin (also manages accounts).")] = "viewer",
              email: Annotated[str, typer.Option("--email", help="Where the account's digest goes.")] = "",
              password_stdin: PasswordStdin = False) -> None:
    """Add an account."""
    from store.accounts import create_account
    password = _password(password_stdin)
    _accounts(db, lambda s: create_account(s, name, password, role, email=email), f"Account {name} added ({role}).")


@users.command("list")
def users_list(db: DbOption = None) -> None:
    """List the accounts."""
    from store.accounts import list_accounts, subscription
    rows = _accounts(db, lambda s: [(a, subscription(a)) for a in list_accounts(s)], "")
    table = Table("name", "role", "state", "last login (UTC)", "digest", box=None)
    for a, sub in rows:
        scope = ", ".join(sub.provinces + sub.roles + sub.categories) or "everything"
        targets = [t for t in [sub.email, *(u.split("://")[0] + "://" for u in sub.notify_urls)] if t]
        table.add_row(a.name, a.role, "disabled" if a.disabled else "active",
                      f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "never",
                      f"{scope} -> {', '.join(targets)}" if targets else "-")
    Console().print(table) if rows else typer.echo("No accounts yet: `pantau users add NAME --role admin`.")


@users.command("disable")
def users_disable(name: NameArg, db: DbOption = None,
                  enable: Annotated[bool, typer.Option("--enable", help="Enable it again instead.")] = False) -> None:
    """Disable an account: it can no longer log in and its tokens stop working (its decisions stay)."""
    from store.accounts import set_disabled
    _accounts(db, lambda s: set_disabled(s, name, not enable), f"Account {name} {'enabled' if enable else 'disabled'}.")


@users.command("reset-password")
def users_reset_password(name: NameArg, db: DbOption = None, password_stdin: PasswordStdin = False) -> None:
    """Set a new password (also lifts a lock after failed logins and ends the desk sessions made with the old one)."""
    from store.accounts import set_password
    password = _password(password_stdin, "New password")
    _accounts(db, lambda s: set_password(s, name, password), f"Password of {name} reset; desk sessions made with the old one are ended.")


@users.command("token")
def users_token(name: NameArg, db: DbOption = None) -> None:
    """Print a new API token for the account (send it as `Authorization: Bearer TOKEN`; shown once)."""
    from store.accounts import new_token
    typer.echo(_accounts(db, lambda s: new_token(s, name), ""))


@app.command("digest")
def digest(db: DbOption = None,
           since: Annotated[str, typer.Option("--since", help="New allegations fetched in this window: 24h, 2d, "
                                              "1w (flags already sent to an account are not sent again).")] = "24h",
           desk_url: Annotated[Optional[str], typer.Option("--desk-url", help="Links in the digest point here "
                                                          "(default: $PANTAU_DESK_URL).")] = None) -> None:
    """Send each account the new allegations of its subscription, by e-mail and chat/webhook targets."""
    from desk.digest import DigestError, parse_since, send_digests
    from store.db import StoreError
    try:
        window = parse_since(since)
    except DigestError as exc:
        raise fail(str(exc), 2)
    store = open_store(db)
    try:
        outcomes = send_digests(store, window, desk_url=desk_url)
    except (DigestError, StoreError) as exc:
        raise fail(str(exc))
    finally:
        store.dispose()
    table = Table("account", "allegations", "e-mail", "chat/webhook", "note", box=None)
    for o in outcomes:
        table.add_row(o.account, str(o.flags), o.email, o.notify, o.problem)
    Console().print(table) if outcomes else typer.echo("No enabled accounts: `pantau users add NAME`.")
    if any(o.email.startswith("failed") or o.notify.startswith("failed") for o in outcomes):
        raise typer.Exit(1)
