"""Retrain Pantau's NER: `python -m lab.train_ner --data DIR --out DIR`.

DIR holds IDNer2k-style CoNLL files train.txt and dev.txt (`TOKEN POS TAG`, IOB tags PER/ORG/LOC);
test.txt is never read. The result is a spaCy pipeline directory (load it with extract.ner.load_ner(DIR)).
"""
from __future__ import annotations

import argparse
import logging
import sys

from extract.ner import MODEL_DIR
from lab.ner.conll import ConllError
from lab.ner.training import CONFIG, train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.train_ner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="directory with train.txt and dev.txt")
    parser.add_argument("--out", default=str(MODEL_DIR), help=f"model directory to write (default: {MODEL_DIR})")
    parser.add_argument("--config", default=str(CONFIG), help="spaCy training config (default: the shipped one)")
    parser.add_argument("--early-stop", choices=("holdout", "dev"), default="holdout",
                        help="holdout: train on train+dev less a held-out share used to pick the best model "
                             "(default); dev: train on train.txt only and pick on dev.txt (for tuning)")
    parser.add_argument("--holdout", type=float, default=0.1, help="held-out share for --early-stop holdout")
    parser.add_argument("--no-domain", action="store_true", help="leave out Pantau's own domain sentences")
    parser.add_argument("--augment", type=int, default=0, metavar="N",
                        help="add N mention-replaced copies of the training sentences (default 0)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, help="override training.max_steps")
    parser.add_argument("--eval-frequency", type=int, help="override training.eval_frequency")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="any other config override, e.g. --set training.dropout=0.2 (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        overrides = dict(_parse_override(item) for item in args.set)
        out = train(args.data, args.out, config=args.config, early_stop=args.early_stop, holdout=args.holdout,
                    seed=args.seed, domain=not args.no_domain, augment=args.augment, max_steps=args.max_steps,
                    eval_frequency=args.eval_frequency, overrides=overrides)
    except (ConllError, ValueError) as exc:
        print(f"train_ner: error: {exc}", file=sys.stderr)
        return 2
    print(f"model written to {out}")
    return 0


def _parse_override(item: str) -> tuple[str, object]:
    import srsly

    key, sep, value = item.partition("=")
    if not sep or not key:
        raise ValueError(f"--set expects KEY=VALUE, got {item!r}")
    try:
        return key, srsly.json_loads(value)
    except ValueError:
        return key, value


if __name__ == "__main__":
    sys.exit(main())
