"""Many small outlets from one 127.0.0.1 server, for the crawl engine's tests and benchmark: outlet N lives under
the path prefix /oN/ (a WordPress regional portal in shape: a feed of a few articles, article pages), with a polite
delay to keep in its sources entry. One outlet may hang (accepts, never answers) or fail (HTTP 500 everywhere).

    with Fleet(100, articles=3) as fleet:
        fleet.write_sources(path, delay=0.5)
        fleet.requests("o7")        # [(time, path, client port), ...] in arrival order

Every request is recorded with its arrival time and the client's port (one TCP connection belongs to one crawl),
so a test can check per-outlet delays and that no two crawls of one outlet overlapped.
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lab.simulator.sites import Reply, WordPressSite

ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\n"


class FleetOutlet(WordPressSite):
    """One small regional outlet: a feed and its articles, nothing else."""

    def __init__(self, name: str, articles: int, mode: str = "ok") -> None:
        self.name = name                       # seeds the articles: every outlet has its own
        self.outlet = f"Warta {name.upper()}"
        self.mode = mode                       # ok | hang | error
        super().__init__(articles)

    def source_entry(self) -> dict:
        return {"feeds": ["feed/"], "allow": [rf"^/{self.name}/berita/\d{{4}}/\d{{2}}/\d{{2}}/[^/]+/?$"],
                "province": "Jawa Barat"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


class Fleet:
    """`outlets` outlets named o1..oM on one port of 127.0.0.1."""

    def __init__(self, outlets: int, *, articles: int = 3, hang: tuple[str, ...] = (), error: tuple[str, ...] = (),
                 hang_seconds: float = 300.0, host: str = "127.0.0.1") -> None:
        names = [f"o{i}" for i in range(1, outlets + 1)]
        self.outlets = {n: FleetOutlet(n, articles, "hang" if n in hang else "error" if n in error else "ok")
                        for n in names}
        self.host, self.hang_seconds = host, hang_seconds
        self.log: dict[str, list[tuple[float, str, int]]] = {n: [] for n in names}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self.base = ""

    # --- serving ---------------------------------------------------------------------------------------------

    def start(self) -> "Fleet":
        self._server = _Server((self.host, 0), _handler(self))
        self.base = f"http://{self.host}:{self._server.server_address[1]}"
        for name, outlet in self.outlets.items():
            outlet.base = f"{self.base}/{name}"
        threading.Thread(target=self._server.serve_forever, name="fleet", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Fleet":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reply(self, path: str, headers, port: int) -> Reply:
        arrived = time.time()
        name, _, rest = path.lstrip("/").partition("/")
        if path == "/robots.txt":
            return Reply(200, ROBOTS, {"Content-Type": "text/plain"}, "robots")
        outlet = self.outlets.get(name)
        if outlet is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"}, "missing")
        with self._lock:
            self.log[name].append((arrived, "/" + rest, port))
        if outlet.mode == "hang":
            return Reply(200, b"", {"Content-Type": "text/html"}, "hang", delay=self.hang_seconds)
        if outlet.mode == "error":
            return Reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                         {"Content-Type": "text/html; charset=UTF-8"}, "error")
        return outlet.handle("/" + rest, headers)

    # --- what tests read -----------------------------------------------------------------------------------------

    def requests(self, name: str) -> list[tuple[float, str, int]]:
        with self._lock:
            return sorted(self.log[name])

    def expected_articles(self, names=None) -> set[str]:
        return {url for n in (names or self.outlets) for url in self.outlets[n].expected_articles()}

    def sources_toml(self, *, delay: float = 0.5, concurrency: int = 1, interval: int = 30,
                     download_timeout: int = 10, timeout: int | None = None) -> str:
        lines = ["# Simulated outlets of one fleet on 127.0.0.1 (lab.simulator.fleet)", "[defaults]",
                 f"delay = {delay}", f"concurrency = {concurrency}", f"download_timeout = {download_timeout}",
                 f"interval = {interval}", *( [f"timeout = {timeout}"] if timeout else []), ""]
        for name, outlet in self.outlets.items():
            entry = outlet.source_entry()
            lines += ["[[source]]", f'name = "fleet-{name}"', f'base_url = "{outlet.base}/"',
                      f'feeds = ["{entry["feeds"][0]}"]', f"allow = ['{entry['allow'][0]}']",
                      f'province = "{entry["province"]}"', ""]
        return "\n".join(lines)

    def write_sources(self, path: str | Path, **kwargs) -> Path:
        path = Path(path)
        path.write_text(self.sources_toml(**kwargs), encoding="utf-8")
        return path


def _handler(fleet: Fleet):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            reply = fleet.reply(self.path, self.headers, self.client_address[1])
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):     # the crawler gave up on this request
                self.close_connection = True

        def log_message(self, *args):
            pass

    return Handler
