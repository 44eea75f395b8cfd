"""Test settings: fast hashing, mail kept in memory, background tasks run at once."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DEV_FIELD_ENCRYPTION_KEY, DEV_MFA_ENCRYPTION_KEY

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test_private_media" / str(os.getpid())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that log in twice within one 30-second TOTP window would otherwise be refused.
MFA_TOTP_TOLERANCE = 1
ACCOUNT_RATE_LIMITS = False
FIELD_ENCRYPTION_KEYS = [DEV_FIELD_ENCRYPTION_KEY]
MFA_ENCRYPTION_KEYS = [DEV_MFA_ENCRYPTION_KEY]
# Every reuse of the navigation's inbox statement is compared with a fresh compilation.
INBOX_COUNT_CHECK_REUSE = True
