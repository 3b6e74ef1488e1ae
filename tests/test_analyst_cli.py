"""The analysts' commands as a user runs them: query, review, officials, export, stats, retag."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from pantau.analyst_view import MATCH_STYLE, evidence, highlighter
from pantau.cli import app
from store.filters import Filters
from store.models import Flag
from tests.conftest import fixture_page
from tests.support.analyst_articles import emptied_store_fixture, seed

_backend, store = emptied_store_fixture()


def run(*args: str, width: int = 160):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(width)}, catch_exceptions=False)


@pytest.fixture
def db(store):
    return store, seed(store), store.url


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_query_table_csv_and_jsonl(db):
    store, ids, url = db
    table = run("query", "--db", url, "-t", "kampanye", "-p", "jawa barat", "--role", "KADES", "-m", "alleged")
    assert table.exit_code == 0, table.output
    assert "Evidence" in table.output and "Tribun Jabar" in table.output and "kedapatan ikut" in table.output
    narrow = run("query", "--db", url, "-t", "kampanye", "--role", "KADES", "-m", "alleged", width=80)
    assert "Evidence" not in narrow.output and "campaign_participation/alleged" in narrow.output
    rows = _jsonl(run("query", "--db", url, "-c", "money_politics", "-f", "jsonl").output)
    assert [(r["outlet"], r["province"], r["status"]) for r in rows] == [("Timor Express", "Nusa Tenggara Timur",
                                                                          "pending")]
    assert rows[0]["published_at"] == "2024-01-20T19:30:00+08:00"        # the outlet's own time zone (WITA)
    got = list(csv.DictReader(io.StringIO(run("query", "--db", url, "--articles", "-f", "csv",
                                              "--type", "advisory").output)))
    assert [r["title"] for r in got] == ["Pj Bupati Cirebon Minta ASN Jaga Netralitas Jelang Pemungutan Suara"]
    assert got[0]["roles"] == "ASN;PJ_KEPALA_DAERAH" and "text" not in got[0]


def test_evidence_highlights_search_terms_and_official():
    text = evidence("Kepala Desa Sukamaju, Iron Sahroni, kedapatan ikut kampanye caleg.",
                    highlighter(Filters(text="kampanye*", official="iron sahroni")))
    marked = [text.plain[s.start:s.end] for s in text.spans if s.style == MATCH_STYLE]
    assert marked == ["Iron Sahroni", "kampanye"]


BAD_INPUT = [
    (["query", "-t", '"salam dua'], "unclosed quote"),
    (["query", "-t", "kampanye OR"], "ends with an operator"),
    (["query", "--role", "camat"], "unknown role 'camat'"),
    (["query", "-p", "Jabar"], "no stored article has province 'Jabar'"),
    (["query", "--since", "kemarin"], "cannot read date 'kemarin'"),
    (["query", "--sort", "relevance"], "needs a full-text search"),
    (["review", "confirm", "999999", "--note", "ok"], "no flag #999999"),
    (["export", "people"], "unknown export 'people'"),
    (["stats", "--by", "month"], "unknown stats dimension"),
]


def test_bad_input_is_one_clear_line(db):
    _, _, url = db
    for args, message in BAD_INPUT:
        result = CliRunner().invoke(app, [*args, "--db", url])
        assert result.exit_code in (1, 2), args
        assert message in result.output and "Traceback" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_review_flow(db, monkeypatch):
    store, ids, url = db
    queue = _jsonl(run("review", "--db", url, "-p", "Jawa Barat", "-f", "jsonl").output)
    assert queue and all(r["modality"] == "alleged" and r["status"] == "pending" for r in queue)
    target = next(r for r in queue if r["article_id"] == ids["garut"] and r["category"] == "party_attributes")
    done = run("review", "confirm", str(target["flag_id"]), "--note", "Foto dicek, salam dua jari jelas",
               "--by", "rina", "--db", url)
    assert done.exit_code == 0 and f"Flag #{target['flag_id']} confirmed by rina" in done.output
    assert "salam dua jari bersama tim pemenangan" in done.output         # echoes what was judged
    monkeypatch.setenv("PANTAU_REVIEWER", "budi")
    again = run("review", "dismiss", str(target["flag_id"]), "--note", "Foto lama", "--db", url)
    assert "dismissed by budi" in again.output and "Supersedes: confirmed by rina" in again.output
    history = _jsonl(run("review", "history", str(target["flag_id"]), "--json", "--db", url).output)
    assert [(h["decision"], h["reviewer"], h["note"]) for h in history] == [
        ("confirmed", "rina", "Foto dicek, salam dua jari jelas"), ("dismissed", "budi", "Foto lama")]
    after = {r["flag_id"] for r in _jsonl(run("review", "--db", url, "-f", "jsonl").output)}
    assert target["flag_id"] not in after
    other = next(r for r in queue if r["flag_id"] != target["flag_id"])
    more = run("review", "needs-more", str(other["flag_id"]), "--note", "Minta tangkapan layar asli dari pelapor",
               "--by", "rina", "--db", url)
    assert more.exit_code == 0 and f"Flag #{other['flag_id']} needs_more by rina" in more.output
    waiting = _jsonl(run("query", "--status", "needs_more", "-f", "jsonl", "--db", url).output)
    assert [r["flag_id"] for r in waiting] == [other["flag_id"]]
    assert run("review", "needs-more", str(other["flag_id"]), "--note", " ", "--db", url).exit_code == 1
    shown = run("review", "show", str(target["flag_id"]), "--db", url)
    assert shown.exit_code == 0
    assert "party_attributes (alleged)  [dismissed]" in shown.output and "Foto lama" in shown.output
    assert "Kepala Desa Sukamaju" in shown.output
    data = json.loads(run("review", "show", str(target["flag_id"]), "--json", "--db", url).output)
    assert len(data["flags_detail"]) == 3 and data["province"] == "Jawa Barat"


def test_officials_export_and_stats(db, tmp_path):
    store, ids, url = db
    profile = run("officials", "iron", "--db", url)
    assert profile.exit_code == 0
    assert "Iron Sahroni" in profile.output and "Kepala Desa Sukamaju" in profile.output
    assert "Allegations (3)" in profile.output
    (person,) = _jsonl(run("officials", "Sahroni", "--json", "--db", url).output)
    assert person["name"] == "Iron Sahroni" and len(person["articles"]) == 2
    top = _jsonl(run("officials", "--json", "-p", "Nusa Tenggara Timur", "--db", url).output)
    assert [p["name"] for p in top] == ["Yosef Lado"]

    out = tmp_path / "flags.csv"
    result = run("export", "flags", "-o", str(out), "-p", "Jawa Barat", "-m", "alleged", "--db", url)
    assert result.exit_code == 0 and "4 flags written" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 4 and {r["province"] for r in rows} == {"Jawa Barat"}
    articles = _jsonl(run("export", "articles", "-f", "jsonl", "--outlet", "Tribun Jabar", "--db", url).output)
    assert len(articles) == 2 and articles[0]["text"].startswith("TRIBUNJABAR.ID, GARUT")
    people = list(csv.DictReader(io.StringIO(run("export", "officials", "--db", url, "--regency",
                                                 "Kabupaten Garut").output)))
    assert {(p["name_as_printed"], p["person_name"]) for p in people} >= {("Iron", "Iron Sahroni")}
    reviews = run("export", "reviews", "--db", url)
    assert reviews.output.startswith("review_id,article_id,fingerprint")

    stats = json.loads(run("stats", "--json", "--by", "region", "--by", "role", "--db", url).output)
    assert set(stats) == {"region", "role"}
    garut = next(r for r in stats["region"] if r["regency"] == "Kabupaten Garut")
    assert (garut["articles"], garut["alleged"], garut["pending"]) == (2, 3, 3)
    assert "By week" in run("stats", "--db", url).output


def test_real_page_then_retag(store, tagger):
    """Ingest through the one real path, find it, then retag it with the current tagger."""
    url = store.url
    page = fixture_page("wordpress-jabarekspres.html")
    ingest = CliRunner().invoke(app, ["ingest", "--file", "-", "--url",
                                      "https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-"
                                      "asn-ikut-kampanye-caleg-di-cimahi/", "--db", url], input=page)
    assert ingest.exit_code == 0, ingest.output
    found = _jsonl(run("query", "--articles", "-t", "Cimahi camat", "-f", "jsonl", "--db", url).output)
    assert [a["title"] for a in found] == ["Bawaslu Temukan Camat dan Tiga ASN Ikut Kampanye Caleg di Cimahi"]
    first = run("retag", "--db", url)
    assert first.exit_code == 0 and "0 of 0 selected" in first.output      # already the current version
    forced = run("retag", "--force", "--db", url)
    assert forced.exit_code == 0 and "1 of 1 selected articles retagged" in forced.output
    from extract.tagging import TAGGER_VERSION
    with store.session() as s:
        assert {f.tagger_version for f in s.exec(select(Flag)).all()} <= {TAGGER_VERSION}
