"""Production settings: `check --deploy` is clean, and unsafe configurations refuse to start."""

import os
import secrets
import string
import subprocess
import sys

import pytest
from django.conf import settings

from config.settings.base import (
    DEV_FIELD_ENCRYPTION_KEY,
    DEV_MFA_ENCRYPTION_KEY,
    RETIRED_DEV_FIELD_ENCRYPTION_KEY,
    RETIRED_DEV_MFA_ENCRYPTION_KEY,
)

MANAGE = settings.BASE_DIR / "manage.py"
# Reading a setting imports the settings module alone (where every refusal below is made);
# django.setup() would also load every app, four seconds a process.
PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(repr((s.DEMO_PASSWORD, s.DEMO_TOTP_SECRET, s.DEBUG, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, "
    "s.ACCOUNT_EMAIL_VERIFICATION, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)))"
)


def random_key(length=60):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


FIELD_KEY = "hH3Wm0e3gRGdxG6nJz9ik2a3qb-0j7Yg8kJ1nE5cQ2o="


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=random_key(),
        DJANGO_ALLOWED_HOSTS="fund.example",
        DJANGO_FIELD_ENCRYPTION_KEY=FIELD_KEY,
        DJANGO_MFA_ENCRYPTION_KEY="c0RvK4x6b1mJtZq3Yd8WcV2n5LpHs7Ue9fGa0iBkXjM=",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args, **overrides):
    return subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_without_warnings():
    result = run([str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_hardened_and_refuse_demo_credentials():
    result = run(["-c", PRINT_SETTINGS])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(
        (
            None,
            None,
            False,
            True,
            True,
            True,
            True,
            "mandatory",
            ["fund.example"],
            ["https://fund.example"],
        )
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run([str(MANAGE), "check"], DJANGO_SECRET_KEY=None)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = run([str(MANAGE), "check"], DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run([str(MANAGE), "check"], DJANGO_SECRET_KEY=random_key(49))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_test_settings_key():
    result = run([str(MANAGE), "check"], DJANGO_SECRET_KEY=settings.SECRET_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run([str(MANAGE), "check"], DJANGO_ALLOWED_HOSTS=None)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    "key",
    [None, DEV_FIELD_ENCRYPTION_KEY, RETIRED_DEV_FIELD_ENCRYPTION_KEY],
    ids=["missing", "the dev key", "the retired dev key"],
)
def test_production_refuses_to_start_without_a_field_encryption_key(key):
    result = run(["-c", PRINT_SETTINGS], DJANGO_FIELD_ENCRYPTION_KEY=key)

    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEY must be set in production" in result.stderr


@pytest.mark.parametrize(
    "key",
    [None, DEV_MFA_ENCRYPTION_KEY, RETIRED_DEV_MFA_ENCRYPTION_KEY, FIELD_KEY],
    ids=["missing", "the dev key", "the retired dev key", "the bank details' key"],
)
def test_production_refuses_to_start_without_an_mfa_key_of_its_own(key):
    result = run(["-c", PRINT_SETTINGS], DJANGO_MFA_ENCRYPTION_KEY=key)

    assert result.returncode != 0
    assert "DJANGO_MFA_ENCRYPTION_KEY must be set in production" in result.stderr


PRINT_CONNECTION = (
    "from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(repr((d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])))"
)


def test_production_keeps_database_connections_and_checks_them():
    # A new PostgreSQL connection per request costs more than most requests.
    default = run(["-c", PRINT_CONNECTION], DATABASE_CONN_MAX_AGE=None)
    configured = run(
        ["-c", PRINT_CONNECTION],
        DATABASE_CONN_MAX_AGE="300",
        DATABASE_CONN_HEALTH_CHECKS="false",
    )

    assert (default.stdout.strip(), configured.stdout.strip()) == ("(60, True)", "(300, False)")


PRINT_OPTIONS = (
    "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
)


def test_prepared_statements_on_postgresql_unless_turned_off():
    postgresql = "postgres://ctf@db.example:5432/ctf"
    default = run(["-c", PRINT_OPTIONS], DATABASE_URL=postgresql, DATABASE_PREPARED_STATEMENTS=None)
    off = run(["-c", PRINT_OPTIONS], DATABASE_URL=postgresql, DATABASE_PREPARED_STATEMENTS="false")
    sqlite = run(["-c", PRINT_OPTIONS], DATABASE_URL=None, DATABASE_PREPARED_STATEMENTS="1")

    assert default.returncode == off.returncode == sqlite.returncode == 0, default.stderr
    assert default.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 2}"
    assert off.stdout.strip() == "{}"
    assert sqlite.stdout.strip() == "{'transaction_mode': 'IMMEDIATE'}"
