"""The review desk over HTTP, on SQLite and PostgreSQL: logging in, roles, CSRF, decisions recorded under the
logged-in account in the same append-only review table as the CLI, the JSON API's contract, CSV exports,
escaping of hostile article text, security headers."""
from __future__ import annotations

import csv
import io
import re

import pytest
from sqlmodel import select

from store.models import Flag, Review
from tests.support.analyst_articles import Store, emptied_store_fixture
from tests.support.desk import INJECTED, csrf_of, log_in, make_client, seed_desk

_backend, store = emptied_store_fixture()
assert Store


@pytest.fixture
def desk(store):
    info = seed_desk(store)
    client = make_client(store)
    yield store, client, info
    client.close()


def _alleged(store, article_id: int) -> Flag:
    with store.session() as s:
        return s.exec(select(Flag).where(Flag.article_id == article_id, Flag.modality == "alleged")
                      .order_by(Flag.start)).first()


def _bearer(info, name: str) -> dict:
    return {"Authorization": f"Bearer {info['tokens'][name]}"}


def test_pages_redirect_to_login_and_the_api_answers_401(desk):
    _store, client, _info = desk
    for path in ("/queue", "/flags/1", "/dashboard", "/articles", "/users"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    for path in ("/api/flags", "/api/flags/1", "/api/articles", "/api/stats"):
        r = client.get(path)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/flags", headers={"Authorization": "Bearer pnt_not-a-token"}).status_code == 401


def test_log_in_and_out_with_a_signed_httponly_cookie(desk):
    _store, client, _info = desk
    r = log_in(client, "rina")
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    cookie = r.headers["set-cookie"]
    assert "pantau_session=" in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = client.get("/queue")
    assert page.status_code == 200 and "rina (reviewer)" in page.text
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/queue").status_code == 303


def test_wrong_password_disabled_account_and_forged_login_are_refused(desk):
    store, client, _info = desk
    assert log_in(client, "rina", "salah-sandi").status_code == 401
    assert client.get("/queue").status_code == 303
    with store.session() as s:
        from store.accounts import set_disabled
        set_disabled(s, "dewi")
    r = log_in(client, "dewi")
    assert r.status_code == 401 and "disabled" in r.text
    forged = client.post("/login", data={"name": "rina", "password": "rina-sandi-aman-1", "csrf_token": "x"})
    assert forged.status_code == 403


def test_a_reviewer_confirms_in_the_browser_form_and_it_leaves_the_queue(desk):
    store, client, info = desk
    flag = _alleged(store, info["articles"]["kupang"])
    log_in(client, "rina")
    page = client.get(f"/flags/{flag.id}")
    assert page.status_code == 200 and 'id="decide"' in page.text
    assert "bagi-bagi sembako" in page.text and 'class="flag current"' in page.text
    no_csrf = client.post(f"/flags/{flag.id}/review", data={"decision": "confirm", "note": "Dicek"})
    assert no_csrf.status_code == 403
    r = client.post(f"/flags/{flag.id}/review", data={"decision": "confirm", "note": "Laporan Panwaslu Kelapa Lima dicek",
                                                       "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303
    after = client.get(r.headers["location"])
    assert "Recorded: confirmed" in after.text and '<td class="reviewer">rina</td>' in after.text
    queue = client.get("/queue?province=Nusa Tenggara Timur")
    assert f"/flags/{flag.id}?" not in queue.text
    trail = list(csv.DictReader(io.StringIO(client.get(f"/flags/{flag.id}/history.csv").text)))
    assert [(r["decision"], r["reviewer"]) for r in trail] == [("confirmed", "rina")]
    assert client.get(f"/flags/{2**40}").status_code == 422
    with store.session() as s:
        reviews = s.exec(select(Review)).all()
    assert [(r.decision, r.reviewer, r.note) for r in reviews] == [("confirmed", "rina",
                                                                     "Laporan Panwaslu Kelapa Lima dicek")]


def test_a_viewer_reads_but_cannot_decide(desk):
    store, client, info = desk
    flag = _alleged(store, info["articles"]["garut"])
    log_in(client, "budi")
    page = client.get(f"/flags/{flag.id}")
    assert page.status_code == 200 and 'id="decide"' not in page.text and "only reviewers decide" in page.text
    r = client.post(f"/flags/{flag.id}/review", data={"decision": "confirm", "note": "Saya yakin",
                                                       "csrf_token": csrf_of(page.text)})
    assert r.status_code == 403
    api = client.post(f"/api/flags/{flag.id}/review", json={"decision": "confirm", "note": "Saya yakin"},
                      headers=_bearer(info, "budi"))
    assert api.status_code == 403 and "viewer" in api.json()["detail"]
    with store.session() as s:
        assert s.exec(select(Review)).all() == []


def test_admins_manage_accounts_and_others_cannot(desk):
    _store, client, _info = desk
    log_in(client, "rina")
    assert client.get("/users").status_code == 403
    client.cookies.clear()
    log_in(client, "admin")
    page = client.get("/users")
    assert page.status_code == 200 and "budi" in page.text
    token = csrf_of(page.text)
    r = client.post("/users", data={"csrf_token": token, "action": "add", "name": "sari", "role": "reviewer",
                                    "password": "sari-sandi-aman-5"})
    assert r.status_code == 200 and "account sari added as reviewer" in r.text
    r = client.post("/users", data={"csrf_token": token, "action": "disable", "name": "budi"})
    assert "account budi disabled" in r.text
    bad = client.post("/users", data={"csrf_token": token, "action": "add", "name": "sari", "password": "x" * 12})
    assert bad.status_code == 400 and "exists already" in bad.text
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/users.csv").text)))
    assert {(r["name"], r["role"], r["disabled"]) for r in csv_rows} >= {("sari", "reviewer", "False"),
                                                                         ("budi", "viewer", "True")}
    client.cookies.clear()
    assert log_in(client, "budi").status_code == 401
    assert log_in(client, "sari", "sari-sandi-aman-5").status_code == 303


def test_a_password_reset_ends_the_sessions_made_with_the_old_password(desk, store):
    _store, client, _info = desk
    log_in(client, "rina")
    assert client.get("/queue").status_code == 200
    admin = make_client(store)
    log_in(admin, "admin")
    token = csrf_of(admin.get("/users").text)
    r = admin.post("/users", data={"csrf_token": token, "action": "password", "name": "rina",
                                   "password": "rina-sandi-baru-7"})
    assert "password of rina reset" in r.text
    assert client.get("/queue").status_code == 303                  # rina's old session is over
    assert log_in(client, "rina", "rina-sandi-baru-7").status_code == 303
    r = admin.post("/users", data={"csrf_token": token, "action": "password", "name": "admin",
                                   "password": "admin-sandi-baru-9"})
    assert admin.get("/users").status_code == 200                   # one's own reset keeps one's session
    admin.close()


def test_api_flags_list_takes_the_query_filters(desk):
    _store, client, info = desk
    r = client.get("/api/flags", params={"status": "pending", "modality": "alleged", "province": "jawa barat"},
                   headers=_bearer(info, "budi"))
    assert r.status_code == 200
    flags = r.json()
    assert flags and all({"id", "article_id", "category", "modality", "sentence", "status"} <= set(f) for f in flags)
    assert {f["province"] for f in flags} == {"Jawa Barat"} and {f["status"] for f in flags} == {"pending"}
    dates = [f["published_at"] for f in flags]
    assert dates == sorted(dates, reverse=True)
    kades = client.get("/api/flags?role=KADES&category=party_attributes", headers=_bearer(info, "budi")).json()
    assert [f["article_id"] for f in kades] == [info["articles"]["garut"]]
    bad = client.get("/api/flags?province=Jawa%20Barta", headers=_bearer(info, "budi"))
    assert bad.status_code == 400 and "did you mean: Jawa Barat" in bad.json()["detail"]
    assert client.get("/api/flags?since=kemarin", headers=_bearer(info, "budi")).status_code == 400


def test_api_decision_history_and_idempotent_repeat(desk):
    store, client, info = desk
    flag = _alleged(store, info["articles"]["bandung"])
    url = f"/api/flags/{flag.id}/review"
    first = client.post(url, json={"decision": "needs_more", "note": "Minta tangkapan layar unggahan"},
                        headers=_bearer(info, "rina"))
    assert first.status_code == 201 and first.json()["decision"] == "needs_more" and first.json()["created"]
    again = client.post(url, json={"decision": "needs_more", "note": "Minta tangkapan layar unggahan"},
                        headers=_bearer(info, "rina"))
    assert again.status_code == 201 and again.json()["created"] is False
    second = client.post(url, json={"decision": "confirm", "note": "Tangkapan layar diterima dari pelapor"},
                         headers=_bearer(info, "dewi"))
    assert second.json()["reviewer"] == "dewi"
    history = client.get(f"/api/flags/{flag.id}/history", headers=_bearer(info, "budi")).json()
    assert [(h["decision"], h["reviewer"]) for h in history] == [("needs_more", "rina"), ("confirmed", "dewi")]
    one = client.get(f"/api/flags/{flag.id}", headers=_bearer(info, "budi")).json()
    assert one["status"] == "confirmed" and one["article"]["title"].startswith("ASN Pemprov Jabar")
    assert len(one["history"]) == 2
    for body, code in [({"decision": "confirm", "note": ""}, 422), ({"decision": "approve", "note": "x"}, 422),
                       ({"decision": "confirm", "note": "   "}, 400)]:
        assert client.post(url, json=body, headers=_bearer(info, "rina")).status_code == code
    assert client.post("/api/flags/999999/review", json={"decision": "confirm", "note": "x"},
                       headers=_bearer(info, "rina")).status_code == 404
    with store.session() as s:
        assert len(s.exec(select(Review)).all()) == 2


def test_api_with_the_session_cookie_needs_the_csrf_header(desk):
    store, client, info = desk
    flag = _alleged(store, info["articles"]["garut2"])
    log_in(client, "rina")
    body = {"decision": "dismiss", "note": "Berita lanjutan, sudah dikonfirmasi di artikel pertama"}
    assert client.post(f"/api/flags/{flag.id}/review", json=body).status_code == 403
    token = csrf_of(client.get("/queue").text)
    r = client.post(f"/api/flags/{flag.id}/review", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201 and r.json()["reviewer"] == "rina"
    assert client.get("/api/me").json()["name"] == "rina"


def test_api_articles_officials_and_stats(desk):
    _store, client, info = desk
    h = _bearer(info, "budi")
    arts = client.get("/api/articles?text=sembako", headers=h).json()
    assert [a["article_id"] for a in arts] == [info["articles"]["kupang"]]
    one = client.get(f"/api/articles/{info['articles']['garut']}", headers=h).json()
    assert one["outlet"] == "Tribun Jabar" and {"name": "Iron Sahroni", "title": "Kepala Desa Sukamaju"} in one["officials"]
    people = client.get("/api/officials?province=Jawa Barat", headers=h).json()
    iron = next(p for p in people if p["name"] == "Iron Sahroni")
    profile = client.get(f"/api/officials/{iron['person_id']}", headers=h).json()
    assert {a["article_id"] for a in profile["articles"]} == {info["articles"]["garut"], info["articles"]["garut2"]}
    stats = client.get("/api/stats?by=category", headers=h).json()
    money = next(r for r in stats["category"] if r["category"] == "money_politics")
    assert money["alleged"] == 1 and money["pending"] == 1
    assert client.get("/api/articles/99999", headers=h).status_code == 404


def test_hostile_article_text_renders_as_text_and_csp_is_set(desk):
    store, client, info = desk
    log_in(client, "budi")
    flag = _alleged(store, info["articles"]["injected"])
    for path in (f"/flags/{flag.id}", f"/articles/{info['articles']['injected']}", "/queue", "/articles"):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>document.title" not in page.text and "<img src=x" not in page.text
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    flag_page = client.get(f"/flags/{flag.id}").text
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in flag_page
    assert "&lt;img src=x onerror=" in flag_page
    assert INJECTED.title.split("<")[0].strip() in flag_page


def _marked(page: str) -> dict[str, str]:
    """Per mark class, the marked text of the article (runs of adjacent marks joined)."""
    from html.parser import HTMLParser
    out: dict[str, list[str]] = {}

    class Marks(HTMLParser):
        classes: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "mark":
                self.classes = (dict(attrs).get("class") or "").split()

        def handle_endtag(self, tag):
            if tag == "mark":
                self.classes = []

        def handle_data(self, data):
            for c in self.classes:
                out.setdefault(c, []).append(data)
            for c in set(out) - set(self.classes):
                out[c].append("|")

    Marks().feed(page.split('<div class="text">', 1)[1].split("</div>", 1)[0])
    return {c: "".join(parts) for c, parts in out.items()}


def test_flag_page_shows_every_tag_in_context_and_other_articles_on_the_people(desk):
    store, client, info = desk
    log_in(client, "budi")
    flag = _alleged(store, info["articles"]["garut"])
    page = client.get(f"/flags/{flag.id}").text
    assert re.search(r'<mark class="flag current"[^>]*id="f%d">' % flag.id, page)
    marked = _marked(page)
    assert "Iron Sahroni" in marked["official"] and "Dadang Kusnadi" in marked["official"]
    assert "Kepala Desa Sukamaju" in marked["role"] and "salam dua jari" in marked["flag"]
    assert "Bawaslu Garut Rekomendasikan Sanksi untuk Kades Iron" in page    # same person, other article
    assert 'href="/articles/%d"' % info["articles"]["garut2"] in page


def test_queue_filters_paging_counts_and_csv(desk):
    _store, client, info = desk
    log_in(client, "budi")
    page = client.get("/queue?province=Jawa Barat&role=KADES")
    assert page.status_code == 200
    assert re.search(r'<span id="count">(\d+)</span>', page.text).group(1) == "3"
    partial = client.get("/queue?category=money_politics", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="results">') and "sembako" in partial.text
    bad = client.get("/queue?category=korupsi")
    assert bad.status_code == 400 and "unknown category" in bad.text
    rows = list(csv.DictReader(io.StringIO(client.get("/queue.csv?province=Jawa Barat").text)))
    assert rows and {r["province"] for r in rows} == {"Jawa Barat"} and {r["status"] for r in rows} == {"pending"}
    for path in ("/articles.csv?outlet=JPNN", "/officials.csv", "/dashboard.csv?chart=province"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    province = list(csv.DictReader(io.StringIO(client.get("/dashboard.csv?chart=province").text)))
    assert sum(int(r.get("Jawa Barat") or 0) for r in province) == 4
    assert sum(int(r.get("Nusa Tenggara Timur") or 0) for r in province) == 1


def test_dashboard_charts_are_served_from_the_package(desk):
    _store, client, _info = desk
    log_in(client, "budi")
    page = client.get("/dashboard?province=Jawa Barat")
    assert page.status_code == 200 and 'src="/static/chart.umd.min.js"' in page.text
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", page.text.split("<main>")[0])
    assert client.get("/static/chart.umd.min.js").status_code == 200
    assert client.get("/static/htmx.min.js").status_code == 200
    assert 'data-chart="category"' in page.text and "campaign_participation" in page.text


def test_subscriptions_are_saved_from_the_desk(desk):
    store, client, _info = desk
    log_in(client, "rina")
    token = csrf_of(client.get("/account").text)
    r = client.post("/account", data={"csrf_token": token, "provinces": "Jawa Barat\nNusa Tenggara Timur",
                                      "roles": ["KADES", "ASN"], "categories": ["money_politics"],
                                      "email": "rina@bawaslu-jabar.go.id", "notify_urls": "json://127.0.0.1:9/hook"})
    assert r.status_code == 303
    page = client.get("/account").text
    assert "Nusa Tenggara Timur" in page and 'value="KADES" checked' in page
    bad = client.post("/account", data={"csrf_token": token, "email": "bukan-email"})
    assert bad.status_code == 400 and "not an e-mail address" in bad.text


def test_openapi_schema_documents_the_api(desk):
    _store, client, _info = desk
    schema = client.get("/api/openapi.json").json()
    assert {"/api/flags", "/api/flags/{flag_id}", "/api/flags/{flag_id}/review", "/api/flags/{flag_id}/history",
            "/api/articles", "/api/officials", "/api/stats"} <= set(schema["paths"])
    body = schema["paths"]["/api/flags/{flag_id}/review"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert schema["components"]["schemas"][ref]["properties"]["decision"]["enum"] == ["confirm", "dismiss",
                                                                                     "needs_more"]


def test_dashboard_window_defaults_to_the_newest_weeks_and_follows_since(desk):
    _store, client, _info = desk
    log_in(client, "budi")
    page = client.get("/dashboard")
    assert "Published 2023-11-13 to 2024-02-05" in page.text and "the 12 weeks up to the newest article" in page.text
    rows = list(csv.DictReader(io.StringIO(client.get("/dashboard.csv?chart=category&since=2024-01-15").text)))
    assert [r["week"] for r in rows] == ["2024-01-15", "2024-01-22"]
    assert sum(int(r.get("party_attributes") or 0) for r in rows) == 0        # Garut's 10 January salam dua jari
    everything = list(csv.DictReader(io.StringIO(client.get("/dashboard.csv?chart=category").text)))
    assert sum(int(r.get("party_attributes") or 0) for r in everything) == 1
