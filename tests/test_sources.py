"""The sources file: the shipped one loads, and every kind of mistake is an error naming the entry."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from crawler.sources import SourcesError, default_sources_path, load_sources, parse_sources, select_sources
from pantau.cli import app

GOOD = """
[defaults]
interval = 30
delay = 2.0

[[source]]
name = "jabarekspres"
base_url = "https://jabarekspres.com/"
province = "Jawa Barat"
regency = "Kota Bandung"
feeds = ["/feed/"]
sitemaps = ["/sitemap_index.xml"]
allow = ['^/berita/\\d{4}/']

[[source]]
name = "jpnn"
base_url = "https://www.jpnn.com/"
listings = ["/indeks"]
interval = 15
concurrency = 1
enabled = false
"""


def write(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sources_file_has_the_regional_seed_outlets():
    sources = load_sources()
    names = {s.name for s in sources}
    assert {"jabarekspres", "timex", "tribun-jambi", "indramayujeh", "jpnn"} <= names
    enabled = [s for s in sources if s.enabled]
    assert len(enabled) >= 15
    assert sum(1 for s in enabled if s.province) >= 12
    for s in sources:
        assert s.feeds or s.sitemaps or s.listings, s.name
    assert "NOT VERIFIED" in default_sources_path().read_text(encoding="utf-8")


SHIPPED_PAGES = {   # entry in crawler/sources.toml -> a page in its outlet's shape, and the article links in it
    "antara-jabar": ("antara-jabar.html",
                     "https://jabar.antaranews.com/berita/512345/bawaslu-garut-telusuri-dugaan-kepala-sekolah-ikut-kampanye-caleg",
                     ["/berita/512301/kpu-garut-mulai-distribusikan-logistik-pemilu-ke-kecamatan",
                      "/berita/512288/pj-gubernur-jabar-ingatkan-kepala-desa-jaga-netralitas",
                      "/berita/512250/bawaslu-jabar-catat-belasan-laporan-netralitas-asn",
                      "/berita/512199/panwascam-di-garut-awasi-kampanye-terbuka",
                      "/berita/512340/harga-beras-di-pasar-garut-naik",
                      "/berita/512331/jalur-selatan-garut-macet-jelang-libur-panjang"]),
    "jabarekspres": ("wordpress-jabarekspres.html",
                     "https://jabarekspres.com/berita/2023/09/13/bawaslu-temukan-camat-dan-tiga-asn-ikut-kampanye-caleg-di-cimahi/",
                     ["/berita/2023/09/12/kpu-cimahi-tetapkan-dct/", "/berita/2023/09/10/pj-wali-kota-cimahi-minta-asn-netral/",
                      "/berita/2023/09/08/ppk-cimahi-dilantik/", "/berita/2023/09/11/persib-menang/",
                      "/berita/2023/09/11/harga-beras/"]),
    "jpnn": ("jpnn.html", "https://www.jpnn.com/news/bawaslu-temukan-dugaan-politik-uang-di-dapil-jabar-iii",
             ["/news/kpu-pastikan-logistik-pemilu-tiba", "/news/pj-gubernur-minta-asn-netral", "/news/a", "/news/b"]),
    "timex": ("fajar-timex.html",
              "https://timex.fajar.co.id/2024/09/05/camat-di-kupang-diperiksa-bawaslu-usai-hadiri-deklarasi-paslon/",
              ["/2024/09/01/kpu-kupang/"]),
    "indramayujeh": ("wordpress-indramayujeh.html", "https://indramayujeh.com/2023/08/05/ratusan-kuwu-di-indramayu-diminta-netral/",
                     ["/2023/08/03/kpu-indramayu-buka-rekrutmen-pps/"]),
}


@pytest.mark.parametrize("name", sorted(SHIPPED_PAGES))
def test_shipped_entry_rules_pick_the_article_links_of_its_outlets_page(name):
    import re
    from urllib.parse import urlsplit

    from crawler.discovery import article_links
    from extract.urls import canonical_key
    from tests.conftest import fixture_page

    source = {s.name: s for s in load_sources()}[name]
    fixture, url, expected = SHIPPED_PAGES[name]
    assert canonical_key(url).startswith(canonical_key(source.base_url).rstrip("/"))
    found = article_links(fixture_page(fixture), url, source.base_url, [re.compile(p) for p in source.allow],
                          [re.compile(p) for p in source.deny])
    assert [urlsplit(u).path for u in found] == expected      # menus, tags, authors and categories left out


def test_defaults_relative_urls_and_overrides(tmp_path):
    by_name = {s.name: s for s in load_sources(write(tmp_path, GOOD))}
    jabar, jpnn = by_name["jabarekspres"], by_name["jpnn"]
    assert jabar.interval == 30 and jabar.delay == 2.0 and jabar.feed_urls == ["https://jabarekspres.com/feed/"]
    assert jpnn.interval == 15 and jpnn.concurrency == 1 and not jpnn.enabled
    assert jpnn.listing_urls == ["https://www.jpnn.com/indeks"]
    assert [s.name for s in select_sources(list(by_name.values()), None)] == ["jabarekspres"]
    assert [s.name for s in select_sources(list(by_name.values()), ["jpnn"])] == ["jpnn"]


def test_env_variable_names_the_default_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_SOURCES", str(write(tmp_path, GOOD)))
    assert [s.name for s in load_sources()] == ["jabarekspres", "jpnn"]


@pytest.mark.parametrize("entry,message", [
    ('name = "x"\nbase_url = "https://x.id/"\nfeed = ["/feed/"]', "source #1 'x': unknown key(s) ['feed']"),
    ('name = "x"\nbase_url = "ftp://x.id/"', "'base_url' has a URL that is not http(s)"),
    ('name = "x"\nbase_url = "https://x.id/"\ninterval = "sejam"', "'interval' must be a whole number >= 1"),
    ('name = "x"\nbase_url = "https://x.id/"\nallow = ["(unclosed"]', "'allow' pattern '(unclosed' is not a valid regex"),
    ('name = "x"\nbase_url = "https://x.id/"\ncron = "every monday"', "'cron' 'every monday' is not a crontab"),
    ('name = "X Y"\nbase_url = "https://x.id/"', "'name' must be lower-case"),
    ('base_url = "https://x.id/"', "source #1: missing 'name'"),
    ('name = "x"\nbase_url = "https://x.id/"\nenabled = "ya"', "'enabled' must be true or false"),
    ('name = "x"\nbase_url = "https://x.id/"\nsitemaps = ["http://"]', "'sitemaps' has a URL that is not http(s)"),
])
def test_bad_entries_are_named(tmp_path, entry, message):
    with pytest.raises(SourcesError) as err:
        load_sources(write(tmp_path, f"[[source]]\n{entry}\n"))
    assert message in str(err.value)
    assert str(tmp_path / "sources.toml") in str(err.value)


def test_file_level_mistakes(tmp_path):
    with pytest.raises(SourcesError, match="duplicate name 'a'"):
        parse_sources({"source": [{"name": "a", "base_url": "https://a.id/"}, {"name": "a", "base_url": "https://b.id/"}]})
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(write(tmp_path, "[[source]\nname = 'x'"))
    with pytest.raises(SourcesError, match="no such sources file"):
        load_sources(tmp_path / "missing.toml")
    with pytest.raises(SourcesError, match=r"\[defaults\]: key\(s\) \['name'\] cannot have a default"):
        parse_sources({"defaults": {"name": "x"}})
    with pytest.raises(SourcesError, match="unknown source\\(s\\): nope"):
        select_sources(parse_sources({"source": [{"name": "a", "base_url": "https://a.id/"}]}), ["nope"])


def test_sources_list_and_check_commands(tmp_path):
    from lab.simulator import Simulator
    runner = CliRunner()
    with Simulator({"priangan": 3, "tembok": 1}) as sim:
        path = sim.write_sources(tmp_path / "sim.toml")
        listed = runner.invoke(app, ["sources", "list", "--sources", str(path), "--db", f"sqlite:///{tmp_path / 'p.db'}"],
                               env={"COLUMNS": "160"})
        assert listed.exit_code == 0 and "sim-priangan" in listed.output and "Jawa Barat" in listed.output
        checked = runner.invoke(app, ["sources", "check", "--sources", str(path), "--timeout", "5"], env={"COLUMNS": "200"})
        politik = sum(1 for a in sim.sites["priangan"].articles if a.category == "politik")
    assert checked.exit_code == 1                    # the walled outlet is a problem
    out = checked.output
    assert "feed, 10 items" not in out and "feed, 3 items" in out
    assert "sitemap index, 3 entries" in out and f"{politik} article links" in out
    assert "blocked: HTTP 503: challenge page" in out
    bad = runner.invoke(app, ["sources", "check", "--sources", str(write(tmp_path, '[[source]]\nname = "x"\n'))])
    assert bad.exit_code == 2 and "missing 'base_url'" in bad.output
