"""Regression test of the security review (issue 6, finding 3): allauth's per-IP rate limits
behind the reverse proxy the README prescribes. The number of trusted proxies comes from
DJANGO_TRUSTED_PROXY_COUNT; without it X-Forwarded-For is ignored."""

import importlib

import pytest

from config.settings import base

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
LOCKED = "Too many failed login attempts. Try again later."


def proxy_count_from_environment(monkeypatch, **environment):
    """ALLAUTH_TRUSTED_PROXY_COUNT as the settings compute it from this environment."""
    monkeypatch.delenv("DJANGO_TRUSTED_PROXY_COUNT", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        return importlib.reload(base).ALLAUTH_TRUSTED_PROXY_COUNT
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def fail_login(client, email, **headers):
    response = client.post(
        "/accounts/login/",
        {"login": email, "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        **headers,
    )
    return response.content.decode()


def test_the_proxy_count_comes_from_the_environment(monkeypatch):
    assert proxy_count_from_environment(monkeypatch) == 0
    assert proxy_count_from_environment(monkeypatch, DJANGO_TRUSTED_PROXY_COUNT="1") == 1


def test_behind_one_proxy_one_client_cannot_lock_everyone_out(client, rate_limits, monkeypatch):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = proxy_count_from_environment(
        monkeypatch, DJANGO_TRUSTED_PROXY_COUNT="1"
    )
    # Ten failed logins with made-up addresses from one client (per-IP limit: 10 a minute).
    for number in range(10):
        assert LOCKED not in fail_login(
            client, f"made-up-{number}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )

    attacker = fail_login(client, "made-up-10@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # A forged first entry does not help: the proxy appends the real address last.
    forged = fail_login(
        client, "made-up-11@example.org", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )
    someone_else = fail_login(client, "someone@example.org", HTTP_X_FORWARDED_FOR="198.51.100.23")

    assert LOCKED in attacker
    assert LOCKED in forged
    assert LOCKED not in someone_else


def test_without_a_proxy_forwarded_for_is_ignored(client, rate_limits):
    assert rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    # A client that sends made-up X-Forwarded-For headers is still one address.
    for number in range(10):
        fail_login(
            client, f"made-up-{number}@example.org", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"
        )

    response = fail_login(client, "made-up-10@example.org", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert LOCKED in response
