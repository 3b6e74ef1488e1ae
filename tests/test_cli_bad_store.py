"""A database that cannot be used: one line naming what is wrong and what to give, exit 2, the file untouched."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import FIXTURES
from tests.support.cli import ROOT, error_line, file_digest, pantau

PAGE = FIXTURES / "pages" / "tribun-regional.html"


@pytest.mark.parametrize("url, words", [
    ("foo://x", "unsupported database 'foo://x'"),
    ("mysql://pantau@db.example/pantau", "unsupported database"),
    ("postgresql+asyncpg://u@127.0.0.1/x", "cannot use database URL"),
    ("::not a url::", "not a database URL"),
])
def test_a_database_url_pantau_cannot_use_is_one_line(url, words):
    for command in (["status"], ["query"], ["export", "flags"]):
        line = error_line(pantau(*command, "--db", url))
        assert words in line and "sqlite:///" in line and "postgresql://" in line


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused_before_anything_is_ingested(url):
    result = pantau("ingest", "--file", str(PAGE), "--url", "https://jabar.tribunnews.com/2024/01/10/x", "--db", url)
    line = error_line(result)
    assert result.returncode == 2
    assert "in-memory database" in line and "thrown away" in line and "sqlite:///pantau.db" in line
    assert b"(new)" not in result.stdout


def test_a_file_that_is_not_a_database_is_left_as_it_was(tmp_path):
    notes = tmp_path / "catatan.db"
    notes.write_text("Daftar liputan Pilkada Garut 2024\n", encoding="utf-8")
    before = file_digest(notes)
    for command in (["status"], ["query", "-t", "kampanye"], ["review", "confirm", "1", "--note", "cek"]):
        result = pantau(*command, "--db", f"sqlite:///{notes}")
        assert result.returncode == 2
        assert "file is not a database" in error_line(result)
    assert file_digest(notes) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catatan.db"]


def test_a_truncated_database_is_one_line_and_not_repaired_behind_the_users_back(tmp_path):
    whole = tmp_path / "pantau.db"
    assert pantau("status", "--db", f"sqlite:///{whole}").returncode == 0
    cut = tmp_path / "terpotong.db"
    cut.write_bytes(whole.read_bytes()[:5000])
    before = file_digest(cut)
    result = pantau("query", "--db", f"sqlite:///{cut}")
    assert result.returncode == 2 and "malformed" in error_line(result)
    assert file_digest(cut) == before


def test_a_folder_given_as_the_database_names_a_file_to_give_instead(tmp_path):
    line = error_line(pantau("status", "--db", f"sqlite:///{tmp_path}"))
    assert "is a folder" in line and f"sqlite:///{tmp_path / 'pantau.db'}" in line


def test_the_daemon_does_not_start_on_an_unsupported_database(tmp_path):
    result = pantau("daemon", "--db", "mysql://pantau@db.example/pantau", "--state-dir", str(tmp_path))
    assert result.returncode == 2
    assert "not starting: unsupported database" in error_line(result)
    script = subprocess.run([sys.executable, "scheduler.py", "--db", "foo://x", "--state-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, timeout=60)
    assert script.returncode == 2
    assert "unsupported database 'foo://x'" in error_line(script)


def test_several_commands_opening_one_brand_new_sqlite_file_at_once_all_succeed(tmp_path):
    """Creating and migrating the schema is serialised: nobody sees `database is locked`."""
    for attempt in range(4):
        url = f"sqlite:///{tmp_path / f'baru{attempt}.db'}"
        procs = [subprocess.Popen([sys.executable, "-m", "pantau.cli", *command, "--db", url], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for command in (["status"], ["query"], ["stats"], ["status", "--json"])]
        for proc in procs:
            err = proc.communicate(timeout=120)[1].decode()
            assert proc.returncode == 0, err
            assert "locked" not in err
