"""A local news-site simulator for tests, benchmarks and `pantau demo`: several outlets in real shapes, each on
its own port of 127.0.0.1, serving Indonesian articles written for Pantau (texts.toml).

    with Simulator() as sim:                 # or: python -m lab.simulator --port 8400
        sim.write_sources(path)              # a sources file for the simulated outlets
        sim.sites["tribun"].hits_of("article")
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lab.simulator.sites import SITES, Hit, Reply, Site

__all__ = ["Simulator", "Site", "Hit", "Reply", "SITES"]

DEMO_SITES = ("priangan", "tribun", "jpnn", "timex")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            reply = site.handle(self.path, self.headers)
            if reply.delay:
                time.sleep(reply.delay)
            self._server_header = reply.headers.get("Server")
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                if key != "Server":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            try:
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

        def version_string(self):
            return getattr(self, "_server_header", None) or super().version_string()

    return Handler


class Simulator:
    """Start the chosen sites (name -> article count, or the defaults) on 127.0.0.1; `heavy` names the sites
    whose article pages carry a real outlet's weight of menus, scripts, ads and lists (lab/simulator/chrome.py)."""

    def __init__(self, sites: dict[str, int | None] | list[str] | None = None, *, port: int = 0,
                 host: str = "127.0.0.1", heavy: tuple[str, ...] | list[str] = ()) -> None:
        if sites is None:
            sites = {name: None for name in SITES}
        elif not isinstance(sites, dict):
            sites = {name: None for name in sites}
        unknown = set(sites) - set(SITES)
        if unknown:
            raise ValueError(f"unknown simulated site(s): {sorted(unknown)} (known: {sorted(SITES)})")
        self.sites: dict[str, Site] = {name: SITES[name](count) if count else SITES[name]()
                                       for name, count in sites.items()}
        for name in heavy:                   # article pages of real weight (60-150 KB, as real outlets serve)
            if name not in self.sites:
                raise ValueError(f"heavy pages for {name!r}: not among the started sites {sorted(self.sites)}")
            self.sites[name].heavy = True
        self.host, self.first_port = host, port
        self._servers: list[tuple[_Server, threading.Thread]] = []

    def start(self) -> "Simulator":
        for i, site in enumerate(self.sites.values()):
            server = _Server((self.host, self.first_port + i if self.first_port else 0), _handler(site))
            site.base = f"http://{self.host}:{server.server_address[1]}"
            thread = threading.Thread(target=server.serve_forever, name=f"sim-{site.name}", daemon=True)
            thread.start()
            self._servers.append((server, thread))
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def source_names(self) -> list[str]:
        return [f"sim-{name}" for name in self.sites]

    def sources_toml(self, *, delay: float = 0.0, concurrency: int = 8, retry_friendly: bool = True) -> str:
        """A sources file for the running sites (names sim-<site>), polite settings relaxed for 127.0.0.1."""
        lines = ["# Simulated outlets on 127.0.0.1 (lab.simulator)", "[defaults]", f"delay = {delay}",
                 f"concurrency = {concurrency}", "download_timeout = 10", "interval = 5", ""]
        for name, site in self.sites.items():
            entry = {"name": f"sim-{name}", "base_url": site.base + "/", **site.source_entry()}
            lines.append("[[source]]")
            for key, value in entry.items():
                lines.append(f"{key} = {_toml(value)}")
            lines.append(f'notes = "{site.outlet}: {type(site).__doc__ or type(site).__name__}"'
                         if False else f'notes = "{site.outlet} (simulated)"')
            lines.append("")
        return "\n".join(lines)

    def write_sources(self, path: str | Path, **kwargs) -> Path:
        path = Path(path)
        path.write_text(self.sources_toml(**kwargs), encoding="utf-8")
        return path


def _toml(value) -> str:
    if isinstance(value, str):
        return "'" + value + "'" if "\\" in value else '"' + value + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"
