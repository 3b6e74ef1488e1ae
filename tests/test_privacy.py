"""Personal data a page prints is never stored (UU PDP 27/2022); names, titles and the news stay."""
from __future__ import annotations

from extract.article import process_page
from extract.privacy import REMOVED, find_personal_data, scrub

REPORT = ("INDRAMAYU - Pelapor, Sutrisno (45), warga Jalan Letnan Sutejo No. 17 RT 03/RW 05, Desa Lohbener, "
          "dengan NIK 3212041205780003 dan nomor HP 0812-2345-6789, melaporkan seorang kuwu ke Bawaslu. "
          "Kantor Bawaslu di Jalan Gatot Subroto, Indramayu. Sebanyak 2.034 ASN melanggar Pasal 5 huruf n "
          "PP Nomor 94 Tahun 2021. Pengaduan juga bisa lewat +62 813-1122-3344.")


def test_identity_numbers_phones_and_home_addresses_are_removed():
    clean = scrub(REPORT)
    for secret in ("3212041205780003", "0812-2345-6789", "813-1122-3344", "Letnan Sutejo No. 17", "RT 03/RW 05"):
        assert secret not in clean
    assert clean.count(REMOVED) == 4


def test_names_titles_offices_and_legal_references_stay():
    clean = scrub(REPORT)
    for kept in ("Sutrisno (45)", "Desa Lohbener", "Kantor Bawaslu di Jalan Gatot Subroto, Indramayu.",
                 "Sebanyak 2.034 ASN melanggar Pasal 5 huruf n PP Nomor 94 Tahun 2021."):
        assert kept in clean


def test_labelled_numbers_and_kinds():
    kinds = [k for _, _, k in find_personal_data("NIK: 3212 0412 0578 0003, KTP atas nama Sutrisno.")]
    assert kinds == ["NIK"]
    assert find_personal_data("Bawaslu mencatat 1.536 dugaan pelanggaran pada Pilkada 2020.") == []


def test_scrub_is_idempotent_and_keeps_clean_text_untouched():
    once = scrub(REPORT)
    assert scrub(once) == once
    plain = "Ketua Bawaslu Kota Cimahi, Aan Sugiharto, mengatakan temuan itu berawal dari laporan warga."
    assert scrub(plain) == plain


def test_stored_text_is_scrubbed(tagger):
    page = (f"<html><head><title>Warga Laporkan Kuwu</title></head><body><article><h1>Warga Laporkan Kuwu</h1>"
            f"<p>{REPORT}</p><p>Ketua Bawaslu Indramayu, Ahmad Ropi, mengatakan laporan itu akan dikaji.</p>"
            f"</article></body></html>")
    processed = process_page(page, "https://indramayujeh.com/2024/02/12/warga-laporkan-kuwu/", tagger=tagger)
    assert "3212041205780003" not in processed.page.text and "0812-2345-6789" not in processed.page.text
    assert "Sutrisno" in processed.page.text
