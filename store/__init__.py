"""Where articles, tags, reviews and crawl history live (SQLModel on SQLite or PostgreSQL)."""

__all__ = ["Store", "default_database_url"]


def __getattr__(name: str):
    """`from store import Store` loads SQLModel only when asked: store.filters & co. stay light for the CLI."""
    if name in __all__:
        from store import db
        return getattr(db, name)
    raise AttributeError(name)
