"""The province and regency an article is about, from its dateline and text (Kemendagri names), stored in
place of its source's region: a national outlet reports from every province."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import select

from extract.article import process_article
from extract.fetched import FetchedPage
from extract.region import Region, dateline, find_region
from store.articles import save_article
from store.models import Article
from tests.conftest import fixture_page

NTT, JABAR, JATENG = "Nusa Tenggara Timur", "Jawa Barat", "Jawa Tengah"
JAKARTA = "Daerah Khusus Ibukota Jakarta"


def test_datelines_of_regional_and_wire_outlets_name_the_city_and_its_province():
    assert find_region("KUPANG, TIMEX - Seorang camat diperiksa Bawaslu usai menghadiri deklarasi pasangan calon.") \
        == Region(NTT, "Kota Kupang")
    assert find_region("Jambi (ANTARA) - Bawaslu mengingatkan aparatur sipil negara agar menjaga netralitas.") \
        == Region("Jambi", "Kota Jambi")
    assert find_region("JABAREKSPRES.COM, CIMAHI – Bawaslu menemukan camat ikut kampanye.") == Region(JABAR, "Kota Cimahi")
    assert find_region("TRIBUNJATENG.COM, BATANG - Seorang kepala desa dilaporkan.") == Region(JATENG, "Kabupaten Batang")
    assert dateline("Jambi (ANTARA) - Bawaslu ...") == ["Jambi", "ANTARA"]


def test_a_regency_seat_in_the_dateline_is_settled_by_the_outlets_own_region():
    # Sumber is a district in Kabupaten Cirebon (Jawa Barat), Kabupaten Rembang (Jawa Tengah) and Kabupaten
    # Probolinggo (Jawa Timur); Indramayujeh is an Indramayu (Jawa Barat) outlet, so it is Cirebon's
    text = "SUMBER, INDRAMAYUJEH - Ratusan kuwu diminta menjaga netralitas menjelang pemungutan suara."
    assert find_region(text) == Region(JABAR, "Kabupaten Cirebon")
    # with no outlet in the dateline, the text decides
    rembang = "SUMBER - Bawaslu Kabupaten Rembang memanggil kepala desa yang hadir dalam kampanye."
    assert find_region(rembang) == Region(JATENG, "Kabupaten Rembang")
    # and the source's province does when nothing else does
    assert find_region("SUMBER - Ratusan kepala desa diminta netral.", hint_province="Jawa Timur") \
        == Region("Jawa Timur", "Kabupaten Probolinggo")


def test_a_city_and_a_regency_of_one_name_are_told_apart_by_the_text():
    assert find_region("KUPANG - Bawaslu Kabupaten Kupang memeriksa camat yang hadir di deklarasi. "
                       "Bupati Kupang meminta ASN netral.") == Region(NTT, "Kabupaten Kupang")
    assert find_region("Cirebon (ANTARA) - Penjabat Bupati Cirebon meminta ASN netral.") \
        == Region(JABAR, "Kabupaten Cirebon")
    assert find_region("BANDUNG - Wali Kota Bandung meminta ASN netral.") == Region(JABAR, "Kota Bandung")


def test_a_national_desk_dateline_gives_way_to_the_regency_the_story_is_about():
    story = ("Jakarta, CNN Indonesia -- Bawaslu RI menerima laporan tentang camat di Kabupaten Garut yang ikut "
             "kampanye. Bawaslu Garut sudah memanggil camat itu, sementara Bupati Garut membantah ada arahan.")
    assert find_region(story) == Region(JABAR, "Kabupaten Garut")
    assert find_region("Jakarta - Bawaslu RI meluncurkan indeks kerawanan pemilu nasional.") == Region(JAKARTA, None)


def test_everyday_spellings_and_no_place_at_all():
    assert find_region("Bandarlampung (ANTARA) - Polda Lampung menyiapkan pengamanan.") \
        == Region("Lampung", "Kota Bandar Lampung")
    assert find_region("SOLO - Wali Kota Solo meminta ASN netral.") == Region(JATENG, "Kota Surakarta")
    assert find_region("Kapanlagi.com - Penyanyi itu merilis album baru bersama Bima Arya.") is None
    assert find_region("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- Sebuah perusahaan meluncurkan produk.") is None


def test_the_article_region_is_stored_instead_of_the_sources(sqlite_store, tagger):
    url = "https://www.antaranews.com/berita/3927114/bawaslu-kota-jambi-temukan-lurah-hadiri-deklarasi-caleg"
    processed = process_article([FetchedPage(url, fixture_page("antara-nasional-jambi.html"))], tagger=tagger,
                                fetched_at=datetime(2024, 1, 23, tzinfo=timezone.utc))
    assert processed.region == Region("Jambi", "Kota Jambi")
    with sqlite_store.session() as s:
        # the national desk's source entry says DKI Jakarta; the article is about Kota Jambi
        save_article(s, processed, source="antara-nasional", province=JAKARTA, regency="Kota Administrasi Jakarta Pusat")
    with sqlite_store.session() as s:
        article = s.exec(select(Article)).one()
        assert (article.province, article.regency) == ("Jambi", "Kota Jambi")


def test_the_sources_region_stays_when_the_article_names_none(sqlite_store, tagger):
    url = "https://kupang.tribunnews.com/2023/11/27/lurah-di-belu-dilaporkan-ke-bawaslu?page=2"
    processed = process_article([FetchedPage(url, fixture_page("tribun-multipage-2.html"))], tagger=tagger)
    assert processed.region is None                      # a later page: no dateline, no place named
    with sqlite_store.session() as s:
        save_article(s, processed, source="tribun-kupang", province=NTT, regency="Kota Kupang")
    with sqlite_store.session() as s:
        article = s.exec(select(Article)).one()
        assert (article.province, article.regency) == (NTT, "Kota Kupang")


def test_a_national_outlets_page_is_about_the_regency_it_reports_on():
    from extract.page import extract_page
    url = "https://www.cnnindonesia.com/nasional/20240905191200-617-1141234/bawaslu-temukan-pj-bupati-di-sulsel-hadiri-deklarasi-paslon"
    page = extract_page(fixture_page("cnn-nasional.html"), url)
    assert page.text.startswith("Jakarta, CNN Indonesia --")
    assert find_region(page.text) == Region("Sulawesi Selatan", "Kabupaten Gowa")
