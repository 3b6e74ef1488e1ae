"""A flag id an analyst wrote down yesterday names the same finding (category + sentence) after `pantau retag` and
after a re-crawl of a changed page; decisions stay on it, and `pantau show` lists every flag with its id."""
from __future__ import annotations

import json
import re

from sqlmodel import select

from store.models import Flag
from store.review import record_decision
from tests.conftest import FIXTURES
from tests.support.analyst_articles import GARUT_KADES, save
from tests.support.cli import pantau

PAGE = FIXTURES / "pages" / "disway-radarcirebon.html"


def _flags(store, article_id: int) -> dict[tuple[str, str], int]:
    with store.session() as session:
        return {(f.category, f.sentence): f.id
                for f in session.exec(select(Flag).where(Flag.article_id == article_id)).all()}


def test_re_saving_keeps_the_ids_of_the_same_findings_and_the_decisions_on_them(store):
    article_id = save(store, GARUT_KADES, tagger_version="t-1")
    before = _flags(store, article_id)
    kept = before[next(k for k in before if k[0] == "campaign_participation" and "kedapatan" in k[1])]
    with store.session() as session:
        record_decision(session, kept, "confirmed", note="Video dicek, Panwascam membenarkan", reviewer="asep")
    newer = [("campaign_participation", "alleged", "kedapatan ikut kampanye"),           # same finding
             ("campaign_participation", "prohibition", "dilarang terlibat"),             # same finding
             ("campaign_participation", "alleged", "berpose salam dua jari")]            # new category, same sentence
    save(store, GARUT_KADES, tagger_version="t-2", flags=newer)
    after = _flags(store, article_id)
    same = set(before) & set(after)
    assert len(same) == 2 and all(before[k] == after[k] for k in same)
    assert not any(k[0] == "party_attributes" for k in after)              # the finding no longer made is gone
    new_id = after[next(k for k in after if k[0] == "campaign_participation" and "dua jari" in k[1])]
    assert new_id not in before.values()
    show = json.loads(pantau("review", "show", str(kept), "--json", "--db", store.url).stdout)
    decided = {f["flag_id"]: show["decisions"].get(f["fingerprint"]) for f in show["flags_detail"]}
    assert decided[kept][0]["decision"] == "confirmed" and decided[kept][0]["reviewer"] == "asep"
    with store.session() as session:
        assert session.get(Flag, kept).tagger_version == "t-2"


def test_retag_and_a_changed_page_keep_flag_ids_and_show_lists_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    first = pantau("ingest", "--file", str(PAGE), "--json", "--db", url, timeout=300)
    assert first.returncode == 0, first.stderr
    article = json.loads(first.stdout)
    ids = {(f["category"], f["sentence"]): f["flag_id"] for f in article["flags"]}
    assert len(ids) >= 3
    noted = sorted(ids.values())[1]
    other = pantau("ingest", "--file", str(FIXTURES / "pages" / "jpnn.html"), "--db", url, timeout=300)
    assert other.returncode == 0, other.stderr       # later flags of another article: ids are not just re-counted
    confirm = pantau("review", "confirm", str(noted), "--note", "Unggahan dicek ke Panwascam", "--by", "Siti",
                     "--db", url)
    assert confirm.returncode == 0, confirm.stderr

    retag = pantau("retag", "--force", "--db", url, timeout=300)
    assert retag.returncode == 0, retag.stderr
    after_retag = json.loads(pantau("show", str(article["id"]), "--json", "--db", url).stdout)
    assert {(f["category"], f["sentence"]): f["flag_id"] for f in after_retag["flags"]} == ids

    changed = PAGE.read_bytes().replace(b"</article>", b"<p>Panwascam akan menyampaikan hasil klarifikasi kepada "
                                                      b"Bawaslu Kabupaten Cirebon pekan depan.</p></article>", 1)
    assert changed != PAGE.read_bytes()
    again = pantau("ingest", "--file", "-", "--json", "--db", url, stdin=changed, timeout=300)
    assert again.returncode == 0, again.stderr
    recrawled = json.loads(again.stdout)
    assert recrawled["id"] == article["id"] and "Panwascam akan menyampaikan" in recrawled["text"]
    now = {(f["category"], f["sentence"]): f["flag_id"] for f in recrawled["flags"]}
    assert all(now[k] == v for k, v in ids.items() if k in now) and len(set(now) & set(ids)) >= 3

    shown = pantau("show", str(article["id"]), "--db", url).stdout.decode()
    listed = [int(n) for n in re.findall(r"^\s+- #(\d+) ", shown, re.M)]
    assert sorted(listed) == sorted(now.values())
    history = pantau("review", "history", str(noted), "--json", "--db", url).stdout.decode()
    assert json.loads(history.splitlines()[0])["reviewer"] == "Siti"
