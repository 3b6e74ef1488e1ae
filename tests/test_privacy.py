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


# Reports as outlets print them, with identity numbers, phones in every spelling and addresses broken over lines,
# plus tables and forms pasted into articles, an emoji, and text with only numbers that are not personal data.
SCRUB_CASES = [
    REPORT,
    "GARUT - Warga Desa Sukamurni melapor ke Panwascam. NIK pelapor 3201011508950001, nomor KK 3212041205780003.\n"
    "Kuwu berinisial AS diduga membagikan sembako kepada warga pada Selasa (20/1).",
    "Masyarakat dapat melapor melalui WhatsApp 0812 2345 6789 atau +6281322334455, telepon (022) 7654321, "
    "dan hotline 021-7654321. Nomor 08 12 34 56 78 90 juga aktif.\nLaporan yang masuk akan ditindaklanjuti.",
    "Terlapor tinggal di Jalan Sukajadi No. 21, Kelurahan Cipedes. Rumah kedua di Jl. Cihampelas RT 01\n/RW 04, "
    "Bandung.\nIa juga punya rumah di Perumahan Griya Asri Blok C3 No. 12 dan Gg. Mawar No 12, RT 002 RW 007.",
    "Data pelapor yang beredar:\nNama | NIK | HP\nSutrisno | 3273015505900002 | 0857-1234-5678\n"
    "Rahmat | 3174096112880001 | +62 813-1122-3344\nBawaslu meminta data itu tidak disebarkan.",
    "Formulir laporan\nNama: Sutrisno\nNIK: 3212 0412 0578 0003\nAlamat: Dusun Krajan RT 3 RW 1, Desa Lohbener\n"
    "HP: 0812-2345-6789\nUraian: kepala desa ikut kampanye.",
    "NIK\n3201-0115-0895-0001\nAlamat\nKomplek Bumi Asri blok b no 9",
    "Warga menyebut nomor nol delapan satu dua tiga empat lima enam tujuh delapan sembilan milik tim sukses. 🗳️ "
    "Posko di Jl. Merdeka No.5 ramai, kata Ketua Bawaslu.",
    "Bawaslu mencatat 1.536 dugaan pelanggaran pada Pilkada 2020, sesuai UU Nomor 7 Tahun 2017 dan PKPU Nomor 3 "
    "Tahun 2022. Sebanyak 2.034 ASN di 514 kabupaten/kota diperiksa; anggaran Rp 1.250.000.000 pada 19/07/2023.",
    "Ketua Bawaslu Kota Cimahi, Aan Sugiharto, mengatakan temuan itu berawal dari laporan warga.",
]


def test_scrubbing_finds_exactly_what_lokal_id_finds_over_the_whole_text():
    from lokal.samaran import detect_pii

    from extract import privacy

    found_any = 0
    for text in SCRUB_CASES:
        expected = detect_pii(text, types=privacy.PERSONAL)
        assert privacy._detect_personal(text) == expected
        found_any += bool(expected)
    assert found_any == len(SCRUB_CASES) - 2            # all but the two texts without personal data


def test_scrubbing_realistic_reports(monkeypatch):
    from lokal.samaran import detect_pii

    from extract import privacy

    fast = [scrub(text) for text in SCRUB_CASES]
    monkeypatch.setattr(privacy, "_detect_personal", lambda text: detect_pii(text, types=privacy.PERSONAL))
    assert fast == [scrub(text) for text in SCRUB_CASES]
    for secret in ("3201011508950001", "0812 2345 6789", "+6281322334455", "(022) 7654321", "Sukajadi No. 21",
                   "Cihampelas RT 01", "Gg. Mawar No 12",
                   "0857-1234-5678", "3212 0412 0578 0003", "3201-0115-0895-0001", "Jl. Merdeka No.5"):
        assert not any(secret in text for text in fast), secret
    assert fast[-2:] == SCRUB_CASES[-2:]


def test_an_address_broken_over_two_lines_is_removed_whole(tagger):
    page = ("<html><head><title>Kades Dilaporkan ke Bawaslu</title></head><body><article>"
            "<h1>Kades Dilaporkan ke Bawaslu</h1>"
            "<p>KUNINGAN - Pelapor, Dedi Supriadi, warga Jl. Siliwangi Gang Mawar<br>No. 12 RT 03/RW 05, "
            "Kelurahan Cijoho, melaporkan kepala desa yang diduga ikut kampanye ke Bawaslu Kabupaten Kuningan.</p>"
            "<p>Rumah kedua pelapor berada di Jalan Raya Cigugur<br>No. 45 RT 02 RW 07, Desa Cigugur.</p>"
            "<p>Kampanye itu digelar di Jalan Siliwangi<br>Nomor urut 2 pasangan calon hadir bersama kepala desa.</p>"
            "<p>Ketua Bawaslu Kabupaten Kuningan, Firman Pratama, mengatakan laporan itu akan dikaji.</p>"
            "</article></body></html>")
    processed = process_page(page, "https://kuningan.example.id/2024/02/12/kades-dilaporkan/", tagger=tagger)
    text = processed.page.text
    for secret in ("Gang Mawar", "No. 12", "RT 03/RW 05", "Raya Cigugur", "No. 45", "RT 02 RW 07"):
        assert secret not in text, secret
    assert text.count(REMOVED) == 2
    for kept in ("Dedi Supriadi", "Kelurahan Cijoho", "Desa Cigugur", "Jalan Siliwangi\nNomor urut 2",
                 "Firman Pratama"):
        assert kept in text, kept
