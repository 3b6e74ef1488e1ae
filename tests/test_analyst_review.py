"""Review decisions: recorded with who/when/what/note, kept forever, still attached after a re-crawl or re-tag."""
from __future__ import annotations

import pytest
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from extract.tagging.model import Flag as TagFlag, Tags
from store.filters import Filters
from store.models import Article, Flag, Review
from store.queries import review_queue
from store.retag import retag
from store.review import ReviewError, article_reviews, flag_history, record_decision
from tests.support.analyst_articles import GARUT_KADES, save, seed, emptied_store_fixture

_backend, store = emptied_store_fixture()


def _flag(store, article_id: int, category: str, modality: str = "alleged") -> Flag:
    with store.session() as s:
        return s.exec(select(Flag).where(Flag.article_id == article_id, Flag.category == category,
                                         Flag.modality == modality)).one()


def test_queue_is_pending_allegations_newest_first(store):
    ids = seed(store)
    with store.session() as s:
        queue = review_queue(s, Filters())
    assert {r["modality"] for r in queue} == {"alleged"}
    dates = [r["published_at"] for r in queue]
    assert dates == sorted(dates, reverse=True)
    assert [r["article_id"] for r in queue][:3] == [ids["garut2"], ids["kupang"], ids["bandung"]]
    decided = queue[0]["flag_id"]
    with store.session() as s:
        record_decision(s, decided, "confirmed", note="Surat rekomendasi Bawaslu dicek", reviewer="rina")
    with store.session() as s:
        after = review_queue(s, Filters())
        jabar = review_queue(s, Filters(provinces=["Jawa Barat"], roles=["KADES"]))
    assert decided not in {r["flag_id"] for r in after} and len(after) == len(queue) - 1
    assert {r["article_id"] for r in jabar} == {ids["garut"]}


def test_decisions_keep_who_when_what_and_history(store):
    article_id = save(store, GARUT_KADES)
    flag = _flag(store, article_id, "campaign_participation")
    with store.session() as s:
        first = record_decision(s, flag.id, "confirm", note="Video dicek: kades hadir di panggung", reviewer="rina")
    with store.session() as s:
        again = record_decision(s, flag.id, "confirm", note="Video dicek: kades hadir di panggung", reviewer="rina")
    with store.session() as s:
        changed = record_decision(s, flag.id, "dismiss", note="Ternyata acara reses, bukan kampanye",
                                  reviewer="budi")
    assert first.created and not again.created and changed.created       # a repeat records nothing new
    assert changed.previous.id == first.review.id
    with store.session() as s:
        trail = flag_history(s, flag.id)
    assert [(r.decision, r.reviewer) for r in trail] == [("confirmed", "rina"), ("dismissed", "budi")]
    assert trail[0].sentence == flag.sentence and trail[0].category == "campaign_participation"
    assert trail[0].tagger_version == "test-1" and trail[0].decided_at.tzinfo is not None
    assert trail[0].decided_at <= trail[1].decided_at


def test_reviews_are_append_only_in_the_database(store):
    article_id = save(store, GARUT_KADES)
    flag = _flag(store, article_id, "campaign_participation")
    with store.session() as s:
        record_decision(s, flag.id, "confirmed", note="Video dicek", reviewer="rina")
    with pytest.raises(DBAPIError, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(sql("UPDATE review SET decision = 'dismissed'"))
    with store.session() as s:
        assert s.exec(select(Review.decision)).one() == "confirmed"


def test_bad_decisions_write_nothing(store):
    article_id = save(store, GARUT_KADES)
    flag_id = _flag(store, article_id, "campaign_participation").id
    for kwargs, message in [({"note": ""}, "needs a note"),
                            ({"note": "ok", "reviewer": " "}, "needs a reviewer"),
                            ({"note": "ok", "decision": "maybe"}, "unknown decision"),
                            ({"note": "ok", "flag_id": 999999}, "no flag #999999")]:
        args = {"flag_id": flag_id, "decision": "confirmed", "reviewer": "rina", **kwargs}
        with pytest.raises(ReviewError, match=message):
            with store.session() as s:
                record_decision(s, args.pop("flag_id"), args.pop("decision"), **args)
    with store.session() as s:
        assert s.exec(select(Review)).all() == []


def test_recrawl_with_edited_text_keeps_decisions(store):
    article_id = save(store, GARUT_KADES)
    flag = _flag(store, article_id, "campaign_participation")
    with store.session() as s:
        record_decision(s, flag.id, "confirmed", note="Video dicek", reviewer="rina")
    # The outlet corrects a later paragraph; the flagged sentence is unchanged.
    edited = GARUT_KADES.__class__(**{**GARUT_KADES.__dict__,
                                      "text": GARUT_KADES.text.replace("tidak tahu acara itu kampanye",
                                                                       "tidak mengetahui acara itu kampanye")})
    assert save(store, edited) == article_id
    new_flag = _flag(store, article_id, "campaign_participation")
    with store.session() as s:
        assert [r.decision for r in flag_history(s, new_flag.id)] == ["confirmed"]
        assert review_queue(s, Filters(article_ids=[article_id]), limit=10)[0]["flag_id"] != new_flag.id


class _StubTagger:
    """Stands in for a newer tagger: same text, different flags."""
    version = "rules-next"

    def __init__(self, keep: str):
        self.keep = keep

    def tag_many(self, texts):
        out = []
        for text in texts:
            start = text.index(self.keep)
            end = start + len(self.keep)
            flags = [TagFlag("campaign_participation", "alleged", text[start:end], start, end, "KADES")]
            out.append(Tags(relevant=True, article_type="allegation", roles=["KADES"], flags=flags))
        return out


def test_retag_keeps_decisions_on_their_flags_and_records_the_version(store):
    article_id = save(store, GARUT_KADES)
    kept = _flag(store, article_id, "campaign_participation")
    gone = _flag(store, article_id, "party_attributes")
    with store.session() as s:
        record_decision(s, kept.id, "confirmed", note="Video dicek", reviewer="rina")
        record_decision(s, gone.id, "dismissed", note="Bukan salam dua jari", reviewer="budi")
    tagger = _StubTagger(keep=kept.sentence)
    report = retag(store, tagger, Filters(), version=tagger.version)
    assert (report.selected, report.retagged, report.flags_before, report.flags_after) == (1, 1, 3, 1)
    assert (report.decisions_attached, report.decisions_detached) == (1, 1)
    with store.session() as s:
        flag = s.exec(select(Flag).where(Flag.article_id == article_id)).one()
        assert flag.tagger_version == "rules-next" and flag.fingerprint == kept.fingerprint
        assert s.get(Article, article_id).tagger_version == "rules-next"
        assert [r.decision for r in flag_history(s, flag.id)] == ["confirmed"]
        attached, detached = article_reviews(s, s.get(Article, article_id))
        assert [r.note for r in detached] == ["Bukan salam dua jari"]      # kept, readable, not lost
        assert detached[0].sentence == gone.sentence
    # Idempotent: nothing left to do for this version unless forced.
    assert retag(store, tagger, Filters(), version=tagger.version).selected == 0
    assert retag(store, tagger, Filters(), version=tagger.version, force=True).retagged == 1


def test_retag_with_filters_and_a_failing_article(store):
    ids = seed(store)

    class Picky:
        def tag_many(self, texts):
            raise RuntimeError("batch failed")

        def tag(self, text):
            if "TIMEX" in text:
                raise ValueError("cannot read this one")
            return Tags(relevant=False)
    report = retag(store, Picky(), Filters(provinces=["Nusa Tenggara Timur"]), version="v2")
    assert report.selected == 1 and report.retagged == 0 and report.failed[0][0] == ids["kupang"]
    report = retag(store, Picky(), Filters(outlets=["Tribun Jabar"]), version="v2")
    assert report.retagged == 2
    with store.session() as s:
        assert s.get(Article, ids["kupang"]).tagger_version == "test-1"      # the failure lost nothing
        assert s.get(Article, ids["garut"]).tagger_version == "v2"
