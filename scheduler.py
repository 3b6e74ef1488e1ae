"""`python scheduler.py [OPTIONS]` (or `python -m scheduler`) is `pantau daemon [OPTIONS]`.

The daemon itself is scheduling.daemon. The job store names its functions by text ("scheduler:run_source",
"scheduler:prune_job", "scheduler:digest_job"), so they stay importable from here for jobs stored by any release."""
from __future__ import annotations

import sys

from scheduling.daemon import digest_job, prune_job, run_source

__all__ = ["digest_job", "main", "prune_job", "run_source"]


def main(argv: list[str] | None = None) -> int:
    from pantau.cli import app
    try:
        app(args=["daemon", *(sys.argv[1:] if argv is None else argv)], prog_name="scheduler.py")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    import scheduler  # the module the job store names, not a second __main__ copy
    sys.exit(scheduler.main())
