"""A property-based run of the desk's OpenAPI schema (schemathesis): generated requests to every operation,
as a reviewer with an API token, on the stored corpus, on SQLite and (when the test server is there) on
PostgreSQL; the API never answers 500 and its answers keep to the schema's status codes and content types."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, status_code_conformance

from desk.app import create_app
from desk.config import DeskConfig
from store import Store
from tests.conftest import PG_SKIP, PG_URL, fresh_postgres_url
from tests.support.desk import seed_desk

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
_opened: list = []


def _desk(url: str):
    store = Store(url)
    token = seed_desk(store)["tokens"]["rina"]
    _opened.append(store)
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(store, DeskConfig(secret_key="s"))), token


sqlite_schema, SQLITE_TOKEN = _desk(f"sqlite:///{Path(tempfile.mkdtemp(prefix='pantau-schema-')) / 'pantau.db'}")
_drop = None
if PG_URL:
    _pg_url, _drop = fresh_postgres_url()
    pg_schema, PG_TOKEN = _desk(_pg_url)
else:
    pg_schema, PG_TOKEN = sqlite_schema, None


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    for store in _opened:
        store.dispose()
    if _drop:
        _drop()


@sqlite_schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_on_sqlite_never_answers_a_server_error(case):
    case.validate_response(case.call(headers={"Authorization": f"Bearer {SQLITE_TOKEN}"}), checks=CHECKS)


@pytest.mark.postgres
@pg_schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_on_postgres_never_answers_a_server_error(case):
    if PG_TOKEN is None:
        pytest.skip(PG_SKIP)
    case.validate_response(case.call(headers={"Authorization": f"Bearer {PG_TOKEN}"}), checks=CHECKS)
