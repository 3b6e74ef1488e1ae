"""Imported once by the ingest workers' fork server (crawler/ingest_worker.py): builds the tagger there, so every
worker forked from it starts at once and shares the model's memory instead of loading its own copy."""
import logging

try:
    from extract.tagging import get_tagger

    get_tagger()
except Exception:  # noqa: BLE001 - each worker then builds its own (and reports the error there)
    logging.getLogger(__name__).exception("could not preload the tagger for the ingest workers")
