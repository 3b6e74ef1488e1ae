"""Engine, migrations and sessions. SQLite (embedded default, WAL) or PostgreSQL, by URL."""
from __future__ import annotations

import ast
import functools
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

ENV_URL = "PANTAU_DATABASE_URL"
MIGRATION_LOCK = 7_426_862_801          # pg_advisory_xact_lock key held while migrating ("PANTAU" on a keypad)
LOCKED_RETRY_SECONDS = 30               # a brand-new SQLite file opened by several processes at once
URL_EXAMPLES = "sqlite:///path/to/pantau.db or postgresql://user@host/dbname"


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
        parsed = _checked_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if self.dialect == "sqlite":
            _check_sqlite_file(Path(parsed.database).expanduser())
        kwargs = {"connect_args": {"timeout": 30}} if self.dialect == "sqlite" else {"pool_pre_ping": True}
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except (ImportError, SQLAlchemyError) as exc:
            raise StoreError(f"cannot use database URL {self.safe_url}: {_reason(exc)}; give {URL_EXAMPLES}") \
                from exc
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates it on a new database)."""
        deadline = time.monotonic() + LOCKED_RETRY_SECONDS
        while True:
            try:
                return self._migrate()
            except OperationalError as exc:
                # Two processes creating one SQLite file: the loser of the WAL switch is told "locked" at once.
                if "locked" in _reason(exc) and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                raise StoreError(f"cannot open database {self.safe_url}: {_reason(exc)}") from exc
            except DatabaseError as exc:
                raise StoreError(f"cannot open database {self.safe_url}: {_reason(exc)} (not a Pantau database, "
                                 "or a damaged one: give another --db, or restore it from a backup)") from exc

    def _migrate(self) -> None:
        if self._at_head():
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as conn:
            # One migrator at a time (two processes opening a new database at once): the others wait
            # here, then find the schema at head and do nothing.
            if self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def _at_head(self) -> bool:
        """Is the schema at the newest revision already? (A read: opening an up-to-date database takes no
        write lock, so it never waits for a crawl's transaction; and no Alembic import, so commands start fast.)"""
        from sqlalchemy import inspect

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            current = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        return current == script_heads()

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
        except DatabaseError as exc:
            if type(exc.orig).__name__ != "DatabaseError":   # integrity and data errors are the caller's
                raise
            raise StoreError(f"database {self.safe_url}: {_reason(exc)} (damaged? restore it from a backup)") \
                from exc

    def dispose(self) -> None:
        self.engine.dispose()


@functools.cache
def script_heads() -> frozenset[str]:
    """The newest revision(s) of store/migrations, read from the scripts' `revision`/`down_revision` lines."""
    revisions, parents = set(), set()
    for script in (Path(__file__).parent / "migrations" / "versions").glob("*.py"):
        values = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value is not None:
                values[target.id] = ast.literal_eval(node.value)
        if values.get("revision"):
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    return frozenset(revisions - parents)


def _checked_url(url: str):
    """The parsed URL of an SQLite file or a PostgreSQL database; anything else is a StoreError saying what to give."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy raises several kinds
        raise StoreError(f"not a database URL: {url!r}; give {URL_EXAMPLES}") from exc
    backend = parsed.get_backend_name()
    shown = parsed.render_as_string(hide_password=True)
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {shown!r}: Pantau stores in SQLite or PostgreSQL; give {URL_EXAMPLES}")
    if backend == "sqlite" and (not parsed.database or parsed.database == ":memory:"
                                or parsed.query.get("mode") == "memory"):
        raise StoreError(f"{url!r} is an in-memory database: everything stored would be thrown away at exit; "
                         "give a file, e.g. sqlite:///pantau.db")
    return parsed


def _check_sqlite_file(path: Path) -> None:
    """The SQLite file's folder exists (made if missing) and the path is not a folder."""
    if path.is_dir():
        raise StoreError(f"database {path} is a folder: give the path of a database file in it, "
                         f"e.g. sqlite:///{path / 'pantau.db'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the database folder {path.parent}: {exc.strerror or exc}") from exc


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
