"""People across articles: "Iron" and "Iron Sahroni" are one person when nothing else fits."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlmodel import select

import store as store_package
from extract.tagging.model import Official as TagOfficial, Tags
from store.models import ArticleOfficial, Official, OfficialMerge
from store.officials import is_short_form, names_in_sentence, profiles, refresh_merges, top_people
from store.filters import Filters
from store.resolve import resolve
from store.queries import find_articles
from store.retag import retag
from tests.support.analyst_articles import GARUT_KADES, WIB, Spec, save, seed, emptied_store_fixture

_backend, store = emptied_store_fixture()


def _merges(store) -> dict[tuple[int, str], tuple[str, str]]:
    """(article id, short name) -> (full name, scope)."""
    with store.session() as s:
        names = {o.id: o.key for o in s.exec(select(Official)).all()}
        return {(m.article_id, names[m.official_id]): (names[m.into_id], m.scope)
                for m in s.exec(select(OfficialMerge)).all()}


def _spec(url: str, outlet: str, regency: str, province: str, text: str, officials, day: int) -> Spec:
    return Spec(url=url, outlet=outlet, province=province, regency=regency, title=text.split(" - ")[1][:70],
                text=text, published=datetime(2024, 2, day, 9, 0, tzinfo=WIB), roles=["KADES"], flags=[],
                officials=officials, article_type="other")


SAHRONI_ONLY = _spec(
    "https://jabar.tribunnews.com/2024/02/06/sahroni-penuhi-panggilan-bawaslu-garut", "Tribun Jabar",
    "Kabupaten Garut", "Jawa Barat",
    "TRIBUNJABAR.ID, GARUT - Kades Sukamaju, Sahroni, memenuhi panggilan Bawaslu Garut untuk klarifikasi. "
    "Sahroni datang didampingi kuasa hukumnya.", [("Sahroni", "Kades Sukamaju")], 6)
OTHER_IRON = _spec(
    "https://jabar.tribunnews.com/2024/02/08/dua-kades-bernama-iron-dilaporkan-ke-bawaslu",
    "Tribun Jabar", "Kabupaten Garut", "Jawa Barat",
    "TRIBUNJABAR.ID, GARUT - Dua kepala desa dilaporkan ke Bawaslu, yakni Kepala Desa Mekarsari, Iron Sahputra, dan "
    "Kepala Desa Sukamaju, Iron Sahroni. Iron membantah terlibat.",
    [("Iron Sahputra", "Kepala Desa Mekarsari"), ("Iron Sahroni", "Kepala Desa Sukamaju"), ("Iron", "Kepala Desa")],
    8)
NENI_IN_KUPANG = _spec(
    "https://timorexpress.fajar.co.id/2024/02/07/neni-pimpin-rapat-pleno-pps/", "Timor Express",
    "Kota Kupang", "Nusa Tenggara Timur",
    "KUPANG, TIMEX - Ketua PPS Oesapa, Neni, memimpin rapat pleno rekapitulasi di aula kelurahan.",
    [("Neni", "Ketua PPS Oesapa")], 7)


def test_short_form_rule():
    assert is_short_form(("iron",), ("iron", "sahroni"))
    assert is_short_form(("sahroni",), ("iron", "sahroni"))
    assert is_short_form(("dikdik", "suratno"), ("dikdik", "suratno", "nugrahawan"))
    assert not is_short_form(("iron", "sahroni"), ("iron", "sahroni"))          # same length: same key
    assert not is_short_form(("dikdik", "nugrahawan"), ("dikdik", "suratno", "nugrahawan"))   # not contiguous
    assert not is_short_form(("iro",), ("iron", "sahroni"))                      # whole words only


def test_merge_in_article_outlet_and_undo_when_ambiguous(store):
    ids = seed(store)
    sahroni = save(store, SAHRONI_ONLY)
    neni = save(store, NENI_IN_KUPANG)
    with store.session() as s:
        report = refresh_merges(s)
    merges = _merges(store)
    assert merges[(ids["garut"], "iron")] == ("iron sahroni", "article")    # printed next to "Iron Sahroni"
    assert merges[(ids["garut2"], "iron")] == ("iron sahroni", "outlet")    # the only one at Tribun Jabar
    assert merges[(sahroni, "sahroni")] == ("iron sahroni", "outlet")
    assert (neni, "neni") not in merges            # "Neni Marliana" is in another outlet and region
    assert (report.merged, report.ambiguous) == (3, 0)
    with store.session() as s:
        assert not refresh_merges(s).refreshed        # nothing changed: nothing recomputed
        assert refresh_merges(s, force=True).merged == 3
    assert _merges(store) == merges
    # Tribun Jabar now prints two different "Iron"s side by side.
    other = save(store, OTHER_IRON)
    with store.session() as s:
        report = refresh_merges(s)
    merges = _merges(store)
    assert merges[(ids["garut"], "iron")] == ("iron sahroni", "article")    # still certain in its article
    assert (ids["garut2"], "iron") not in merges       # at the outlet, "Iron" could now be either
    assert (other, "iron") not in merges
    assert merges[(sahroni, "sahroni")] == ("iron sahroni", "outlet")
    assert report.ambiguous == 2


def test_profile_titles_articles_and_allegations(store):
    ids = seed(store)
    with store.session() as s:
        refresh_merges(s)
    with store.session() as s:
        (person,) = profiles(s, "iron")
    assert person.name == "Iron Sahroni"
    assert set(person.names_as_printed) == {"Iron Sahroni", "Iron"}
    assert [(t.title, t.first.date().isoformat(), t.articles) for t in person.titles] == [
        ("Kepala Desa", "2024-01-10", 1), ("Kepala Desa Sukamaju", "2024-01-10", 1), ("Kades", "2024-01-24", 1)]
    assert [a["article_id"] for a in person.articles] == [ids["garut2"], ids["garut"]]
    assert [(a["article_id"], a["category"], a["basis"]) for a in person.allegations] == [
        (ids["garut2"], "campaign_participation", "subject"),
        (ids["garut"], "campaign_participation", "subject"),
        (ids["garut"], "party_attributes", "subject")]
    assert all(a["status"] == "pending" for a in person.allegations)
    with store.session() as s:
        (chair,) = profiles(s, "Dadang")
        assert chair.allegations == []                            # the Bawaslu chair reports, is not accused
        top = top_people(s, resolve(s, Filters(provinces=["Jawa Barat"])), limit=3)
    assert (top[0]["name"], top[0]["articles"]) in {("Iron Sahroni", 2), ("Dadang Kusnadi", 2)}
    assert {p["name"] for p in top[:2]} == {"Iron Sahroni", "Dadang Kusnadi"}


def test_speaker_is_not_the_accused():
    pattern = re.compile(r"(?<!\w)(Aan Sugiharto|Aan)(?!\w)", re.I)
    assert not names_in_sentence("Ketua Bawaslu Kota Cimahi, Aan Sugiharto, mengatakan temuan itu berawal "
                                 "dari laporan warga yang mengunggah video ke media sosial.", pattern)
    assert not names_in_sentence("\"Kami sudah memanggil keempatnya,\" kata Aan di kantornya.", pattern)
    assert not names_in_sentence("Menurut Aan, ASN dilarang terlibat dalam politik praktis.", pattern)
    assert names_in_sentence("Camat Aan diduga ikut kampanye caleg di Cibeber.", pattern)


# --- article_official.person_id (migration 0003) ----------------------------------------------------------

def _people(store) -> dict[tuple[int, str], str]:
    """(article id, name as printed) -> the person's name key, as stored in article_official.person_id;
    checking on the way that it is what official_merge says (the merged full name, else the official)."""
    with store.session() as s:
        keys = {o.id: o.key for o in s.exec(select(Official)).all()}
        merged = {(m.article_id, m.official_id): m.into_id for m in s.exec(select(OfficialMerge)).all()}
        rows = s.exec(select(ArticleOfficial)).all()
    for r in rows:
        assert r.person_id == merged.get((r.article_id, r.official_id), r.official_id), r
    return {(r.article_id, r.name_as_printed): keys[r.person_id] for r in rows}


def test_person_id_follows_the_merges_and_their_undoing(store):
    ids = seed(store)
    assert _people(store)[(ids["garut"], "Iron")] == "iron"          # saved: the official itself
    with store.session() as s:
        refresh_merges(s)
    people = _people(store)
    assert people[(ids["garut"], "Iron")] == "iron sahroni"
    assert people[(ids["garut2"], "Iron")] == "iron sahroni"
    assert people[(ids["garut"], "Dadang Kusnadi")] == "dadang kusnadi"
    other = save(store, OTHER_IRON)        # a second "Iron ..." at Tribun Jabar: garut2's "Iron" is unsure
    with store.session() as s:
        refresh_merges(s)
    people = _people(store)
    assert people[(ids["garut"], "Iron")] == "iron sahroni"            # still certain in its own article
    assert people[(ids["garut2"], "Iron")] == "iron"
    assert people[(other, "Iron")] == "iron"
    with store.session() as s:
        assert [p.name for p in profiles(s, "Iron Sahroni")] == ["Iron Sahroni"]
        (sahroni,) = profiles(s, "Iron Sahroni")
    assert [a["article_id"] for a in sahroni.articles] == [other, ids["garut"]]


def test_person_id_when_an_article_is_crawled_again(store):
    ids = seed(store)
    with store.session() as s:
        refresh_merges(s)
    # The outlet edits a paragraph: the tags are replaced, the stored merges still apply before any refresh.
    edited = Spec(**{**GARUT_KADES.__dict__,
                     "text": GARUT_KADES.text.replace("hanya diundang warga", "hanya memenuhi undangan warga")})
    assert save(store, edited) == ids["garut"]
    assert _people(store)[(ids["garut"], "Iron")] == "iron sahroni"
    with store.session() as s:
        assert _article_ids(s, "Sahroni") == {ids["garut"], ids["garut2"]}
        top = top_people(s, resolve(s, Filters(regencies=["Kabupaten Garut"])), limit=2)
    assert {(p["name"], p["articles"]) for p in top} == {("Iron Sahroni", 2), ("Dadang Kusnadi", 2)}
    with store.session() as s:
        assert refresh_merges(s).refreshed                   # the mentions changed: recomputed
    assert _people(store)[(ids["garut"], "Iron")] == "iron sahroni"


def test_person_id_after_retag(store):
    ids = seed(store)
    with store.session() as s:
        refresh_merges(s)

    class WithoutFullName:
        """A newer tagger that no longer reads "Iron Sahroni" in the first Garut article."""
        version = "rules-next"

        def tag_many(self, texts):
            return [Tags(relevant=True, article_type="allegation", roles=["KADES"],
                         officials=[TagOfficial("Iron", "Kepala Desa"),
                                    TagOfficial("Dadang Kusnadi", "Ketua Bawaslu Kabupaten Garut")])
                    for _ in texts]
    retag(store, WithoutFullName(), Filters(article_ids=[ids["garut"]]), version="rules-next")
    people = _people(store)
    # No "Iron Sahroni" is printed anywhere now: every "Iron" is a person of its own again.
    assert people[(ids["garut"], "Iron")] == "iron" and people[(ids["garut2"], "Iron")] == "iron"
    with store.session() as s:
        assert [p.name for p in profiles(s, "Iron")] == ["Iron"]
    retag(store, _Seeded(), Filters(article_ids=[ids["garut"]]), version="rules-next-2")
    assert _people(store)[(ids["garut2"], "Iron")] == "iron sahroni"


class _Seeded:
    """Tags the first Garut article as the seed corpus does."""
    def tag_many(self, texts):
        return [Tags(relevant=True, article_type="allegation", roles=GARUT_KADES.roles,
                     officials=[TagOfficial(n, t) for n, t in GARUT_KADES.officials]) for _ in texts]


def _article_ids(session, official: str) -> set[int]:
    return {r["article_id"] for r in find_articles(session, Filters(official=official), limit=None)}


def _alembic(store, action: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_package.__file__).parent / "migrations"))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def test_migration_0003_backfills_person_id_and_downgrades(store):
    ids = seed(store)
    save(store, OTHER_IRON)
    with store.session() as s:
        refresh_merges(s)
    people = _people(store)
    view = "SELECT person_id, person_name, official_id, name_as_printed, title, article_id FROM officials_v " \
           "ORDER BY article_id, official_id, title"
    with store.engine.connect() as conn:
        before = conn.execute(text(view)).all()
    try:
        _alembic(store, "downgrade", "0002")
        with store.engine.connect() as conn:
            assert "person_id" not in {c["name"] for c in inspect(conn).get_columns("article_official")}
            assert conn.execute(text(view)).all() == before       # the 0002 view: the same people
    finally:
        _alembic(store, "upgrade", "head")
    assert _people(store) == people                                 # backfilled from official_merge
    assert people[(ids["garut"], "Iron")] == "iron sahroni"
    with store.engine.connect() as conn:
        assert conn.execute(text(view)).all() == before
