"""`pantau eval tag FILE.jsonl`: scores, targets and worst articles, on labelled articles written for the test."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lab.eval_tag import (Counts, LabelsError, evaluate, name_key, read_labels, same_accused, same_title,
                              split_of)
from extract.tagging.model import Official, Tags
from pantau.cli import app

ARTICLES = [
    {"id": "a1", "text": "Bawaslu Kota Cimahi menemukan tiga ASN diduga ikut menghadiri kampanye calon anggota "
                         "legislatif, Selasa (12/9).\nKetua Bawaslu Kota Cimahi, Aan Sugiharto, mengatakan ASN "
                         "dilarang memasang atribut partai.",
     "relevant": True, "article_type": "allegation", "roles": ["ASN", "BAWASLU"],
     "officials": [{"name": "Aan Sugiharto", "title": "Ketua Bawaslu Kota Cimahi"}],
     "accused": ["tiga ASN"], "breaches": ["campaign_participation"], "prohibitions": ["party_attributes"]},
    {"id": "a2", "text": "Penjabat (Pj) Bupati Lebak Gunawan Rusminto meminta ASN tidak menghadiri kampanye "
                         "pasangan calon.\n\u201cASN harus netral,\u201d kata Gunawan.",
     "relevant": True, "article_type": "advisory", "roles": ["ASN", "PJ_KEPALA_DAERAH"],
     "officials": [{"name": "Gunawan Rusminto", "title": "Penjabat (Pj) Bupati Lebak"}],
     "accused": [], "breaches": [], "prohibitions": ["campaign_participation"]},
    {"id": "a3", "text": "Persib Bandung menang 2-1 atas Persija Jakarta dalam laga lanjutan Liga 1.",
     "relevant": False, "article_type": "other", "roles": [], "officials": [], "accused": [], "breaches": [],
     "prohibitions": []},
]


def write(path, items) -> str:
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return str(path)


def run(*args):
    return CliRunner().invoke(app, ["eval", "tag", *args], catch_exceptions=False)


def test_cli_prints_scores_targets_and_worst(tmp_path, tagger):
    labels = write(tmp_path / "labels.jsonl", ARTICLES)
    result = run(labels)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "on 3 labelled articles" in out and "macro-F1" in out
    for row in ("roles", "officials", "their titles", "accused", "breaches", "prohibitions"):
        assert row in out
    assert "article_type_macro_f1" in out and "target >= 0.85" in out


def test_cli_json_and_a_wrong_label_shows_as_worst(tmp_path, tagger):
    wrong = [dict(ARTICLES[0], id="bad", breaches=["money_politics"])] + ARTICLES[1:]
    result = run(write(tmp_path / "l.jsonl", wrong), "--json")
    data = json.loads(result.stdout)
    assert data["articles"] == 3 and data["figures"]["roles_f1"] == 1.0
    assert data["figures"]["breaches_recall"] < 1.0
    worst = data["worst"][0]
    assert worst["id"] == "bad" and "money_politics" in worst["diffs"]["breaches"]["missed"]


def test_bad_files_are_one_clear_error(tmp_path):
    result = run(str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ARTICLES[2]) + "\n{not json\n", encoding="utf-8")
    result = run(str(bad))
    assert result.exit_code == 2 and "bad.jsonl:2: not JSON" in result.stderr
    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"id": "x", "text": "t"}) + "\n", encoding="utf-8")
    with pytest.raises(LabelsError, match="missing field"):
        read_labels(missing)


def test_perfect_predictions_score_one():
    items = [{"id": "x", "text": "", "article_type": "allegation", "roles": ["ASN"],
              "officials": [{"name": "Dr. H. Dian Rachmat Yanuar, M.Si", "title": "Sekda Kuningan"}],
              "accused": ["oknum ASN Bekasi"], "breaches": ["party_attributes"], "prohibitions": []}]
    tags = Tags(relevant=True, article_type="allegation", roles=["ASN"],
                officials=[Official("Dian Rachmat Yanuar", "Sekda Kuningan")], accused=["ASN Bekasi"])
    report = evaluate(items, [tags])
    assert report.type_accuracy == 1.0 and report.counts["officials"].f1 == 1.0
    assert report.counts["accused"].f1 == 1.0
    assert report.counts["breaches"].recall == 0.0


def test_matching_rules():
    assert name_key("Dr H Dian Rachmat Yanuar MSi") == name_key("dian rachmat yanuar") == "dian rachmat yanuar"
    assert same_title("Ketua KPU Provinsi Jambi", "ketua kpu provinsi jambi")
    assert not same_title("Ketua KPU", "Ketua Bawaslu")
    assert same_accused("24 Pengawas TPS di Kabupaten Maluku Tenggara", "Pengawas TPS")
    assert not same_accused("Saparudin", "Hasan")
    c = Counts()
    c.add(["a", "b"], ["b", "c"])
    assert (c.tp, c.fp, c.fn) == (1, 1, 1) and c.f1 == 0.5


def test_fixed_split_by_id_parity_and_the_gap_is_printed(tmp_path, tagger):
    assert [split_of(i) for i in ("wa014", "wd003", "s000", "n7669")] == ["dev", "held-out", "dev", "held-out"]
    items = [dict(ARTICLES[0], id="wa002"), dict(ARTICLES[1], id="wa003"), dict(ARTICLES[2], id="wa004")]
    result = run(write(tmp_path / "split.jsonl", items))
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "held-out" in line and "gap" in line)
    assert header.split() == ["all", "dev", "held-out", "gap"]
    counts = next(line for line in result.output.splitlines() if line.startswith("articles"))
    assert counts.split()[1:] == ["3", "2", "1"]
    assert "words/second" in result.output
    data = json.loads(run(write(tmp_path / "split.jsonl", items), "--json").stdout)
    figures = data["figures"]
    assert figures["gap:roles_f1"] == figures["dev:roles_f1"] - figures["held-out:roles_f1"]
    assert figures["words_per_second"] > 0
