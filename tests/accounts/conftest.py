import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps used TOTP codes and rate-limit counters in the cache. User ids repeat
    between tests (each test rolls back), so a code used by user 1 in one test would be
    refused for user 1 in the next test within the same 30-second window."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rate_limits(settings):
    """allauth's rate limits as configured outside the tests (the test settings switch
    them off so that the suite can sign in often)."""
    from config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    return settings
