"""Extraction of whole pages in the shapes regional outlets use: every article paragraph in, none of the
boilerplate, and title, date, author right."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extract.page import NoArticleText, extract_page, merge_pages
from tests.conftest import fixture_page

WIB, WITA = timezone(timedelta(hours=7)), timezone(timedelta(hours=8))
JABAR = "https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-asn-ikut-kampanye-caleg-di-cimahi/"
TRIBUN = "https://jateng.tribunnews.com/2023/11/22/kades-di-batang-dilaporkan-ke-bawaslu-karena-ajak-warga-pilih-caleg-tertentu"
JPNN = "https://www.jpnn.com/news/bawaslu-temukan-dugaan-politik-uang-di-dapil-jabar-iii"
TIMEX = "https://timex.fajar.co.id/2024/09/05/camat-di-kupang-diperiksa-bawaslu-usai-hadiri-deklarasi-paslon/"
INDRAMAYU = "https://indramayujeh.com/2023/08/05/ratusan-kuwu-di-indramayu-diminta-netral/"
BELU = "https://kupang.tribunnews.com/2023/11/27/lurah-di-belu-dilaporkan-ke-bawaslu"
ANTARA = "https://jabar.antaranews.com/berita/512345/bawaslu-garut-telusuri-dugaan-kepala-sekolah-ikut-kampanye-caleg"


def extract(name: str, url: str):
    return extract_page(fixture_page(name), url)


def paragraphs(page) -> list[str]:
    return page.text.split("\n")


def assert_clean(page, forbidden: list[str]) -> None:
    for text in forbidden:
        assert text.lower() not in page.text.lower(), f"boilerplate leaked: {text!r}"


def test_wordpress_jabarekspres():
    page = extract("wordpress-jabarekspres.html", JABAR)
    lines = paragraphs(page)
    assert lines[0].startswith("JABAREKSPRES.COM, CIMAHI – Badan Pengawas Pemilu (Bawaslu) Kota Cimahi")
    assert lines[-1] == "“Kalau terbukti, tentu ada sanksi disiplin sesuai aturan,” ujar Dikdik."
    assert len(lines) == 6
    assert_clean(page, ["Editor", "Yanuar Baswata", "Baca Juga", "KPU Cimahi Tetapkan", "Ikuti kami", "Google News",
                        "Bagikan", "Foto:", "Copyright", "Berita Terkait", "Persib"])
    assert page.title == "Bawaslu Temukan Camat dan Tiga ASN Ikut Kampanye Caleg di Cimahi"
    assert page.author == "Rizky Ramadhan"
    assert page.credits["editor"] == "Yanuar Baswata"
    assert page.published_at == datetime(2023, 9, 13, 10, 15, tzinfo=WIB)
    assert page.published_at.utcoffset() == timedelta(hours=7)
    assert page.outlet == "Jabar Ekspres" and page.language == "id"


def test_tribun_network_page():
    page = extract("tribun-regional.html", TRIBUN)
    lines = paragraphs(page)
    assert lines[0].startswith("TRIBUNJATENG.COM, BATANG - Seorang kepala desa di Kecamatan Bandar")
    assert lines[-1].startswith("Kades yang dilaporkan belum memberikan tanggapan.")
    assert len(lines) == 7
    # the article's own sentence that starts with "Baca juga" stays; the related-link inserts go
    assert any(line.startswith("Baca juga aturan lengkapnya di laman resmi Bawaslu") for line in lines)
    assert_clean(page, ["KPU Batang Tetapkan", "Ratusan Kades di Jateng", "Artikel ini telah tayang", "(*)",
                        "TRIBUNJATENG/DINA", "Ikuti kami", "Bagikan", "Tags", "Copyright", "Harga Cabai", "Penulis"])
    assert page.title == "Kades di Batang Dilaporkan ke Bawaslu karena Ajak Warga Pilih Caleg Tertentu"
    assert page.author == "Dina Indriani"
    assert page.credits["editor"] == "Muhammad Olies"
    assert page.published_at == datetime(2023, 11, 22, 9, 41, 12, tzinfo=WIB)


def test_jpnn_page():
    page = extract("jpnn.html", JPNN)
    lines = paragraphs(page)
    assert lines[0].startswith("jpnn.com, JAKARTA - Badan Pengawas Pemilu (Bawaslu) menemukan")
    assert len(lines) == 6
    assert lines[-1].startswith("Simak juga penjelasan Puadi soal sanksi")      # prose, not an insert
    assert_clean(page, ["BACA JUGA", "KPU Pastikan Logistik", "Pj Gubernur Minta", "Redaktur", "Fathan Sinaga",
                        "Foto: Ricardo", "Share", "Dilarang mengutip", "Terpopuler"])
    assert page.title == "Bawaslu Temukan Dugaan Politik Uang di Dapil Jabar III"
    assert page.author == "Fathan Sinaga" and page.credits["editor"] == "Fathan Sinaga"
    assert page.published_at == datetime(2024, 2, 12, 19, 5, tzinfo=WIB)


def test_fajar_network_page_keeps_dateline_and_wita():
    page = extract("fajar-timex.html", TIMEX)
    lines = paragraphs(page)
    # the dateline printed in its own paragraph opens the body, as the outlet prints it
    assert lines[0].startswith("KUPANG, TIMEX.FAJAR.CO.ID - Bawaslu Kabupaten Kupang memeriksa seorang camat")
    assert lines[4].startswith("Foto-foto kegiatan deklarasi itu")           # prose starting with "Foto"
    assert len(lines) == 6
    assert_clean(page, ["(FOTO:", "Sumber Antara", "Editor", "Marthen Bana", "Bagikan", "KPU Kabupaten Kupang Tetapkan",
                        "Copyright"])
    assert page.title == "Camat di Kupang Diperiksa Bawaslu Usai Hadiri Deklarasi Paslon"
    assert page.author == "Yanti Nenobais"
    assert page.credits == {"editor": "Marthen Bana", "source": "Antara"}
    assert page.published_at == datetime(2024, 9, 5, 8, 30, tzinfo=WITA)      # printed WITA, no metadata
    assert page.published_at.utcoffset() == timedelta(hours=8)


def test_wordpress_portal_with_br_paragraphs():
    page = extract("wordpress-indramayujeh.html", INDRAMAYU)
    lines = paragraphs(page)
    assert lines[0].startswith("INDRAMAYU - Sebanyak 309 kuwu")                # lead written before the first <br>
    assert len(lines) == 5
    assert lines[-1].startswith("Lihat juga bagaimana Apdesi Indramayu")      # prose, not an insert
    assert_clean(page, ["Simak juga:", "Buka Rekrutmen PPS", "Ikuti kami", "Tag:", "Hak cipta", "Reporter"])
    assert page.author == "Ahmad Fauzi"
    assert page.published_at == datetime(2023, 8, 5, 13, 20, tzinfo=WIB)      # "5 Agu 2023 - 13:20 WIB"


def test_antara_regional_page_with_br_paragraphs_and_a_credit_block():
    page = extract("antara-jabar.html", ANTARA)
    lines = paragraphs(page)
    assert lines[0].startswith("Garut (ANTARA) - Badan Pengawas Pemilu (Bawaslu) Kabupaten Garut")
    assert lines[-1].startswith('"Sanksinya jelas, mulai dari teguran hingga penurunan pangkat.')
    assert len(lines) == 6
    assert_clean(page, ["Baca juga", "KPU Garut mulai distribusikan", "Pewarta", "Editor", "COPYRIGHT", "ANTARA/Feri",
                        "Berita Terkait", "Terpopuler", "Harga beras", "Bagikan", "#bawaslu"])
    assert page.title == "Bawaslu Garut telusuri dugaan kepala sekolah ikut kampanye caleg"
    # "Pewarta: X<br>Editor: Y<br>COPYRIGHT" is three lines, not one run-on name
    assert page.author == "Feri Purnama"
    assert page.credits["editor"] == "Ajat Sudrajat"
    assert page.published_at == datetime(2024, 1, 22, 14, 5, tzinfo=WIB)
    assert page.outlet == "ANTARA News Jawa Barat" and page.canonical_url == ANTARA


def test_date_hint_and_fetch_time_used_only_when_the_page_states_nothing():
    html = ("<html lang='id'><head><title>Panwascam Awasi Kampanye</title></head><body><article>"
            "<h1>Panwascam Awasi Kampanye di Pasar</h1><p>" + "Panwascam Cibeber mengawasi kampanye terbuka di pasar. " * 8
            + "</p></article></body></html>")
    hint = datetime(2024, 1, 20, 3, 0, tzinfo=timezone.utc)
    page = extract_page(html, "https://example.co.id/berita/panwascam-awasi-kampanye", date_hint=hint)
    assert page.published_at == hint and page.published_at.utcoffset() == timedelta(hours=7)


def test_not_an_article():
    with pytest.raises(NoArticleText):
        extract_page(b"<html><body><h1>404</h1><p>Halaman tidak ditemukan</p></body></html>", "https://x.co.id/a")
    with pytest.raises(NoArticleText):
        extract_page(b"   ", "https://x.co.id/a")


# ---------------------------------------------------------------- multi-page articles


def test_merge_appends_pages_in_order_with_boilerplate_once():
    first = extract("tribun-multipage-1.html", BELU)
    second = extract("tribun-multipage-2.html", BELU + "?page=2")
    merged = merge_pages([first, second])
    lines = paragraphs(merged)
    assert len(lines) == 6
    assert lines[0].startswith("POSKUPANG.COM, ATAMBUA - Bawaslu Kabupaten Belu")
    assert lines[3].startswith("\"Kami akan memanggil lurah")                  # page 2 follows page 1
    assert lines[-1].startswith("Penjabat Bupati Belu berjanji")
    assert_clean(merged, ["Halaman", "Tampilkan semua", "LOAD MORE", "Ikuti kami", "Copyright", "Penulis"])
    assert merged.title == first.title and merged.published_at == datetime(2023, 11, 27, 10, 12, tzinfo=WITA)
    assert merged.author == "Agustinus Sape" and merged.credits["editor"] == "Oby Lewanmeru"


def test_merge_keeps_a_line_repeated_by_every_page_once():
    first = extract("tribun-multipage-1.html", BELU)
    second = extract("tribun-multipage-2.html", BELU + "?page=2")
    second.text = paragraphs(first)[0] + "\n" + second.text                    # outlets that re-print the lead
    assert paragraphs(merge_pages([first, second])).count(paragraphs(first)[0]) == 1
    with pytest.raises(ValueError):
        merge_pages([])
