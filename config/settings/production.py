"""Production: everything from the environment, HTTPS only, demo credentials refused."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("django-insecure", "dev-only-key", "test-only-key"))
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to at least 50 random characters in production."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's host(s).")

from .base import DEV_FIELD_ENCRYPTION_KEY, RETIRED_DEV_FIELD_ENCRYPTION_KEY  # noqa: E402

if not FIELD_ENCRYPTION_KEYS or {  # noqa: F405
    DEV_FIELD_ENCRYPTION_KEY,
    RETIRED_DEV_FIELD_ENCRYPTION_KEY,
} & set(FIELD_ENCRYPTION_KEYS):  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_FIELD_ENCRYPTION_KEY must be set in production (a Fernet key: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'); "
        "it encrypts the grantees' bank details."
    )

from .base import DEV_MFA_ENCRYPTION_KEY, RETIRED_DEV_MFA_ENCRYPTION_KEY  # noqa: E402

if (
    not MFA_ENCRYPTION_KEYS  # noqa: F405
    or {DEV_MFA_ENCRYPTION_KEY, RETIRED_DEV_MFA_ENCRYPTION_KEY} & set(MFA_ENCRYPTION_KEYS)  # noqa: F405
    or set(MFA_ENCRYPTION_KEYS) & set(FIELD_ENCRYPTION_KEYS)  # noqa: F405
):
    raise ImproperlyConfigured(
        "DJANGO_MFA_ENCRYPTION_KEY must be set in production (a Fernet key of its own, not "
        "the one of DJANGO_FIELD_ENCRYPTION_KEY); it encrypts the secrets of authenticator "
        "apps and recovery codes."
    )

# The demo password and TOTP secret are published in the README: never usable here.
DEMO_PASSWORD = None
DEMO_TOTP_SECRET = None

# Persistent database connections: opening a PostgreSQL connection (a new server process
# and a sign-in, about 4 ms) costs more than most requests do. Each gunicorn worker keeps
# its own; before a request's first query Django checks it with a cheap "SELECT 1", so a
# restarted database costs no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Monitoring asks gunicorn directly (http://127.0.0.1:8001/healthz), not through the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]  # noqa: F405
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One cache for all gunicorn workers and the worker process on this host: rate-limit
# counters and allauth's record of used TOTP codes (a code is accepted once) must be shared,
# which Django's default per-process memory cache is not.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),  # noqa: F405
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
