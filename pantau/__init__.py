"""Pantau's command line: `pantau` (cli.py) and its commands (commands/). Nothing else lives here."""
from ingest.http import VERSION as __version__

__all__ = ["__version__"]
