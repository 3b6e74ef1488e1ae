"""Synthetic stored articles for bench_queries.py: Indonesian regional election news generated from
templates (datelines, officials, breach sentences, Bawaslu statements), with their tags, bulk-loaded.

The people are fictional combinations of common Indonesian names. Deterministic for a given seed."""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from store import Store
from store.articles import flag_fingerprint, official_key
from store.models import Article, ArticleOfficial, ArticleRole, Flag, Official, Review

REGIONS = {
    "Jawa Barat": ["Kota Bandung", "Kabupaten Bandung", "Kabupaten Garut", "Kota Cimahi", "Kabupaten Cirebon",
                   "Kabupaten Indramayu", "Kota Bekasi", "Kabupaten Bogor", "Kota Depok", "Kabupaten Tasikmalaya"],
    "Jawa Tengah": ["Kota Semarang", "Kabupaten Boyolali", "Kabupaten Klaten", "Kota Surakarta", "Kabupaten Banyumas"],
    "Jawa Timur": ["Kota Surabaya", "Kabupaten Sidoarjo", "Kabupaten Jember", "Kota Malang", "Kabupaten Banyuwangi"],
    "Nusa Tenggara Timur": ["Kota Kupang", "Kabupaten Belu", "Kabupaten Manggarai", "Kabupaten Sikka"],
    "Sulawesi Selatan": ["Kota Makassar", "Kabupaten Gowa", "Kabupaten Bone", "Kota Parepare"],
    "Sumatera Barat": ["Kota Padang", "Kabupaten Agam", "Kota Bukittinggi"],
    "Banten": ["Kota Serang", "Kabupaten Tangerang", "Kota Cilegon"],
}
# outlet -> (dateline format, offset minutes)
OUTLETS = {
    "Jawa Barat": [("Tribun Jabar", "TRIBUNJABAR.ID, {CITY} -"), ("Jabar Ekspres", "JABAREKSPRES.COM, {CITY} –"),
                   ("Pikiran Rakyat", "{CITY}, PR -"), ("Indramayujeh", "{CITY} -"), ("Radar Cirebon", "{CITY} -")],
    "Jawa Tengah": [("Tribun Jateng", "TRIBUNJATENG.COM, {CITY} -"), ("Solopos", "SOLOPOS.COM, {CITY} -"),
                    ("Suara Merdeka", "{CITY}, suaramerdeka.com -")],
    "Jawa Timur": [("Tribun Jatim", "TRIBUNJATIM.COM, {CITY} -"), ("Radar Jember", "{CITY}, Radar Jember -"),
                   ("Surya", "SURYA.co.id, {CITY} -")],
    "Nusa Tenggara Timur": [("Timor Express", "{CITY}, TIMEX -"), ("Pos Kupang", "POS-KUPANG.COM, {CITY} -"),
                            ("Victory News", "{CITY}, VN -")],
    "Sulawesi Selatan": [("Fajar", "FAJAR.CO.ID, {CITY} --"), ("Tribun Timur", "TRIBUN-TIMUR.COM, {CITY} -")],
    "Sumatera Barat": [("Padang Ekspres", "{CITY}, PADEK -"), ("Haluan", "{CITY}, HARIANHALUAN.ID -")],
    "Banten": [("Banten Raya", "{CITY}, BANTEN RAYA -"), ("Tangerang News", "TANGERANGNEWS.com -")],
}
NATIONAL = [("Antara", "{City} (ANTARA) -"), ("JPNN", "jpnn.com, {CITY} -")]
OFFSET = {"Nusa Tenggara Timur": 480, "Sulawesi Selatan": 480}            # WITA; the rest WIB (420)

FIRST = ["Ahmad", "Asep", "Budi", "Dadang", "Dedi", "Dikdik", "Eka", "Endang", "Fransiskus", "Hendra", "Iron",
         "Iwan", "Jajang", "Ketut", "Made", "Maria", "Muhammad", "Neni", "Nurhayati", "Rina", "Rudi", "Siti",
         "Slamet", "Sri", "Wahyu", "Yanto", "Yohanes", "Yosef", "Agus", "Andi", "Irfan", "Lukman", "Ujang",
         "Bambang", "Cecep", "Dewi", "Erna", "Fajar", "Gede", "Hasan", "Imam", "Joko", "Kadek", "Lilis",
         "Mulyadi", "Nandang", "Oman", "Putu", "Rahmat", "Sutrisno", "Teguh", "Wayan", "Yuyun", "Zainal"]
LAST = ["Sahroni", "Kusnadi", "Hidayat", "Setiawan", "Permana", "Saputra", "Lado", "Nugraha", "Hartono",
        "Wijaya", "Rahmawati", "Suryadi", "Gunawan", "Kurniawan", "Pratama", "Santoso", "Mbulu", "Tefa",
        "Daeng", "Syahputra", "Firmansyah", "Maulana", "Sudrajat", "Ramdani", "Sihombing", "Nainggolan",
        "Wibowo", "Susanto", "Hermawan", "Sopandi", "Sulaeman", "Rusdiana", "Mulyana", "Taufik", "Jaelani",
        "Fauzi", "Hakim", "Nggadas", "Benu", "Manafe", "Bataona", "Pattiasina", "Rasyid", "Amiruddin",
        "Syamsuddin", "Sitompul", "Harahap", "Lubis", "Nasution", "Effendi"]
DESA = ["Sukamaju", "Mekarsari", "Cibeber", "Sukarame", "Margahayu", "Oesapa", "Tanjungsari", "Karangasem",
        "Sidomulyo", "Bontoala", "Pasirjaya", "Cikalong", "Nagrak", "Mulyasari", "Kebonagung"]
KEC = ["Cibatu", "Kandanghaur", "Kelapa Lima", "Cicalengka", "Tamalate", "Kartasura", "Wonosari", "Sumber",
       "Kotabaru", "Pakuhaji", "Lembang", "Ngawi", "Padang Utara"]

ACCUSED = {   # role -> (title template, how the story names them)
    "ASN": ["Camat {kec}", "Kepala Dinas Pendidikan {regency}", "Sekretaris Kecamatan {kec}", "Lurah {desa}"],
    "KADES": ["Kepala Desa {desa}", "Kades {desa}", "Sekretaris Desa {desa}"],
    "KPPS": ["Ketua KPPS TPS {tps} Desa {desa}", "Anggota KPPS TPS {tps} {desa}"],
    "PPS": ["Anggota PPS Desa {desa}", "Ketua PPS {desa}"],
    "PPK": ["Ketua PPK {kec}", "Anggota PPK {kec}"],
    "TNI": ["Babinsa Koramil {kec}", "Danramil {kec}"],
    "POLRI": ["Kapolsek {kec}", "Bhabinkamtibmas Desa {desa}"],
    "PJ_KEPALA_DAERAH": ["Pj Bupati {short}", "Penjabat Wali Kota {short}"],
}
BREACHES = {
    "campaign_participation": ["ikut menghadiri kampanye calon anggota DPRD di lapangan {desa}",
                               "terlibat dalam tim pemenangan salah satu pasangan calon",
                               "hadir dalam deklarasi dukungan kepada pasangan capres-cawapres"],
    "party_attributes": ["berpose salam dua jari bersama caleg saat acara warga",
                         "memasang atribut partai di kantor desa", "mengenakan kaus bergambar pasangan calon"],
    "social_media": ["mengunggah foto dukungan kepada pasangan calon di media sosial",
                     "membagikan konten kampanye di grup WhatsApp warga",
                     "menulis komentar dukungan di akun Facebook seorang caleg"],
    "state_facilities": ["menggunakan mobil dinas untuk mengantar tim kampanye",
                         "memakai aula kantor kecamatan untuk pertemuan relawan caleg"],
    "partisan_decision": ["menerbitkan surat edaran yang menguntungkan salah satu calon"],
    "money_politics": ["membagikan sembako atas nama seorang caleg DPR RI",
                       "membagi-bagikan uang kepada warga menjelang pemungutan suara"],
    "intimidation": ["mengancam akan memutasi pegawai yang tidak mendukung calon tertentu"],
    "party_affiliation": ["tercatat sebagai anggota partai politik dalam Sipol"],
    "vote_manipulation": ["mengubah perolehan suara pada formulir C.Hasil di TPS {tps}",
                          "menggelembungkan suara salah satu caleg saat rekapitulasi"],
}
ALLEGE = ["diduga", "dilaporkan", "kedapatan", "terekam video"]
DENY = ["{name} membantah tudingan tersebut dan menyebut kehadirannya hanya untuk memenuhi undangan warga.",
        "Saat dikonfirmasi, {name} menepis kabar itu. \"Saya tidak tahu acara itu kampanye,\" ujarnya."]
BAWASLU = ["Ketua Bawaslu {short}", "Anggota Bawaslu {short}", "Koordinator Divisi Penanganan Pelanggaran Bawaslu {short}"]
STATEMENT = ["{title}, {name}, mengatakan pihaknya sudah memanggil yang bersangkutan untuk klarifikasi.",
             "{title}, {name}, menyebut laporan itu masih dikaji bersama Sentra Gakkumdu.",
             "\"Kalau terbukti, kami akan meneruskan rekomendasi sanksi,\" kata {first}."]
RULE = ["{Plural} dilarang terlibat dalam kegiatan kampanye sesuai Pasal 280 UU Nomor 7 Tahun 2017.",
        "Sesuai aturan, {plural} wajib menjaga netralitas selama tahapan pemilu."]
PLURAL = {"ASN": "ASN", "KADES": "kepala desa", "KPPS": "petugas KPPS", "PPS": "anggota PPS", "PPK": "anggota PPK",
          "TNI": "prajurit TNI", "POLRI": "anggota Polri", "PJ_KEPALA_DAERAH": "penjabat kepala daerah"}
FILLER = ["Tahapan pemungutan suara di {regency} diikuti oleh lebih dari {n} ribu pemilih yang tersebar di "
          "ratusan TPS.", "Sebelumnya, KPU {short} telah menetapkan daftar calon tetap untuk pemilihan anggota DPRD.",
          "Warga diminta melapor ke posko pengaduan Bawaslu apabila menemukan dugaan pelanggaran.",
          "Rapat pleno rekapitulasi tingkat kecamatan dijadwalkan berlangsung pekan depan.",
          "Hingga berita ini diturunkan, pihak terkait belum memberikan keterangan tambahan."]


class CorpusGenerator:
    def __init__(self, seed: int = 2024, people: int = 6000):
        self.rng = random.Random(seed)
        self.people = []      # (name, province, regency)
        for _ in range(people):
            province = self.rng.choice(list(REGIONS))
            middle = f" {self.rng.choice(FIRST)}" if self.rng.random() < 0.4 else ""
            self.people.append((f"{self.rng.choice(FIRST)}{middle} {self.rng.choice(LAST)}", province,
                                self.rng.choice(REGIONS[province])))
        self.by_regency: dict[str, list[str]] = {}
        for name, _p, regency in self.people:
            self.by_regency.setdefault(regency, []).append(name)

    def article(self, i: int) -> dict:
        r = self.rng
        province = r.choice(list(REGIONS))
        regency = r.choice(REGIONS[province])
        short = regency.replace("Kabupaten ", "").replace("Kota ", "")
        outlet, dateline = r.choice(OUTLETS[province] + NATIONAL if r.random() < 0.2 else OUTLETS[province])
        offset = OFFSET.get(province, 420)
        published = (datetime(2023, 6, 1, tzinfo=timezone.utc) + timedelta(minutes=r.randrange(0, 570 * 24 * 60)))
        ctx = {"desa": r.choice(DESA), "kec": r.choice(KEC), "tps": r.randrange(1, 40), "regency": regency,
               "short": short, "n": r.randrange(50, 900)}
        role = r.choice(list(ACCUSED))
        names = self.by_regency[regency]
        accused = r.choice(names)
        speaker = r.choice(names)
        bawaslu_title = r.choice(BAWASLU).format(**ctx)
        accused_title = r.choice(ACCUSED[role]).format(**ctx)
        kind = r.choices(["allegation", "advisory", "sanction", "other"], weights=[50, 25, 10, 15])[0]
        paras, flags, officials = [], [], [(speaker, bawaslu_title)]
        roles = {"BAWASLU", role}
        lead = dateline.format(CITY=short.upper(), City=short)
        categories = r.sample(list(BREACHES), r.choice([1, 1, 1, 2, 2, 3]))
        if kind in ("allegation", "sanction"):
            officials.append((accused, accused_title))
            verb = r.choice(ALLEGE) if kind == "allegation" else "terbukti"
            first = f"{lead} {accused_title}, {accused}, {verb} {r.choice(BREACHES[categories[0]]).format(**ctx)}."
            paras.append(first)
            flags.append((categories[0], "alleged", first, f"{role} {accused}"))
            for cat in categories[1:]:
                s = f"Selain itu, {accused.split()[0]} juga {r.choice(ALLEGE)} {r.choice(BREACHES[cat]).format(**ctx)}."
                paras.append(s)
                flags.append((cat, "alleged", s, f"{role} {accused.split()[0]}"))
            if r.random() < 0.3:
                officials.append((accused.split()[0], accused_title))            # the short form, as printed
            paras.append(r.choice(STATEMENT).format(title=bawaslu_title, name=speaker, first=speaker.split()[0]))
            if kind == "allegation" and r.random() < 0.35:
                s = r.choice(DENY).format(name=accused.split()[0])
                paras.append(s)
                flags.append((categories[0], "denied", s, None))
            rule = r.choice(RULE).format(plural=PLURAL[role], Plural=PLURAL[role][0].upper() + PLURAL[role][1:])
            paras.append(rule)
            flags.append((categories[0], "prohibition", rule, None))
        elif kind == "advisory":
            officials.append((accused, accused_title))
            paras.append(f"{lead} {bawaslu_title}, {speaker}, mengingatkan seluruh {PLURAL[role]} di {regency} "
                         f"agar tidak {r.choice(BREACHES[categories[0]]).format(**ctx)}.")
            rule = r.choice(RULE).format(plural=PLURAL[role], Plural=PLURAL[role][0].upper() + PLURAL[role][1:])
            paras.append(rule)
            flags.append((categories[0], "prohibition", rule, None))
        else:
            roles = {"KPU", "PPK"}
            paras.append(f"{lead} KPU {short} menggelar rapat koordinasi persiapan logistik pemilu bersama PPK "
                         f"se-{regency} di {ctx['kec']}.")
        paras += [f.format(**ctx) for f in r.sample(FILLER, r.randrange(2, 5))]
        middle = paras[1:]
        r.shuffle(middle)
        paras = paras[:1] + middle
        text = "\n".join(paras)
        title = self._title(kind, role, accused_title, short, categories[0])
        return {"id": i, "province": province, "regency": regency, "outlet": outlet, "title": title,
                "text": text, "published_at": published, "offset": offset, "kind": kind,
                "roles": sorted(roles), "flags": flags, "officials": officials}

    def _title(self, kind, role, accused_title, short, category) -> str:
        word = category.replace("_", " ")
        if kind == "allegation":
            return f"{accused_title} Diduga Langgar Netralitas ({word}), Bawaslu {short} Turun Tangan"
        if kind == "sanction":
            return f"Bawaslu {short} Rekomendasikan Sanksi untuk {accused_title}"
        if kind == "advisory":
            return f"Bawaslu {short} Ingatkan {PLURAL[role].title()} Jaga Netralitas Jelang Pemilu"
        return f"KPU {short} Matangkan Persiapan Logistik Pemilu"


def load(store: Store, n: int, *, seed: int = 2024, batch: int = 2000, review_share: float = 0.15,
         progress=None) -> dict:
    """Generate n articles with tags and reviews and bulk-insert them; returns counts."""
    gen = CorpusGenerator(seed)
    officials: dict[str, int] = {}
    counts = {"articles": 0, "flags": 0, "officials": 0, "reviews": 0}
    fetched0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    flag_id = review_id = ao_id = 0
    rng = random.Random(seed + 1)
    reviewers = ["rina", "budi", "sari", "yosef", "andi"]
    for start in range(1, n + 1, batch):
        arts, roles, flags, aos, reviews, new_officials = [], [], [], [], [], []
        for i in range(start, min(start + batch, n + 1)):
            a = gen.article(i)
            key = f"{a['outlet'].lower().replace(' ', '')}.example/berita/{i}"
            arts.append({"id": i, "key": key, "url": f"https://{key}/", "canonical_url": f"https://{key}/",
                         "source": a["outlet"].lower().replace(" ", ""), "outlet": a["outlet"],
                         "province": a["province"], "regency": a["regency"], "title": a["title"], "author": None,
                         "text": a["text"], "language": "id", "published_at": a["published_at"],
                         "published_offset_min": a["offset"], "fetched_at": fetched0 + timedelta(seconds=i * 30),
                         "updated_at": fetched0, "pages": 1, "relevant": a["kind"] != "other",
                         "article_type": a["kind"], "roles": ",".join(a["roles"]), "accused": "[]",
                         "content_hash": hashlib.sha1(a["text"].encode()).hexdigest(), "tagger_version": "bench-1",
                         "extra": "{}"})
            roles += [{"article_id": i, "role": role} for role in a["roles"]]
            for category, modality, sentence, subject in a["flags"]:
                flag_id += 1
                start_at = a["text"].index(sentence)
                fp = flag_fingerprint(category, sentence)
                flags.append({"id": flag_id, "article_id": i, "category": category, "modality": modality,
                              "sentence": sentence, "start": start_at, "end": start_at + len(sentence),
                              "subject": subject, "fingerprint": fp, "tagger_version": "bench-1",
                              "created_at": fetched0})
                if modality == "alleged" and rng.random() < review_share:
                    for k in range(1 + (rng.random() < 0.1)):
                        review_id += 1
                        reviews.append({"id": review_id, "article_id": i, "fingerprint": fp, "category": category,
                                        "decision": rng.choice(["confirmed", "dismissed"]),
                                        "note": "Dicek dengan sumber kedua", "reviewer": rng.choice(reviewers),
                                        "decided_at": fetched0 + timedelta(days=1, minutes=review_id),
                                        "sentence": sentence, "tagger_version": "bench-1"})
            seen = set()
            for name, title in a["officials"]:
                okey = official_key(name)
                if okey not in officials:
                    officials[okey] = len(officials) + 1
                    new_officials.append({"id": officials[okey], "key": okey, "name": name})
                if (okey, title) not in seen:
                    seen.add((okey, title))
                    ao_id += 1
                    aos.append({"id": ao_id, "article_id": i, "official_id": officials[okey], "title": title,
                                "name_as_printed": name})
        with store.engine.begin() as conn:
            conn.execute(insert(Article.__table__), arts)
            conn.execute(insert(ArticleRole.__table__), roles)
            if new_officials:
                conn.execute(insert(Official.__table__), new_officials)
            conn.execute(insert(ArticleOfficial.__table__), aos)
            if flags:
                conn.execute(insert(Flag.__table__), flags)
            if reviews:
                conn.execute(insert(Review.__table__), reviews)
        counts["articles"] += len(arts)
        counts["flags"] += len(flags)
        counts["reviews"] += len(reviews)
        if progress:
            progress(counts["articles"], n)
    counts["officials"] = len(officials)
    if store.dialect == "postgresql":
        with store.engine.begin() as conn:
            for table in ("article", "flag", "official", "article_official", "review"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT coalesce(max(id), 1) FROM {table}))")
    return counts
