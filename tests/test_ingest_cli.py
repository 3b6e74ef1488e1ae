"""`pantau ingest` / `pantau show` as a user runs them, against pages served from 127.0.0.1."""
from __future__ import annotations

import gzip
import json

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from pantau.cli import app
from store import Store
from store.models import Article
from tests.conftest import fixture_page
from tests.support.http import LocalServer, Route

PATH = "/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-asn-ikut-kampanye-caleg-di-cimahi/"


@pytest.fixture
def site():
    with LocalServer() as server:
        server.routes[PATH] = Route(fixture_page("wordpress-jabarekspres.html"))
        yield server


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def rows(db_url: str) -> int:
    store = Store(db_url)
    with store.session() as s:
        n = s.exec(select(func.count()).select_from(Article)).one()
    store.dispose()
    return n


def test_ingest_url_prints_article_and_tags(site, db_url):
    result = run("ingest", site.url(PATH), "--db", db_url)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Bawaslu Temukan Camat dan Tiga ASN Ikut Kampanye Caleg di Cimahi" in out
    assert "Aan Sugiharto" in out and "Ketua Bawaslu Kota Cimahi" in out
    assert "campaign_participation (alleged)" in out
    assert "(new)" in out


def test_ingest_of_an_antara_page_names_officials_accused_and_tells_allegations_from_appeals(tmp_path):
    url = "https://jabar.antaranews.com/berita/512345/bawaslu-garut-telusuri-dugaan-kepala-sekolah-ikut-kampanye-caleg"
    result = run("ingest", "--json", "--file", "-", "--url", url, "--db", f"sqlite:///{tmp_path / 'p.db'}",
                 input=fixture_page("antara-jabar.html"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["author"] == "Feri Purnama" and data["article_type"] == "allegation"
    assert {(o["name"], o["title"]) for o in data["officials"]} == {
        ("Ahmad Nurul Syahid", "Ketua Bawaslu Kabupaten Garut"), ("Barnas Adjidin", "Penjabat (Pj) Bupati Garut")}
    assert {"ASN", "BAWASLU", "PJ_KEPALA_DAERAH"} <= set(data["roles"])
    flags = {(f["category"], f["modality"]) for f in data["flags"]}
    assert {("campaign_participation", "alleged"), ("party_attributes", "alleged")} <= flags
    appeal = next(f for f in data["flags"] if f["sentence"].startswith("Penjabat (Pj) Bupati Garut"))
    assert appeal["modality"] == "prohibition"          # "meminta ... tidak terlibat politik praktis"


def test_ingest_json_then_show_json_are_the_same_contract(site, db_url):
    ingested = json.loads(run("ingest", "--json", site.url(PATH), "--db", db_url).stdout)
    shown = json.loads(run("show", "--json", str(ingested["id"]), "--db", db_url).stdout)
    assert ingested == shown
    assert ingested["url"] == site.url(PATH)
    assert ingested["article_type"] in ("allegation", "sanction", "advisory", "other")


def test_reingest_variants_update_one_row(site, db_url):
    for variant in (PATH, PATH + "?utm_source=whatsapp&utm_medium=share", PATH + "#baca", PATH + "?page=all"):
        assert run("ingest", site.url(variant), "--db", db_url).exit_code == 0
    assert rows(db_url) == 1
    shown = run("show", site.url(PATH + "?utm_campaign=x"), "--db", db_url)
    assert shown.exit_code == 0 and "Cimahi" in shown.output


def test_ingest_file_and_stdin_and_many_in_one_call(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    page = tmp_path / "page.html"
    page.write_bytes(fixture_page("wordpress-jabarekspres.html"))
    result = run("ingest", "--json", "--file", str(page), "--url", "https://jabarekspres.com" + PATH,
                 "--file", "-", "--url", "https://jabarekspres.com/berita/lain/", "--db", db,
                 input=fixture_page("wordpress-jabarekspres.html"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # both name the same article through rel=canonical, so they are one stored row
    assert len(lines) == 2 and lines[0]["id"] == lines[1]["id"]
    assert rows(db) == 1


ARTICLE_PAGE = fixture_page("wordpress-jabarekspres.html")
FAILURES = {
    "/hilang": (Route(status=404), "HTTP 404"),
    "/rusak": (Route(status=503, body=b"<html><body>Service Unavailable</body></html>"), "HTTP 503"),
    "/gambar.jpg": (Route(b"\xff\xd8\xff\xe0" + b"\x00" * 100, headers={"Content-Type": "image/jpeg"}),
                    "not an HTML page"),
    "/kosong": (Route(b""), "empty response"),
    "/biner": (Route(gzip.compress(b"x" * 1000), headers={"Content-Type": "text/html"}), "binary content"),
    "/indeks": (Route(b"<html><head><title>Indeks</title></head><body><nav><a href='/a'>A</a></nav></body></html>"),
                "no article text"),
    "/muter": (Route(status=302, headers={"Location": "/muter"}), "too many redirects"),
}


@pytest.mark.parametrize("path", list(FAILURES))
def test_failures_are_one_clear_line_and_write_nothing(path, db_url):
    route, message = FAILURES[path]
    with LocalServer() as server:
        server.routes[path] = route
        result = run("ingest", server.url(path), "--db", db_url)
    assert result.exit_code == 1
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pantau: error:") and message in err[0], result.stderr
    assert rows(db_url) == 0


def test_refused_connection_bad_url_and_timeout(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = run("ingest", "http://127.0.0.1:9/berita", "--db", db)
    assert result.exit_code == 1 and "connection refused" in result.stderr
    result = run("ingest", "ftp://contoh.id/berita", "--db", db)
    assert result.exit_code == 1 and "not an http(s) URL" in result.stderr
    import urllib3
    import ingest.fetch as fetch_mod
    monkeypatch.setattr(fetch_mod, "TIMEOUT", urllib3.Timeout(connect=1, read=0.5))
    with LocalServer() as server:
        server.routes["/lambat"] = Route(ARTICLE_PAGE, delay=2)
        result = run("ingest", server.url("/lambat"), "--db", db)
    assert result.exit_code == 1 and "timed out" in result.stderr
    assert rows(db) == 0


def test_oversized_page_is_refused(tmp_path, monkeypatch):
    import ingest.fetch as fetch_mod
    monkeypatch.setattr(fetch_mod, "MAX_BYTES", 10_000)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with LocalServer() as server:
        big = ARTICLE_PAGE.replace(b"</body>", b"<!--" + b"x" * 20_000 + b"--></body>")
        server.routes["/besar"] = Route(big)
        server.routes["/besar-tanpa-panjang"] = Route(big, headers={"Content-Length": ""})
        result = run("ingest", server.url("/besar"), "--db", db)
    assert result.exit_code == 1 and "page too large" in result.stderr
    assert rows(db) == 0


def test_one_failure_does_not_stop_the_others(site, db_url):
    result = run("ingest", site.url("/tidak-ada"), site.url(PATH), "--db", db_url)
    assert result.exit_code == 1
    assert "HTTP 404" in result.stderr and "Bawaslu Temukan Camat" in result.stdout
    assert rows(db_url) == 1


def test_show_unknown_and_bad_database(tmp_path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = run("show", "999", "--db", db)
    assert result.exit_code == 1 and "no stored article" in result.stderr
    result = run("show", "1", "--db", "postgresql+psycopg://x@127.0.0.1:1/none")
    assert result.exit_code == 2 and "cannot open database" in result.stderr


def test_ingest_url_of_a_multi_page_article_stores_every_page_as_a_crawl_does(db_url):
    from lab.simulator import Simulator
    from extract.urls import canonical_key

    with Simulator({"tribun": 2, "jpnn": 20}) as sim:
        tribun, jpnn = sim.sites["tribun"], sim.sites["jpnn"]
        three = tribun.articles[0]                                       # ?page=2, ?page=3, "Halaman selanjutnya"
        two = next(a for a in jpnn.articles if jpnn.parts_of(a) == 2)   # "Baca dalam satu halaman" (?page=all)
        result = run("ingest", "--db", db_url, "--json", tribun.base + tribun.article_path(three),
                     jpnn.base + jpnn.article_path(two))
        assert result.exit_code == 0, result.output
        assert tribun.hits_of("part") == [tribun.article_path(three) + "?page=2", tribun.article_path(three) + "?page=3"]
        assert jpnn.article_path(two) + "?page=all" in jpnn.hits_of("article", "part")
    stored = [json.loads(line) for line in result.output.splitlines()]
    for data, article in zip(stored, (three, two)):
        positions = [data["text"].find(p[:60]) for p in article.paragraphs]
        assert -1 not in positions and positions == sorted(positions), data["url"]
    store = Store(db_url)
    with store.session() as s:
        row = s.exec(select(Article).where(Article.key == canonical_key(tribun.base + tribun.article_path(three)))).one()
        assert row.pages == 3 and rows(db_url) == 2
    store.dispose()


SERIES_PATH = "/2024/02/05/kades-di-belu-diperiksa-bawaslu-karena-hadiri-kampanye"
SERIES_TITLE = "Kades di Belu Diperiksa Bawaslu karena Hadiri Kampanye"


def _series_page(paragraphs: list[str], paging: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{SERIES_TITLE} - Pos-kupang.com'
            f'</title><meta property="og:title" content="{SERIES_TITLE}"></head><body>'
            f'<nav><a href="/">Beranda</a> <a href="/pemilu">Pemilu</a></nav><h1>{SERIES_TITLE}</h1>'
            f'<div class="txt-article">{body}</div><div class="paging">{paging}</div>'
            f'<footer>Copyright Pos-kupang.com 2024</footer></body></html>').encode()


def test_a_later_page_without_article_text_is_left_out_with_a_warning(db_url):
    first = ["ATAMBUA - Badan Pengawas Pemilu (Bawaslu) Kabupaten Belu memeriksa seorang kepala desa yang diduga "
             "menghadiri kampanye calon anggota DPRD di Kecamatan Tasifeto Timur, Senin (5/2/2024).",
             "Ketua Bawaslu Kabupaten Belu, Agustinus Bau, mengatakan pemeriksaan dilakukan setelah pihaknya "
             "menerima laporan warga disertai foto dan video kegiatan tersebut.",
             "Menurut Agustinus, kepala desa dilarang terlibat dalam kegiatan kampanye sebagaimana diatur dalam "
             "Undang-Undang Pemilu, dan pelanggaran itu dapat berujung pada sanksi pidana."]
    with LocalServer() as server:
        server.routes[SERIES_PATH] = Route(_series_page(
            first, f'<a href="{SERIES_PATH}?page=2">2</a> <a href="{SERIES_PATH}?page=2">Halaman selanjutnya</a>'))
        server.routes[SERIES_PATH + "?page=2"] = Route(_series_page([], f'<a href="{SERIES_PATH}">1</a>'))
        result = CliRunner().invoke(app, ["ingest", "--db", db_url, "--json", server.base + SERIES_PATH],
                                    catch_exceptions=False)
        assert server.hits.count(SERIES_PATH + "?page=2") == 1
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(p[:60] in data["text"] for p in first)
    assert f"warning: {server.base}{SERIES_PATH}?page=2" in result.stderr
    assert rows(db_url) == 1
