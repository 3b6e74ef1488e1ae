"""Articles of the simulated outlets: topics from texts.toml, slots filled deterministically per article."""
from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
LATEST = datetime(2024, 11, 20, 9, 30, tzinfo=WIB)     # the newest simulated article
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@dataclass
class Article:
    number: int
    slug: str
    title: str
    published: datetime
    author: str
    topic: str
    paragraphs: list[str]
    category: str = "politik"
    tags: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@lru_cache(maxsize=1)
def _texts() -> dict:
    return tomllib.loads((Path(__file__).parent / "texts.toml").read_text(encoding="utf-8"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90].rstrip("-")


def tanggal(dt: datetime) -> str:
    """'20/11/2024' as Indonesian outlets print it in body text."""
    return f"{dt.day}/{dt.month}/{dt.year}"


def long_date(dt: datetime, zone: str = "WIB") -> str:
    return f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt.year} {dt:%H:%M} {zone}"


def make_articles(count: int, *, seed: str, regencies: list[tuple[str, str]], tz=WIB,
                  step_minutes: int = 173, start: int = 0) -> list[Article]:
    """`count` articles, newest first, one every `step_minutes`, each a topic with its slots filled."""
    data = _texts()
    topics, slots = data["topic"], data["slots"]
    articles = []
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        topic = topics[(i * 7 + len(seed)) % len(topics)]   # i < 0: published after the simulator started
        kab, prov = regencies[rng.randrange(len(regencies))]
        published = (LATEST - timedelta(minutes=step_minutes * i)).astimezone(tz)
        names = [f"{d} {b}" for d, b in zip(rng.sample(slots["nama_depan"], 3), rng.sample(slots["nama_belakang"], 3))]
        values = {
            "kab": kab, "prov": prov, "kab_short": kab.removeprefix("Kabupaten ").removeprefix("Kota "),
            "kepala": "Wali Kota" if kab.startswith("Kota ") else "Bupati", "kec": rng.choice(slots["kec"]), "desa": rng.choice(slots["desa"]),
            "nama": names[0], "nama2": names[1], "nama3": names[2], "partai": rng.choice(slots["partai"]),
            "paslon": str(rng.randint(1, 3)), "jumlah": str(rng.randint(3, 240)),
            "hari": HARI[(published - timedelta(days=1)).weekday()], "tgl": tanggal(published - timedelta(days=1)),
        }
        title = topic["title"].format(**values)
        paragraphs = [p.format(**values) for p in topic["paragraphs"]]
        paragraphs[0] = f"{values['kab_short'].upper()} - {paragraphs[0]}"
        author = f"{rng.choice(slots['nama_depan'])} {rng.choice(slots['nama_belakang'])}"
        suffix = f"-baru-{-i}" if i < 0 else f"-{i + 1}" if i >= len(topics) else ""
        slug = slugify(title) + suffix
        category = "politik" if topic["key"] not in ("banjir", "harga_cabai", "festival") else "daerah"
        articles.append(Article(i + 1, slug, title, published, author, topic["key"], paragraphs, category,
                                tags=[kab, "Pilkada 2024" if category == "politik" else "Peristiwa"]))
    return articles
