"""Who an article accuses: the named person when the text names them, initials when that is all it gives,
a short description otherwise; an appeal, a rule or a denial accuses no one; those who report, examine,
judge or speak for an institution are not accused."""
from __future__ import annotations

import pytest

INITIALS = (
    "Camat Diduga Ikut Deklarasi Pasangan Calon\n"
    "Bawaslu Kabupaten Sukamaju menemukan seorang camat berinisial RH diduga ikut menghadiri deklarasi "
    "pasangan calon bupati di lapangan desa, Sabtu (12/10/2024).\n"
    "Ketua Bawaslu Kabupaten Sukamaju, Dedi Kurniawan, mengatakan pihaknya sudah memanggil camat tersebut "
    "untuk klarifikasi.\n"
    "\"Kami sudah meminta keterangan yang bersangkutan dan saksi-saksi,\" kata Dedi.")

NAMED_AWAY = (
    "Kades Cibeureum Dilaporkan ke Bawaslu\n"
    "Kepala Desa Cibeureum, Kecamatan Sukaresmi, Asep Saepudin, dilaporkan warga ke Bawaslu Kabupaten Garut.\n"
    "Asep Saepudin diduga membagikan kaus bergambar pasangan calon kepada warga saat pengajian.\n"
    "Koordinator Divisi Penanganan Pelanggaran Bawaslu Garut, Rina Marlina, mengatakan laporan itu masih "
    "dikaji.")

SPOKESMAN = (
    "Dua Polisi Diperiksa Propam karena Foto dengan Caleg\n"
    "Dua oknum anggota Polres Sukamaju diduga berfoto sambil mengacungkan dua jari bersama seorang caleg.\n"
    "Kabid Humas Polda Jabar Kombes Pol Budi Santoso mengatakan kedua anggota itu sudah diperiksa Propam.\n"
    "\"Jika terbukti melanggar, keduanya akan dijatuhi sanksi,\" ujar Budi.")

APPEAL = (
    "Pj Bupati Minta ASN Jaga Netralitas\n"
    "Penjabat (Pj) Bupati Sukamaju Ahmad Fauzi meminta seluruh aparatur sipil negara (ASN) menjaga netralitas "
    "menjelang pemungutan suara.\n"
    "\"ASN dilarang ikut kampanye, dilarang memasang atribut partai, dan tidak boleh mengunggah dukungan di "
    "media sosial,\" kata Ahmad Fauzi.")

DENIAL = (
    "Bawaslu: Tidak Ada Kades yang Terbukti Ikut Kampanye\n"
    "Ketua Bawaslu Kabupaten Sukamaju, Lilis Suryani, menegaskan tidak ditemukan pelanggaran netralitas "
    "kepala desa dalam laporan warga pekan lalu.\n"
    "\"Setelah kami klarifikasi, laporan itu tidak terbukti,\" kata Lilis.")


MEMBERS = (
    "Bawaslu Ungkap Dugaan Suap Penyelenggara Ad Hoc\n"
    "Ketua Bawaslu Provinsi Sukamaju, Hendra Wijaya, menyampaikan ada dugaan suap di Kabupaten Sukaraja yang "
    "melibatkan oknum PPK dan PPS.\n"
    "Hendra kemudian membacakan nama para terlapor dalam rapat pleno.\n"
    "Mereka yakni Rahmat Hidayat dan Yusuf Maulana PPK Cibeber, Dewi Anggraini PPS Sukamulya, serta "
    "Tono Sugiarto PPS Mekarsari.")


GROUP = (
    "Tiga ASN Diduga Ikut Deklarasi Paslon\n"
    "Bawaslu Kabupaten Sukaraja menemukan tiga aparatur sipil negara (ASN) Pemkab Sukaraja diduga ikut "
    "deklarasi pasangan calon bupati, Minggu (8/9/2024).\n"
    "Bawaslu masih mengumpulkan bukti dan keterangan saksi.")


VERDICT = (
    "Dua Petugas KPPS Divonis Penjara karena Mencoblos Surat Suara Sisa\n"
    "Dua petugas KPPS di Kabupaten Sukaraja dijatuhi hukuman penjara satu tahun oleh majelis hakim. "
    "AS (31), seorang anggota KPPS, dan BH (47), Ketua KPPS, dinyatakan bersalah karena mencoblos surat suara "
    "sisa untuk salah satu pasangan calon.\n"
    "Vonis itu lebih ringan dari tuntutan jaksa.")


@pytest.fixture(scope="module")
def tagged(tagger):
    texts = {"initials": INITIALS, "named": NAMED_AWAY, "spokesman": SPOKESMAN, "appeal": APPEAL,
             "denial": DENIAL, "members": MEMBERS, "group": GROUP, "verdict": VERDICT}
    return dict(zip(texts, tagger.tag_many(list(texts.values()))))


def test_accused_by_initials(tagged):
    tags = tagged["initials"]
    assert tags.article_type == "allegation"
    assert any("RH" in a for a in tags.accused)
    assert not any("Dedi" in a for a in tags.accused)          # the Bawaslu chair reports, he is not accused


def test_accused_named_away_from_the_breach_sentence(tagged):
    tags = tagged["named"]
    assert tags.article_type == "allegation"
    assert "Asep Saepudin" in tags.accused
    assert not any("Rina" in a for a in tags.accused)


def test_a_spokesman_is_not_accused(tagged):
    tags = tagged["spokesman"]
    assert tags.article_type == "allegation"
    assert not any("Budi Santoso" in a for a in tags.accused)
    assert tags.accused


@pytest.mark.parametrize("kind", ["appeal", "denial"])
def test_an_appeal_or_a_denial_accuses_no_one(tagged, kind):
    assert tagged[kind].accused == []


def test_a_group_then_listed_by_name_gives_the_names(tagged):
    tags = tagged["members"]
    assert tags.article_type == "allegation"
    assert {"Rahmat Hidayat", "Yusuf Maulana", "Dewi Anggraini", "Tono Sugiarto"} <= set(tags.accused)
    assert not any("Hendra" in a for a in tags.accused)


def test_an_unnamed_group_is_described_with_the_acronym_the_text_gives(tagged):
    tags = tagged["group"]
    assert tags.article_type == "allegation"
    assert any(a.startswith("tiga ASN") for a in tags.accused)


def test_each_person_given_by_initials_before_their_role(tagged):
    tags = tagged["verdict"]
    assert tags.article_type == "sanction"
    assert any(a.startswith("AS,") for a in tags.accused) and any(a.startswith("BH,") for a in tags.accused)


def test_the_agent_of_a_passive_verb_is_accused_not_the_citizen(tagger):
    tags = tagger.tag("Warga Mengaku Ditekan Oknum Babinsa\n"
                      "Sejumlah warga Desa Cibodas mengaku ditekan oknum Babinsa agar memilih pasangan calon "
                      "nomor urut 1. Bawaslu Kabupaten Bogor kini menelusuri laporan tersebut.")
    assert tags.article_type == "allegation"
    assert any("Babinsa" in a for a in tags.accused)
    assert not any("warga" in a.lower() for a in tags.accused)


def test_the_person_a_pronoun_points_back_at_is_accused(tagger):
    tags = tagger.tag("Camat Sukasari, Dedi Kurniawan, menghadiri rapat bersama warga, Sabtu (9/11). Beliau "
                      "kemudian terlihat berpose salam dua jari bersama caleg di lokasi. Bawaslu Kota Bandung "
                      "sedang mengkaji temuan tersebut.")
    assert "Dedi Kurniawan" in tags.accused


def test_a_definite_description_is_who_the_text_introduced_before(tagger):
    tags = tagger.tag("Bawaslu Kota Semarang menemukan dua ASN Dinas Perhubungan diduga ikut berkampanye untuk "
                      "salah satu calon wali kota, Senin (4/11). Seluruh ASN dilarang terlibat kampanye. "
                      "Kedua ASN tersebut juga diduga mengunggah foto bersama calon di media sosial.")
    assert tags.article_type == "allegation"
    assert any(a.startswith("dua ASN Dinas Perhubungan") for a in tags.accused)
    assert not any(a.lower().startswith("kedua") for a in tags.accused)


def test_a_person_identified_by_initials_in_a_case_sentence_is_accused(tagger):
    tags = tagger.tag("Bawaslu Kabupaten Dompu menemukan tiga ASN diduga ikut deklarasi pasangan calon bupati, "
                      "Kamis (29/8). Dari video yang beredar, salah satu ASN yang ikut deklarasi itu diduga adalah "
                      "Camat berinisial HR.")
    assert tags.article_type == "allegation"
    assert any("berinisial HR" in a for a in tags.accused)
