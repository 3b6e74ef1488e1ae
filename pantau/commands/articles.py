"""`pantau ingest` and `pantau show`: one-off articles in, stored articles out."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from extract.fetched import FetchedPage
from ingest.fetch import FetchError, check_html_body, fetch_article
from pantau.options import DbOption, fail, open_store
from pantau.render import print_article
from store.articles import article_json, get_article
from store.db import StoreError

app = typer.Typer()


@app.command()
def ingest(
    urls: Annotated[Optional[list[str]], typer.Argument(help="Article URLs to fetch.")] = None,
    file: Annotated[Optional[list[str]], typer.Option("--file", "-f", help="Saved HTML page ('-' for stdin); "
                                                       "repeatable, paired in order with --url.")] = None,
    url: Annotated[Optional[list[str]], typer.Option("--url", help="The address a --file page came from.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per article.")] = False,
    full_text: Annotated[bool, typer.Option("--full", help="Print the whole text.")] = False,
    db: DbOption = None,
) -> None:
    """Fetch (or read) articles, extract and tag them, store them, and print what was found."""
    from extract.decode import UnreadableEncoding
    from extract.page import NoArticleText
    from ingest.pipeline import ingest as ingest_parts

    files, file_urls = file or [], url or []
    if not urls and not files:
        raise fail("give article URLs, or --file PAGE --url URL", 2)
    if len(file_urls) != len(files):
        raise fail("each --file needs its --url (the address the page came from)", 2)
    store = open_store(db)
    console = Console(soft_wrap=False)
    jobs = [(u, None) for u in urls or []] + list(zip(file_urls, files))
    failures = 0
    for page_url, path in jobs:
        try:
            parts = [_read_file(path, page_url)] if path else fetch_article(page_url)
            result = ingest_parts(store, parts)
            for part_url, why in result.processed.dropped:
                typer.echo(f"pantau: warning: {part_url}: {why}; stored without that page", err=True)
            with store.session() as session:
                data = article_json(session, get_article(session, result.article_id))
        except (FetchError, NoArticleText, UnreadableEncoding, StoreError, OSError, ValueError) as exc:
            failures += 1
            typer.echo(f"pantau: error: {_one_line(exc)}", err=True)
            continue
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            print_article(console, data, status=result.status, full_text=full_text)
            console.print()
    if failures:
        raise typer.Exit(1)


@app.command()
def show(
    refs: Annotated[list[str], typer.Argument(help="Article id or URL (any variant).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per article.")] = False,
    full_text: Annotated[bool, typer.Option("--full", help="Print the whole text.")] = False,
    db: DbOption = None,
) -> None:
    """Print stored articles with their tags."""
    store = open_store(db)
    console = Console()
    missing = 0
    try:
        with store.session() as session:
            for ref in refs:
                article = get_article(session, ref)
                if article is None:
                    missing += 1
                    typer.echo(f"pantau: error: no stored article {ref!r}", err=True)
                    continue
                data = article_json(session, article)
                if as_json:
                    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
                else:
                    print_article(console, data, full_text=full_text)
    except StoreError as exc:
        raise fail(str(exc), 2)
    if missing:
        raise typer.Exit(1)


def _read_file(path: str, page_url: str) -> FetchedPage:
    body = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    try:
        check_html_body(page_url, body)
    except FetchError as exc:
        raise ValueError(str(exc).replace(page_url, path if path != "-" else "stdin", 1)) from exc
    return FetchedPage(url=page_url, body=body)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
