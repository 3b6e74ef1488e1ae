"""`pantau ingest --file PAGE` without --url and `pantau ingest --dir FOLDER`: saved pages go in under the
address they name for themselves (rel=canonical, else og:url); a page that names none is one clear error."""
from __future__ import annotations

import gzip
import json
import re

from sqlmodel import select
from typer.testing import CliRunner

from extract.saved import page_address
from pantau.cli import app
from store import Store
from store.models import Article
from tests.conftest import fixture_page

JPNN = "https://www.jpnn.com/news/bawaslu-temukan-dugaan-politik-uang-di-dapil-jabar-iii"
TRIBUN = "https://jateng.tribunnews.com/2023/11/22/kades-di-batang-dilaporkan-ke-bawaslu-karena-ajak-warga-pilih-caleg-tertentu"
TIMEX = "https://timex.fajar.co.id/2024/09/05/camat-di-kupang-diperiksa-bawaslu-usai-hadiri-deklarasi-paslon/"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def stored(db_url: str) -> dict[str, str]:
    store = Store(db_url)
    with store.session() as s:
        found = {a.key: a.title for a in s.exec(select(Article)).all()}
    store.dispose()
    return found


def without_canonical(page: bytes) -> bytes:
    """The page as some themes serve it: no <link rel=canonical> (og:url may remain)."""
    return re.sub(rb'<link rel="canonical"[^>]*>', b"", page)


def without_address(page: bytes) -> bytes:
    return re.sub(rb'<meta property="og:url"[^>]*>', b"", without_canonical(page))


def test_saved_page_with_a_canonical_needs_no_url(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    page = tmp_path / "jpnn.html"
    page.write_bytes(fixture_page("jpnn.html"))
    result = run("ingest", "--json", "--file", str(page), "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["url"] == JPNN and data["outlet"]
    assert list(stored(db)) == ["https://jpnn.com/news/bawaslu-temukan-dugaan-politik-uang-di-dapil-jabar-iii"]


def test_saved_page_without_a_canonical_uses_og_url(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    page = tmp_path / "tribun.htm"
    page.write_bytes(without_canonical(fixture_page("tribun-regional.html")))
    assert b"canonical" not in page.read_bytes()
    result = run("ingest", "--json", "--file", str(page), "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == TRIBUN


def test_saved_page_naming_no_address_is_one_line_naming_the_file(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    page = tmp_path / "simpanan.html"
    page.write_bytes(without_address(fixture_page("wordpress-jabarekspres.html")))
    result = run("ingest", "--file", str(page), "--db", db)
    assert result.exit_code == 1
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and str(page) in err[0] and "--url" in err[0], result.stderr
    assert "Traceback" not in result.output
    assert stored(db) == {}
    # the same page with --url goes in
    url = "https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-asn-ikut-kampanye-caleg-di-cimahi/"
    assert run("ingest", "--file", str(page), "--url", url, "--db", db).exit_code == 0
    assert len(stored(db)) == 1


def test_a_home_page_canonical_is_not_an_article_address():
    page = without_address(fixture_page("wordpress-jabarekspres.html")).replace(
        b"</head>", b'<link rel="canonical" href="https://jabarekspres.com/">\n</head>', 1)
    assert page_address(page) is None
    relative = without_address(fixture_page("fajar-timex.html")).replace(
        b"</head>", b'<meta property="og:url" content="/2024/09/05/camat-di-kupang-diperiksa-bawaslu/">'
                    b'<base href="https://timex.fajar.co.id/"></head>', 1)
    assert page_address(relative) == "https://timex.fajar.co.id/2024/09/05/camat-di-kupang-diperiksa-bawaslu/"


def test_url_count_must_match_file_count(tmp_path):
    page = tmp_path / "a.html"
    page.write_bytes(fixture_page("jpnn.html"))
    result = run("ingest", "--file", str(page), "--file", str(page), "--url", JPNN, "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert result.exit_code == 2 and "one --url per --file" in result.stderr


def test_dir_stores_the_good_pages_lists_the_bad_one_and_fails(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    folder = tmp_path / "halaman"
    folder.mkdir()
    (folder / "01-jpnn.html").write_bytes(fixture_page("jpnn.html"))
    (folder / "02-timex.html.gz").write_bytes(gzip.compress(fixture_page("fajar-timex.html")))
    (folder / "03-tanpa-alamat.htm").write_bytes(without_address(fixture_page("wordpress-jabarekspres.html")))
    (folder / "04-tribun.HTML").write_bytes(without_canonical(fixture_page("tribun-regional.html")))
    (folder / "catatan.txt").write_text("bukan halaman berita")          # not a page: not read
    result = run("ingest", "--dir", str(folder), "--db", db)
    assert result.exit_code == 1
    assert "4 pages: 3 stored, 0 updated, 0 unchanged, 1 failed" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("pantau: error:")]
    assert len(errors) == 1 and "03-tanpa-alamat.htm" in errors[0] and "no address" in errors[0]
    assert "Traceback" not in result.output
    keys = set(stored(db))
    assert keys == {"https://jpnn.com/news/bawaslu-temukan-dugaan-politik-uang-di-dapil-jabar-iii",
                    TIMEX.rstrip("/"), TRIBUN}

    # the same folder again: nothing new, the good ones unchanged, the bad one still listed
    again = run("ingest", "--json", "--dir", str(folder), "--db", db)
    assert again.exit_code == 1
    assert len(again.stdout.splitlines()) == 3 and all(json.loads(line)["id"] for line in again.stdout.splitlines())
    assert "3 unchanged, 1 failed" in again.stderr and "03-tanpa-alamat.htm" in again.stderr
    assert len(stored(db)) == 3


def test_dir_that_is_missing_or_holds_no_pages(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = run("ingest", "--dir", str(tmp_path / "tidak-ada"), "--db", db)
    assert result.exit_code == 2 and "not a folder" in result.stderr
    (tmp_path / "kosong").mkdir()
    result = run("ingest", "--dir", str(tmp_path / "kosong"), "--db", db)
    assert result.exit_code == 2 and "no .html" in result.stderr


def test_broken_gzip_in_a_folder_is_named(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    (tmp_path / "rusak.html.gz").write_bytes(gzip.compress(fixture_page("jpnn.html"))[:200])
    (tmp_path / "baik.html").write_bytes(fixture_page("jpnn.html"))
    result = run("ingest", "--dir", str(tmp_path), "--db", db)
    assert result.exit_code == 1
    assert "1 stored" in result.stdout and "rusak.html.gz" in result.stderr and "gzip" in result.stderr
    assert len(stored(db)) == 1
