"""`pantau eval ...`: measure extraction, NER and tagging against labelled data."""
from __future__ import annotations

import typer

from pantau.cli import app

eval_app = typer.Typer(help="Measure Pantau against labelled pages and articles.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for _name in ("eval_extract", "eval_ner", "eval_tag"):
    try:
        __import__(f"pantau.commands.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"pantau.commands.{_name}":
            raise
