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
