"""The shipped Indonesian NER (extract.ner), its CoNLL scorer (`pantau eval ner`) and its trainer."""
from __future__ import annotations

import json
import socket
from unittest import mock

import pytest
import spacy
from typer.testing import CliRunner

from extract.ner import LABELS, NerModelMissing, load_ner
from lab.ner.conll import ConllError, Sentence, read_conll
from lab.ner.scoring import score_docs

# Sentences written for these tests (names invented); the model never saw them.
UNSEEN = [
    ("Ketua Bawaslu Kabupaten Sumedang, Rohendi Sukmana, mengatakan pihaknya sudah memanggil tiga kepala desa "
     "yang diduga hadir dalam deklarasi pasangan calon.", {("Rohendi Sukmana", "PER")}, {"Bawaslu"}),
    ("Pj Bupati Timor Tengah Utara Ferdinandus Kolo meminta camat dan lurah tidak memasang alat peraga kampanye "
     "di kantor pemerintah.", {("Ferdinandus Kolo", "PER")}, set()),
    ("Komisioner KPU Kota Parepare Andi Wahyuddin menyebut pemungutan suara ulang digelar di TPS 04, Kamis "
     "(15/2/2024).", {("Andi Wahyuddin", "PER")}, {"KPU"}),
    ("Kapolres Ciamis AKBP Tony Prasetyo memastikan anggota Polri yang mengunggah dukungan kepada calon "
     "diperiksa Propam.", {("Tony Prasetyo", "PER")}, set()),
]

CONLL = """\
Ketua PROPN O
Bawaslu PROPN B-ORG
Kabupaten PROPN I-ORG
Kuningan PROPN I-ORG
, PUNCT O
Dodi PROPN B-PER
Sutarman PROPN I-PER
, PUNCT O
meminta VERB O
ASN PROPN O
netral ADJ O
. PUNCT O

Kampanye NOUN O
digelar VERB O
di ADP O
Lapangan PROPN B-LOC
Alun-alun PROPN I-LOC
Kuningan PROPN I-LOC
, PUNCT O
kata VERB O
Dodi PROPN B-PER
. PUNCT O
"""


@pytest.fixture(scope="module")
def ner():
    """The shipped model, loaded while every network connection fails."""
    def no_network(*args, **kwargs):
        raise OSError("network access during load_ner")
    with mock.patch.object(socket.socket, "connect", no_network), \
            mock.patch.object(socket, "create_connection", no_network):
        return load_ner()


def test_shipped_model_is_tokenizer_plus_ner_with_three_labels(ner):
    assert ner.pipe_names == ["ner"]
    assert set(ner.get_pipe("ner").labels) == set(LABELS)


@pytest.mark.parametrize("text,persons,orgs", UNSEEN)
def test_shipped_model_finds_people_and_institutions_in_unseen_sentences(ner, text, persons, orgs):
    ents = {(e.text, e.label_) for e in ner(text).ents}
    assert persons <= ents
    found_orgs = [e.text for e in ner(text).ents if e.label_ == "ORG"]
    for org in orgs:
        assert any(org in found for found in found_orgs), (org, ents)
    assert all(label in LABELS for _, label in ents)


def test_shipped_tokenizer_keeps_indonesian_abbreviations_whole(ner):
    words = [t.text for t in ner.make_doc("Warga Kec. Jatibarang, Kab. Indramayu, Bpk. Ir. Rahmat, S.IP. hadir.")]
    assert {"Kec.", "Kab.", "Bpk.", "Ir.", "S.IP."} <= set(words)


def test_load_ner_without_a_model_directory_says_how_to_get_one(tmp_path):
    with pytest.raises(NerModelMissing, match="train_ner"):
        load_ner(tmp_path / "nothing-here")


def _doc(vocab, words, ents):
    doc = spacy.tokens.Doc(vocab, words=words)
    doc.ents = [spacy.tokens.Span(doc, s, e, label=label) for label, s, e in ents]
    return doc


def test_scorer_gives_exact_span_precision_recall_f1_per_type(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    gold_sents = read_conll(path)
    assert [s.spans() for s in gold_sents] == [[("ORG", 1, 4), ("PER", 5, 7)], [("LOC", 3, 6), ("PER", 8, 9)]]
    vocab = spacy.blank("xx").vocab
    gold = [s.to_doc(vocab) for s in gold_sents]
    predicted = [
        _doc(vocab, gold_sents[0].words, [("ORG", 1, 2), ("PER", 5, 7)]),    # ORG too short, PER right
        _doc(vocab, gold_sents[1].words, [("LOC", 3, 6), ("ORG", 8, 9)]),    # LOC right, PER called ORG
    ]
    report = score_docs(gold, predicted)
    assert report.per_type["PER"].precision == 1.0 and report.per_type["PER"].recall == 0.5
    assert report.per_type["PER"].f1 == pytest.approx(2 / 3)
    assert report.per_type["LOC"].f1 == 1.0
    assert report.per_type["ORG"].precision == 0.0 and report.per_type["ORG"].support == 1
    assert report.overall.precision == pytest.approx(2 / 4)
    assert report.overall.recall == pytest.approx(2 / 4)
    assert report.overall.support == 4
    assert report.words == 22


def test_conll_reader_names_file_and_line_of_a_bad_tag(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Bawaslu PROPN B-ORG\nKuningan PROPN PERSON\n", encoding="utf-8")
    with pytest.raises(ConllError, match=r"bad.txt:2"):
        read_conll(path)


def test_conll_sentence_rebuilds_running_text():
    s = Sentence(["Kata", "Dodi", "(", "KPU", ")", ",", "Senin", "."], ["O", "B-PER", "O", "B-ORG", "O", "O", "O", "O"])
    assert s.text == "Kata Dodi (KPU), Senin."


def test_eval_ner_command_prints_scores_per_type_and_speed(tmp_path):
    from pantau.cli import app

    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "ner", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: v["support"] for k, v in data["per_type"].items() if v["support"]} == {"ORG": 1, "PER": 2, "LOC": 1}
    assert data["words"] == 22 and data["sentences"] == 2 and data["words_per_second"] > 0
    assert 0.0 <= data["overall"]["f1"] <= 1.0

    table = CliRunner().invoke(app, ["eval", "ner", str(path)])
    assert table.exit_code == 0 and "overall" in table.output and "words/s" in table.output

    missing = CliRunner().invoke(app, ["eval", "ner", str(tmp_path / "none.conll")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_domain_sentences_are_aligned_and_use_only_the_three_labels():
    from lab.ner.domain import domain_sentences, templates

    sentences = domain_sentences(seed=3, per_template=1)
    assert len(sentences) == len(templates()) > 50
    labels = {t[2:] for s in sentences for t in s.tags if t != "O"}
    assert labels == set(LABELS)
    ketua = next(s for s in sentences if s.words[:2] == ["Ketua", "Bawaslu"])
    assert ketua.tags[:2] == ["O", "B-ORG"] and "B-PER" in ketua.tags


TRAIN = CONLL + "\n" + """\
Camat PROPN O
Cilimus PROPN O
Hendra PROPN B-PER
Gunadi PROPN I-PER
dilaporkan VERB O
ke ADP O
Bawaslu PROPN B-ORG
. PUNCT O
"""


def test_train_ner_writes_a_loadable_model_and_keeps_the_old_one_on_bad_data(tmp_path):
    from lab.train_ner import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "train.txt").write_text(TRAIN, encoding="utf-8")
    (data / "dev.txt").write_text(CONLL, encoding="utf-8")
    out = tmp_path / "model"
    assert main(["--data", str(data), "--out", str(out), "--early-stop", "dev", "--no-domain",
                 "--max-steps", "4", "--eval-frequency", "2"]) == 0
    nlp = load_ner(out)
    assert nlp.pipe_names == ["ner"] and set(nlp.get_pipe("ner").labels) == set(LABELS)
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["sources"][0]["name"] == "IDNer2k" and meta["license"] == "MIT"
    assert [t.text for t in nlp.make_doc("di Kab. Kuningan")] == ["di", "Kab.", "Kuningan"]

    (data / "dev.txt").unlink()
    assert main(["--data", str(data), "--out", str(out), "--max-steps", "2"]) == 2
    assert (out / "meta.json").is_file()


# Shapes that change how spaCy splits a text: abbreviations that are special cases (Jl., S.IP., Kab.), a title
# that is one special case over several words, leading and repeated whitespace, tabs, no-break and em spaces,
# hyphenated words, numbers and dates in brackets, quotes and the "-nya" suffix.
TOKENIZER_TEXTS = [
    "KUNINGAN - Bawaslu Kab. Kuningan memanggil Kades Sukamulya, Drs. H. Asep Saepudin, S.IP., M.Si., Senin (12/2/2024).",
    "Rapat digelar di Jl. Siliwangi No. 12, Kel. Cijoho, pukul 09.00 WIB.\n\nKetua KPU, Prof. Dr. rer. pol. "
    "Hendra Gunawan, hadir.",
    "  Pj Bupati meminta ASN-nya netral.\t\"Jangan ikut kampanye,\" ujarnya.\xa0Anak-anak   ikut\u2003menonton.\n ",
    "Rp1,5 miliar dana desa (DD) 2023/2024 diduga dipakai untuk kampanye... Apa kata PPK?",
]


def test_the_taggers_cached_tokenizer_gives_exactly_the_tokens_of_the_model_tokenizer(tagger):
    from extract.ner.tokenizer import CachedTokenizer
    from extract.page import extract_page
    from tests.conftest import FIXTURES

    cached = tagger.nlp.tokenizer
    assert isinstance(cached, CachedTokenizer)
    pages = sorted((FIXTURES / "pages").glob("*.html"))
    texts = TOKENIZER_TEXTS + [extract_page(p.read_bytes(),
                                            f"https://example.id/{p.stem}").text for p in pages]
    for text in texts + texts:                     # the second round is served from the cache
        expected = [(t.text, t.whitespace_, t.norm_, t.idx) for t in cached.tokenizer(text)]
        assert [(t.text, t.whitespace_, t.norm_, t.idx) for t in cached(text)] == expected


def test_the_tokenizer_cache_stays_bounded_over_a_long_crawl(tagger):
    from extract.ner.tokenizer import CachedTokenizer

    small = CachedTokenizer(tagger.nlp.tokenizer.tokenizer, size=100)
    for n in range(1000):
        small(f"Berita ke-{n}: TPS {n} di Desa Sukamaju{n} dipantau.")
    assert small._chunk.cache_info().currsize == 100


def test_the_ner_finds_the_same_entities_with_numpy_matrix_products_as_with_thincs_default(ner):
    from thinc.api import NumpyOps

    from tests.conftest import FIXTURES
    from extract.page import extract_page

    default = load_ner()
    blis = NumpyOps()
    for node in default.get_pipe("ner").model.walk():
        node.ops = blis
    assert ner.get_pipe("ner").model.ops.use_blis is False
    texts = [text for text, _, _ in UNSEEN] + TOKENIZER_TEXTS + [
        extract_page(p.read_bytes(), f"https://example.id/{p.stem}").text for p in sorted((FIXTURES / "pages").glob("*.html"))]
    found = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in ner.pipe(texts)]
    assert found == [[(e.start, e.end, e.label_) for e in doc.ents] for doc in default.pipe(texts)]
    assert sum(map(len, found)) > 20
