"""Alembic environment: runs on the connection Store.migrate() hands over (or on sqlalchemy.url)."""
from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import store.models  # noqa: F401 - registers the tables

target_metadata = SQLModel.metadata
config = context.config


def include_name(name, type_, _parent) -> bool:
    """Autogenerate leaves alone what migration 0002 made by hand: the SQLite FTS5 index (and its shadow
    tables), PostgreSQL's search_vector column and its hand-written indexes."""
    if type_ == "table":
        return not name.startswith("article_fts")
    if type_ == "column":
        return name != "search_vector"
    return not (type_ == "index" and name in ("ix_article_fts", "ix_article_published_desc",
                                              "ix_article_province_published", "ix_article_regency_published"))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()


run()
