import pytest


@pytest.fixture
def rate_limits(settings):
    """allauth's rate limits as configured outside the tests (the test settings switch
    them off so that the suite can sign in often)."""
    from config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    return settings
