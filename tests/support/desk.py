"""The review desk's test helpers: a stored corpus with accounts, a TestClient logged in as someone, and an
article whose title and text carry script injections (pages come from the open web)."""
from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from desk.app import create_app
from desk.config import DeskConfig
from store import Store
from store.accounts import create_account, new_token
from tests.support.analyst_articles import WIB, Spec, save, seed

PASSWORDS = {"rina": "rina-sandi-aman-1", "budi": "budi-sandi-aman-2", "admin": "admin-sandi-aman-3",
             "dewi": "dewi-sandi-aman-4"}
ROLES = {"rina": "reviewer", "budi": "viewer", "admin": "admin", "dewi": "reviewer"}

INJECTED = Spec(
    url="https://portalberita-lombok.com/2024/01/28/oknum-kades-di-lombok-timur-dilaporkan-kampanye/",
    outlet="Portal Lombok", province="Nusa Tenggara Barat", regency="Kabupaten Lombok Timur",
    title='Oknum Kades Dilaporkan Kampanye <script>document.title="pwned"</script>',
    published=datetime(2024, 1, 28, 8, 15, tzinfo=WIB),
    text=("LOMBOK TIMUR - Seorang oknum kepala desa di Kecamatan Sakra diduga ikut kampanye terbuka caleg DPRD "
          "NTB, Sabtu (27/1/2024). <img src=x onerror=\"document.body.dataset.pwned=1\"> Warga melaporkan "
          "kejadian itu ke Panwaslu Kecamatan Sakra.\n"
          "Ketua Bawaslu Lombok Timur, Retno Wulandari, mengatakan laporan sedang dikaji."),
    roles=["BAWASLU", "KADES"], officials=[("Retno Wulandari", "Ketua Bawaslu Lombok Timur")],
    flags=[("campaign_participation", "alleged", "diduga ikut kampanye terbuka")])


def seed_desk(store: Store) -> dict:
    """The analysts' corpus, the injected article, four accounts and an API token per account."""
    ids = seed(store)
    ids["injected"] = save(store, INJECTED)
    tokens = {}
    with store.session() as s:
        for name, role in ROLES.items():
            create_account(s, name, PASSWORDS[name], role)
            tokens[name] = new_token(s, name)
    return {"articles": ids, "tokens": tokens}


def make_client(store: Store) -> TestClient:
    return TestClient(create_app(store, DeskConfig(secret_key="test-secret-key", login_delay=0.01)),
                      follow_redirects=False)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def log_in(client: TestClient, name: str, password: str | None = None):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password or PASSWORDS[name],
                                       "csrf_token": token, "next": "/queue"})
