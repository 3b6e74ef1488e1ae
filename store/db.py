"""Engine, migrations and sessions. SQLite (embedded default, WAL) or PostgreSQL, by URL."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

ENV_URL = "PANTAU_DATABASE_URL"
MIGRATION_LOCK = 7_426_862_801          # pg_advisory_xact_lock key held while migrating ("PANTAU" on a keypad)


class StoreError(RuntimeError):
    """The database cannot be opened, migrated or written (locked, gone, wrong URL)."""


def default_database_url() -> str:
    """PANTAU_DATABASE_URL, else an SQLite file in the user's data directory."""
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    return f"sqlite:///{Path(user_data_dir('pantau', appauthor=False)) / 'pantau.db'}"


class Store:
    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = url or default_database_url()
        try:
            parsed = make_url(self.url)
        except Exception as exc:  # noqa: BLE001 - sqlalchemy raises several kinds
            raise StoreError(f"not a database URL: {self.url!r}") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if self.dialect == "sqlite" and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"timeout": 30}} if self.dialect == "sqlite" else {"pool_pre_ping": True}
        self.engine: Engine = create_engine(parsed, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates it on a new database)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        try:
            if self._at_head(cfg):
                return
            with self.engine.begin() as conn:
                # One migrator at a time (two processes opening a new database at once): the others wait
                # here, then find the schema at head and do nothing.
                if self.dialect == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif self.dialect == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise StoreError(f"cannot open database {self.safe_url}: {_reason(exc)}") from exc

    def _at_head(self, cfg) -> bool:
        """Is the schema at the newest revision already? (A read: opening an up-to-date database takes no
        write lock, so it never waits for a crawl's transaction.)"""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        return current == set(ScriptDirectory.from_config(cfg).get_heads())

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error (nothing half-written)."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except OperationalError as exc:
            raise StoreError(f"database {self.safe_url}: {_reason(exc)}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
