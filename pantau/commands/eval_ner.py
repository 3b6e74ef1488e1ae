"""`pantau eval ner FILE_OR_DIR`: precision, recall and F1 per entity type of the NER on a CoNLL file."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from pantau.options import fail

app = typer.Typer()


@app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(help="A CoNLL file (`TOKEN [POS] TAG` lines, IOB tags), or a directory: "
                                              "its test.txt if it has one (IDNer2k layout), else all its "
                                              "*.txt/*.conll/*.iob files.")],
    model: Annotated[Optional[Path], typer.Option("--model", help="spaCy pipeline directory "
                                                  "(default: the shipped model).")] = None,
    tokens: Annotated[str, typer.Option("--tokens", help="gold: the file's tokens (the usual CoNLL figure); "
                                        "spacy: re-tokenize the text as articles are.")] = "gold",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score the NER against labelled CoNLL data: P/R/F1 per type and overall, and words/s."""
    from extract.ner import NerModelMissing, load_ner
    from lab.ner.conll import ConllError, conll_files, read_conll
    from lab.ner.scoring import evaluate

    if tokens not in ("gold", "spacy"):
        raise fail("--tokens must be 'gold' or 'spacy'", 2)
    try:
        files = [path / "test.txt"] if path.is_dir() and (path / "test.txt").is_file() else conll_files(path)
        sentences = [s for f in files for s in read_conll(f)]
    except ConllError as exc:
        raise fail(str(exc), 2)
    if not sentences:
        raise fail(f"{path}: no sentences", 2)
    try:
        nlp = load_ner(model)
    except (NerModelMissing, OSError, ValueError) as exc:
        raise fail(str(exc), 2)
    report = evaluate(nlp, sentences, tokens=tokens)
    report.files = [str(f) for f in files]
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"NER on {', '.join(report.files)} ({tokens} tokens)")
    for column in ("type", "P", "R", "F1", "gold"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for label, s in [*report.per_type.items(), ("overall", report.overall)]:
        table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support),
                      style="bold" if label == "overall" else None)
    console = Console()
    console.print(table)
    console.print(f"{report.sentences} sentences, {report.words} words in {report.seconds:.2f} s: "
                  f"{report.words_per_second:,.0f} words/s")
