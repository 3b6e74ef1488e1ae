"""`pantau ingest` and `pantau show`: one-off articles in, stored articles out."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from pantau.options import DbOption, fail, open_store

if TYPE_CHECKING:
    from extract.fetched import FetchedPage

app = typer.Typer()


@app.command()
def ingest(
    urls: Annotated[Optional[list[str]], typer.Argument(help="Article URLs to fetch.")] = None,
    file: Annotated[Optional[list[str]], typer.Option("--file", help="Saved HTML page, gzipped or not ('-' "
                                                       "for stdin); repeatable. Its address is the page's own "
                                                       "rel=canonical (else og:url) unless --url gives it.")] = None,
    url: Annotated[Optional[list[str]], typer.Option("--url", help="The address a --file page came from; "
                                                     "repeatable, paired in order with --file.")] = None,
    folder: Annotated[Optional[Path], typer.Option("--dir", "-d", help="Ingest every .html/.htm page (or .gz of "
                                                   "one) in this folder, each under the address it names.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per article.")] = False,
    full_text: Annotated[bool, typer.Option("--full", help="Print the whole text.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, max=3600, help="Seconds a fetched page may take "
                                           "in all, however slowly its server sends it.")] = 60,
    db: DbOption = None,
) -> None:
    """Fetch (or read) articles, extract and tag them, store them, and print what was found."""
    from extract.saved import saved_pages
    from pantau.render import print_article
    files, file_urls = file or [], url or []
    if not urls and not files and folder is None:
        raise fail("give article URLs, --file PAGE [--url URL], or --dir FOLDER", 2)
    if file_urls and len(file_urls) != len(files):
        raise fail(f"{len(files)} --file but {len(file_urls)} --url: give one --url per --file, in order, "
                   "or none (each page's own rel=canonical/og:url is used)", 2)
    pages: list[Path] = []
    if folder is not None:
        if not folder.is_dir():
            raise fail(f"--dir {folder}: not a folder", 2)
        pages = saved_pages(folder)
        if not pages:
            raise fail(f"--dir {folder}: no .html, .htm, .html.gz or .htm.gz pages in it", 2)
    store = open_store(db)
    console = Console(soft_wrap=False)
    jobs = [(u, None) for u in urls or []] + [(file_urls[i] if file_urls else None, f) for i, f in enumerate(files)]
    failures = 0
    for page_url, path in jobs:
        try:
            result, data = _ingest_one(store, page_url, path, deadline=timeout)
        except _errors() as exc:
            failures += 1
            typer.echo(f"pantau: error: {_why(exc, path)}", err=True)
            continue
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            print_article(console, data, status=result.status, full_text=full_text)
            console.print()
    if pages:
        failures += _ingest_folder(store, pages, as_json=as_json)
    if failures:
        raise typer.Exit(1)


def _ingest_one(store, page_url: str | None, path: str | Path | None, *, deadline: float | None = None):
    """Fetch or read one article, ingest it, and return (result, its JSON contract)."""
    from ingest.fetch import fetch_article
    from store.articles import article_json, get_article
    parts = [_read_file(str(path), page_url)] if path is not None else fetch_article(page_url, deadline=deadline)
    from ingest.pipeline import ingest as ingest_parts     # the tagger loads only for a page that was read
    result = ingest_parts(store, parts)
    for part_url, why in result.processed.dropped:
        typer.echo(f"pantau: warning: {part_url}: {why}; stored without that page", err=True)
    with store.session() as session:
        data = article_json(session, get_article(session, result.article_id))
    return result, data


def _ingest_folder(store, pages: list[Path], *, as_json: bool) -> int:
    """Every page of a folder, with a progress bar on stderr and a summary; returns how many failed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    err = Console(stderr=True)
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    failed: list[tuple[Path, str]] = []
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[name]}"), console=err, transient=True) as progress:
        task = progress.add_task("ingest", total=len(pages), name="")
        for path in pages:
            progress.update(task, name=path.name)
            try:
                result, data = _ingest_one(store, None, path)
            except _errors() as exc:
                failed.append((path, _why(exc, path)))
            else:
                counts[result.status] += 1
                if as_json:
                    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            progress.advance(task)
    summary = (f"{len(pages)} pages: {counts['new']} stored, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged, {len(failed)} failed")
    typer.echo(summary, err=as_json)
    for path, why in failed:
        typer.echo(f"pantau: error: {why}", err=True)
    return len(failed)


@app.command()
def show(
    refs: Annotated[list[str], typer.Argument(help="Article id or URL (any variant).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per article.")] = False,
    full_text: Annotated[bool, typer.Option("--full", help="Print the whole text.")] = False,
    db: DbOption = None,
) -> None:
    """Print stored articles with their tags."""
    from pantau.render import print_article
    from store.articles import article_json, get_article
    from store.db import StoreError
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


def _read_file(path: str, page_url: str | None) -> FetchedPage:
    """A saved page; without page_url, under the address the page names for itself."""
    from extract.fetched import FetchedPage
    from extract.saved import page_address
    from ingest.fetch import FetchError, check_html_body
    from ingest.page_files import read_page_file
    name = "stdin" if path == "-" else path
    body = read_page_file(path)
    try:
        check_html_body(name, body)
    except FetchError as exc:
        raise ValueError(str(exc)) from exc
    if page_url is None:
        page_url = page_address(body)
        if page_url is None:
            raise ValueError(f"{name}: the page names no address of its own (no rel=canonical or og:url link "
                             "to an article); give it with --url")
    return FetchedPage(url=page_url, body=body)


def _errors() -> tuple[type[BaseException], ...]:
    """What a user's page or database can cause (extraction's errors imported only when a page is read)."""
    from extract.saved import SavedPageError
    from ingest.fetch import FetchError
    from store.db import StoreError
    from extract.decode import UnreadableEncoding
    from extract.page import NoArticleText
    return FetchError, NoArticleText, UnreadableEncoding, StoreError, SavedPageError, OSError, ValueError


def _why(exc: BaseException, path: str | Path | None) -> str:
    """One line; for a saved page it names the file, whatever the error named."""
    text = _one_line(exc)
    name = None if path is None else ("stdin" if str(path) == "-" else str(path))
    return text if name is None or name in text else f"{name}: {text}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
