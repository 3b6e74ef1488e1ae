"""The desk in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by .ci/run; no
browser is downloaded) against `pantau web` started on 127.0.0.1. A reviewer logs in, filters the queue, opens
a flag, confirms it with a note by keyboard, and sees it leave the pending queue and enter the history under
their name; a viewer cannot decide; the article carrying script injections renders inert; the dashboard draws
its charts under the Content-Security-Policy. Screenshots of the main pages go to build/desk-screenshots/
(or $PANTAU_SCREENSHOT_DIR)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from store import Store
from tests.support.desk import PASSWORDS, seed_desk

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("PANTAU_SCREENSHOT_DIR") or ROOT / "build" / "desk-screenshots")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian's chromium package; "
                                "`.ci/run` installs it): browser tests skipped")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[test])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('desk-browser') / 'pantau.db'}"
    store = Store(db)
    info = seed_desk(store)
    store.dispose()
    port = _free_port()
    env = {**os.environ, "PANTAU_DESK_SECRET": "browser-test-secret", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pantau.cli", "web", "--db", db, "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/login", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"pantau web exited: {proc.stderr.read().decode()[-500:]}")
            time.sleep(0.2)
    yield base, info
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def _log_in(page, base, name):
    page.goto(f"{base}/queue")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_reviewer_filters_opens_confirms_by_keyboard_and_sees_the_history(desk_server, page):
    base, _info = desk_server
    _log_in(page, base, "rina")
    _shot(page, "queue")
    page.fill("input[name=province]", "Nusa Tenggara Timur")
    page.click("form.filters button[type=submit]")
    playwright_api.expect(page.locator("#count")).to_have_text("1")
    assert "province=Nusa%20Tenggara%20Timur" in page.url             # htmx pushed the filtered address
    rows = page.locator("table.queue tbody tr[data-href]")
    assert rows.count() == 1 and "bagi-bagi sembako" in rows.first.inner_text()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url("**/flags/*")
    assert page.locator("blockquote.evidence").inner_text().count("bagi-bagi sembako") == 1
    assert page.locator("mark.flag.current").count() >= 1
    _shot(page, "flag")
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "note"
    page.keyboard.type("Laporan warga ke Panwaslu Kelapa Lima dicek, foto pembagian sembako ada")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Recorded: confirmed")
    history = page.locator("#history tbody tr").first
    assert "confirmed" in history.inner_text() and history.locator("td.reviewer").inner_text() == "rina"
    assert "foto pembagian sembako" in history.inner_text()
    assert page.locator("#status").inner_text() == "confirmed"
    page.goto(f"{base}/queue?province=Nusa+Tenggara+Timur")
    assert page.locator("#count").inner_text() == "0"
    assert not page.problems, page.problems


def test_viewer_reads_but_cannot_decide(desk_server, page):
    base, _info = desk_server
    _log_in(page, base, "budi")
    page.locator("table.queue tbody tr[data-href] a").first.click()
    page.wait_for_url("**/flags/*")
    assert page.locator("#decide").count() == 0 and "only reviewers decide" in page.content()
    page.keyboard.press("c")
    flag_id = int(page.url.split("/flags/")[1].split("?")[0])
    status = page.evaluate("""async (id) => {
        const token = document.querySelector('meta[name=csrf-token]').content;
        const r = await fetch(`/api/flags/${id}/review`, {method: 'POST', headers: {'Content-Type':
            'application/json', 'X-CSRF-Token': token}, body: JSON.stringify({decision: 'confirm', note: 'coba'})});
        return r.status; }""", flag_id)
    assert status == 403
    assert page.locator("#history").inner_text().count("No decision yet") == 1


def test_injected_script_renders_inert_and_the_dashboard_draws_charts(desk_server, page):
    base, info = desk_server
    _log_in(page, base, "budi")
    page.goto(f"{base}/articles/{info['articles']['injected']}")
    assert page.title() != "pwned"
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator("article img").count() == 0
    assert '<script>document.title="pwned"</script>' in page.locator("article h1").inner_text()
    assert "onerror=" in page.locator("article .text").inner_text()
    _shot(page, "article")
    page.goto(f"{base}/dashboard")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-chart]').length === 4 && "
                           "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.chart)")
    _shot(page, "dashboard")
    page.goto(f"{base}/officials")
    _shot(page, "officials")
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
