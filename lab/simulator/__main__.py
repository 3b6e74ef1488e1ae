"""python -m lab.simulator [--port N] [--sites a,b] [--articles SITE=N ...] [--heavy a,b] [--sources FILE]"""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from lab.simulator import SITES, Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.simulator",
                                     description="Serve the simulated Indonesian news outlets on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="first port (one per site, consecutive); 0 = any free")
    parser.add_argument("--sites", default=",".join(SITES), help=f"comma-separated, from: {', '.join(SITES)}")
    parser.add_argument("--articles", action="append", default=[], metavar="SITE=N", help="articles on a site")
    parser.add_argument("--heavy", default="", metavar="SITE,SITE",
                        help="sites whose article pages have a real outlet's weight (60-150 KB)")
    parser.add_argument("--sources", help="write a sources file for the running sites here")
    args = parser.parse_args(argv)
    sites: dict[str, int | None] = {name.strip(): None for name in args.sites.split(",") if name.strip()}
    for spec in args.articles:
        name, _, count = spec.partition("=")
        if name not in sites or not count.isdigit():
            parser.error(f"--articles {spec!r}: expected SITE=N with SITE among --sites")
        sites[name] = int(count)
    try:
        sim = Simulator(sites, port=args.port,
                        heavy=[n.strip() for n in args.heavy.split(",") if n.strip()]).start()
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    for name, site in sim.sites.items():
        print(f"{name:10} {site.base}/  {site.outlet} ({len(site.articles)} articles)", flush=True)
    if args.sources:
        sim.write_sources(args.sources)
        print(f"sources file: {args.sources}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
