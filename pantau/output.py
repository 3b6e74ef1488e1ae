"""Output files written whole or not at all: rows go to a temporary file beside the target, renamed over it only
when everything was written. A bad kind, a failed query or a full disk leaves the old file as it was."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO


class OutputError(OSError):
    """The output file cannot be written; the message says why and what to do."""


def check_output_path(path: str | os.PathLike) -> Path:
    """Fail early (before any query runs) on a target that cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder; give a file name, e.g. {target / 'export.csv'}")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {target.parent} does not exist; create it first")
    return target


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[TextIO]:
    """A text file to write; on success it replaces `path`, on any error it is removed and `path` is untouched."""
    target = check_output_path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}; nothing written "
                          f"({'the old file is unchanged' if target.exists() else 'no file made'})") from exc
    except BaseException:
        _remove(tmp)
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less the umask)."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
