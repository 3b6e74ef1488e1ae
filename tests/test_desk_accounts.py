"""Desk accounts in the store: hashed passwords, roles, disabling, locks after failed logins, hashed API
tokens, subscriptions, and the `needs_more` decision recorded under the account's name."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from store.accounts import (LOCK_AFTER, AccountError, Subscription, account_for_token, authenticate,
                            create_account, new_token, set_disabled, set_password, set_subscription, subscription)
from store.models import Account, ApiToken, Flag, utcnow
from store.review import ReviewError, flag_history, record_decision
from tests.support.analyst_articles import GARUT_KADES, emptied_store_fixture, save

_backend, store = emptied_store_fixture()


def test_passwords_are_argon2_hashes_and_checked(store):
    with store.session() as s:
        create_account(s, "rina", "sandi-rahasia-1", "reviewer")
    with store.session() as s:
        row = s.exec(select(Account)).one()
        assert row.password_hash.startswith("$argon2id$") and "sandi-rahasia-1" not in row.password_hash
        assert authenticate(s, "rina", "sandi-rahasia-1").role == "reviewer"
        with pytest.raises(AccountError, match="wrong name or password"):
            authenticate(s, "rina", "salah")
        with pytest.raises(AccountError, match="wrong name or password"):
            authenticate(s, "tidakada", "sandi-rahasia-1")


def test_bad_accounts_are_refused_with_a_reason(store):
    with store.session() as s:
        create_account(s, "budi", "sandi-rahasia-2")
    for args, message in [(("budi", "sandi-rahasia-3"), "exists already"), (("x y", "sandi-rahasia-3"), "account name"),
                          (("dewi", "pendek"), "at least 10"), (("dewi", "sandi-rahasia-3", "boss"), "unknown role")]:
        with pytest.raises(AccountError, match=message):
            with store.session() as s:
                create_account(s, *args)
    with store.session() as s:
        assert [a.name for a in s.exec(select(Account)).all()] == ["budi"]


def test_failed_logins_lock_the_account_and_a_reset_unlocks_it(store):
    with store.session() as s:
        create_account(s, "rina", "sandi-rahasia-1", "reviewer")
    for _ in range(LOCK_AFTER):
        with pytest.raises(AccountError, match="wrong"):
            with store.session() as s:
                authenticate(s, "rina", "tebakan")
    with store.session() as s:
        with pytest.raises(AccountError, match="too many failed logins"):
            authenticate(s, "rina", "sandi-rahasia-1")        # even the right password waits
        assert authenticate(s, "rina", "sandi-rahasia-1", now=utcnow() + timedelta(minutes=16))
    with store.session() as s:
        for _ in range(LOCK_AFTER):
            with pytest.raises(AccountError):
                authenticate(s, "rina", "tebakan")
        set_password(s, "rina", "sandi-baru-sekali")
        assert authenticate(s, "rina", "sandi-baru-sekali")


def test_disabled_accounts_cannot_log_in_nor_use_tokens(store):
    with store.session() as s:
        create_account(s, "budi", "sandi-rahasia-2", "reviewer")
        token = new_token(s, "budi")
    with store.session() as s:
        assert token not in s.exec(select(ApiToken.token_hash)).one()
        assert account_for_token(s, token).name == "budi"
        assert account_for_token(s, token + "x") is None
        set_disabled(s, "budi")
    with store.session() as s:
        assert account_for_token(s, token) is None
        with pytest.raises(AccountError, match="disabled"):
            authenticate(s, "budi", "sandi-rahasia-2")


def test_subscriptions_round_trip_and_bad_targets_are_refused(store):
    with store.session() as s:
        create_account(s, "rina", "sandi-rahasia-1")
        set_subscription(s, "rina", Subscription(["Jawa Barat"], ["KADES"], ["money_politics"], "rina@bawaslu.go.id",
                                                 ["json://127.0.0.1:9/hook"]))
    with store.session() as s:
        sub = subscription(s.exec(select(Account)).one())
        assert (sub.provinces, sub.roles, sub.categories) == (["Jawa Barat"], ["KADES"], ["money_politics"])
        assert sub.email == "rina@bawaslu.go.id" and sub.notify_urls == ["json://127.0.0.1:9/hook"]
        with pytest.raises(AccountError, match="e-mail"):
            set_subscription(s, "rina", Subscription([], [], [], "rina-at-bawaslu", []))
        with pytest.raises(AccountError, match="notification URL"):
            set_subscription(s, "rina", Subscription([], [], [], "", ["telegram bot 123"]))


def test_needs_more_is_a_decision_that_needs_a_note(store):
    article_id = save(store, GARUT_KADES)
    with store.session() as s:
        flag = s.exec(select(Flag).where(Flag.article_id == article_id, Flag.modality == "alleged")).first()
        with pytest.raises(ReviewError, match="needs a note"):
            record_decision(s, flag.id, "needs_more", note=" ", reviewer="rina")
        record_decision(s, flag.id, "needs_more", note="Minta video lengkap ke Panwascam Cibatu", reviewer="rina")
    with store.session() as s:
        assert [(r.decision, r.reviewer) for r in flag_history(s, flag.id)] == [("needs_more", "rina")]
