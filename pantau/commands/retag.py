"""`pantau retag`: the current tagger over stored articles; review decisions stay attached."""
from datetime import datetime
from typing import Annotated

import typer

from pantau.analyst_options import with_filters
from pantau.analyst_run import run_guarded
from pantau.options import DbOption, open_store
from store.filters import Filters
from store.limits import MAX_ID

app = typer.Typer()


@app.command()
@with_filters
def retag(
    force: Annotated[bool, typer.Option("--force", help="Also articles already tagged by the current "
                                         "tagger version.")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, max=MAX_ID, help="Articles per transaction.")] = 100,
    db: DbOption = None,
    *,
    filters: Filters,
) -> None:
    """Re-run the current tagger over stored articles (all, or filtered); review decisions stay attached."""
    from extract.tagging import TAGGER_VERSION, get_tagger
    from store.retag import retag as run_retag
    store = open_store(db)
    tagger = get_tagger()
    version = getattr(tagger, "version", None) or TAGGER_VERSION

    def progress(done: int, total: int) -> None:
        typer.echo(f"\rretagged {done}/{total}", err=True, nl=done == total)

    started = datetime.now()
    report = run_guarded(lambda: run_retag(store, tagger, filters, version=version, force=force, batch=batch,
                                    progress=progress))
    seconds = (datetime.now() - started).total_seconds()
    typer.echo(f"Tagger {report.version}: {report.retagged} of {report.selected} selected articles retagged "
               f"in {seconds:.1f}s; flags {report.flags_before} -> {report.flags_after}.")
    if not report.selected and not force:
        typer.echo("Every matching article is already tagged by this version (--force to redo).")
    if report.decisions_attached or report.decisions_detached:
        typer.echo(f"Review decisions: {report.decisions_attached} statements still flagged; "
                   f"{report.decisions_detached} no longer flagged (their decisions are kept, see "
                   "`pantau export reviews`).")
    for article_id, reason in report.failed:
        typer.echo(f"pantau: error: article {article_id} could not be tagged: {reason}", err=True)
    if report.failed:
        raise typer.Exit(1)
