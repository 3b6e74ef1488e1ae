"""The article-level reading (relevant, type, accused) on short articles written in the shapes real outlets
use, and the spaCy side: registered components, nlp.pipe, a tagger without the NER model."""
from __future__ import annotations

import pytest
import spacy

from extract.tagging import TAGGER_VERSION, Tags
from extract.tagging.pipeline import Tagger

ALLEGATION = """Kepergok Bawa APK Pilkada, Camat di Lampung Diperiksa Bawaslu

PESAWARAN - Oknum camat Negeri Katon, Kabupaten Pesawaran, Enggo Pratama, diduga tidak netral pada Pilkada 2024. Mobil dinas camat tertangkap basah warga membawa alat peraga kampanye (APK) salah satu calon bupati, Senin (21/10/2024).

Bawaslu bersama kepolisian kemudian membuka mobil tersebut dan mendapati banner siap pasang serta karung berisi kaus pasangan calon.

"Terkait temuan hari ini akan kita tindak lanjuti hari ini juga," kata Ketua Bawaslu Pesawaran, Fatihunnajah.

Menurut dia, ASN dilarang terlibat dalam politik praktis sebagaimana diatur dalam PP Nomor 94 Tahun 2021.
Editor: Rudi Hartono"""

SANCTION = """DKPP Berhentikan Tetap Ketua PPK Medan Deli

JAKARTA - Dewan Kehormatan Penyelenggara Pemilu (DKPP) memberhentikan tetap Ketua PPK Medan Deli karena terbukti menggelembungkan suara salah satu caleg saat rekapitulasi tingkat kecamatan.

Ketua DKPP Heddy Lugito mengatakan teradu terbukti melanggar kode etik penyelenggara pemilu. "Teradu terbukti mengubah perolehan suara di formulir rekapitulasi," kata Heddy di Jakarta, Rabu (15/5/2024).

DKPP juga menjatuhkan sanksi peringatan keras kepada empat anggota PPK lainnya."""

ADVISORY = """Jelang Pilkada, Pj Bupati Lebak Minta ASN Jaga Netralitas

Rangkasbitung (ANTARA) - Penjabat (Pj) Bupati Lebak Gunawan Rusminto meminta aparatur sipil negara (ASN) di Kabupaten Lebak menjaga netralitas pada Pilkada 2024.

"ASN tidak boleh menghadiri kampanye, tidak boleh memasang atribut pasangan calon, dan jangan mengunggah dukungan di media sosial," kata Gunawan, Jumat.

Ia mengingatkan, pada Pilkada 2020 lalu sebanyak 2.034 ASN di seluruh Indonesia terbukti melanggar netralitas dan dijatuhi sanksi disiplin.

Jika ada ASN yang terbukti tidak netral, kata dia, sanksinya bisa sampai pemberhentian."""

SECURITY = """7.800 Personel Gabungan Amankan 3.305 TPS di Tulungagung

Kapolres Tulungagung AKBP Teuku Arsya Khadafi mengatakan 502 personel Polres Tulungagung dan 271 personel TNI Kodim 0807 disiagakan untuk pengamanan TPS.

"Kita mengantisipasi adanya sabotase, politik uang, intimidasi kepada panitia, dan provokasi," imbuhnya.

Ketua KPU Tulungagung Susanah mengatakan logistik pemilu sudah tiba di seluruh PPS."""

SPORT = """Persib Bandung Tekuk Persija 2-1 di Stadion Si Jalak Harupat

BANDUNG - Persib Bandung menang 2-1 atas Persija Jakarta dalam laga lanjutan Liga 1, Sabtu (12/10). Pelatih Persib Bojan Hodak memuji kerja keras para pemainnya."""


@pytest.fixture(scope="module")
def tagged(tagger) -> dict[str, Tags]:
    texts = {"allegation": ALLEGATION, "sanction": SANCTION, "advisory": ADVISORY, "security": SECURITY,
             "sport": SPORT}
    return dict(zip(texts, tagger.tag_many(list(texts.values()))))


def test_allegation_article(tagged):
    tags = tagged["allegation"]
    assert tags.relevant and tags.article_type == "allegation"
    assert "party_attributes" in tags.breaches and "state_facilities" in tags.breaches
    assert "campaign_participation" in tags.prohibitions
    assert "Enggo Pratama" in tags.accused
    assert ("Fatihunnajah", "Ketua Bawaslu Pesawaran") in {(o.name, o.title) for o in tags.officials}
    assert "Rudi Hartono" not in {o.name for o in tags.officials}


def test_sanction_article(tagged):
    tags = tagged["sanction"]
    assert tags.relevant and tags.article_type == "sanction"
    assert "vote_manipulation" in tags.breaches
    assert {"DKPP", "PPK"} <= set(tags.roles)
    assert any("PPK" in a for a in tags.accused)


def test_appeal_that_recalls_old_cases_stays_an_advisory(tagged):
    tags = tagged["advisory"]
    assert tags.relevant and tags.article_type == "advisory"
    assert tags.breaches == []
    assert {"campaign_participation", "party_attributes", "social_media"} <= set(tags.prohibitions)
    assert tags.accused == []


def test_election_security_news_is_not_about_neutrality(tagged):
    tags = tagged["security"]
    assert not tags.relevant and tags.article_type == "other"
    assert tags.flags == []
    assert {"POLRI", "TNI", "KPU", "PPS"} <= set(tags.roles)


def test_unrelated_news(tagged):
    tags = tagged["sport"]
    assert (tags.relevant, tags.article_type, tags.roles, tags.flags) == (False, "other", [], [])


def test_tag_many_equals_tag_one_by_one(tagger, tagged):
    assert tagger.tag(ALLEGATION) == tagged["allegation"]


def test_empty_and_odd_text(tagger):
    for text in ("", "   \n\n ", "...", "Bawaslu"):
        tags = tagger.tag(text)
        assert isinstance(tags, Tags) and tags.article_type in ("other", "advisory")


def test_components_are_registered_and_work_with_nlp_pipe(tagger):
    nlp = spacy.blank("id")
    for name in ("pantau_sentences", "pantau_roles", "pantau_persons", "pantau_officials", "pantau_breaches",
                 "pantau_article"):
        nlp.add_pipe(name)
    docs = list(nlp.pipe([ALLEGATION, SPORT], batch_size=2))
    assert docs[0]._.pantau_tags.article_type == "allegation"
    assert docs[1]._.pantau_tags.relevant is False
    assert [s.label_ for s in docs[0].spans["pantau_roles"]]


def test_component_settings_come_from_config(tagger):
    nlp = spacy.blank("id")
    nlp.add_pipe("pantau_sentences")
    nlp.add_pipe("pantau_roles")
    nlp.add_pipe("pantau_officials")
    nlp.add_pipe("pantau_breaches", config={"negation_window": 0})
    nlp.add_pipe("pantau_article")
    assert nlp.get_pipe("pantau_breaches").negation_window == 0
    assert nlp.config["components"]["pantau_breaches"]["negation_window"] == 0


def test_tagger_without_ner_model_still_tags(tagged):
    plain = Tagger(use_ner=False)
    assert plain.model == "no-ner" and plain.version.endswith("+no-ner")
    tags = plain.tag(ALLEGATION)
    assert tags.article_type == "allegation" and tags.breaches == tagged["allegation"].breaches
    assert not any(m.label in ("PER", "ORG", "LOC") for m in tags.mentions)


def test_version_names_rules_and_model(tagger):
    assert TAGGER_VERSION.startswith("rules-") and tagger.version == TAGGER_VERSION


# --- the annotation policy on short articles written for these tests -----------------------------------
POLICY = {
    "denial-is-advisory": ("""Kades Pematang Tinggi Bantah Ikut Kampanye Caleg
Kepala Desa Pematang Tinggi, Rosidi, membantah tudingan dirinya ikut berkampanye untuk seorang caleg DPRD.
Menurut Rosidi, ia hanya menghadiri acara syukuran warga yang kebetulan juga dihadiri caleg tersebut.
Panwascam Batang Serai menyatakan belum menemukan unsur pelanggaran dalam kegiatan itu.""", "advisory"),
    "dropped-case-is-advisory": ("""Tidak Memenuhi Unsur, Bawaslu Hentikan Laporan terhadap Camat Sungai Dalam
Bawaslu Kabupaten Pulau Rimba menghentikan penanganan laporan dugaan pelanggaran netralitas Camat Sungai Dalam.
Laporan itu menyebut camat hadir dalam deklarasi relawan calon bupati.
Hasil kajian menyatakan laporan tidak memenuhi unsur karena camat hadir sebelum acara deklarasi dimulai.""",
                                 "advisory"),
    "court-verdict-is-sanction": ("""Ajak Warga Pilih Caleg, Kades Kali Bening Divonis Tiga Bulan Penjara
Pengadilan Negeri Tanah Lapang memvonis Kepala Desa Kali Bening, Suparman, tiga bulan penjara dengan masa percobaan enam bulan.
Majelis hakim menyatakan Suparman terbukti mengajak warga memilih seorang caleg DPRD dalam pengajian di balai desa.
Suparman menyatakan pikir-pikir atas putusan tersebut.""", "sanction"),
    "prosecutor-demand-is-allegation": ("""Jaksa Tuntut Camat Empat Bulan Penjara karena Kampanyekan Calon Bupati
Jaksa penuntut umum Kejaksaan Negeri Lembah Tua menuntut Camat Padang Ilalang, Harun, empat bulan penjara.
Harun didakwa ikut berkampanye untuk calon bupati nomor urut 2 dalam acara panen raya.
Sidang dengan agenda pembelaan terdakwa digelar pekan depan.""", "allegation"),
    "kasn-recommendation-is-sanction": ("""KASN Rekomendasikan Sanksi bagi Kepala Dinas yang Unggah Dukungan Capres
Komisi Aparatur Sipil Negara merekomendasikan sanksi disiplin sedang kepada Kepala Dinas Pariwisata Kabupaten Teluk Sunyi.
Kepala dinas itu terbukti mengunggah foto dukungan kepada salah satu calon presiden di akun Instagram pribadinya.
Bupati sebagai pejabat pembina kepegawaian diminta menjalankan rekomendasi itu.""", "sanction"),
    "statistics-are-advisory": ("""Bawaslu Catat 64 Dugaan Pelanggaran Netralitas Kepala Desa Sepanjang Pilkada
Bawaslu Provinsi Lintang Barat mencatat 64 dugaan pelanggaran netralitas kepala desa dan perangkat desa sepanjang tahapan Pilkada 2024.
Sebanyak 41 kasus diteruskan ke pemerintah daerah dan 23 kasus dihentikan karena tidak cukup bukti.
Bawaslu meminta pemerintah daerah lebih aktif membina kepala desa.""", "advisory"),
    "party-news-is-other": ("""Partai Surya Baru Pecat Kader yang Membelot ke Calon Lain
DPD Partai Surya Baru memecat tiga kader yang ketahuan mendukung calon bupati dari partai lain.
Ketua DPD, Marwan Hakim, mengatakan pemecatan itu sesuai anggaran dasar partai.
Ketiga kader itu juga dicopot dari kepengurusan di tingkat kecamatan.""", "other"),
    "candidate-money-is-other": ("""Tim Sukses Caleg Tertangkap Tangan Bagikan Uang di Desa Muara Kecil
Tiga anggota tim sukses seorang caleg DPR RI tertangkap tangan membagikan uang Rp100 ribu kepada warga Desa Muara Kecil.
Warga menyerahkan ketiganya beserta barang bukti ke kantor polisi terdekat.
Caleg tersebut belum dapat dimintai tanggapan.""", "other"),
}


@pytest.mark.parametrize("name", list(POLICY))
def test_article_type_follows_the_annotation_policy(tagger, name):
    text, kind = POLICY[name]
    tags = tagger.tag(text)
    assert tags.article_type == kind
    if kind in ("advisory", "other"):
        assert tags.breaches == [] and tags.accused == []


def test_a_court_verdict_keeps_the_breach_it_punishes(tagger):
    tags = tagger.tag(POLICY["court-verdict-is-sanction"][0])
    assert "campaign_participation" in tags.breaches


def test_an_advisory_reads_its_reported_case_as_denied_not_alleged(tagger):
    tags = tagger.tag(POLICY["denial-is-advisory"][0])
    assert {f.modality for f in tags.flags if f.category == "campaign_participation"} <= {"denied", "prohibition"}


def test_a_ruling_on_tidak_netral_without_an_act_is_breach_other(tagger):
    text = """Mendagri Berhentikan Pj Wali Kota Sungai Cerah karena Tidak Netral
Menteri Dalam Negeri memberhentikan Penjabat (Pj) Wali Kota Sungai Cerah, Darmawan Saleh, karena terbukti tidak netral dalam Pilkada 2024.
Surat keputusan pemberhentian diserahkan di Jakarta, Kamis (10/10/2024).
Posisinya diisi pejabat dari Kementerian Dalam Negeri."""
    tags = tagger.tag(text)
    assert tags.article_type == "sanction"
    assert tags.breaches == ["other"]
