"""Local development: DEBUG on, e-mails printed to the console, SQLite unless DATABASE_URL."""

import os

from .base import *  # noqa: F403
from .base import (
    DEV_FIELD_ENCRYPTION_KEY,
    DEV_MFA_ENCRYPTION_KEY,
    RETIRED_DEV_FIELD_ENCRYPTION_KEY,
    RETIRED_DEV_MFA_ENCRYPTION_KEY,
    env_list,
)

DEBUG = True
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "dev-only-key-not-for-production-use-0123456789abcdef"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text")  # readable in the terminal
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405
# Fixed, published keys: development data is not secret. Production refuses them. The retired
# ones only decrypt what an older development database holds.
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEY") or [
    DEV_FIELD_ENCRYPTION_KEY,
    RETIRED_DEV_FIELD_ENCRYPTION_KEY,
]
MFA_ENCRYPTION_KEYS = env_list("DJANGO_MFA_ENCRYPTION_KEY") or [
    DEV_MFA_ENCRYPTION_KEY,
    RETIRED_DEV_MFA_ENCRYPTION_KEY,
]
