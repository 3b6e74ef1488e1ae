"""Who wrote it and when, on pages in the shapes outlets use: the reporter, not the editor JSON-LD names or
desk initials; a byline split over elements; an institution's byline; a WIB time labelled UTC; a printed
time that the metadata contradicts."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from extract.dates import choose_published, url_day
from extract.metadata import is_initials
from extract.page import extract_page
from tests.conftest import fixture_page

WIB = timezone(timedelta(hours=7))
KOMPAS = "https://regional.kompas.com/read/2024/02/10/223000678/camat-di-garut-dilaporkan-ke-bawaslu-karena-ajak-warga-pilih-caleg"
TRIBUN = "https://jabar.tribunnews.com/2024/01/16/kades-di-sumedang-diperiksa-bawaslu-usai-unggah-dukungan-capres"
OKEZONE = "https://nasional.okezone.com/read/2024/02/10/337/2969512/bawaslu-temukan-12-asn-di-bekasi-hadiri-kampanye-terbuka"
HUMAS = "https://garutupdate.id/2024/01/29/pemkab-garut-ingatkan-asn-tidak-ikut-kampanye/"


def test_kompas_split_credit_block_beats_json_ld_naming_the_editor():
    page = extract_page(fixture_page("kompas-regional-garut.html"), KOMPAS)
    # <h6>Penulis</h6><a>Kontributor Garut, Ari Maulana Karang</a> <h6>Editor</h6><a>Dheri Agriesta</a>;
    # JSON-LD "author" and content_author are the editor
    assert page.author == "Ari Maulana Karang"
    assert page.credits["editor"] == "Dheri Agriesta"


def test_kompas_wib_time_labelled_utc_stays_on_its_day():
    # JSON-LD says 22:30Z, the page prints "10/02/2024, 22:30": a WIB clock, not 05:30 WIB the next day
    page = extract_page(fixture_page("kompas-regional-garut.html"), KOMPAS)
    assert page.published_at == datetime(2024, 2, 10, 22, 30, tzinfo=WIB)


def test_tribun_desk_initials_are_not_the_reporter():
    page = extract_page(fixture_page("tribun-laporan-wartawan.html"), TRIBUN)
    # "Penulis: shi" and JSON-LD author "shi" are the desk's code; the reporter is named in the body's first line
    assert page.author == "Sidqi Al Ghifari"
    assert page.credits["editor"] == "Ravianto"
    lines = page.text.split("\n")
    assert lines[0].startswith("TRIBUNJABAR.ID, SUMEDANG - Seorang kepala desa")
    assert lines[-1].startswith("Kepala desa yang bersangkutan mengaku")
    assert "Laporan Wartawan" not in page.text and "(Tribunjabar.id/" not in page.text
    assert page.published_at == datetime(2024, 1, 16, 13, 5, 27, tzinfo=WIB)


def test_okezone_name_before_its_label_and_printed_time_against_stale_meta():
    page = extract_page(fixture_page("okezone-jurnalis.html"), OKEZONE)
    # <div>Ari Sandita Murti</div><span>Jurnalis</span>, away from the headline; meta author is the outlet
    assert page.author == "Ari Sandita Murti"
    # article:published_time says the evening before; the page prints "Sabtu 10 Februari 2024 08:15"
    assert page.published_at == datetime(2024, 2, 10, 8, 15, tzinfo=WIB)


def test_institution_byline_is_kept_and_the_cms_account_is_not():
    page = extract_page(fixture_page("wordpress-humas-rilis.html"), HUMAS)
    assert page.author == "Humas Pemkab Garut"              # not "admin" (JSON-LD, meta author)
    # WordPress left on UTC: "10:12:44+00:00" beside a printed "29 Januari 2024 10:12" is 10:12 WIB
    assert page.published_at == datetime(2024, 1, 29, 10, 12, 44, tzinfo=WIB)
    assert page.language == "id"                            # the theme declares en-US


def test_a_byline_element_naming_only_the_editor_gives_no_author():
    html = fixture_page("wordpress-humas-rilis.html").replace(
        b'<span class="byline"> Oleh <span class="author vcard"><a class="url fn n" href="https://garutupdate.id/author/humas/">'
        b'Humas Pemkab Garut</a></span></span>',
        b'<span class="byline author">Editor: Yanuar Baswata</span>')
    assert b"Humas Pemkab Garut" not in html
    page = extract_page(html, HUMAS)
    assert page.author is None and page.credits["editor"] == "Yanuar Baswata"


def test_initials_and_names():
    for code in ("bgs", "ADY", "rdp/imk", "ant/mhd", "(fyk/ash)"):
        assert is_initials(code), code
    for name in ("Ady", "Monalisa", "Masriadi", "Tim detikBali", "prwir"):
        assert not is_initials(name), name


def test_a_local_time_written_twice_once_as_utc_is_the_local_one():
    # JSON-LD "22:30Z", article:published_time "22:30+07:00": one clock, one mislabelled
    chosen = choose_published(machine=["2024-02-10T22:30:00Z", "2024-02-10T22:30:00+07:00"], visible=[])
    assert chosen == datetime(2024, 2, 10, 22, 30, tzinfo=WIB)
    # a true UTC time and its WIB twin show different clocks: the UTC one is read as UTC
    chosen = choose_published(machine=["2024-02-10T15:30:00Z", "2024-02-10T22:30:00+07:00"], visible=[])
    assert chosen == datetime(2024, 2, 10, 22, 30, tzinfo=WIB)


def test_a_late_evening_time_labelled_utc_keeps_the_day_the_page_or_its_url_names():
    assert choose_published(machine=["2024-02-10T23:10:00+00:00"], visible=["Sabtu, 10 Februari 2024"]).date() \
        == date(2024, 2, 10)
    assert choose_published(machine=["2024-02-10T23:10:00Z"], visible=[], url_day=date(2024, 2, 10)) \
        == datetime(2024, 2, 10, 23, 10, tzinfo=WIB)
    # the same value on a page that says nothing else is taken as UTC
    assert choose_published(machine=["2024-02-10T23:10:00Z"], visible=[]) == datetime(2024, 2, 11, 6, 10, tzinfo=WIB)
    assert url_day("https://x.id/2024/02/10/judul/") == date(2024, 2, 10)
    assert url_day("https://x.id/read/2024/02/10/337/29/judul") == date(2024, 2, 10)
    assert url_day("https://x.id/berita/16/02/23/judul") is None


DETIK = "https://www.detik.com/jateng/berita/d-7186532/bawaslu-jateng-temukan-20-kades-ikut-kampanye-caleg-di-semarang"
CNN = "https://www.cnnindonesia.com/nasional/20240905191200-617-1141234/bawaslu-temukan-pj-bupati-di-sulsel-hadiri-deklarasi-paslon"


def test_detik_page_byline_desk_suffix_wib_written_as_z_and_its_inserts():
    page = extract_page(fixture_page("detik-jateng.html"), DETIK)
    assert page.author == "Angling Adhitya Purbaya"            # "Angling Adhitya Purbaya - detikJateng"
    # pubdate and JSON-LD say 22:30:11Z; the page prints "Sabtu, 10 Feb 2024 22:30 WIB"
    assert page.published_at == datetime(2024, 2, 10, 22, 30, 11, tzinfo=WIB)
    lines = page.text.split("\n")
    assert lines[0].startswith("Semarang - Badan Pengawas Pemilu (Bawaslu) Jawa Tengah") and len(lines) == 5
    for insert in ("ADVERTISEMENT", "SCROLL TO CONTINUE", "Gambas", "Simak Video", "Baca juga", "(ams/apl)"):
        assert insert not in page.text, insert


def test_cnn_team_byline_is_kept_and_the_outlet_is_not_its_section():
    page = extract_page(fixture_page("cnn-nasional.html"), CNN)
    assert page.author == "CNN Indonesia"                      # a team byline, as the page prints it
    assert page.outlet == "CNN Indonesia"                      # og:site_name says "nasional"
    assert page.published_at == datetime(2024, 9, 5, 19, 12, tzinfo=WIB)
    assert page.text.split("\n")[-1].startswith("Pj Bupati Gowa belum memberikan tanggapan")


def test_the_visible_headline_when_the_metadata_rewords_it():
    html = fixture_page("kompas-regional-garut.html")
    seo = "Camat Garut Dilaporkan ke Bawaslu, Ajak Warga Pilih Caleg"
    for old in (b"Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg Halaman all - Kompas.com",
                b'"Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg"',
                b'content="Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg"'):
        assert old in html
    html = (html.replace(b"Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg Halaman all - Kompas.com",
                         f"{seo} - Kompas.com".encode())
                .replace(b'"headline":"Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg"',
                         f'"headline":"{seo}"'.encode())
                .replace(b'content="Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg"',
                         f'content="{seo}"'.encode()))
    page = extract_page(html, KOMPAS)
    assert page.title == "Camat di Garut Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg"
    # curly quotes in the headline, straight ones in the metadata: still the headline
    quoted = fixture_page("detik-jateng.html").replace(
        b'<h1 class="detail__title">Bawaslu Jateng Temukan 20 Kades',
        "<h1 class=\"detail__title\">\u201cBawaslu\u201d Jateng Temukan 20 Kades".encode()).replace(
        b"<title>Bawaslu Jateng", b'<title>"Bawaslu" Jateng').replace(
        b'content="Bawaslu Jateng Temukan', b'content="&quot;Bawaslu&quot; Jateng Temukan').replace(
        b'"headline":"Bawaslu Jateng', b'"headline":"\\"Bawaslu\\" Jateng')
    assert extract_page(quoted, DETIK).title == "\u201cBawaslu\u201d Jateng Temukan 20 Kades Ikut Kampanye Caleg di Semarang"


def test_a_team_byline_naming_the_site_is_kept():
    html = fixture_page("detik-jateng.html").replace(
        b'<div class="detail__author">Angling Adhitya Purbaya - detikJateng</div>',
        b'<div class="detail__author">Tim Liputan6.com</div>').replace(
        b'"author":{"@type":"Person","name":"Angling Adhitya Purbaya"}', b'"author":{"@type":"Person","name":"Tim Liputan6.com"}').replace(
        b'<meta name="author" content="Angling Adhitya Purbaya">', b"")
    assert b"Angling" in html                                  # still the photo caption's credit, not a byline
    assert extract_page(html, DETIK).author == "Tim Liputan6.com"
