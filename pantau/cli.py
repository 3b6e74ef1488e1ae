"""The `pantau` command: the groups of commands in pantau/commands/, gathered on one app.

Each command module declares its own `app`; importing one loads no model (spaCy, trafilatura and Scrapy are
imported inside the commands that need them)."""
from __future__ import annotations

import logging
import os
from typing import Annotated

import typer

from pantau.commands import articles, crawl, daemon, desk, evaluate, worker, export, officials, query, retag, review, stats
from pantau.options import OneLineTyper

SHORT_OPTIONS = ("Short options mean the same in every command: -o --output, -f --format, -n --limit, -t --text, "
                 "-r --role, -c --category, -m --modality, -p --province, -s --status, -d --dir, -v --verbose.")

app = OneLineTyper(help=f"Pantau: news monitoring for Indonesian election neutrality.\n\n{SHORT_OPTIONS}", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


for _group in (articles, crawl, daemon, query, review, officials, export, stats, retag, desk, evaluate, worker):
    app.registered_commands += _group.app.registered_commands
    app.registered_groups += _group.app.registered_groups

if __name__ == "__main__":
    app()
