"""The real `pantau` command in a subprocess, and what a user must see when something is wrong: one line."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]


def pantau(*args: str, stdin: bytes | None = None, env: dict | None = None, timeout: float = 120,
           preexec_fn=None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `pantau ARGS` as a user would (a fresh interpreter), capturing bytes."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "160", **(env or {})}
    return subprocess.run([sys.executable, "-m", "pantau.cli", *args], input=stdin, capture_output=True,
                          env=full_env, timeout=timeout, preexec_fn=preexec_fn, cwd=cwd or ROOT)


def error_line(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a failed command (asserting there is exactly one, and no traceback)."""
    err = result.stderr.decode("utf-8", "replace")
    lines = [line for line in err.splitlines() if line.strip()]
    assert result.returncode != 0, f"exit 0; stderr: {err!r}"
    assert "Traceback" not in err, err
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
    assert lines[0].startswith("pantau: error: "), lines[0]
    return lines[0]


def file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def snapshot(store) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: equal before and after means nothing changed."""
    from sqlmodel import SQLModel
    out = {}
    with store.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows))
    return out
