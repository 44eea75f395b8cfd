"""Settings shared by every environment. Everything deployment-specific comes from the
environment; see README.md, section "Configuration"."""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The fund's name: in page titles, e-mails, the admin site and authenticator apps (never the
# host name).
FUND_NAME = os.environ.get("DJANGO_FUND_NAME", "Civic Tech Fund")
# The fund's own logo on the title page of its reports: a static file's path (for example
# "img/fund-logo.svg"); without one, the title page shows no image.
FUND_LOGO = os.environ.get("DJANGO_FUND_LOGO", "")
# The fund's short code in references (CTF-2026-1-0042, 01CTF26042) and file names.
FUND_REFERENCE_PREFIX = os.environ.get("DJANGO_FUND_REFERENCE_PREFIX", "CTF")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "config.apps.FundAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_fsm",
    "django_tasks",
    "django_tasks_db",
    "django_guid",
    "core",
    "accounts",
    "workflow",
    "grants",
    "review",
    "reporting",
    "ops",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "grants.inbox.summary.inbox",
            ],
        },
    },
]
# Django's widget templates, the common ones written out in Python (a form with thirty
# questions spent most of its page's time in widget template includes).
FORM_RENDERER = "core.form_renderer.FastWidgetRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" under the dev server.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: parameters bound by the server and each statement prepared on its second
    # use on a connection, so that the queries every request repeats are parsed and planned
    # once per kept connection (benchmarks/rush_profile.py: the database's CPU per applicant
    # round about halved; the deadline rush's p95 0.74 -> 0.45 s). On by default, so that the
    # test suite on PostgreSQL runs what production runs: with server-side binding Django does
    # not recognise a parameter repeated in SELECT and GROUP BY as the same (Django #34255),
    # and such a query fails there. Off behind a pooler that cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the login, there are no usernames.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}  # asks for the name too
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
# Changing the e-mail address needs the password (or second factor) again, and the old
# address is told of every change (accounts.adapters, accounts.signals).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so that they are visibly on.
    "login": "30/m/ip",
    # Failed sign-ins: per client address, and per account *and* address (the key, see
    # accounts.adapters.AccountAdapter), so that nobody can lock a named person out...
    "login_failed": "10/m/ip,5/5m/key",
    # ...and, per account from all addresses together, a ceiling far above what a person
    # types, against guessing one account's password from many addresses.
    "login_failed_account": "100/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# allauth's per-IP limits need the client's address. Behind the reverse proxy that the
# README prescribes, REMOTE_ADDR is the proxy's for everyone; set the number of proxies in
# front of the application and allauth takes the client's address from X-Forwarded-For
# (the entry the nearest trusted proxy added, so a client cannot forge it). 0: no proxy,
# X-Forwarded-For is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ValueError("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{FUND_NAME}] "
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = FUND_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_PASSKEY_LOGIN_ENABLED = False

LANGUAGE_CODE = "de"  # fallback when the browser states no supported language
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# The project's catalogue, then allauth's texts in the fund's voice ("Sie", sentence case),
# which win over allauth's own catalogue because LOCALE_PATHS come before the apps'.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
LANGUAGE_COOKIE_NAME = "ctf_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
# One date, time and number format per language, on pages, in e-mails and in the admin site.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"  # the fund's time zone: deadlines are stated and enforced in it
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded attachments live outside any web root and are only served through a
# permission-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Storage limits of uploads of every kind (see grants.services.attachments and grants.uploads).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_PER_APPLICATION = 5
# Files one person may upload within an hour, of every kind (counted in the database under
# their row lock by grants.services.attachments.store_upload, removed files included).
ATTACHMENT_UPLOADS_PER_HOUR = 30
# What one person may keep stored: files removed from a draft count until they are purged.
ATTACHMENT_QUOTA_BYTES = int(os.environ.get("DJANGO_ATTACHMENT_QUOTA_MB", "100")) * 1024 * 1024
# Files removed from drafts are deleted for good this many days after removal, by the daily
# job `manage.py purge_removed_attachments`.
ATTACHMENT_PURGE_AFTER_DAYS = 7
# An upload request is stopped while it arrives once it is larger than this, and a file
# once it is larger than ATTACHMENT_MAX_BYTES: nothing beyond the limits reaches the disk.
UPLOAD_REQUEST_MAX_BYTES = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "grants.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The inbox lists an agreement sent to a grantee and not signed after this many days.
AGREEMENT_UNSIGNED_AFTER_DAYS = int(os.environ.get("DJANGO_AGREEMENT_UNSIGNED_AFTER_DAYS", "14"))
# The navigation's inbox count reuses its compiled SQL (grants/inbox/summary.py); the tests
# compile it again on every reuse and fail if it differs.
INBOX_COUNT_CHECK_REUSE = False
# Drafts an applicant may have open at once in one call (several applications per call are
# allowed; this only bounds what one account can pile up).
OPEN_DRAFTS_PER_CALL = 3
# Proof of use: a budget category whose actual costs differ from the plan by more than this
# share (of the plan) needs the grantee's reason.
PROOF_OF_USE_TOLERANCE_PERCENT = int(os.environ.get("DJANGO_PROOF_OF_USE_TOLERANCE_PERCENT", "20"))

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", f"{FUND_NAME} <noreply@fund.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Demo credentials are documented in the README; production refuses to start with them.
DEMO_PASSWORD = "demo-fund-2026"  # noqa: S105 (published demo credential)
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCIVICTECHFUNDDEM"  # noqa: S105 (base32, published)

# Error reports: every error is logged (with its request id) to stdout; with DJANGO_ADMINS
# set ("Name <address>, other@address"), server errors are also mailed to those people.
ADMINS = getaddresses([os.environ.get("DJANGO_ADMINS", "")])
ADMINS = [(name, address) for name, address in ADMINS if address]
# Error reports never show bank details (ops/errors.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "ops.errors.BankDetailsReporterFilter"

# Structured logs to stdout: one JSON object a line (DJANGO_LOG_FORMAT=text for people),
# each with the request id (X-Request-ID, taken from the proxy if it is a valid id,
# otherwise generated; returned in the response).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "redact_secret_paths": {"()": "ops.logs.RedactSecretPaths"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id", "redact_secret_paths"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact_secret_paths"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Replaces Django's default "django" logger, whose own console handler would print
    # every runserver line twice (once there, once through the root handler).
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
        # runserver's request lines, through the console handler and its redaction.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "ops.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_guid": {"level": "WARNING"},
    },
}
# Addresses that hold a secret, kept out of every log line and error mail (ops/logs.py): the
# group "secret" is replaced. The calendar feed's token (grants/urls.py, calendar_feed).
LOG_REDACTED_PATHS = [r"/calendar/(?P<secret>[^/?\s]+)\.ics"]
# /healthz: a worker (manage.py run_worker) records a heartbeat this often (seconds) and
# counts as gone after WORKER_HEARTBEAT_MAX_AGE; a task waiting longer than
# TASK_QUEUE_MAX_WAIT means the worker is stuck.
WORKER_HEARTBEAT_INTERVAL = 30
WORKER_HEARTBEAT_MAX_AGE = 120
TASK_QUEUE_MAX_WAIT = 600
# Fernet keys that encrypt grantees' bank details at rest (grants/contracts/bank.py): comma-separated,
# the newest first; older keys still decrypt, so a key can be rotated.
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEY")
# Used by the dev and test settings only; the production settings refuse it. The two dev keys
# share no half: a Fernet key is a signing key and an encryption key, and a ring whose signing
# key matched would accept the other ring's tokens and decrypt them to garbage.
DEV_FIELD_ENCRYPTION_KEY = "YmFuay1kZXRhaWxzLWRldi1vbmx5LWtleS0wMDAwMDA="  # noqa: S105
# The dev keys before 2026-12-06 (they shared their signing half): the dev settings keep them
# behind the new ones so that an older development database still decrypts; production refuses
# them too.
RETIRED_DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHkta2V5LWZvci1iYW5rLWRldGFpbHMtMDA="  # noqa: S105
# Four eyes on payments: whoever releases a payment (accepts the milestone report) neither
# puts it into a SEPA file nor marks it paid, and whoever confirms a grantee's account does
# not export its payments. Off only for a fund run by a single person.
PAYMENTS_FOUR_EYES = env_bool("DJANGO_PAYMENTS_FOUR_EYES", True)
# Fernet keys that encrypt the secrets of authenticator apps and recovery codes at rest
# (accounts/mfa_secrets.py), separate from the bank details' keys; the same rotation.
MFA_ENCRYPTION_KEYS = env_list("DJANGO_MFA_ENCRYPTION_KEY")
DEV_MFA_ENCRYPTION_KEY = "bWZhLXNlY3JldHMtZGV2LW9ubHkta2V5LTAwMDAwMDA="  # noqa: S105
RETIRED_DEV_MFA_ENCRYPTION_KEY = "ZGV2LW9ubHkta2V5LWZvci1tZmEtc2VjcmV0cy0wMDA="  # noqa: S105
# The fund's own account and name on SEPA transfer files (grants/contracts/services/finance.py).
SEPA_DEBTOR_NAME = os.environ.get("DJANGO_SEPA_DEBTOR_NAME", FUND_NAME)
SEPA_DEBTOR_IBAN = os.environ.get("DJANGO_SEPA_DEBTOR_IBAN", "DE02120300000000202051")
SEPA_DEBTOR_BIC = os.environ.get("DJANGO_SEPA_DEBTOR_BIC", "BYLADEM1001")
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# The public transparency figures and the 360Giving open data are kept this long in the
# cache (reporting/views/public.py): changes show within these seconds.
PUBLIC_PAGES_CACHE_SECONDS = 300
# Open data (360Giving): the fund's organisation identifier (org-id.guide, e.g. a
# register number "DE-VR-…"); empty: "360G-<fund prefix>".
OPEN_DATA_ORGANISATION_ID = os.environ.get("DJANGO_OPEN_DATA_ORGANISATION_ID", "")

# Data protection (privacy/, README "Data protection"). How long personal data is kept, per
# rule: months unless the name says days. DJANGO_PRIVACY_RETENTION overrides single values,
# e.g. "unfunded_months=36,request_log_days=30".
PRIVACY_RETENTION = {
    "drafts_months": 6,  # drafts never submitted, after the call's deadline: deleted
    "unfunded_months": 24,  # proposals not funded, after the call's decision: anonymised
    "funded_months": 120,  # funded projects, after the final report's acceptance: anonymised
    "inactive_account_months": 36,  # accounts without a sign-in: warned by e-mail …
    "inactivity_warning_days": 30,  # … and anonymised this many days after the warning
    "bank_months": 120,  # bank details, after the last payment: deleted
    "request_log_days": 90,  # request logs, in the log collector (journald)
    "task_days": 30,  # finished e-mail jobs in the task queue: deleted
    "backup_days": 30,  # backups, kept by the operator: erased data is gone after this
}


def _retention_overrides(text: str) -> dict[str, int]:
    overrides = {}
    for part in filter(None, (item.strip() for item in text.split(","))):
        name, _sep, value = part.partition("=")
        if name.strip() not in PRIVACY_RETENTION or not value.strip().isascii():
            raise ValueError(f"DJANGO_PRIVACY_RETENTION: unknown or invalid entry {part!r}")
        overrides[name.strip()] = int(value)
    return overrides


PRIVACY_RETENTION |= _retention_overrides(os.environ.get("DJANGO_PRIVACY_RETENTION", ""))
# Who is responsible for the data (the privacy notice names them) and where people write.
PRIVACY_CONTROLLER = os.environ.get(
    "DJANGO_PRIVACY_CONTROLLER", "Civic Tech Fund gGmbH, Musterstraße 1, 10115 Berlin, Germany"
)
PRIVACY_CONTACT_EMAIL = os.environ.get("DJANGO_PRIVACY_CONTACT_EMAIL", "privacy@fund.example")
# The erasure journal: what was erased (ids and kinds only, no personal data), outside the
# database, so that bin/restore can erase again what an older backup brings back.
ERASURE_JOURNAL = Path(
    os.environ.get("DJANGO_ERASURE_JOURNAL", BASE_DIR / "var" / "erasure-journal.jsonl")
)

# Conflict-of-interest suggestions ignore e-mail domains that many unrelated people share:
# public mail providers, and the demo accounts' domain (demo.accounts.DEMO_DOMAIN).
REVIEW_SHARED_EMAIL_DOMAINS = [
    "gmail.com", "googlemail.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de",
    "posteo.de", "posteo.net", "mailbox.org", "t-online.de", "freenet.de", "outlook.com",
    "outlook.de", "hotmail.com", "hotmail.de", "live.com", "yahoo.com", "yahoo.de",
    "icloud.com", "me.com", "protonmail.com", "proton.me", "aol.com", "tutanota.com",
    "tuta.io", "example.org", "example.com", "demo.example",
]  # fmt: skip
