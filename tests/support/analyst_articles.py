"""Stored articles for the analysts' tests, built as ProcessedArticle objects with hand-made Tags, so the
tests do not depend on the evolving tagger. Texts are written in the shapes regional outlets publish
(Tribun network, JPNN, Antara, Timor Express, WordPress portals); the people are fictional."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from extract.article import ProcessedArticle
from extract.page import ExtractedPage
from extract.tagging.model import Flag, Mention, Official, Tags
from store import Store
from store.articles import save_article

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))


@dataclass
class Spec:
    url: str
    outlet: str
    title: str
    text: str
    published: datetime | None
    province: str | None
    regency: str | None
    roles: list[str]
    flags: list[tuple[str, str, str]]                   # (category, modality, a phrase inside the sentence)
    officials: list[tuple[str, str]] = field(default_factory=list)   # (name as printed, title)
    article_type: str = "allegation"
    subjects: dict[int, str] = field(default_factory=dict)           # flag index -> subject
    accused: list[str] = field(default_factory=list)


def sentence_around(text: str, phrase: str) -> tuple[str, int, int]:
    """The sentence of text containing phrase, with its offsets (sentences end with '.', '?' or '!')."""
    at = text.index(phrase)
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    start = 0 if start < 0 else start + (2 if text[start] == "." else 1)
    end = min([i for i in (text.find(". ", at), text.find(".\n", at)) if i >= 0] or [len(text) - 1]) + 1
    return text[start:end], start, end


def processed(spec: Spec, *, tagger_version: str = "test-1", fetched_at: datetime | None = None,
              flags: list[tuple[str, str, str]] | None = None) -> ProcessedArticle:
    made = []
    for i, (category, modality, phrase) in enumerate(spec.flags if flags is None else flags):
        sentence, start, end = sentence_around(spec.text, phrase)
        made.append(Flag(category, modality, sentence, start, end, spec.subjects.get(i)))
    mentions = []
    for name, _title in spec.officials:
        at = spec.text.find(name)
        if at >= 0:
            mentions.append(Mention("PER", name, at, at + len(name)))
    tags = Tags(relevant=bool(made and spec.roles), article_type=spec.article_type, roles=spec.roles,
                officials=[Official(n, t) for n, t in spec.officials], flags=made, mentions=mentions,
                accused=spec.accused)
    page = ExtractedPage(url=spec.url, text=spec.text, title=spec.title, published_at=spec.published,
                         outlet=spec.outlet, language="id", canonical_url=spec.url)
    return ProcessedArticle(key=spec.url.split("://", 1)[1].rstrip("/"), url=spec.url, page=page, tags=tags,
                            tagger_version=tagger_version,
                            fetched_at=fetched_at or datetime(2024, 2, 20, 3, 0, tzinfo=timezone.utc))


def save(store: Store, spec: Spec, **kwargs) -> int:
    with store.session() as s:
        return save_article(s, processed(spec, **kwargs), source=spec.outlet.lower().replace(" ", ""),
                            province=spec.province, regency=spec.regency).article_id


GARUT_KADES = Spec(
    url="https://jabar.tribunnews.com/2024/01/10/kades-di-garut-kedapatan-ikut-kampanye-caleg",
    outlet="Tribun Jabar", province="Jawa Barat", regency="Kabupaten Garut",
    title="Kades di Garut Kedapatan Ikut Kampanye Caleg, Bawaslu Layangkan Panggilan",
    published=datetime(2024, 1, 10, 14, 20, tzinfo=WIB),
    text=("TRIBUNJABAR.ID, GARUT - Kepala Desa Sukamaju, Kecamatan Cibatu, Iron Sahroni, kedapatan ikut "
          "kampanye salah satu calon anggota DPRD Garut di lapangan desa, Minggu (7/1/2024). "
          "Dalam video yang beredar, Iron terlihat berpose salam dua jari bersama tim pemenangan caleg.\n"
          "Ketua Bawaslu Kabupaten Garut, Dadang Kusnadi, mengatakan pihaknya sudah melayangkan surat panggilan "
          "untuk klarifikasi. Kepala desa dilarang terlibat dalam kegiatan kampanye sesuai Pasal 280 UU Pemilu.\n"
          "Saat dikonfirmasi, Iron mengaku hanya diundang warga dan tidak tahu acara itu kampanye."),
    roles=["BAWASLU", "KADES"], officials=[("Iron Sahroni", "Kepala Desa Sukamaju"), ("Iron", "Kepala Desa"),
                                           ("Dadang Kusnadi", "Ketua Bawaslu Kabupaten Garut")],
    flags=[("campaign_participation", "alleged", "kedapatan ikut kampanye"),
           ("party_attributes", "alleged", "salam dua jari"),
           ("campaign_participation", "prohibition", "dilarang terlibat")],
    subjects={0: "KADES Iron Sahroni", 1: "KADES Iron"})

BANDUNG_ASN = Spec(
    url="https://www.jpnn.com/news/asn-pemprov-jabar-diduga-unggah-dukungan-capres",
    outlet="JPNN", province="Jawa Barat", regency="Kota Bandung",
    title="ASN Pemprov Jabar Diduga Unggah Dukungan Capres di Media Sosial",
    published=datetime(2024, 1, 15, 9, 5, tzinfo=WIB),
    text=("jpnn.com, BANDUNG - Seorang aparatur sipil negara (ASN) di lingkungan Pemprov Jawa Barat berinisial "
          "RH diduga mengunggah dukungan kepada salah satu pasangan capres-cawapres di akun media sosial "
          "pribadinya. Unggahan itu dilaporkan warga ke Bawaslu Provinsi Jawa Barat pekan lalu.\n"
          "Anggota Bawaslu Jawa Barat, Neni Marliana, menyebut laporan tersebut sedang diklarifikasi. "
          "\"ASN wajib netral, termasuk di media sosial,\" ujar Neni di Bandung, Senin (15/1/2024)."),
    roles=["ASN", "BAWASLU"], officials=[("Neni Marliana", "Anggota Bawaslu Jawa Barat")],
    flags=[("social_media", "alleged", "diduga mengunggah dukungan"),
           ("social_media", "prohibition", "ASN wajib netral")],
    subjects={0: "ASN"})

CIREBON_ADVISORY = Spec(
    url="https://www.antaranews.com/berita/3901234/pj-bupati-cirebon-minta-asn-jaga-netralitas",
    outlet="Antara", province="Jawa Barat", regency="Kabupaten Cirebon",
    title="Pj Bupati Cirebon Minta ASN Jaga Netralitas Jelang Pemungutan Suara",
    published=datetime(2024, 2, 2, 10, 0, tzinfo=WIB),
    text=("Cirebon (ANTARA) - Penjabat Bupati Cirebon Wahyu Mijaya meminta seluruh aparatur sipil negara "
          "(ASN) menjaga netralitas menjelang pemungutan suara 14 Februari 2024. ASN dilarang menghadiri "
          "kampanye maupun memasang atribut partai di kantor.\n"
          "\"Jangan sampai ada ASN yang terlibat politik praktis,\" kata Wahyu di Sumber, Jumat."),
    roles=["ASN", "PJ_KEPALA_DAERAH"], officials=[("Wahyu Mijaya", "Penjabat Bupati Cirebon")],
    flags=[("campaign_participation", "prohibition", "ASN dilarang menghadiri"),
           ("campaign_participation", "prohibition", "terlibat politik praktis")],
    article_type="advisory")

KUPANG_PPS = Spec(
    url="https://timorexpress.fajar.co.id/2024/01/20/anggota-pps-di-kupang-diduga-bagi-bagi-sembako/",
    outlet="Timor Express", province="Nusa Tenggara Timur", regency="Kota Kupang",
    title="Anggota PPS di Kupang Diduga Bagi-bagi Sembako untuk Caleg",
    published=datetime(2024, 1, 20, 19, 30, tzinfo=WITA),
    text=("KUPANG, TIMEX - Seorang anggota Panitia Pemungutan Suara (PPS) Kelurahan Oesapa diduga ikut "
          "bagi-bagi sembako atas nama salah satu caleg DPR RI. Temuan itu berasal dari laporan warga ke "
          "Panwaslu Kecamatan Kelapa Lima.\n"
          "Koordinator Divisi Penanganan Pelanggaran Bawaslu Kota Kupang, Yosef Lado, memastikan kasus itu "
          "akan diteruskan ke KPU Kota Kupang. Menurut Yosef, anggota PPS yang terbukti melakukan politik uang "
          "dapat diberhentikan."),
    roles=["BAWASLU", "PPS"], officials=[("Yosef Lado", "Koordinator Divisi Penanganan Pelanggaran Bawaslu Kota Kupang")],
    flags=[("money_politics", "alleged", "bagi-bagi sembako")])

INDRAMAYU_CAMAT = Spec(
    url="https://indramayujeh.com/camat-kandanghaur-bantah-arahkan-warga-pilih-caleg/",
    outlet="Indramayujeh", province="Jawa Barat", regency="Kabupaten Indramayu",
    title="Camat Kandanghaur Bantah Arahkan Warga Pilih Caleg Tertentu",
    published=datetime(2024, 2, 5, 6, 10, tzinfo=WIB),
    text=("INDRAMAYU - Camat Kandanghaur, Rudi Hartono, membantah tudingan mengarahkan kepala desa untuk "
          "memenangkan caleg tertentu dalam rapat koordinasi di kantor kecamatan. Ia menyebut rapat itu "
          "membahas persiapan logistik pemilu.\n"
          "Sebelumnya beredar kabar camat meminta para kuwu mengajak warga memilih caleg dari partai tertentu. "
          "Bawaslu Kabupaten Indramayu menyatakan belum ada laporan resmi terkait hal tersebut."),
    roles=["ASN", "BAWASLU", "KADES"], officials=[("Rudi Hartono", "Camat Kandanghaur")],
    flags=[("campaign_participation", "denied", "membantah tudingan")], article_type="other")

GARUT_FOLLOWUP = Spec(
    url="https://jabar.tribunnews.com/2024/01/24/bawaslu-garut-rekomendasikan-sanksi-kades-iron",
    outlet="Tribun Jabar", province="Jawa Barat", regency="Kabupaten Garut",
    title="Bawaslu Garut Rekomendasikan Sanksi untuk Kades Iron",
    published=datetime(2024, 1, 24, 16, 0, tzinfo=WIB),
    text=("TRIBUNJABAR.ID, GARUT - Bawaslu Kabupaten Garut merekomendasikan sanksi kepada Kades Iron yang "
          "terbukti ikut kampanye caleg DPRD. Rekomendasi itu sudah dikirim ke Bupati Garut.\n"
          "Ketua Bawaslu Garut, Dadang Kusnadi, mengatakan kades harus netral selama tahapan pemilu."),
    roles=["BAWASLU", "KADES"], officials=[("Iron", "Kades"), ("Dadang Kusnadi", "Ketua Bawaslu Garut")],
    flags=[("campaign_participation", "alleged", "terbukti ikut kampanye")], article_type="sanction",
    subjects={0: "KADES Iron"})

CORPUS = [GARUT_KADES, BANDUNG_ASN, CIREBON_ADVISORY, KUPANG_PPS, INDRAMAYU_CAMAT, GARUT_FOLLOWUP]


def seed(store: Store) -> dict[str, int]:
    """Store the corpus; returns article ids by a short name."""
    names = ["garut", "bandung", "cirebon", "kupang", "indramayu", "garut2"]
    return {name: save(store, spec) for name, spec in zip(names, CORPUS)}


def seeded_store_fixture():
    """A module-scoped fixture: the corpus stored once per backend, for tests that only read it."""
    import pytest

    from tests.conftest import PG_SKIP, PG_URL, fresh_postgres_url

    @pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
    def seeded(request, tmp_path_factory):
        drop = None
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'pantau.db'}"
        else:
            if not PG_URL:
                pytest.skip(PG_SKIP)
            url, drop = fresh_postgres_url()
        store = Store(url)
        ids = seed(store)
        yield store, ids
        store.dispose()
        if drop:
            drop()
    return seeded


def emptied_store_fixture():
    """A function-scoped `store` that empties one database per backend and module between tests (creating and
    migrating a database per test costs seconds on PostgreSQL)."""
    import pytest
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    from tests.conftest import PG_SKIP, PG_URL, fresh_postgres_url

    @pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
    def _backend(request, tmp_path_factory):
        drop = None
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('emptied') / 'pantau.db'}"
        else:
            if not PG_URL:
                pytest.skip(PG_SKIP)
            url, drop = fresh_postgres_url()
        backend = Store(url)
        yield backend
        backend.dispose()
        if drop:
            drop()

    @pytest.fixture
    def store(_backend):
        with _backend.session() as s:
            for table in reversed(SQLModel.metadata.sorted_tables):
                s.execute(delete(table))
        return _backend
    return _backend, store
