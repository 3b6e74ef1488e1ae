"""Is a process still there, and how much memory does it use with its children? (Run records, the daemon's lock, crawl
workers watching their crawl, the crawl engine's recycling.)"""
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


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, their children, ...), from /proc ([] where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    ppid = int(stat.read().rsplit(") ", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        kids = children.pop(todo.pop(), [])
        found += kids
        todo += kids
    return found


def tree_pss(pid: int) -> int:
    """Bytes of memory (PSS: shared pages split among their users) of a process and all its descendants, from
    /proc (0 where /proc has no smaps_rollup)."""
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                total += sum(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
        except (OSError, ValueError, IndexError):
            pass
    return total
