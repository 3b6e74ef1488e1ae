"""The article's language from its own text, offline: Javanese, Sundanese and Malay are not labelled
Indonesian because the page declares `lang="id"`, and an Indonesian article quoting Javanese stays Indonesian."""
from __future__ import annotations

import socket

import pytest

from extract import language
from extract.language import detect_language
from extract.page import extract_page
from tests.conftest import fixture_page

KLATEN = "https://kabarklaten.id/2024/01/18/bawaslu-klaten-nemokake-kepala-desa-melu-kampanye-caleg/"

SUNDANESE = (
    "GARUT - Bawaslu Kabupaten Garut manggihan aya kapala désa anu milu kampanye calon anggota legislatif di "
    "Kacamatan Cibatu. Numutkeun Ketua Bawaslu Garut, kapala désa téh geus dibéjaan supaya ulah milu-milu "
    "pulitik praktis. \"Aturanna geus jelas, kapala désa kudu nétral jeung teu meunang ngarahkeun warga,\" "
    "saurna. Warga anu ningali kajadian éta tuluy ngalaporkeun ka Panwascam. Ayeuna perkara éta keur "
    "ditalungtik ku Bawaslu.")
MALAY = (
    "KUALA LUMPUR: Suruhanjaya Pilihan Raya (SPR) berkata calon yang bertanding dalam pilihan raya kecil itu "
    "perlu mematuhi peraturan kempen yang ditetapkan. Menurut kenyataan itu, pihak polis telah menerima tiga "
    "laporan berhubung penggunaan wang kerajaan bagi tujuan kempen. Beliau berkata siasatan dijalankan "
    "mengikut Seksyen 10 Akta Kesalahan Pilihan Raya dan orang ramai diminta tidak membuat sebarang "
    "spekulasi kerana kes itu masih disiasat. Keputusan akan diumumkan selepas pengundian.")
INDONESIAN_QUOTING_JAVANESE = (
    "KLATEN - Badan Pengawas Pemilu Kabupaten Klaten menemukan seorang kepala desa di Kecamatan Trucuk yang "
    "diduga ikut berkampanye untuk calon anggota legislatif. Kepala desa itu terlihat berada di atas panggung "
    "saat kampanye tatap muka di lapangan desa pada Selasa malam. Dalam rekaman video yang beredar, ia "
    "berkata kepada warga, \"Sing penting aja lali milih sing wis mbantu desa iki.\" Ketua Bawaslu Klaten "
    "mengatakan laporan warga sudah diterima dan kini sedang ditelusuri oleh Panwascam Trucuk. Menurut dia, "
    "kepala desa tidak boleh terlibat kampanye karena harus netral dan mengayomi semua warga.")
ENGLISH = (
    "The Klaten Election Supervisory Agency (Bawaslu) has found that a village head in Trucuk district took "
    "part in a campaign rally for a legislative candidate. The agency's chairman said the report from "
    "residents had been received and was being examined, adding that village heads must stay neutral.")


def test_a_javanese_article_on_a_page_declared_indonesian_is_javanese():
    page = extract_page(fixture_page("wordpress-jawa-klaten.html"), KLATEN)
    assert b'lang="id-ID"' in fixture_page("wordpress-jawa-klaten.html")
    assert page.language == "jv"
    # still read as an Indonesian outlet's page: its dates are WIB, its byline is the reporter's
    assert page.published_at.utcoffset().total_seconds() == 7 * 3600 and page.author == "Bagus Santosa"


@pytest.mark.parametrize("name", ["wordpress-jabarekspres.html", "tribun-regional.html", "jpnn.html",
                                  "antara-jabar.html", "fajar-timex.html", "wordpress-indramayujeh.html"])
def test_indonesian_pages_stay_indonesian(name):
    assert extract_page(fixture_page(name), "https://contoh.id/berita/2024/01/01/judul-berita").language == "id"


def test_sundanese_malay_and_english_are_told_apart_whatever_the_page_declares():
    assert detect_language(SUNDANESE, hint="id") == "su"
    assert detect_language(MALAY, hint="id") == "ms"
    assert detect_language(ENGLISH, hint="id") == "en"


def test_an_indonesian_article_quoting_javanese_stays_indonesian():
    assert detect_language(INDONESIAN_QUOTING_JAVANESE, hint="id") == "id"
    assert detect_language(INDONESIAN_QUOTING_JAVANESE, hint=None) == "id"


def test_indonesian_words_malay_shares_do_not_make_it_malay():
    insurance = ("Otoritas Jasa Keuangan meminta perusahaan asuransi mempercepat pembayaran klaim polis milik "
                 "korban banjir. Pemegang polis yang rumahnya terendam diminta melapor dengan membawa salinan polis "
                 "dan foto kerusakan. Kerajaan Inggris dan kerajaan Belanda pernah menerapkan aturan serupa.")
    assert detect_language(insurance, hint=None) == "id"


def test_too_little_text_keeps_the_declared_language():
    assert detect_language("Foto: Bawaslu Klaten", hint="id-ID") == "id"
    assert detect_language("", hint=None) is None


def test_the_model_ships_in_the_package_and_loads_with_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the language detector tried to reach the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    language._model.cache_clear()
    try:
        assert language._model() is not None
        assert detect_language(SUNDANESE) == "su"
        scores = language.model_scores(ENGLISH)
        assert max(scores, key=scores.get) == "en"
    finally:
        language._model.cache_clear()
