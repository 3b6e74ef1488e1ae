"""The tagger's learned parts: the shipped models load offline from the package, hold no text, feed the
tagger version, and read sentences and articles written for this test (not in the training sentences)."""
from __future__ import annotations

import tomllib
from pathlib import Path
from importlib import resources

import pytest

from extract.tagging.learned import HashedSoftmax, load_model


def kinds(tags) -> set[tuple[str, str]]:
    return {(f.category, f.modality) for f in tags.flags}


def test_models_load_offline_from_the_installed_package(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the tagger's models must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    modality, article = load_model("modality.npz"), load_model("article_type.npz")
    assert modality is not None and article is not None
    assert set(modality.labels) == {"alleged", "sanction", "prohibition", "denied", "none"}
    assert set(article.labels) == {"allegation", "sanction", "advisory", "other"}


def test_model_files_hold_weights_not_words():
    raw = resources.files("extract.tagging").joinpath("models/modality.npz").read_bytes()
    sentences = tomllib.loads(resources.files("lab.tagging").joinpath("train_sentences.toml").read_text("utf-8"))
    model = HashedSoftmax.from_bytes(raw)
    assert model.weights.shape[0] == 1 << model.bits
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert sorted(z.namelist()) == ["bias.npy", "bits.npy", "labels.npy", "weights.npy"]
        plain = b"".join(z.read(n) for n in z.namelist())
    for word in ("kampanye", "Bawaslu", "dilarang", sentences["alleged"][0][:20]):
        assert word.encode() not in plain


def test_training_is_deterministic_and_learns_a_separable_toy_task():
    data = [(["w=dilarang", "cue=prohibition"], "prohibition"), (["w=diduga", "cue=alleged"], "alleged")] * 5
    a = HashedSoftmax(["alleged", "prohibition"], bits=8).fit(data, epochs=10, seed=3)
    b = HashedSoftmax(["alleged", "prohibition"], bits=8).fit(data, epochs=10, seed=3)
    assert (a.weights == b.weights).all()
    assert a.predict(["w=dilarang"]) == "prohibition" and a.predict(["w=diduga"]) == "alleged"
    assert HashedSoftmax.from_bytes(a.to_bytes()).predict(["cue=alleged"]) == "alleged"


def test_tagger_version_names_the_learned_models(tagger):
    from extract.tagging import TAGGER_VERSION
    assert "+learned-" in TAGGER_VERSION and tagger.version == TAGGER_VERSION


MODALITY = [
    ("Bawaslu Kabupaten Tirta Jaya menemukan seorang ASN Dinas Perhubungan ikut berkampanye untuk caleg DPR RI "
     "di Lapangan Merdeka, Sabtu (3/2).", ("campaign_participation", "alleged")),
    ("Kepala Desa Pasir Kuning, Kecamatan Wanasari, dilaporkan karena memasang baliho caleg di pagar balai desa.",
     ("party_attributes", "alleged")),
    ("Bupati mengimbau seluruh kepala desa agar tidak ikut berkampanye maupun menjadi tim sukses pasangan calon.",
     ("campaign_participation", "prohibition")),
    ("Dandim 0612 mengingatkan prajuritnya tidak mengunggah foto bersama calon di media sosial.",
     ("social_media", "prohibition")),
    ("Camat Sukaraja membantah dirinya ikut berkampanye untuk pasangan calon bupati nomor urut 1.",
     ("campaign_participation", "denied")),
    ("DKPP menjatuhkan sanksi pemberhentian tetap kepada Ketua PPK Cibeunying yang terbukti menggelembungkan "
     "suara caleg.", ("vote_manipulation", "alleged")),
]


@pytest.mark.parametrize("text,expected", MODALITY, ids=[m[1][1] + "-" + m[1][0] for m in MODALITY])
def test_each_sentence_kind(tagger, text, expected):
    assert expected in kinds(tagger.tag(text))


ARTICLES = {
    "allegation": (
        "Bawaslu Periksa Kades Sumber Agung Diduga Ikut Kampanye Caleg\n"
        "Bawaslu Kabupaten Lembah Raya memeriksa Kepala Desa Sumber Agung, Hartono, yang diduga ikut berkampanye "
        "untuk seorang caleg DPRD, Senin (5/2/2024).\n"
        "Ketua Bawaslu Kabupaten Lembah Raya, Rini Astuti, mengatakan laporan itu masuk dari warga disertai foto.\n"
        "\u201cKami masih mengkaji laporan tersebut,\u201d kata Rini."),
    "sanction": (
        "DKPP Berhentikan Ketua KPU Kota Baru Jaya\n"
        "Dewan Kehormatan Penyelenggara Pemilu (DKPP) menjatuhkan sanksi pemberhentian tetap kepada Ketua KPU Kota "
        "Baru Jaya, Andi Saputra, dalam sidang putusan di Jakarta, Rabu (6/3/2024).\n"
        "Andi terbukti menjadi anggota partai politik saat menjabat."),
    "advisory": (
        "Pj Bupati Ingatkan ASN Jaga Netralitas\n"
        "Penjabat (Pj) Bupati Tanah Merah, Yusuf Hamdani, meminta seluruh aparatur sipil negara (ASN) menjaga "
        "netralitas selama Pilkada 2024.\n"
        "ASN dilarang ikut kampanye, memasang atribut pasangan calon, dan memberi like pada unggahan calon.\n"
        "\u201cJika terbukti melanggar, sanksinya tegas,\u201d kata Yusuf."),
    "other": (
        "KPU Kota Pelita Mulai Distribusikan Logistik Pemilu\n"
        "KPU Kota Pelita mulai mendistribusikan kotak suara dan surat suara ke 12 kecamatan, Kamis (8/2/2024).\n"
        "Ketua KPU Kota Pelita, Budi Santoso, mengatakan distribusi dikawal aparat kepolisian.\n"
        "Logistik disimpan di gudang kecamatan sebelum dibagikan ke PPS."),
}


@pytest.mark.parametrize("kind", list(ARTICLES))
def test_each_article_type(tagger, kind):
    assert tagger.tag(ARTICLES[kind]).article_type == kind


def officials(tags) -> dict[str, str]:
    return {o.name: o.title for o in tags.officials}


OFFICIALS = [
    ("Komisioner KPU Kabupaten Lembah Hijau, Ani Lestari, Budi Santoso dan Citra Dewi, hadir dalam rapat pleno.",
     {"Ani Lestari": "Komisioner KPU Kabupaten Lembah Hijau", "Budi Santoso": "Komisioner KPU Kabupaten Lembah Hijau",
      "Citra Dewi": "Komisioner KPU Kabupaten Lembah Hijau"}),
    ("Bawaslu melaporkan Rina Marlina dan Yosep Taufan PPK Sukamaju, Gilang Pratama PPK Cibodas, serta Wawan PPS "
     "Mekarwangi.", {"Rina Marlina": "PPK Sukamaju", "Yosep Taufan": "PPK Sukamaju", "Gilang Pratama": "PPK Cibodas"}),
    ("Kepala Desa Sindangsari Jajang Sumpena membantah tudingan itu.", {"Jajang Sumpena": "Kepala Desa Sindangsari"}),
    ("Ketua Majelis Hakim Pengadilan Negeri Denpasar, I Made Sukerta, membacakan putusan.",
     {"I Made Sukerta": "Ketua Majelis Hakim Pengadilan Negeri Denpasar"}),
    ("Sidang dipimpin Ketua Majelis Hakim I Ketut Sukerta dengan dua hakim anggota.",
     {"I Ketut Sukerta": "Ketua Majelis Hakim"}),
    ("Ketua PPK Rawalumbu, Sutrisno, mengaku baru mengetahui laporan itu.", {"Sutrisno": "Ketua PPK Rawalumbu"}),
    ("Ketua Forum Kepala Desa Kecamatan Karanganyar Moch. Ridwan Hakim dan Sekretaris Forum Jamaludin hadir.",
     {"Moch. Ridwan Hakim": "Ketua Forum Kepala Desa Kecamatan Karanganyar"}),
    ("Kapuspen TNI Laksamana Muda Rudi Hartono mengatakan prajurit wajib netral.", {"Rudi Hartono": "Kapuspen TNI"}),
    ("Koordinator Divisi Penanganan Pelanggaran dan Data Informasi Bawaslu Kabupaten Sumber Jaya, Nur Aini, "
     "menjelaskan tahapan kajian.",
     {"Nur Aini": "Koordinator Divisi Penanganan Pelanggaran dan Data Informasi Bawaslu Kabupaten Sumber Jaya"}),
    ("Menteri Koordinator Politik, Hukum, dan Keamanan Hadi Santoso meminta aparat netral.",
     {"Hadi Santoso": "Menteri Koordinator Politik, Hukum, dan Keamanan"}),
    ("Kuasa Hukum Terlapor, Dedi Kurniawan, menyatakan kliennya tidak hadir di acara itu.",
     {"Dedi Kurniawan": "Kuasa Hukum Terlapor"}),
]


@pytest.mark.parametrize("text,expected", OFFICIALS, ids=[str(i) for i in range(len(OFFICIALS))])
def test_officials_names_as_printed_and_member_lists(tagger, text, expected):
    found = officials(tagger.tag(text))
    for name, title in expected.items():
        assert found.get(name) == title, found
    assert not any(w in found for w in ("Sindangsari Jajang Sumpena", "Negeri Denpasar", "Rawalumbu", "Muda Rudi Hartono",
                                        "Terlapor", "Ketut Sukerta", "Hukum",
                                        "Keamanan Hadi Santoso"))


ACCUSED = [
    # the accused role is held by one named official: the name, not the description
    ("Kades Dilaporkan Ikut Kampanye\n"
     "Kepala Desa Mekarsari, Kecamatan Cilamaya, Asep Sunandar, dilaporkan ke Bawaslu Karawang.\n"
     "Kepala desa itu diduga ikut berkampanye untuk salah satu caleg DPRD di lapangan desa, Minggu (4/2/2024).",
     ["Asep Sunandar"]),
    # counted people stay a description even when one of them is named elsewhere with the title
    ("Bawaslu Temukan Tiga ASN Hadiri Kampanye\n"
     "Bawaslu Kota Tanjung menemukan tiga ASN Dinas Pendidikan menghadiri kampanye calon wali kota, Selasa (6/2).\n"
     "Ketua Bawaslu Kota Tanjung, Rahmat Hidayat, mengatakan temuan itu sedang dikaji.", ["tiga ASN Dinas Pendidikan"]),
]


@pytest.mark.parametrize("text,expected", ACCUSED, ids=["named-holder", "counted"])
def test_accused_is_tied_to_the_breach(tagger, text, expected):
    tags = tagger.tag(text)
    assert tags.article_type == "allegation"
    assert tags.accused == expected


@pytest.mark.parametrize("text", [
    "Bupati Sumber Jaya, Hendra Wijaya, mengimbau kepala desa tidak ikut kampanye pasangan calon.",
    "Kepala Desa Sukamulya, Dadang Hermawan, membantah ikut berkampanye untuk caleg DPRD.",
    "Sesuai aturan, ASN yang terbukti memasang atribut partai dijatuhi hukuman disiplin.",
], ids=["appeal", "denial", "rule"])
def test_appeals_denials_and_rules_name_no_one(tagger, text):
    tags = tagger.tag(text)
    assert tags.accused == [] and tags.breaches == []


def test_initials_stay_with_the_accused_description(tagger):
    tags = tagger.tag("Bawaslu Kabupaten Sungai Raya memeriksa seorang camat berinisial HS yang diduga hadir "
                      "dalam deklarasi pasangan calon bupati, Kamis (12/9/2024).")
    assert tags.article_type == "allegation"
    assert tags.accused == ["seorang camat berinisial HS"]


def test_handwritten_training_articles_cover_every_type():
    from extract.tagging.model import ARTICLE_TYPES
    from lab.train_tagger import handwritten_articles
    articles = handwritten_articles("train_articles.toml")
    assert set(articles) == set(ARTICLE_TYPES)
    assert all(len(texts) >= 5 and all("\n" in t for t in texts) for texts in articles.values())
    assert handwritten_articles("") == {}


def test_a_case_without_category_names_the_bound_person_it_is_about(tagger):
    text = ("Mendagri Copot Pj Bupati Lembah Hijau, Rudi Hartanto, karena Tidak Netral\n"
            "Menteri Dalam Negeri mencopot Penjabat (Pj) Bupati Lembah Hijau, Rudi Hartanto, karena terbukti tidak "
            "netral dalam Pilkada 2024, Senin (7/10/2024).\n"
            "Posisi Rudi digantikan oleh pejabat dari Kementerian Dalam Negeri.")
    tags = tagger.tag(text)
    assert tags.article_type in ("sanction", "allegation")
    assert "Rudi Hartanto" in tags.accused


# ../shared beside the checkout (as in CI); not shipped: the test skips without it
LABELS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "neutrality-dev" / "labels.jsonl"


def test_shipped_models_are_what_the_committed_training_command_writes(tmp_path):
    if not LABELS.exists():
        pytest.skip(f"the labelled articles are not on this machine ({LABELS})")
    from lab.train_tagger import main
    assert main([str(LABELS), "--out", str(tmp_path)]) == 0
    for name in ("modality.npz", "article_type.npz"):
        shipped = resources.files("extract.tagging").joinpath("models").joinpath(name).read_bytes()
        assert (tmp_path / name).read_bytes() == shipped, f"{name}: retrain with python -m lab.train_tagger"
