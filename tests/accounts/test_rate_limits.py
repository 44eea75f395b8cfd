"""allauth's rate limits are on outside the test settings (which switch them off so that
the suite can log in often)."""

import importlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.settings import base
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_production_and_dev_keep_the_limits():
    assert base.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    for module in ("config.settings.dev",):
        assert importlib.import_module(module).ACCOUNT_RATE_LIMITS is base.ACCOUNT_RATE_LIMITS


def test_repeated_wrong_passwords_are_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    user = make_user()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    cache.clear()
