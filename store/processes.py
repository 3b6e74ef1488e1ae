"""Is a process still there? (For run records, the daemon's lock and crawl workers watching their crawl.)"""
from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True while `pid` runs; False once it has exited, including killed but not yet reaped by its parent
    (a zombie, read from /proc where there is one)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True
