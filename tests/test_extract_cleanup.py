"""Each Indonesian boilerplate rule: a page or line where it must fire, and a real paragraph it must keep."""
from __future__ import annotations

import pytest

from extract.cleanup import clean_lines
from extract.page import extract_page

LEAD = ("Badan Pengawas Pemilu Kabupaten Garut menemukan dua kepala desa yang diduga ikut berkampanye untuk "
        "seorang calon anggota DPRD dalam acara pengajian di Kecamatan Tarogong Kidul, Sabtu (18/11/2023).")
SECOND = ("Ketua Bawaslu Garut mengatakan kedua kepala desa itu akan dipanggil untuk klarifikasi pekan depan, "
          "sebelum hasil kajian diteruskan kepada bupati sebagai pejabat pembina.")


def page(*blocks: str) -> str:
    body = "\n".join(blocks)
    return (f"<html lang='id'><head><meta charset='utf-8'><title>Dua Kades di Garut Diduga Kampanye</title>"
            f"<meta property='og:title' content='Dua Kades di Garut Diduga Kampanye'></head><body>"
            f"<h1>Dua Kades di Garut Diduga Kampanye</h1><div class='entry-content'><p>{LEAD}</p>{body}"
            f"<p>{SECOND}</p></div></body></html>")


def body(*blocks: str) -> list[str]:
    return extract_page(page(*blocks), "https://garut.example.co.id/berita/dua-kades-diduga-kampanye").text.split("\n")


@pytest.mark.parametrize("insert", [
    "<p><strong>Baca juga:</strong> <a href='/a'>KPU Garut Tetapkan DCT</a></p>",
    "<p>Baca Juga: <a href='/a'>KPU Garut Tetapkan DCT</a></p>",
    "<p><strong>BACA JUGA</strong> <a href='/a'>KPU Garut Tetapkan DCT</a></p>",
    "<div class='baca-juga'><span>Baca juga</span><ul><li><a href='/a'>KPU Garut Tetapkan DCT</a></li></ul></div>",
    "<p>Simak juga: <a href='/a'>KPU Garut Tetapkan DCT</a></p>",
    "<p>Lihat juga: <a href='/a'>KPU Garut Tetapkan DCT</a></p>",
    "<h3>Berita Terkait</h3><ul><li><a href='/a'>KPU Garut Tetapkan DCT</a></li><li><a href='/b'>Panwascam Dilantik</a></li></ul>",
    "<div class='share'>Bagikan: <a href='#'>Facebook</a> <a href='#'>WhatsApp</a></div>",
    "<p>Bagikan artikel ini: <a href='#'>Facebook</a> <a href='#'>Twitter</a></p>",
    "<p>Ikuti kami di <a href='https://news.google.com/x'>Google News</a> untuk berita terbaru.</p>",
    "<p>Simak berita lainnya di Google News dan saluran WhatsApp kami.</p>",
    "<p><a href='?page=2'>Halaman selanjutnya</a></p>",
    "<p>Copyright © 2023 Garut Ekspres. All rights reserved.</p>",
    "<figure><img src='x.jpg'><figcaption>Kantor Bawaslu Garut. Foto: Asep/Garut Ekspres</figcaption></figure>",
    "<p>Suasana rapat pleno di kantor KPU Garut. (ANTARA/Feri Purnama)</p>",
    "<p>Editor: Yanuar Baswata</p>",
    "<p>Artikel ini telah tayang di Tribunjabar.id dengan judul Dua Kades Diduga Kampanye.</p>",
    "<div class='ads'>ADVERTISEMENT</div><p>SCROLL TO CONTINUE WITH CONTENT</p>",
])
def test_insert_is_removed_and_the_article_is_whole(insert):
    lines = body(insert)
    assert lines == [LEAD, SECOND]


@pytest.mark.parametrize("prose", [
    "Baca juga buku panduan pengawasan itu, pesan Ketua Bawaslu kepada para pengawas desa yang baru dilantik di aula kecamatan.",
    "Simak juga bagaimana Apdesi Garut menanggapi temuan itu: menurut ketuanya, para kades siap diperiksa kapan saja.",
    "Lihat juga rekaman videonya, kata seorang warga yang mengaku melihat langsung kedua kades membagikan stiker caleg.",
    "Foto-foto kegiatan itu kemudian beredar di grup WhatsApp warga dan dilaporkan ke Panwascam setempat.",
    "Antara lain, Bawaslu menemukan spanduk caleg di kantor desa dan mobil dinas yang dipakai untuk kampanye.",
    "Sumber dana kegiatan itu, menurut Bawaslu, berasal dari anggaran desa yang seharusnya dipakai untuk posyandu.",
    "Hak cipta lagu kampanye yang diputar di acara itu ternyata dimiliki oleh musisi asal Garut, kata kuasa hukumnya.",
    "Berita terkait kasus ini sudah lebih dulu dimuat media lokal sebelum Bawaslu menerbitkan rilis resmi, katanya.",
])
def test_a_real_paragraph_that_looks_like_boilerplate_is_kept(prose):
    assert body(f"<p>{prose}</p>") == [LEAD, prose, SECOND]


def test_credit_lines_become_metadata_not_text():
    cleaned = clean_lines([LEAD, "Penulis: Rizky Ramadhan", "Redaktur & Reporter : Fathan Sinaga", "Sumber Antara",
                           "Pewarta: Kornelis Kaha", SECOND, "(bgs/rul)"])
    assert cleaned.lines == [LEAD, SECOND]
    assert cleaned.credits == {"author": "Rizky Ramadhan", "editor": "Fathan Sinaga", "reporter": "Fathan Sinaga",
                               "source": "Antara", "initials": "bgs/rul"}
    assert cleaned.author == "Rizky Ramadhan"


def test_kontributor_line_names_the_writer():
    cleaned = clean_lines([LEAD, "Penulis : Kontributor Lhokseumawe, Masriadi", "Editor : Caroline Damanik"])
    assert cleaned.credits["author"] == "Masriadi" and cleaned.credits["editor"] == "Caroline Damanik"


def test_dateline_on_its_own_line_opens_the_first_paragraph():
    cleaned = clean_lines(["KUPANG, TIMEX.FAJAR.CO.ID -", "Bawaslu Kabupaten Kupang memeriksa seorang camat."])
    assert cleaned.lines == ["KUPANG, TIMEX.FAJAR.CO.ID - Bawaslu Kabupaten Kupang memeriksa seorang camat."]
    # a short first line that is a sentence, not a dateline, stays its own paragraph
    cleaned = clean_lines(["Pemilu tinggal sebulan lagi.", "Bawaslu bersiap."])
    assert cleaned.lines == ["Pemilu tinggal sebulan lagi.", "Bawaslu bersiap."]


def test_headline_repeated_and_timestamp_lines_are_dropped():
    cleaned = clean_lines(["Dua Kades di Garut Diduga Kampanye", "Rabu, 13 September 2023 10:15 WIB", LEAD, "- 01", SECOND],
                          title="Dua Kades di Garut Diduga Kampanye")
    assert cleaned.lines == [LEAD, SECOND]
    # a sentence that mentions a date is prose
    sentence = "Pemungutan suara digelar Rabu, 14 Februari 2024 di 820 ribu TPS."
    assert clean_lines([sentence]).lines == [sentence]


FOLLOW_CALLS = [
    'Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di Grup Telegram '
    '"Kompas.com News Update", caranya klik link https://t.me/kompascomupdate, kemudian join. Anda harus install '
    'aplikasi Telegram terlebih dulu di ponsel.',
    'Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita Kompas.com '
    'WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D. Pastikan kamu sudah install '
    'aplikasi WhatsApp ya.',
    "Cek Berita dan Artikel yang lain di Google News",
    "Baca berita Tribun Jabar lainnya di Google News",
]


@pytest.mark.parametrize("call", FOLLOW_CALLS)
def test_long_calls_to_follow_the_outlet_are_dropped(call):
    prose = ["Bawaslu Kabupaten Garut menemukan dugaan pelanggaran netralitas aparatur sipil negara di tiga kecamatan.",
             "Simak pula keterangan Ketua Bawaslu Garut yang menyebut pemeriksaan saksi akan dilakukan pekan depan "
             "di kantor Bawaslu bersama perwakilan Inspektorat Daerah dan Badan Kepegawaian Daerah Kabupaten Garut."]
    out = clean_lines([prose[0], call, prose[1]])
    assert out.lines == prose
