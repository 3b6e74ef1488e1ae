"""`pantau users ...` and `pantau digest` from the shell: accounts made, listed, disabled, reset; tokens that
the API accepts; bad input is one line on stderr."""
from __future__ import annotations

from typer.testing import CliRunner

from pantau.cli import app
from store.accounts import authenticate
from tests.support.desk import make_client


def run(*args, input=None):
    return CliRunner().invoke(app, list(args), input=input)


def test_users_commands_manage_accounts(sqlite_store):
    db = sqlite_store.url
    r = run("users", "add", "rina", "--role", "reviewer", "--email", "rina@bawaslu-jabar.go.id",
            "--password-stdin", "--db", db, input="rina-sandi-aman-1\n")
    assert r.exit_code == 0 and "Account rina added (reviewer)." in r.output
    assert run("users", "add", "budi", "--password-stdin", "--db", db, input="budi-sandi-aman-2\n").exit_code == 0
    listing = run("users", "list", "--db", db).output
    assert "rina" in listing and "reviewer" in listing and "viewer" in listing and "rina@bawaslu-jabar.go.id" in listing
    token = run("users", "token", "rina", "--db", db).output.strip()
    assert token.startswith("pnt_")
    client = make_client(sqlite_store)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["name"] == "rina"
    assert run("users", "reset-password", "rina", "--password-stdin", "--db", db,
               input="rina-sandi-baru-9\n").exit_code == 0
    with sqlite_store.session() as s:
        assert authenticate(s, "rina", "rina-sandi-baru-9").name == "rina"
    assert "Account rina disabled." in run("users", "disable", "rina", "--db", db).output
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "enabled" in run("users", "disable", "rina", "--enable", "--db", db).output


def test_bad_input_is_one_line_on_stderr(sqlite_store):
    db = sqlite_store.url
    for args, stdin, message in [
            (("users", "add", "dewi", "--password-stdin"), "pendek\n", "at least 10 characters"),
            (("users", "add", "dewi", "--role", "boss", "--password-stdin"), "dewi-sandi-aman-3\n", "unknown role"),
            (("users", "disable", "hantu"), None, "no account named 'hantu'"),
            (("users", "token", "hantu"), None, "no account named 'hantu'"),
            (("digest", "--since", "kemarin"), None, "use a number and m, h, d or w")]:
        r = CliRunner().invoke(app, [*args, "--db", db], input=stdin)
        assert r.exit_code != 0
        assert r.output.strip().startswith("pantau: error:") and message in r.output and "Traceback" not in r.output


def test_digest_without_targets_says_so(sqlite_store):
    db = sqlite_store.url
    run("users", "add", "rina", "--password-stdin", "--db", db, input="rina-sandi-aman-1\n")
    r = run("digest", "--since", "24h", "--db", db)
    assert r.exit_code == 0 and "no e-mail address or chat target" in r.output
