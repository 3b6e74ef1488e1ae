"""`pantau eval ...`: measure extraction, NER and tagging against labelled data."""
from __future__ import annotations

import typer

from pantau.commands import eval_extract, eval_ner, eval_tag

eval_app = typer.Typer(help="Measure Pantau against labelled pages and articles.", no_args_is_help=True)
for _part in (eval_extract, eval_ner, eval_tag):
    eval_app.registered_commands += _part.app.registered_commands

app = typer.Typer()
app.add_typer(eval_app, name="eval")
