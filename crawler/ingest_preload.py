"""Imported once by the ingest workers' fork server (crawler/ingest_worker.py): builds the tagger there, so every
worker forked from it starts at once and shares the model's memory instead of loading its own copy.

The fork server ignores SIGTERM and SIGINT, as the workers do: a daemon stopping a crawl signals its whole process
group, and the crawl process decides when the workers stop. (Were the fork server to die, the pool would take
every worker for dead and lose the outcomes of the articles they were storing.) It exits once the crawl process
and its workers have."""
import logging
import signal

for _sig in (signal.SIGTERM, signal.SIGINT):
    signal.signal(_sig, signal.SIG_IGN)

try:
    from extract.tagging import get_tagger

    get_tagger()
except Exception:  # noqa: BLE001 - each worker then builds its own (and reports the error there)
    logging.getLogger(__name__).exception("could not preload the tagger for the ingest workers")
