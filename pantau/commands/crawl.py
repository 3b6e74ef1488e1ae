"""`pantau crawl`, `pantau demo`, `pantau sources list|check`: the crawler from the command line."""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from crawler.sources import SourceConfig, SourcesError, default_sources_path, load_sources, select_sources
from store.limits import MAX_ID
from pantau.options import DbOption, SourcesOption, fail, open_store

if TYPE_CHECKING:
    from store.runs import RunCounts

app = typer.Typer()

STATUS_STYLE = {"ok": "green", "partial": "yellow", "blocked": "bold red", "failed": "red", "interrupted": "yellow", "timeout": "yellow",
                "running": "cyan", "waiting": "dim"}

sources_app = typer.Typer(help="The outlets Pantau crawls (the sources file).", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


# --- live progress ----------------------------------------------------------------------------------------------

class ProgressBoard:
    """Counts per source, updated from the crawl (any thread), drawn by rich.Live."""

    def __init__(self, names: list[str]) -> None:
        from store.runs import RunCounts
        self.rows: dict[str, tuple[str, RunCounts]] = {n: ("waiting", RunCounts()) for n in names}
        self.lock = threading.Lock()

    def __call__(self, source: str, counts: RunCounts, what: str) -> None:
        from store.runs import RunCounts
        status = what.split(":", 1)[1] if what.startswith("done:") else "running"
        with self.lock:
            self.rows[source] = (status, RunCounts(**counts.as_dict()))

    def table(self, title: str = "Crawl") -> Table:
        from store.runs import RunCounts
        table = Table(title=title, title_justify="left")
        for col in ("source", "status", "pages", "new", "updated", "skipped", "errors"):
            table.add_column(col, justify="left" if col in ("source", "status") else "right")
        with self.lock:
            rows = list(self.rows.items())
        total = RunCounts()
        for name, (status, c) in rows:
            style = STATUS_STYLE.get(status, "")
            table.add_row(name, f"[{style}]{status}[/]", *(str(v) for v in c.as_dict().values()))
            for k, v in c.as_dict().items():
                setattr(total, k, getattr(total, k) + v)
        if len(rows) > 1:
            table.add_row("[bold]total[/]", "", *(f"[bold]{v}[/]" for v in total.as_dict().values()))
        return table


def run_crawl(sources: list[SourceConfig], *, db_url: str, console: Console, trigger: str = "cli",
              refresh: bool = False, max_articles: int | None = None, discover: bool = False,
              jobdir: str | None = None, settings: dict | None = None, verbose: bool = False):
    import logging

    from crawler.run import crawl
    for handler in logging.getLogger().handlers:     # Scrapy lowers the root level: keep the terminal quiet
        handler.setLevel(logging.INFO if verbose else logging.CRITICAL)   # errors are in the summary and the store
    settings = {**(settings or {}), **({} if verbose else {"LOG_ENABLED": False})}
    board = ProgressBoard([s.name for s in sources])
    with Live(board.table(), console=console, refresh_per_second=4, transient=False) as live:
        stop = threading.Event()

        def redraw() -> None:
            while not stop.wait(0.25):
                live.update(board.table())
        painter = threading.Thread(target=redraw, daemon=True)
        painter.start()
        try:
            results = crawl(sources, db_url=db_url, trigger=trigger, refresh=refresh, max_articles=max_articles,
                            discover=discover, jobdir=jobdir, progress=board, settings=settings,
                            log_level="INFO" if verbose else "ERROR")
        finally:
            stop.set()
            painter.join()
        for r in results:
            board.rows[r.source] = (r.status, r.counts)
        live.update(board.table())
    return results


def _print_notes(console: Console, results) -> None:
    console.print()
    for r in results:
        if r.message:
            style = STATUS_STYLE.get(r.status, "")
            console.print(f"[{style}]{r.source}[/]: {r.message}", soft_wrap=True, highlight=False)


# --- pantau crawl -------------------------------------------------------------------------------------------------

@app.command()
def crawl(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[SOURCE]...", help="Sources to crawl "
                                                         "(default: every enabled source).")] = None,
    sources: SourcesOption = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Crawl an outlet that is not in the sources file.")] = None,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", help="With --site: an RSS/Atom feed URL.")] = None,
    sitemap: Annotated[Optional[list[str]], typer.Option("--sitemap", help="With --site: a sitemap URL.")] = None,
    listing: Annotated[Optional[list[str]], typer.Option("--listing", help="With --site: a listing page URL.")] = None,
    max_articles: Annotated[Optional[int], typer.Option("--max-articles", min=1, max=MAX_ID, help="Article pages per source at most.")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Download stored articles again.")] = False,
    jobdir: Annotated[Optional[str], typer.Option("--jobdir", help="Keep pending requests here (resumable).")] = None,
    delay: Annotated[Optional[float], typer.Option("--delay", min=0, help="With --site: seconds between requests.")] = None,
    ingest_workers: Annotated[Optional[str], typer.Option("--ingest-workers", metavar="N|auto", help=(
        "Processes that extract, tag and store articles: a number, 0 (in the crawl process) or auto (one per CPU, "
        "at most 4). Default: $PANTAU_INGEST_WORKERS, else auto."))] = None,
    db: DbOption = None,
) -> None:
    """Crawl outlets, process every new article (extract, tag) and store it."""
    from store.runs import FAILED_STATUSES
    from crawler.ingest_worker import worker_count
    from crawler.run import site_source
    console = Console()
    try:
        if site:
            if names:
                raise SourcesError("give either SOURCE names or --site, not both")
            chosen = [site_source(site, feeds=feed or [], sitemaps=sitemap or [], listings=listing or [],
                                  max_articles=max_articles, delay=1.0 if delay is None else delay)]
            discover = not (feed or sitemap or listing)
        else:
            if feed or sitemap or listing:
                raise SourcesError("--feed, --sitemap and --listing go with --site")
            chosen = select_sources(load_sources(sources), names)
            discover = False
            if not chosen:
                raise SourcesError("no enabled source in the sources file")
        workers = worker_count(ingest_workers)
    except (SourcesError, ValueError) as exc:
        raise fail(str(exc), 2)
    store = open_store(db)
    url = store.url
    store.dispose()
    verbose = _verbose()
    results = run_crawl(chosen, db_url=url, console=console, max_articles=max_articles, refresh=refresh,
                        discover=discover, jobdir=jobdir, verbose=verbose, settings={"INGEST_WORKERS": workers})
    _print_notes(console, results)
    bad = [f"{r.source} ({r.status})" for r in results if r.status in FAILED_STATUSES]
    if bad:
        raise fail(f"{len(bad)} of {len(results)} source(s) could not be crawled: {', '.join(bad)}", 1)


def _verbose() -> bool:
    import logging
    return logging.getLogger().getEffectiveLevel() <= logging.INFO


# --- pantau demo ----------------------------------------------------------------------------------------------------

@app.command()
def demo(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", help="First port for the simulated outlets (0: any free).")] = 0,
) -> None:
    """Crawl the bundled simulated outlets on 127.0.0.1 into a fresh database and show what an analyst sees.
    Entirely offline."""
    from lab.simulator import DEMO_SITES, Simulator
    console = Console()
    workdir = Path(tempfile.mkdtemp(prefix="pantau-demo-"))
    db_url = db or f"sqlite:///{workdir / 'demo.db'}"
    store = open_store(db_url)
    store.dispose()
    with Simulator([*DEMO_SITES, "tembok"], port=port) as sim:
        console.print("Simulated outlets on 127.0.0.1: " + ", ".join(f"{s.outlet} ({s.base})" for s in sim.sites.values()),
                      highlight=False)
        sources = select_sources(load_sources(sim.write_sources(workdir / "sources.toml")), None)
        results = run_crawl(sources, db_url=db_url, console=console, trigger="demo", verbose=_verbose(),
                            settings={"PANTAU_RETRY_BACKOFF": 0.2})
    _print_notes(console, results)
    store = open_store(db_url)
    try:
        print_report(console, store)
    finally:
        store.dispose()
    console.print(f"\nDatabase: {db_url}\nTry: pantau show 1 --db {db_url}", highlight=False, soft_wrap=True)


def print_report(console: Console, store, limit: int = 10) -> None:
    """What an analyst sees after a crawl: articles, officials, flagged breaches."""
    import textwrap

    from sqlalchemy import case
    from sqlmodel import func, select

    from store.models import Article, ArticleOfficial, Flag, Official
    with store.session() as s:
        total = s.exec(select(func.count()).select_from(Article)).one()
        relevant = s.exec(select(func.count()).select_from(Article).where(Article.relevant)).one()
        per_source = s.exec(select(Article.source, func.count(), func.sum(case((Article.relevant, 1), else_=0)))
                            .group_by(Article.source).order_by(Article.source)).all()
        flagged = s.exec(select(Article.id, Article.source, Article.article_type, Article.title, func.count(Flag.id))
                         .join(Flag, Flag.article_id == Article.id).group_by(Article.id)
                         .order_by(func.count(Flag.id).desc(), Article.id).limit(limit)).all()
        officials = s.exec(select(Official.name, ArticleOfficial.title, func.count(ArticleOfficial.article_id))
                           .join(ArticleOfficial, ArticleOfficial.official_id == Official.id)
                           .group_by(Official.name, ArticleOfficial.title)
                           .order_by(func.count(ArticleOfficial.article_id).desc(), Official.name).limit(limit)).all()
        breaches = s.exec(select(Flag.category, Flag.modality, func.count()).group_by(Flag.category, Flag.modality)
                          .order_by(func.count().desc(), Flag.category)).all()
        examples = s.exec(select(Flag.category, Flag.modality, Flag.sentence, Article.source)
                          .join(Article, Article.id == Flag.article_id).where(Flag.modality == "alleged")
                          .order_by(Flag.id).limit(5)).all()
    console.print(f"\n[bold]Articles[/]: {relevant} of {total} stored are about election neutrality "
                  f"({'; '.join(f'{src}: {int(rel or 0)} of {n}' for src, n, rel in per_source)})", soft_wrap=True)
    table = Table(title="Most flagged articles", title_justify="left")
    for col in ("id", "source", "type", "flags", "title"):
        table.add_column(col, overflow="fold")
    for aid, src, kind, title, n in flagged:
        table.add_row(str(aid), src or "-", kind, str(n), title or "-")
    console.print(table)
    table = Table(title="Officials named", title_justify="left")
    for col in ("name", "title", "articles"):
        table.add_column(col)
    for name, title, n in officials:
        table.add_row(name, title, str(n))
    console.print(table)
    table = Table(title="Flagged breaches", title_justify="left")
    for col in ("category", "modality", "flags"):
        table.add_column(col)
    for category, modality, n in breaches:
        table.add_row(category, f"[{MODALITY.get(modality, '')}]{modality}[/]", str(n))
    console.print(table)
    for category, modality, sentence, src in examples:
        console.print(f"  [{MODALITY.get(modality, '')}]{category} ({modality})[/] [dim]{src}[/]: "
                      f"{textwrap.shorten(sentence, 150, placeholder=' …')}", soft_wrap=True, highlight=False)


MODALITY = {"alleged": "bold red", "prohibition": "yellow", "denied": "green"}


# --- pantau sources list / check --------------------------------------------------------------------------------------

@sources_app.command("list")
def sources_list(sources: SourcesOption = None, db: DbOption = None) -> None:
    """The sources in the file, with their last crawl when the database has one."""
    try:
        items = load_sources(sources)
    except SourcesError as exc:
        raise fail(str(exc), 2)
    last = {}
    try:
        from store.runs import last_runs_by_source
        store = open_store(db)
        last = last_runs_by_source(store)
        store.dispose()
    except (typer.Exit, Exception):  # noqa: BLE001 - listing the file must work without a database
        pass
    table = Table(title=f"Sources ({sources or default_sources_path()})", title_justify="left")
    for col in ("name", "on", "region", "feeds", "sitemaps", "listings", "every", "last crawl"):
        table.add_column(col)
    for s in items:
        region = ", ".join(x for x in (s.regency, s.province) if x) or "national"
        run = last.get(s.name)
        last_text = "-"
        if run is not None:
            style = STATUS_STYLE.get(run.status, "")
            last_text = f"[{style}]{run.status}[/] {run.started_at:%Y-%m-%d %H:%M} +{run.new} new"
        table.add_row(s.name, "yes" if s.enabled else "[dim]no[/]", region, str(len(s.feeds)), str(len(s.sitemaps)),
                      str(len(s.listings)), s.cron or f"{s.interval} min", last_text)
    Console().print(table)


@sources_app.command("check")
def sources_check(
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[SOURCE]...", help="Sources to check (default: all).")] = None,
    sources: SourcesOption = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 15.0,
) -> None:
    """Validate the sources file, then fetch every feed, sitemap and listing URL and say what answers."""
    from crawler.check import check_sources
    try:
        items = load_sources(sources)
        chosen = select_sources(items, names) if names else items
    except SourcesError as exc:
        raise fail(str(exc), 2)
    console = Console()
    console.print(f"{len(items)} sources, file valid. Checking {len(chosen)} source(s)...", highlight=False)
    table = Table(title_justify="left")
    for col in ("source", "kind", "url", "result"):
        table.add_column(col, overflow="fold")
    problems = 0
    for result in check_sources(chosen, timeout=timeout):
        problems += not result.ok
        style = "green" if result.ok else ("bold red" if result.blocked else "red")
        table.add_row(result.source, result.kind, result.url, f"[{style}]{result.summary}[/]")
    console.print(table)
    console.print(f"{problems} problem(s)." if problems else "All URLs answer as expected.", highlight=False)
    if problems:
        raise typer.Exit(1)
