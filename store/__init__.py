"""Where articles, tags, reviews and crawl history live (SQLModel on SQLite or PostgreSQL)."""
from store.db import Store, default_database_url

__all__ = ["Store", "default_database_url"]
