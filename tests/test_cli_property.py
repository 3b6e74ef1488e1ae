"""Whatever arguments an analyst types, the commands answer (rows, or an error with exit 1 or 2) and never crash
with a traceback, and the stored data never changes under a read-only command."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pantau.cli import app
from tests.support.analyst_articles import seeded_store_fixture
from tests.support.cli import snapshot

seeded = seeded_store_fixture()
TRIED = {"commands": 0}

NUMBERS = st.one_of(st.integers(-5, 50), st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 2**64, -2**63]))
WORDS = st.sampled_from(["kampanye", "Garut", "jawa barat", "KADES", "asn", "money_politics", "alleged", "pending",
                         "7d", "2024-01", "2024-02-30", "yesterday", "today", "Kota Cimahi", "Tribun Jabar", "",
                         " ", "\"", "*", "-", "OR", "a OR", "\"kades ikut", "(", ")", "NEAR", "^", "'; DROP TABLE flag;--",
                         "\u00a0", "é", "😀", "%", "_", "x" * 300])
TEXT = st.one_of(WORDS, st.text(max_size=40), st.lists(WORDS, min_size=1, max_size=4).map(" ".join))
VALUE = st.one_of(TEXT, NUMBERS.map(str))

FILTER_OPTIONS = ["--text", "--role", "--category", "--modality", "--type", "--official", "--outlet", "--province",
                  "--regency", "--since", "--until", "--fetched-since", "--fetched-until", "--status", "--article"]
COMMANDS = {
    "query": ["--articles", "--sort", "--limit", "--offset", "--format"],
    "review": ["--limit", "--offset", "--format"],
    "stats": ["--by", "--json"],
    "officials": ["--limit", "--json"],
    "export": ["--format", "--sort", "--limit", "--no-text"],
}
FLAGS = {"--articles", "--json", "--no-text"}


@st.composite
def command_line(draw):
    name = draw(st.sampled_from(sorted(COMMANDS) + ["show", "review show", "review history"]))
    args = name.split()
    if name == "export":
        args.append(draw(st.one_of(st.sampled_from(["articles", "flags", "officials", "reviews"]), TEXT)))
    if name in ("show", "review show", "review history"):
        args.append(draw(VALUE))
        if draw(st.booleans()):
            args.append("--json")
        return args
    if name == "officials" and draw(st.booleans()):
        args.append(draw(TEXT))
    options = draw(st.lists(st.sampled_from(COMMANDS[name] + FILTER_OPTIONS), max_size=5))
    for option in options:
        args.append(option)
        if option not in FLAGS:
            args.append(draw(st.sampled_from(["csv", "jsonl", "table", "xml"]) if option == "--format" else
                             st.sampled_from(["newest", "oldest", "fetched", "relevance", "best"])
                             if option == "--sort" else VALUE))
    return args


DATA = ("article", "flag", "review", "url_alias", "official", "mention", "crawl_run")   # not the officials' merge cache


def _data(store) -> dict:
    return {table: rows for table, rows in snapshot(store).items() if table in DATA}


@pytest.fixture(scope="module")
def before(seeded):
    return _data(seeded[0])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(args=command_line())
def test_generated_command_lines_never_crash_and_change_nothing(seeded, before, args):
    store, _ = seeded
    TRIED["commands"] += 1
    result = CliRunner().invoke(app, [*args, "--db", store.url], env={"COLUMNS": "120"})
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)
    if result.exit_code != 0 and "pantau: error:" in result.output:
        error = [line for line in result.output.splitlines() if line.startswith("pantau: error:")]
        assert len(error) == 1, (args, result.output)


def test_read_only_commands_left_the_store_unchanged(seeded, before):
    """Runs after the property test above (same module): hundreds of queries and exports wrote no data
    (`officials` and `export officials` refresh the cache of merged names, which is not data)."""
    assert TRIED["commands"] > 0
    assert _data(seeded[0]) == before
    print(f"\nCLI property test: {TRIED['commands']} command lines tried")
