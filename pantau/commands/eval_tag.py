"""`pantau eval tag FILE.jsonl`: how well the tagger reads labelled articles (type, roles, officials, breaches)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pantau.options import fail

app = typer.Typer()


@app.command("tag")
def eval_tag(
    path: Annotated[Path, typer.Argument(help="Labelled articles, one JSON object a line (the format of "
                                              "shared/eval/neutrality-dev/labels.jsonl).")],
    worst: Annotated[int, typer.Option("--worst", help="How many of the worst articles to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a target is missed.")] = False,
) -> None:
    """Article-type accuracy and macro-F1; P/R/F1 for roles, officials, accused, breaches and prohibitions;
    the targets; the worst articles; then each field on the development part (even id numbers), the held-out
    part (odd) and the gap between them, and the tagger's words/second."""
    from lab.eval_tag import SPLIT_RULE, TARGETS, LabelsError, format_report, format_split, run

    try:
        split, version = run(path)
    except LabelsError as exc:
        raise fail(str(exc), 2)
    report = split.all
    figures = split.figures()
    if as_json:
        worst_list = [{"id": a.id, "errors": a.errors, "gold_type": a.gold_type, "type": a.pred_type,
                       "diffs": {k: {"missed": v[0], "spurious": v[1]} for k, v in a.diffs.items()}}
                      for a in report.worst(worst)]
        sys.stdout.write(json.dumps({"tagger_version": version, "articles": report.n, "split": SPLIT_RULE,
                                     "figures": figures, "targets": TARGETS, "worst": worst_list},
                                    ensure_ascii=False) + "\n")
    else:
        typer.echo(format_report(report, worst=worst, tagger_version=version))
        typer.echo("")
        typer.echo(format_split(split))
    if check and any(figures[k] < v for k, v in TARGETS.items()):
        raise typer.Exit(1)
