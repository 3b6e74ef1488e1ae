"""`pantau eval extract DIR`: body precision/recall/F1, titles, dates and authors on labelled pages."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from pantau.options import fail

app = typer.Typer()


@app.command("extract")
def eval_extract(
    folder: Annotated[str, typer.Argument(help="Pages with references: html/*.html.gz + ground-truth.json, "
                                               "or one <page>.html + <page>.json per page.")],
    compare_trafilatura: Annotated[bool, typer.Option("--compare-trafilatura",
                                                      help="Also score bare trafilatura and print the difference.")] = False,
    worst: Annotated[int, typer.Option("--worst", help="How many worst pages to list.")] = 10,
    holdout: Annotated[int, typer.Option("--holdout", help="Also score the development part and the held-out "
                                         "part (every Nth page by sorted name) apart.")] = 0,
) -> None:
    """Score Pantau's extraction against reference pages."""
    from lab.eval_extract import EvaluationError, run

    if holdout == 1 or holdout < 0:
        raise fail("--holdout N needs N >= 2 (every Nth page by name is held out)", 2)
    try:
        _, _, text = run(folder, compare_trafilatura=compare_trafilatura, worst=worst, holdout=holdout)
    except (EvaluationError, OSError, json.JSONDecodeError) as exc:
        raise fail(str(exc), 2)
    typer.echo(text)
