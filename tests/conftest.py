"""Shared fixtures: a store on SQLite and on the real PostgreSQL, a local HTTP server, the tagger."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from store import Store

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("PANTAU_TEST_POSTGRES_URL")
PG_SKIP = "PANTAU_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (.ci/run sets it for 127.0.0.1:5432)"


def fresh_postgres_url() -> tuple[str, callable]:
    """A new empty database on the test server, and a function that drops it."""
    base = make_url(PG_URL)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"pantau_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A database URL for an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pantau.db'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    url, drop = fresh_postgres_url()
    yield url
    drop()


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'pantau.db'}")
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def tagger():
    from extract.tagging import get_tagger
    return get_tagger()


def fixture_page(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()
