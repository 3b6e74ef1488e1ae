"""The scheduling side of the long-lived crawl engine (crawler/engine.py): hands due outlets to it, at most
`in_flight` crawls at once (the others wait here, in order), and watches it.

The engine is recycled: after `recycle_after` crawls, or once its memory (PSS of the engine and its ingest workers)
passes `memory_mark`, a new engine process takes the next outlets while the old one finishes the crawls it has,
then exits. An engine that dies is started again; the crawls it had are recorded as interrupted and handed to the
new one (an outlet whose crawls killed two engines in a row is given up for this slot). Articles are keyed by URL,
so an outlet crawled again stores nothing twice and loses nothing.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from store import Store
from store.history import interrupt_runs

log = logging.getLogger("pantau.engine")


@dataclass
class _Engine:
    proc: subprocess.Popen
    handed: int = 0                               # crawls given to this process in its life
    crawls: dict[str, int | None] = field(default_factory=dict)     # in flight: source -> run id once started
    memory: int = 0
    draining: bool = False
    reader: threading.Thread | None = None         # reads its events; ends once its end is recorded


class EngineClient:
    def __init__(self, store: Store, sources_file: str | Path, *, trigger: str = "daemon", in_flight: int = 200,
                 recycle_after: int = 1000, memory_mark: int = 1200 * 2**20, run_timeout: float = 3600.0,
                 kill_grace: float = 15.0, ingest_workers: int | str | None = None,
                 log_level: str = "WARNING") -> None:
        self.store, self.sources_file, self.trigger = store, str(sources_file), trigger
        self.in_flight, self.recycle_after, self.memory_mark = max(1, in_flight), max(1, recycle_after), memory_mark
        self.run_timeout, self.kill_grace = run_timeout, kill_grace
        self.ingest_workers, self.log_level = ingest_workers, log_level
        self.waiting: deque[str] = deque()
        self.futures: dict[str, Future] = {}
        self.retried: set[str] = set()
        self.engines: list[_Engine] = []
        self.current: _Engine | None = None
        self.done = 0                                  # crawls finished, over all engines
        self.recycled = 0
        self.closing = False
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)

    # --- what the scheduler calls ------------------------------------------------------------------------------

    def submit(self, name: str) -> Future | None:
        """Crawl this outlet as soon as a crawl slot is free. None when it is already waiting or running (this slot
        is skipped). The future gets the run's outcome: a dict with source, run_id, status, new, updated, errors."""
        with self._lock:
            if self.closing or name in self.futures:
                return None
            future: Future = Future()
            self.futures[name] = future
            self.waiting.append(name)
            self._pump()
            return future

    def has(self, name: str) -> bool:
        """This outlet's last crawl still waits or runs here."""
        with self._lock:
            return name in self.futures

    def use_sources(self, path: str | Path) -> None:
        """A reloaded sources file: the running engines read it for their next crawls."""
        with self._lock:
            self.sources_file = str(path)
            for engine in self.engines:
                self._send(engine, {"sources": self.sources_file})

    def running(self) -> list[str]:
        with self._lock:
            return [name for engine in self.engines for name in engine.crawls]

    def stats(self) -> dict:
        with self._lock:
            return {"running": sum(len(e.crawls) for e in self.engines), "waiting": len(self.waiting),
                    "done": self.done, "engines": [e.proc.pid for e in self.engines], "recycled": self.recycled,
                    "memory": sum(e.memory for e in self.engines)}

    def join(self, timeout: float | None = None) -> bool:
        """Wait until nothing waits or runs; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self.futures, timeout)

    def close(self, grace: float = 60.0, now=None) -> None:
        """Stop: waiting outlets are dropped; running crawls are stopped (recorded as interrupted) and get `grace`
        seconds to end before their engine (and its ingest workers) is killed; at once when `now()` turns true
        (a second SIGTERM). Returns once every crawl's end is recorded."""
        import time
        with self._lock:
            self.closing = True
            for name in self.waiting:
                self._resolve(name, {"source": name, "run_id": None, "status": "skipped", "message": "shutting down"})
            self.waiting.clear()
            engines = list(self.engines)
            for engine in engines:
                self._send(engine, {"stop": True})
        deadline = time.monotonic() + grace
        for engine in engines:
            while engine.proc.poll() is None and time.monotonic() < deadline and not (now and now()):
                try:
                    engine.proc.wait(0.1)
                except subprocess.TimeoutExpired:
                    pass
            if engine.proc.poll() is None:
                log.warning("the crawl engine (pid %d) did not stop in time: killing it and its crawls",
                            engine.proc.pid)
                try:
                    os.killpg(engine.proc.pid, signal.SIGKILL)     # its own group: the ingest workers too
                except (ProcessLookupError, PermissionError):
                    engine.proc.kill()
                engine.proc.wait(10)
            if engine.reader is not None:
                engine.reader.join(10)                 # its crawls' ends are recorded

    # --- engines -----------------------------------------------------------------------------------------------

    def _pump(self) -> None:
        """Hand waiting outlets to the current engine while crawl slots are free (lock held)."""
        while self.waiting and not self.closing and sum(len(e.crawls) for e in self.engines) < self.in_flight:
            engine = self._engine()
            name = self.waiting.popleft()
            engine.crawls[name] = None
            engine.handed += 1
            self._send(engine, {"crawl": name})
            if engine.handed >= self.recycle_after:
                self._recycle(engine, f"{engine.handed} crawls")

    def _engine(self) -> _Engine:
        if self.current is None:
            self.current = self._start()
            self.engines.append(self.current)
        return self.current

    def _start(self) -> _Engine:
        from scheduling.launcher import _url_for_child
        db_url, env = _url_for_child(self.store.url)
        cmd = [sys.executable, "-m", "crawler.engine", "--db", db_url, "--sources", self.sources_file,
               "--trigger", self.trigger, "--run-timeout", str(self.run_timeout),
               "--kill-grace", str(self.kill_grace), "--log-level", self.log_level]
        if self.ingest_workers is not None:
            cmd += ["--ingest-workers", str(self.ingest_workers)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, **env, "PYTHONUNBUFFERED": "1"}, text=True, bufsize=1,
                                start_new_session=True)    # its own process group: signals come from us
        engine = _Engine(proc)
        engine.reader = threading.Thread(target=self._read, args=(engine,), name=f"engine-{proc.pid}", daemon=True)
        engine.reader.start()
        threading.Thread(target=_forward_log, args=(proc,), name=f"engine-log-{proc.pid}", daemon=True).start()
        log.info("crawl engine started (pid %d)", proc.pid)
        return engine

    def _recycle(self, engine: _Engine, why: str) -> None:
        if engine.draining:
            return
        engine.draining = True
        self.recycled += 1
        if engine is self.current:
            self.current = None
        log.info("recycling the crawl engine (pid %d) after %s: a new process takes the next crawls",
                 engine.proc.pid, why)
        self._send(engine, {"drain": True})

    def _send(self, engine: _Engine, message: dict) -> None:
        try:
            engine.proc.stdin.write(json.dumps(message) + "\n")
            engine.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass                                   # it is dying: _read sees its end and hands its crawls on

    def _read(self, engine: _Engine) -> None:
        for line in engine.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                self._on_event(engine, event)
        code = engine.proc.wait()
        with self._lock:
            self._ended(engine, code)

    def _on_event(self, engine: _Engine, event: dict) -> None:
        name = event.get("source")
        if event.get("event") == "started" and name in engine.crawls:
            engine.crawls[name] = event.get("run_id")
        elif event.get("event") == "done":
            engine.crawls.pop(name, None)
            engine.memory = event.get("memory") or engine.memory
            self.done += 1
            self.retried.discard(name)
            self._resolve(name, {k: v for k, v in event.items() if k != "event"})
            if engine.memory > self.memory_mark:
                self._recycle(engine, f"reaching {engine.memory / 2**20:.0f} MB")
            self._pump()

    def _ended(self, engine: _Engine, code: int) -> None:
        self.engines.remove(engine)
        if engine is self.current:
            self.current = None
        lost = dict(engine.crawls)
        if lost or (code != 0 and not self.closing):
            log.error("the crawl engine (pid %d) ended with status %s while crawling %d outlets%s", engine.proc.pid,
                      code, len(lost), "" if self.closing else ": they are crawled again by a new engine")
        message = "stopped by the daemon's shutdown" if self.closing else f"the crawl engine died (exit {code})"
        try:
            interrupt_runs(self.store, message, run_ids=[r for r in lost.values() if r is not None])
        except Exception as exc:  # noqa: BLE001 - the next daemon start closes them
            log.warning("cannot record the interrupted runs yet: %s", exc)
        for name in reversed(list(lost)):
            if self.closing or name in self.retried:
                self._resolve(name, {"source": name, "run_id": lost[name], "status": "interrupted",
                                     "message": message})
            else:
                self.retried.add(name)
                self.waiting.appendleft(name)
        self._pump()
        self._idle.notify_all()

    def _resolve(self, name: str, outcome: dict) -> None:
        future = self.futures.pop(name, None)
        if future is not None and not future.done():
            future.set_result(outcome)
        if not self.futures:
            self._idle.notify_all()


def _forward_log(proc: subprocess.Popen) -> None:
    """The engine's log lines (warnings and errors by default) go to ours."""
    crawl_log = logging.getLogger("pantau.crawl")
    for line in proc.stderr:
        if line.strip():
            crawl_log.info("[engine %d] %s", proc.pid, line.rstrip())
