"""Pages that cannot be articles, through the real `pantau ingest`: saved files, stdin and fetched pages share one
size cap, a fetched page one overall deadline; each failure is one line and nothing is stored."""
from __future__ import annotations

import gzip
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from ingest.http import MAX_PAGE_BYTES
from store import Store
from store.models import Article
from tests.conftest import FIXTURES
from tests.support.cli import error_line, pantau

GOOD = FIXTURES / "pages" / "tribun-regional.html"
ADDRESS = "https://jabar.tribunnews.com/2024/01/10/kades-di-garut-ikut-kampanye"


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'pantau.db'}"


def _articles(url: str) -> int:
    store = Store(url)
    with store.session() as session:
        n = session.execute(select(func.count()).select_from(Article)).scalar_one()
    store.dispose()
    return n


def test_dev_zero_is_refused_after_reading_just_over_the_cap(url):
    line = error_line(pantau("ingest", "--file", "/dev/zero", "--url", ADDRESS, "--db", url, timeout=60))
    assert line == (f"pantau: error: /dev/zero: page too large (over {MAX_PAGE_BYTES} bytes), the limit for any "
                    "page: save only the article's page")
    assert _articles(url) == 0


def test_stdin_has_the_same_cap_as_a_fetched_page(url):
    page = GOOD.read_bytes()
    dump = page * (MAX_PAGE_BYTES // len(page) + 2)
    line = error_line(pantau("ingest", "--file", "-", "--url", ADDRESS, "--db", url, stdin=dump))
    assert line.startswith("pantau: error: stdin: page too large")
    assert _articles(url) == 0


def test_a_gzip_that_unpacks_past_the_cap_is_refused_without_unpacking_it_whole(url, tmp_path):
    bomb = tmp_path / "arsip.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b" " * (60 * 1024 * 1024)))     # 60 KB on disk, 60 MB unpacked
    line = error_line(pantau("ingest", "--file", str(bomb), "--url", ADDRESS, "--db", url))
    assert f"unpacks to over {MAX_PAGE_BYTES} bytes" in line


def test_a_folder_given_as_a_file_says_to_use_dir(url, tmp_path):
    line = error_line(pantau("ingest", "--file", str(tmp_path), "--db", url))
    assert line == f"pantau: error: {tmp_path}: is a folder (use --dir {tmp_path} for every page in it)"


def test_a_page_without_article_text_is_one_line_without_library_warnings(url):
    index = (b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Berita Garut Hari Ini</title>'
             b'<link rel="canonical" href="' + ADDRESS.encode() + b'"></head><body><nav><a href="/">Beranda</a> '
             b'<a href="/garut">Garut</a></nav><div class="iklan">Iklan</div><footer>Copyright 2024 Tribun Jabar'
             b'</footer></body></html>')
    result = pantau("ingest", "--file", "-", "--db", url, stdin=index)
    assert error_line(result) == f"pantau: error: stdin: no article text found at {ADDRESS}"
    assert _articles(url) == 0


def test_a_page_whose_text_is_longer_than_any_article_is_refused_before_tagging(url, tmp_path):
    rng = random.Random(19)
    words = ("bawaslu kabupaten garut menemukan dugaan kepala desa ikut kampanye calon legislatif kecamatan "
             "tarogong kidul ketua wartawan camat netral aparatur sipil negara tahapan pemilu").split()
    paragraphs = "".join(f"<p>{' '.join(rng.choice(words) for _ in range(30)).capitalize()}.</p>\n"
                         for _ in range(2500))
    dump = tmp_path / "arsip-lengkap.html"
    dump.write_text(f'<html lang="id"><head><title>Arsip Tribun Jabar</title><link rel="canonical" '
                    f'href="{ADDRESS}"></head><body><article>{paragraphs}</article></body></html>', encoding="utf-8")
    line = error_line(pantau("ingest", "--file", str(dump), "--db", url, timeout=300))
    assert "characters of text, more than any news article (limit 300,000)" in line
    assert _articles(url) == 0


class _Drip(BaseHTTPRequestHandler):
    """A server that sends an article 50 bytes at a time, every half second, for two minutes."""

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        try:
            for _ in range(240):
                self.wfile.write(b"<p>Kepala desa di Garut kedapatan ikut kampanye. </p>"[:50])
                self.wfile.flush()
                time.sleep(0.5)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def test_a_server_that_drips_bytes_is_cut_off_at_the_deadline(url):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = f"http://127.0.0.1:{server.server_address[1]}/2024/01/10/kades-garut-kampanye"
        result = pantau("ingest", page, "--timeout", "2", "--db", url, timeout=60)   # the drip lasts 120 s
    finally:
        server.shutdown()
        server.server_close()
    line = error_line(result)
    assert line.startswith(f"pantau: error: {page}: timed out: the page was still arriving after 2 s")
    assert _articles(url) == 0


def test_one_oversized_page_in_a_folder_loses_none_of_the_others(url, tmp_path):
    folder = tmp_path / "simpanan"
    folder.mkdir()
    (folder / "tribun-regional.html").write_bytes(GOOD.read_bytes())
    (folder / "dump.html").write_bytes(b"<html><body>" + b"<p>Berita.</p>" * (MAX_PAGE_BYTES // 10) + b"</body></html>")
    result = pantau("ingest", "--dir", str(folder), "--db", url, timeout=300)
    assert result.returncode == 1
    assert "2 pages: 1 stored, 0 updated, 0 unchanged, 1 failed" in result.stdout.decode()
    assert "dump.html: page too large" in error_line(result)
    assert _articles(url) == 1
