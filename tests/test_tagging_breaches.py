"""Breach mentions: every category in every modality, Indonesian affixes, negation and hedging, and who a
mention is about. The sentences are written for these tests in the style of regional news."""
from __future__ import annotations

import pytest

CASES = {
    "campaign_participation": {
        "alleged": "Bawaslu Kabupaten Garut menemukan dua ASN diduga ikut berkampanye untuk salah satu calon "
                   "bupati di Kecamatan Tarogong, Sabtu (12/10).",
        "prohibition": "Penjabat Bupati Garut meminta seluruh ASN tidak menghadiri kampanye pasangan calon selama "
                       "Pilkada 2024.",
        "denied": "Hingga kini Bawaslu Garut belum menemukan ASN yang terlibat kampanye pasangan calon.",
    },
    "party_attributes": {
        "alleged": "Seorang anggota KPPS di Desa Sukamaju kedapatan mengenakan kaus bergambar pasangan calon saat "
                   "pemungutan suara, Rabu (14/2).",
        "prohibition": "Anggota KPPS dilarang memakai atribut partai politik di tempat pemungutan suara.",
        "denied": "Camat Sukasari membantah dirinya berpose salam dua jari bersama caleg dalam foto yang beredar.",
    },
    "social_media": {
        "alleged": "Bawaslu Kota Bandarlampung memeriksa enam ASN yang diduga mengunggah dukungan kepada salah "
                   "satu pasangan calon di Facebook.",
        "prohibition": "ASN dilarang memberikan like dan komentar pada unggahan akun media sosial partai politik.",
        "denied": "Kepala Dinas Pendidikan membantah pernah membagikan postingan kampanye calon wali kota di grup "
                  "WhatsApp guru.",
    },
    "state_facilities": {
        "alleged": "Camat Negeri Katon diduga menggunakan mobil dinas untuk mengangkut alat peraga kampanye calon "
                   "bupati.",
        "prohibition": "Pj Gubernur Banten mengingatkan ASN agar tidak menggunakan fasilitas negara untuk kegiatan "
                       "kampanye.",
        "denied": "Sekda Kuningan menepis tudingan telah menggunakan fasilitas pemerintah untuk kampanye pasangan "
                  "calon.",
    },
    "partisan_decision": {
        "alleged": "Kepala Desa Sumberjaya dilaporkan ke Bawaslu karena diduga membuat keputusan yang "
                   "menguntungkan salah satu pasangan calon.",
        "prohibition": "Kepala desa dilarang membuat keputusan atau tindakan yang menguntungkan atau merugikan salah "
                       "satu pasangan calon.",
        "denied": "Pj Wali Kota Jayapura membantah program bantuan itu menguntungkan pasangan calon tertentu.",
    },
    "money_politics": {
        "alleged": "Seorang kepala dusun di Lampung Timur tertangkap tangan membagikan amplop berisi uang kepada "
                   "warga agar memilih caleg tertentu.",
        "prohibition": "ASN diminta menolak politik uang dalam bentuk apa pun selama masa kampanye.",
        "denied": "Panwascam Batanghari menyatakan tidak ditemukan politik uang yang melibatkan perangkat desa.",
    },
    "intimidation": {
        "alleged": "Seorang Kapolsek mengaku diancam dimutasi bila paslon nomor urut 01 kalah di wilayahnya.",
        "prohibition": "Kepala desa dilarang melakukan intimidasi terhadap warga untuk memilih calon tertentu.",
        "denied": "Camat Cibeber membantah telah mengintimidasi para kepala desa agar mendukung salah satu calon.",
    },
    "party_affiliation": {
        "alleged": "Bawaslu menemukan seorang anggota PPS yang diduga masih terdaftar sebagai anggota partai "
                   "politik di Sipol.",
        "prohibition": "Anggota PPK dan PPS tidak boleh menjadi anggota partai politik paling singkat lima tahun.",
        "denied": "Ketua KPU Pesibar memastikan tidak ada anggota PPS yang terdaftar sebagai pengurus partai politik.",
    },
    "vote_manipulation": {
        "alleged": "Lima anggota PPK di Kecamatan Medan Deli diduga menggelembungkan suara salah satu caleg saat "
                   "rekapitulasi.",
        "prohibition": "Anggota KPPS dilarang mengubah perolehan suara pada formulir C.Hasil.",
        "denied": "KPU Kota Medan membantah tudingan penggelembungan suara di tingkat PPK.",
    },
    "other": {
        "alleged": "Seorang petugas KPPS dilaporkan karena menanyakan pilihan politik pemilih sebelum mencoblos.",
        "prohibition": "KPPS tidak boleh menanyakan pilihan politik pemilih di TPS.",
        "denied": "Ketua KPPS 05 membantah telah menanyakan pilihan politik para pemilih.",
    },
}
MATRIX = [(cat, mod, text) for cat, by_mod in CASES.items() for mod, text in by_mod.items()]


@pytest.mark.parametrize("category,modality,text", MATRIX, ids=[f"{c}-{m}" for c, m, _ in MATRIX])
def test_each_category_in_each_modality(tagger, category, modality, text):
    tags = tagger.tag(text)
    found = {(f.category, f.modality) for f in tags.flags}
    assert (category, modality) in found, found
    assert not any(f.category == category and f.modality != modality for f in tags.flags), found


def test_breaches_and_prohibitions_split_by_modality(tagger):
    text = ("Bawaslu Kota Cimahi menemukan tiga ASN diduga ikut menghadiri kampanye calon anggota legislatif.\n"
            "Menurut Bawaslu, ASN juga dilarang memasang atribut partai politik.")
    tags = tagger.tag(text)
    assert tags.breaches == ["campaign_participation"]
    assert tags.prohibitions == ["party_attributes"]


@pytest.mark.parametrize("sentence", [
    "Sejumlah ASN di Kabupaten Jember diduga berkampanye untuk pasangan calon nomor urut 2.",
    "Video yang viral memperlihatkan seorang camat mengkampanyekan calon bupati di hadapan warga.",
    "Bawaslu menemukan ada kepala desa yang dikampanyekan sebagai tim pemenangan calon gubernur.",
])
def test_campaign_verbs_in_every_affixed_form(tagger, sentence):
    assert "campaign_participation" in tagger.tag(sentence).breaches


@pytest.mark.parametrize("sentence", [
    "Seorang ASN di Bekasi diduga mengunggah foto bersama calon presiden di Instagram.",
    "Foto yang diunggah seorang kepala desa di akun Facebook pribadinya dilaporkan ke Bawaslu.",
    "Unggahan seorang guru PNS yang mendukung calon wali kota viral di media sosial.",
])
def test_upload_forms(tagger, sentence):
    assert "social_media" in tagger.tag(sentence).breaches


@pytest.mark.parametrize("sentence", [
    "Dalam foto yang beredar, Kepala Desa Karangsono terlihat mengacungkan tiga jari bersama calon bupati.",
    "Dua pengawas TPS kedapatan berpose dua jari saat apel siaga di Lapangan Karebosi.",
])
def test_ticket_number_gestures_count_as_party_attributes(tagger, sentence):
    assert "party_attributes" in tagger.tag(sentence).breaches


@pytest.mark.parametrize("sentence", [
    "Jika terbukti ikut kampanye, ASN tersebut akan dijatuhi sanksi disiplin.",
    "Apabila ditemukan kepala desa yang memasang baliho caleg, Bawaslu akan menindak tegas.",
    "ASN yang kedapatan memasang baliho caleg bisa dilaporkan ke Bawaslu.",
    "Prajurit TNI maupun PNS yang terbukti terlibat politik praktis akan ditindak tegas.",
    "Bawaslu mengimbau ASN untuk tidak ikut kampanye pasangan calon mana pun.",
])
def test_conditions_and_generic_statements_are_rules_not_cases(tagger, sentence):
    tags = tagger.tag(sentence)
    assert tags.flags, "the breach mention is still found"
    assert tags.breaches == []
    assert {f.modality for f in tags.flags} == {"prohibition"}


@pytest.mark.parametrize("sentence,modality", [
    ("Dua ASN disinyalir ikut kampanye calon bupati di Kecamatan Cibeber.", "alleged"),
    ("Hasil klarifikasi menyatakan ASN tersebut tidak terbukti ikut kampanye.", "denied"),
    ("Camat Negeri Katon membantah ikut berkampanye untuk calon bupati nomor urut 2.", "denied"),
])
def test_hedging_and_denial(tagger, sentence, modality):
    assert [f.modality for f in tagger.tag(sentence).flags] == [modality]


@pytest.mark.parametrize("sentence", [
    "Ketua Bawaslu Kota Cimahi, Aan Sugiharto, mengatakan temuan itu berawal dari laporan warga yang mengunggah "
    "video kegiatan tersebut ke media sosial.",
    "Caleg DPRD Boyolali dari PKS, Basuki, terbukti melakukan politik uang dan divonis 10 hari kurungan.",
    "Selama masa tenang, seluruh peserta pemilu termasuk calon dan pendukungnya dilarang berkampanye.",
])
def test_acts_of_citizens_and_candidates_are_not_neutrality_breaches(tagger, sentence):
    assert tagger.tag(sentence).flags == []


def test_subject_is_the_role_the_breach_is_about(tagger):
    text = ("Bawaslu Kabupaten Pasuruan menemukan sejumlah kepala desa memberikan dukungan kepada pasangan calon "
            "nomor urut 2 melalui grup WhatsApp.")
    flags = tagger.tag(text).flags
    assert flags and {f.subject for f in flags} == {"KADES"}


def test_subject_carries_over_to_a_list_of_rules(tagger):
    text = ("Panglima TNI meminta seluruh prajurit TNI menjaga netralitas pada Pemilu 2024.\n"
            "- Jangan memberikan fasilitas tempat untuk kegiatan kampanye partai politik.\n"
            "- Dilarang mengunggah maupun berkomentar terkait hasil hitung cepat di media sosial.")
    flags = tagger.tag(text).flags
    assert {(f.category, f.modality, f.subject) for f in flags} >= {
        ("state_facilities", "prohibition", "TNI"), ("social_media", "prohibition", "TNI")}


def test_flag_offsets_point_at_the_sentence(tagger):
    text = ("  KUPANG, TIMEX - Anggota KPPS dilarang memakai atribut partai.\n\n"
            "\u201cKami sudah memanggil keempatnya,\u201d kata dia. Dua ASN diduga ikut kampanye caleg.")
    for f in tagger.tag(text).flags:
        assert text[f.start:f.end] == f.sentence
        assert f.sentence == f.sentence.strip()


# Wordings of each category the lexicon reads as families, not as one article's phrasing (written for this test).
FAMILIES = [
    ("campaign_participation", "Seorang lurah di Kota Tepian diduga berorasi di panggung kampanye calon wali kota petahana."),
    ("campaign_participation", "Sejumlah ASN Dinas Kesehatan terekam ikut konvoi pendukung calon bupati usai deklarasi."),
    ("campaign_participation", "Kepala desa itu diduga mengumpulkan para kader posyandu untuk memenangkan pasangan calon nomor urut 3."),
    ("campaign_participation", "Seorang Bhabinkamtibmas diduga meminta fotokopi KTP warga untuk mendukung pasangan calon gubernur."),
    ("party_attributes", "Motor dinas lurah itu kedapatan berstiker pasangan calon wali kota nomor urut 1."),
    ("partisan_decision", "Pj wali kota diduga memutasi tiga camat yang tidak mendukung pasangan calon petahana."),
    ("partisan_decision", "Kepala desa diduga menyalurkan bantuan sosial hanya kepada pendukung calon bupati tertentu."),
    ("intimidation", "Camat itu diduga menekan kepala desa agar mengarahkan warganya memilih calon petahana."),
    ("party_affiliation", "Seorang ASN guru diduga mendaftar sebagai bacaleg DPRD tanpa mengundurkan diri dari jabatannya."),
    ("vote_manipulation", "Anggota PPK itu diduga memindahkan perolehan suara seorang caleg ke caleg lain dari partai yang sama."),
    ("vote_manipulation", "Dua anggota KPPS diduga mencoblos sisa surat suara setelah TPS ditutup."),
    ("campaign_participation", "Anggota PPS itu diduga menjadi saksi salah satu partai politik di TPS."),
    ("campaign_participation", "ASN itu diduga menjadi pengurus relawan pemenangan capres di tingkat kabupaten."),
    ("party_attributes", "Kades itu diduga memajang foto pasangan calon di ruang kerjanya."),
    ("money_politics", "Oknum kades itu diduga memberikan bantuan semen kepada warga asalkan memilih caleg tertentu."),
    ("partisan_decision", "Kepala desa diduga mempersulit pelayanan bagi warga pendukung calon lain."),
]


@pytest.mark.parametrize("category,text", FAMILIES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(FAMILIES)])
def test_wording_families_of_each_category(tagger, category, text):
    assert category in tagger.tag(text).breaches


MODALITIES = [
    ("Kepala dusun tidak dibenarkan menjadi anggota tim pemenangan calon kepala daerah.", "campaign_participation",
     "prohibition"),
    ("Sekretaris desa itu menampik tudingan ikut membagikan sembako bergambar calon bupati.", "money_politics", "denied"),
    ("Camat itu menegaskan tidak pernah memasang spanduk calon bupati di kantor kecamatan.", "party_attributes", "denied"),
    ("Dalam video itu, seorang anggota PPS tampak mengacungkan tiga jari yang merupakan simbol dukungan kepada "
     "pasangan calon nomor urut 3.", "party_attributes", "alleged"),
]


@pytest.mark.parametrize("text,category,modality", MODALITIES, ids=[m for _, _, m in MODALITIES])
def test_modality_of_new_wordings(tagger, text, category, modality):
    found = {(f.category, f.modality) for f in tagger.tag(text).flags}
    assert (category, modality) in found, found


@pytest.mark.parametrize("sentence, subject", [
    ("Sejumlah warga Desa Cibodas mengaku ditekan oknum Babinsa agar memilih pasangan calon nomor urut 1.", "TNI"),
    ("Seorang pedagang di Pasar Baru mengaku diintimidasi oleh seorang anggota Polri agar mencoblos calon "
     "tertentu.", "POLRI"),
    ("Para pemilih di Kecamatan Cikupa mengaku diminta menyerahkan fotokopi KTP oleh Babinsa untuk mendukung "
     "salah satu pasangan calon.", "TNI"),
])
def test_the_agent_of_a_passive_verb_is_the_actor_not_its_subject(tagger, sentence, subject):
    flags = tagger.tag(sentence).flags
    assert flags and {f.subject for f in flags} == {subject}


@pytest.mark.parametrize("second", [
    "Ia juga terlihat mengenakan kaus bergambar pasangan calon nomor urut 2 di lokasi acara.",
    "Beliau kemudian terlihat mengenakan kaus bergambar pasangan calon nomor urut 2 di lokasi acara.",
    "Sang kades juga terlihat mengenakan kaus bergambar pasangan calon nomor urut 2 di lokasi acara.",
    "Kepala desa tersebut juga terlihat mengenakan kaus bergambar pasangan calon nomor urut 2 di lokasi acara.",
])
def test_a_pronoun_or_a_definite_title_points_back_at_the_person_named_before(tagger, second):
    text = ("Kepala Desa Sukamaju, Hendra Wijaya, menghadiri pertemuan relawan di balai warga, Minggu (3/11). "
            + second)
    flags = tagger.tag(text).flags
    assert [f.subject for f in flags if f.category == "party_attributes"] == ["KADES: Hendra Wijaya"]


def test_a_speakers_pronoun_is_not_the_actor(tagger):
    text = ("Ketua Bawaslu Kabupaten Garut, Ahmad Fauzi, menerima laporan warga. Menurut dia, seorang camat "
            "diduga ikut berkampanye untuk pasangan calon nomor urut 3.")
    flags = tagger.tag(text).flags
    assert flags and all(f.subject == "ASN" for f in flags)


@pytest.mark.parametrize("sentence", [
    "Sebuah mobil dinas milik Pemkab Sukabumi kedapatan dipakai untuk mengangkut spanduk pasangan calon.",
    "Foto kendaraan dinas Pemerintah Kota Bekasi yang terpasang stiker salah satu calon wali kota viral di "
    "media sosial.",
])
def test_the_government_body_owning_state_property_stands_for_its_staff(tagger, sentence):
    flags = tagger.tag(sentence).flags
    assert flags and {f.subject for f in flags} == {"ASN"} and {f.modality for f in flags} == {"alleged"}


@pytest.mark.parametrize("sentence", [
    "Pegawai diminta tidak menghadiri kampanye pasangan calon selama masa Pilkada 2024.",
    "Seluruh pegawai dilarang mengunggah foto bersama calon bupati di media sosial.",
])
def test_appeals_to_employees_are_prohibitions_for_civil_servants(tagger, sentence):
    flags = tagger.tag(sentence).flags
    assert flags and {(f.modality, f.subject) for f in flags} == {("prohibition", "ASN")}


@pytest.mark.parametrize("sentence, subject", [
    ("Dua anggota KPPS diamankan aparat kepolisian setelah kedapatan mencoblos sisa surat suara untuk salah satu "
     "pasangan calon.", "KPPS"),
    ("Seorang kepala desa dilaporkan oleh Panwascam karena ikut berkampanye untuk calon bupati nomor urut 2.",
     "KADES"),
])
def test_the_agent_of_an_earlier_passive_verb_is_not_the_actor_of_the_breach(tagger, sentence, subject):
    flags = tagger.tag(sentence).flags
    assert flags and {f.subject for f in flags} == {subject}
