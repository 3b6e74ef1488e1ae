"""Pantau's command line: `pantau` (cli.py) and its commands (commands/). Nothing else lives here."""

__all__ = ["__version__"]


def __getattr__(name: str):
    """`pantau.__version__`, read from the installed package only when asked for (it costs a metadata scan)."""
    if name == "__version__":
        from ingest.http import VERSION
        return VERSION
    raise AttributeError(name)
