"""The extraction scorer on tiny pages of our own, with scores worked out by hand."""
from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from lab.eval_extract import EvaluationError, body_precision_recall, evaluate, load_references, pantau_extractor, run
from pantau.cli import app

P1 = "Bawaslu Kota Cimahi menemukan seorang camat ikut kampanye caleg di Kelurahan Cibeber pada Selasa pagi."
P2 = "Ketua Bawaslu mengatakan camat itu akan dipanggil untuk klarifikasi bersama tiga aparatur sipil negara lain."
P3 = "Sekretaris daerah menyebut pemerintah kota menunggu rekomendasi Bawaslu sebelum menjatuhkan sanksi disiplin."
MISSING = "Kalimat ini tidak ada di halaman mana pun"   # 8 more tokens: 8 reference shingles the page cannot give
# P1 + P2 + P3 = 15 + 15 + 12 tokens = 42 tokens -> 39 four-token shingles


def html(title: str, *paragraphs: str, extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:title' content='{title}'>"
            f"<meta property='article:published_time' content='2023-09-13T10:15:00+07:00'></head>"
            f"<body><article><h1>{title}</h1><div class='byline'>Penulis: Rizky Ramadhan</div>"
            f"<div class='entry-content'>{body}{extra}</div></article></body></html>")


def test_shingle_scores_by_hand():
    assert body_precision_recall("a b c d e", "a b c d e") == (1.0, 1.0)
    # prediction: 2 shingles, reference: 3 -> TP 2, FP 0, FN 1
    assert body_precision_recall("a b c d e", "a b c d e f") == (1.0, 2 / 3)
    # prediction: 3 shingles, reference: 2 -> precision 2/3
    assert body_precision_recall("a b c d e f", "a b c d e") == (2 / 3, 1.0)
    assert body_precision_recall("", "a b c d") == (0.0, 0.0)
    assert body_precision_recall("a b c d", "") == (0.0, 0.0)
    assert body_precision_recall("", "") == (1.0, 1.0)
    # whitespace, zero-width marks and punctuation do not count
    assert body_precision_recall("Bawaslu\u200b  Kota, Cimahi: temukan camat", "Bawaslu Kota Cimahi temukan camat") == (1.0, 1.0)


@pytest.fixture
def pairs(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = {
        "exact": (html("Bawaslu Temukan Camat Ikut Kampanye", P1, P2, P3), "\n".join([P1, P2, P3]), "2023-09-13"),
        # reference holds one more sentence than the page: recall = 39 / (39 + 8)
        "short": (html("Camat Dipanggil Bawaslu Cimahi", P1, P2, P3), "\n".join([P1, P2, P3, MISSING]), "2023-09-12"),
    }
    for name, (page, text, day) in pages.items():
        (folder / f"{name}.html").write_text(page, "utf-8")
        title = "Bawaslu Temukan Camat Ikut Kampanye" if name == "exact" else "Judul Lain"
        (folder / f"{name}.json").write_text(json.dumps({"url": f"https://jabarekspres.com/berita/{name}", "title": title,
                                                         "date": day, "author": "Rizky Ramadhan", "text": text}), "utf-8")
    return folder


def test_pairs_layout_scores(pairs):
    report = evaluate(load_references(pairs), pantau_extractor)
    scores = {p.key: p for p in report.pages}
    assert (scores["exact"].precision, scores["exact"].recall) == (1.0, 1.0)
    assert scores["short"].precision == 1.0
    assert scores["short"].recall == pytest.approx(39 / 47)
    assert report.precision == 1.0 and report.recall == pytest.approx((1 + 39 / 47) / 2)
    assert report.f1 == pytest.approx(2 * report.recall / (1 + report.recall))
    assert report.rate("title_ok") == (0.5, 2)
    assert report.rate("date_ok") == (0.5, 2)
    assert report.rate("author_ok") == (1.0, 2)


def test_benchmark_layout_and_cli(tmp_path):
    folder = tmp_path / "aeb"
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "k1.html.gz").write_bytes(gzip.compress(html("Camat Ikut Kampanye", P1, P2, P3).encode()))
    (folder / "ground-truth.json").write_text(json.dumps({"k1": {"url": "https://x.co.id/k1", "articleBody": P1 + "\n\n" + P2}}))
    report, baseline, text = run(folder, compare_trafilatura=True)
    assert report.pages[0].recall == 1.0
    # reference P1 + P2: 30 tokens -> 27 shingles; the page gives 39, 12 of them not in the reference
    assert report.pages[0].precision == pytest.approx(27 / 39)
    assert baseline is not None and len(baseline.pages) == 1
    result = CliRunner().invoke(app, ["eval", "extract", str(folder), "--compare-trafilatura"])
    assert result.exit_code == 0, result.output
    assert "body F1" in result.output and "trafilatura" in result.output and "k1" in result.output


def test_bad_folder_is_a_clear_error(tmp_path):
    with pytest.raises(EvaluationError):
        load_references(tmp_path)
    result = CliRunner().invoke(app, ["eval", "extract", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_holdout_scores_the_development_and_held_out_parts_apart(pairs):
    # two pages sorted by name: "exact", "short"; with --holdout 2 the second ("short") is held out
    result = CliRunner().invoke(app, ["eval", "extract", str(pairs), "--holdout", "2", "--worst", "0"])
    assert result.exit_code == 0, result.output
    dev = result.output.split("development part")[1].split("held-out part")[0]
    held = result.output.split("held-out part")[1]
    def title_rate(part: str) -> str:
        return next(line.split()[-1] for line in part.splitlines() if "title exact" in line)
    assert ": exact\n" in dev and title_rate(dev) == "1.000"
    assert ": short\n" in held and title_rate(held) == "0.000"
    bad = CliRunner().invoke(app, ["eval", "extract", str(pairs), "--holdout", "1"])
    assert bad.exit_code == 2 and "--holdout N needs N >= 2" in bad.stderr
