"""Speed (words/s on one core) and quality of the shipped NER.

    /work/venv/bin/python bench/bench_ner.py [--model DIR] [--data ../shared/data/idner2k] [--words 60000]

Speed: the whole pipeline (tokenizer + ner) over running sentences with nlp.pipe, pinned to one CPU core,
best of 3 passes, as words per second of wall-clock time and per second of CPU time (the CPU figure is the
one to trust on a busy, shared machine). Text: IDNer2k test sentences when the data is there, else Pantau's own domain sentences.
Quality: P/R/F1 per type on IDNer2k test.txt (gold tokens and spaCy tokens), only when the data is there.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "idner2k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="pipeline directory (default: the shipped model)")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="IDNer2k directory (for test.txt)")
    parser.add_argument("--words", type=int, default=60000, help="words per timed pass")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from extract.ner import load_ner
    from lab.ner.conll import read_conll
    from lab.ner.domain import domain_sentences
    from lab.ner.scoring import evaluate

    start = time.perf_counter()
    nlp = load_ner(args.model)
    load_s = time.perf_counter() - start
    model_dir = Path(args.model) if args.model else __import__("extract.ner", fromlist=["MODEL_DIR"]).MODEL_DIR
    size = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file())
    print(f"model {model_dir}: {size / 1e6:.1f} MB on disk, loaded in {load_s:.1f} s, pipes {nlp.pipe_names}")

    test = Path(args.data) / "test.txt"
    sentences = read_conll(test) if test.is_file() else domain_sentences(seed=1)
    source = f"IDNer2k {test.name}" if test.is_file() else "Pantau domain sentences (IDNer2k not found)"
    texts = [s.text for s in sentences]
    words_per_copy = sum(len(s.words) for s in sentences)
    texts = texts * max(1, -(-args.words // words_per_copy))
    list(nlp.pipe(texts[:200]))                       # warm up
    best_wall = best_cpu = 0.0
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        words = sum(sum(1 for t in doc if not t.is_space) for doc in nlp.pipe(texts, batch_size=256))
        best_wall = max(best_wall, words / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, words / (time.process_time() - cpu))
    print(f"speed, one core, tokenizer + ner on {source}: {best_wall:,.0f} words/s wall-clock, "
          f"{best_cpu:,.0f} words/s of CPU time ({words:,} words a pass, best of 3)")

    if test.is_file():
        for tokens in ("gold", "spacy"):
            r = evaluate(nlp, sentences, tokens=tokens)
            types = "  ".join(f"{k} P {v.precision:.3f} R {v.recall:.3f} F1 {v.f1:.3f}" for k, v in r.per_type.items())
            print(f"IDNer2k test ({tokens} tokens): P {r.overall.precision:.3f} R {r.overall.recall:.3f} "
                  f"F1 {r.overall.f1:.3f} | {types}")
    else:
        print(f"F1: skipped ({test} not found)")


if __name__ == "__main__":
    main()
