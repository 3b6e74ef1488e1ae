"""Words per second of the whole tagger (extract.tagging) on one CPU core.

    python bench/bench_tagger.py [--corpus FILE.jsonl] [--min-words N] [--no-ner]

Reads the article texts of shared/corpus/id-election-news when it is there (else generates Indonesian
news-like text), pins the process to one core with one BLAS thread, builds the tagger once, warms it up,
then times Tagger.tag_many over the texts (repeated until at least --min-words words) and prints words/s,
ms per article, the time per pipeline component, and the target (>= 20,000 words/s, issue #15). Words/s are counted
on the process's CPU time, so other jobs on a shared machine do not lower the figure; wall-clock words/s
are printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "id-election-news" / "articles.jsonl"
TARGET = 20_000

SENTENCES = [
    "Badan Pengawas Pemilu (Bawaslu) Kabupaten {place} menemukan {n} aparatur sipil negara (ASN) diduga ikut "
    "menghadiri kampanye salah satu calon anggota legislatif, Selasa (12/9).",
    "Ketua Bawaslu Kabupaten {place}, {name}, mengatakan temuan itu berawal dari laporan warga.",
    "Menurut {first}, ASN dilarang terlibat dalam politik praktis sebagaimana diatur dalam PP Nomor 94 Tahun 2021.",
    "Penjabat (Pj) Bupati {place} {name} meminta seluruh ASN menjaga netralitas pada Pilkada 2024.",
    "Kepala desa dan perangkat desa diminta tidak memasang alat peraga kampanye di kantor desa.",
    "KPU Kabupaten {place} melantik {n} anggota Panitia Pemungutan Suara (PPS) di aula kantor bupati.",
    "Polres {place} menyiagakan {n} personel untuk mengamankan tempat pemungutan suara.",
    "Harga cabai rawit di pasar tradisional {place} naik menjelang akhir pekan.",
]
PLACES = ["Cimahi", "Kuningan", "Indramayu", "Jepara", "Lebak", "Pesawaran", "Garut", "Blora"]
NAMES = ["Aan Sugiharto", "Iron Sahroni", "Roy Mengge", "Dian Rachmat", "Edy Supriyanta", "Nursari Ahmad"]


def generated_texts(n: int = 300, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for _ in range(n):
        name = rnd.choice(NAMES)
        parts = [rnd.choice(SENTENCES).format(place=rnd.choice(PLACES), name=name, first=name.split()[0],
                                               n=rnd.randint(2, 900)) for _ in range(rnd.randint(8, 16))]
        texts.append("\n".join(parts))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min-words", type=int, default=200_000)
    parser.add_argument("--no-ner", action="store_true", help="measure the rules without the NER model")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    if args.corpus.is_file():
        texts = [json.loads(line)["text"] for line in args.corpus.read_text("utf-8").splitlines() if line.strip()]
        source = str(args.corpus)
    else:
        texts, source = generated_texts(), "generated text (corpus not found)"
    words = sum(len(t.split()) for t in texts)

    from extract.tagging.pipeline import Tagger
    t0 = time.perf_counter()
    tagger = Tagger(use_ner=not args.no_ner)
    build = time.perf_counter() - t0
    tagger.tag_many(texts[:20])                      # warm-up

    rounds = max(1, -(-args.min_words // max(words, 1)))
    per_component = {name: 0.0 for name in tagger.nlp.pipe_names}
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        tagger.tag_many(texts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = words * rounds / cpu

    docs = [tagger.nlp.make_doc(t) for t in texts]
    t1 = time.process_time()
    docs = [tagger.nlp.make_doc(t) for t in texts]
    tokenizer = time.process_time() - t1
    for name, proc in tagger.nlp.pipeline:
        t1 = time.process_time()
        docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        per_component[name] = time.process_time() - t1

    print(f"tagger {tagger.version} (model: {tagger.model}), built in {build:.1f} s")
    print(f"texts: {len(texts)} articles, {words:,} words from {source}; {rounds} round(s), one core")
    print(f"whole tagger: {rate:,.0f} words/s of CPU time ({1000 * cpu / (len(texts) * rounds):.1f} ms per article); "
          f"wall clock {words * rounds / elapsed:,.0f} words/s (lower when other processes share the core)")
    print("per component (one pass): " + ", ".join(
        f"{name} {words / max(secs, 1e-9):,.0f} w/s" for name, secs in [("tokenizer", tokenizer), *per_component.items()]))
    print(f"target >= {TARGET:,} words/s: {'ok' if rate >= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
