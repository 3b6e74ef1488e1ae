"""Officials: a named person linked to the title next to them; names without honorifics, ranks and degrees;
short mentions folded into the full name; bylines, editors and photo credits never officials."""
from __future__ import annotations

import pytest


def officials(tagger, text) -> set[tuple[str, str]]:
    return {(o.name, o.title) for o in tagger.tag(text).officials}


@pytest.mark.parametrize("text,expected", [
    ("Ketua KPU Provinsi Jambi, Iron Sahroni, mengatakan surat imbauan sudah dikirim ke KPU kabupaten/kota.",
     ("Iron Sahroni", "Ketua KPU Provinsi Jambi")),
    ("Iron Sahroni selaku Ketua KPU Provinsi Jambi menegaskan penyelenggara harus menjaga kode etik.",
     ("Iron Sahroni", "Ketua KPU Provinsi Jambi")),
    ("Hal itu ditekankan Sekda Kuningan, Dr H Dian Rachmat Yanuar MSi saat rakor bersama badan adhoc.",
     ("Dian Rachmat Yanuar", "Sekda Kuningan")),
    ("Kapolres Tulungagung AKBP Teuku Arsya Khadafi mengatakan 502 personel disiagakan di TPS.",
     ("Teuku Arsya Khadafi", "Kapolres Tulungagung")),
    ("Panglima TNI Laksamana TNI Yudo Margono memberi pesan kepada seluruh prajurit.",
     ("Yudo Margono", "Panglima TNI")),
    ("Penjabat (Pj) Bupati Jepara Edy Supriyanta meminta seluruh ASN menjaga netralitas.",
     ("Edy Supriyanta", "Penjabat (Pj) Bupati Jepara")),
    ("Ketua Bawaslu RI Rahmat Bagja mengatakan pihaknya tengah memanggil panitia deklarasi.",
     ("Rahmat Bagja", "Ketua Bawaslu RI")),
    ("Ketua Panwaslu Kecamatan Batanghari, Nuban Wahyudi, mengatakan kejadian itu berawal dari laporan warga.",
     ("Nuban Wahyudi", "Ketua Panwaslu Kecamatan Batanghari")),
    ("Heddy Lugito, Ketua DKPP, mengatakan 66 penyelenggara diberhentikan tetap sepanjang 2024.",
     ("Heddy Lugito", "Ketua DKPP")),
    ("Komisioner KPU Pamekasan, Moh. Amiruddin, S.H., M.H., mengatakan pemecatan sudah sesuai aturan.",
     ("Moh. Amiruddin", "Komisioner KPU Pamekasan")),
    ("Kapolsek Pasirwangi, Kabupaten Garut, AKP Sulman Azis mengaku diperintahkan menggalang dukungan.",
     ("Sulman Azis", "Kapolsek Pasirwangi, Kabupaten Garut")),
])
def test_title_and_name_with_and_without_commas(tagger, text, expected):
    assert expected in officials(tagger, text)


def test_short_mentions_resolve_to_the_full_name(tagger):
    text = ("KUPANG, TIMEX - Ketua PPS Kelurahan Maulafa, Roy Mengge mengatakan KPPS terdiri dari tujuh orang.\n"
            "\u201cKPPS wajib netral,\u201d ujar Roy.\n"
            "Hal itu ditekankan Sekda Kuningan, Dr H Dian Rachmat Yanuar MSi. "
            "\u201cASN tidak boleh berpolitik praktis,\u201d kata Sekda Dian.")
    found = tagger.tag(text).officials
    assert sorted((o.name, o.title) for o in found) == [
        ("Dian Rachmat Yanuar", "Sekda Kuningan"), ("Roy Mengge", "Ketua PPS Kelurahan Maulafa")]


def test_bylines_editors_and_photo_credits_are_not_officials(tagger):
    text = ("KPU Provinsi Imbau Netralitas Penyelenggara\n"
            "Penulis: Danang Noprianto | Editor: Hendri Dunan\n"
            "Ketua Badan Pengawas Pemilu (Bawaslu) Provinsi Sumatra Selatan Kurniawan. (ANTARA/Ahmad Rafli Baiduri)\n"
            "jpnn.com, PALEMBANG - Ketua Bawaslu Sumsel, Kurniawan mengatakan ASN tidak boleh terlibat kampanye.\n"
            "Pewarta: Dian Hadiyatna\n"
            "Redaktur & Reporter : Elfany Kurniawan\n"
            "Editor: Yanuar Baswata")
    names = {o.name for o in tagger.tag(text).officials}
    assert names == {"Kurniawan"}


def test_a_bare_reporter_name_closing_the_article_is_not_an_official(tagger):
    text = ("Ketua Bawaslu Pesibar, Heri Kiswanto, mengatakan temuan itu diteruskan ke KPU.\n"
            "\u201cIni akan kami teruskan ke KPU,\u201d ujar dia.\n"
            "Effran Kurniawan")
    assert {o.name for o in tagger.tag(text).officials} == {"Heri Kiswanto"}


def test_candidates_and_headline_words_are_not_officials(tagger):
    text = ("Kapolri Tindak 4 Anggota Polisi yang Langgar Netralitas dalam Pilkada 2024\n"
            "Calon Bupati Garut, Helmi Budiman, berkampanye di Kecamatan Tarogong Kidul.\n"
            "Kapolri Jenderal Listyo Sigit Prabowo menegaskan Polri menindak personel yang tidak netral.")
    assert officials(tagger, text) == {("Listyo Sigit Prabowo", "Kapolri")}


def test_village_after_a_village_head_title_is_not_a_name(tagger):
    text = ("Kadus Dusun 2, Desa Kedaton Induk, Saparudin, mengatakan sembako itu pemberian dari Kades Kedaton "
            "Induk untuk warga.")
    assert {o.name for o in tagger.tag(text).officials} == {"Saparudin"}


def test_office_sector_words_are_part_of_the_title_not_a_name(tagger):
    text = ("Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD) Kabupaten Alor, Yohanes Laka, meninjau "
            "lokasi. Kepala Dinas Kesehatan Kota Cimahi, Sri Wahyuni, ikut hadir. Kepala Dinas Pariwisata dan "
            "Kebudayaan Kabupaten Ciamis, Hendra Gunawan, menyebut acara itu sesuai aturan.")
    found = officials(tagger, text)
    assert ("Yohanes Laka", "Kepala Pelaksana Badan Penanggulangan Bencana Daerah (BPBD) Kabupaten Alor") in found
    assert ("Sri Wahyuni", "Kepala Dinas Kesehatan Kota Cimahi") in found
    assert not {name for name, _ in found} & {"Pariwisata", "Kebudayaan", "Pelaksana Badan"}


def test_members_named_before_their_bodies(tagger):
    text = ("Mereka yakni Rahmat Hidayat PPK Cibeber, Dewi Anggraini dan Sri Wahyuni semua dari PPS Sukamulya, "
            "serta Tono Sugiarto PPS Mekarsari.")
    found = officials(tagger, text)
    assert {("Dewi Anggraini", "PPS Sukamulya"), ("Sri Wahyuni", "PPS Sukamulya"),
            ("Tono Sugiarto", "PPS Mekarsari")} <= found
    assert "Sukamulya" not in {name for name, _ in found}


@pytest.mark.parametrize("text,expected", [
    # the place a head serves, then the name
    ("Sementara itu, Wabup Bartim H Suriansyah meminta ASN tidak berfoto dengan pasangan calon. "
     "Hal senada disampaikan Ketua Panwaslih Bartim Dani Wandra.",
     {("Suriansyah", "Wabup Bartim"), ("Dani Wandra", "Ketua Panwaslih Bartim")}),
    # abbreviations and initials inside a name, hyphenated particles
    ("Ketua AKD Kecamatan Sukaresmi Moch. Wijdan hadir bersama Pangdam IX/Udayana Mayjen TNI R. Wisnu Prasetyo.",
     {("Moch. Wijdan", "Ketua AKD Kecamatan Sukaresmi"), ("R. Wisnu Prasetyo", "Pangdam IX/Udayana")}),
    ("Sebelumnya, jaksa dari Kejaksaan Negeri (Kejari) Mataram, Harun Al-Fatih, menuntut terdakwa lima bulan.",
     {("Harun Al-Fatih", "jaksa dari Kejaksaan Negeri (Kejari) Mataram")}),
    # long titles with divisions and lists inside them
    ("Kordiv Penanganan Pelanggaran dan Datin Bawaslu Kota Sukamaju Payung Harahap menyebut ada tiga laporan.",
     {("Payung Harahap", "Kordiv Penanganan Pelanggaran dan Datin Bawaslu Kota Sukamaju")}),
    ("Menteri Pemuda dan Olahraga (Menpora) Dito Ariotedjo hadir. Ketua Umum Partai Amanat Nasional (PAN) "
     "Zulkifli Hasan juga datang.",
     {("Zulkifli Hasan", "Ketua Umum Partai Amanat Nasional (PAN)")}),
    # name before the title: age in brackets, "tersebut", degrees, the end of the sentence
    ("Budi Santoso (45), Kepala Desa Sukamaju, ditangkap karena membagikan uang kepada warga.",
     {("Budi Santoso", "Kepala Desa Sukamaju")}),
    ("Hakim menyatakan Warsono, kepala desa tersebut, terbukti menguntungkan salah satu pasangan calon.",
     {("Warsono", "kepala desa")}),
    ("Ia adalah Muhammad Ridwan, S.Pd., M.M., Kepala SD Negeri 2 Sukamaju.",
     {("Muhammad Ridwan", "Kepala SD Negeri 2 Sukamaju")}),
    # a rank after a unit's place; a particle opening the name; a spokesman named for whom he speaks
    ("Kasat Lantas Polres Tanjung Perak AKP Moch Suud menjelaskan pengaturan arus lalu lintas.",
     {("Moch Suud", "Kasat Lantas Polres Tanjung Perak")}),
    ("Pj. Gubernur Banten Al Muktabar dilaporkan warga ke Bawaslu.", {("Al Muktabar", "Pj. Gubernur Banten")}),
    ("Juru Bicara Anies Baswedan, Surya Tjandra, menantang pihak lawan.",
     {("Surya Tjandra", "Juru Bicara Anies Baswedan")}),
    # village and unit places after a bracketed short form or a body, police degrees
    ("Penjabat Kepala Desa (Pj Kades) Sukamaju, Ahmad Dahlan, membantah tudingan itu.",
     {("Ahmad Dahlan", "Penjabat Kepala Desa (Pj Kades) Sukamaju")}),
    ("Seorang oknum Babinsa Koramil Cibeber, Serda Budi Santoso, diduga ikut kampanye.",
     {("Budi Santoso", "Babinsa Koramil Cibeber")}),
    ("Kapolres Garut AKBP Rohman Yonky Dilatha S.I.K., M.H. mengatakan personel disiagakan.",
     {("Rohman Yonky Dilatha", "Kapolres Garut")}),
    # a campaign team named after its ticket
    ("\"Kami siap,\" kata Ketua TPN Ganjar-Mahfud, Arsjad Rasjid, kepada wartawan.",
     {("Arsjad Rasjid", "Ketua TPN Ganjar-Mahfud")}),
    # initials after a title and a comma; "bernama"; lawyers named for their client
    ("Bawaslu memproses oknum Kades Pangkalan, Kecamatan Asparaga, HM. Ia diduga membagikan stiker.",
     {("HM", "Kades Pangkalan, Kecamatan Asparaga")}),
    ("Seorang kepala desa bernama Budi Santoso dilaporkan ke Bawaslu karena ikut kampanye.",
     {("Budi Santoso", "kepala desa")}),
    ("Kuasa hukum Warsono, Amin Sanusi, menyatakan pihaknya menghormati putusan.",
     {("Amin Sanusi", "Kuasa hukum Warsono")}),
])
def test_name_boundaries_and_long_titles(tagger, text, expected):
    assert expected <= officials(tagger, text)


@pytest.mark.parametrize("text,not_a_name", [
    ("Hamid mendesak agar Ketua Mahkamah Konstitusi (MK) mundur dari jabatannya.", "Konstitusi"),
    ("Proses itu melibatkan PTPN XII dan Kepala Basarnas Jatim.", "Basarnas Jatim"),
    ("Yang hadir Kades Kluwut, Kades Jatigunting, dan Kades Karangsono.", "Kluwut"),
    ("Calonnya Ganjar Pranowo dan Mahfud MD. Bobby sebelumnya menyatakan dukungan.", "Mahfud MD. Bobby"),
])
def test_body_and_place_names_are_not_names(tagger, text, not_a_name):
    assert not_a_name not in {name for name, _ in officials(tagger, text)}
