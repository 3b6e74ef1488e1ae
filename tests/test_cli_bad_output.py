"""`pantau export -o FILE`: the file is replaced only by a complete export. A bad kind or format, a missing folder,
a folder, a full disk: one line, non-zero exit, and the analyst's existing file is exactly as it was."""
from __future__ import annotations

import json
import resource
import signal

import pytest

from tests.support.analyst_articles import seeded_store_fixture
from tests.support.cli import error_line, pantau

seeded = seeded_store_fixture()

KEEP = "flag_id,article_id,category\n17,4,campaign_participation\n"   # yesterday's export, still needed


@pytest.fixture
def keep(tmp_path):
    path = tmp_path / "keep.csv"
    path.write_text(KEEP, encoding="utf-8")
    return path


def _url(seeded) -> str:
    return seeded[0].url


@pytest.mark.parametrize("args, words", [
    (["export", "xyz"], "unknown export 'xyz'; choose from: articles, flags, officials, reviews"),
    (["export", "flags", "-f", "xml"], "unknown format 'xml'; choose from: csv, jsonl"),
    (["export", "flags", "--since", "kemarin lusa"], "cannot read date 'kemarin lusa'"),
    (["export", "flags", "--outlet", "Harian Fiktif"], "no stored article has outlet 'Harian Fiktif'"),
])
def test_a_failed_export_leaves_the_existing_file_as_it_was(seeded, keep, args, words):
    result = pantau(*args, "-o", str(keep), "--db", _url(seeded))
    assert words in error_line(result)
    assert keep.read_text(encoding="utf-8") == KEEP
    assert [p.name for p in keep.parent.iterdir()] == ["keep.csv"]      # no temporary file left behind


def test_an_export_into_a_missing_folder_or_onto_a_folder_is_one_line(seeded, tmp_path):
    line = error_line(pantau("export", "flags", "-o", str(tmp_path / "laporan" / "flags.csv"), "--db", _url(seeded)))
    assert f"the folder {tmp_path / 'laporan'} does not exist" in line
    line = error_line(pantau("export", "flags", "-o", str(tmp_path), "--db", _url(seeded)))
    assert "it is a folder" in line and "export.csv" in line
    assert list(tmp_path.iterdir()) == []


def _small_disk():
    """The export's process may write at most 4 KB per file, as on a nearly full disk (EFBIG, not a kill)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_disk_that_fills_up_mid_export_leaves_the_old_file(seeded, keep):
    result = pantau("export", "articles", "-f", "jsonl", "-o", str(keep), "--db", _url(seeded),
                    preexec_fn=_small_disk)
    line = error_line(result)
    assert f"cannot write {keep}" in line and "the old file is unchanged" in line
    assert keep.read_text(encoding="utf-8") == KEEP
    assert [p.name for p in keep.parent.iterdir()] == ["keep.csv"]


def test_a_complete_export_replaces_the_file_and_keeps_its_permissions(seeded, keep):
    keep.chmod(0o640)
    result = pantau("export", "flags", "-f", "jsonl", "-o", str(keep), "--db", _url(seeded))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in keep.read_text(encoding="utf-8").splitlines()]
    assert rows and {"flag_id", "category", "sentence"} <= set(rows[0])
    assert f"{len(rows)} flags written to {keep}" in result.stderr.decode()
    assert keep.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in keep.parent.iterdir()] == ["keep.csv"]
