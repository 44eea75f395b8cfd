"""Authenticator secrets at rest (issue 15, item 5): the TOTP secret and the recovery-code
seed were stored in clear in allauth's Authenticator.data, readable and editable by any
admin. They are now encrypted with their own key (DJANGO_MFA_ENCRYPTION_KEY) through
allauth's adapter hooks, existing rows by a data migration, and the admin is read-only
without them."""

import base64
import importlib
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts import mfa_secrets
from tests.accounts.helpers import make_role_user, sign_in, signed_in_user_id
from tests.factories import PASSWORD, TOTP_SECRET, current_totp_code

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("accounts.migrations.0003_encrypt_mfa_secrets")


def raw_data(authenticator) -> str:
    """The data column as the database holds it (what a backup or an SQL reader sees)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return str(cursor.fetchone()[0])


def sign_in_with(client, user, code):
    first = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    return client.post("/accounts/2fa/authenticate/", {"code": code})


@pytest.fixture
def juror():
    user = make_role_user("juror")
    RecoveryCodes.activate(user)
    return user


def totp_of(user):
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def recovery_codes_of(user):
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)


# At rest ----------------------------------------------------------------------------------


def test_the_totp_secret_is_not_stored_in_clear(juror):
    stored = raw_data(totp_of(juror))

    assert TOTP_SECRET not in stored
    assert mfa_secrets.decrypt(totp_of(juror).data["secret"]) == TOTP_SECRET


def test_the_recovery_code_seed_is_not_stored_in_clear(juror):
    authenticator = recovery_codes_of(juror)
    seed = mfa_secrets.decrypt(authenticator.data["seed"])

    assert len(seed) == 80  # allauth's 40 random bytes in hex
    assert seed not in raw_data(authenticator)


def test_the_bank_details_key_does_not_decrypt_them(juror, settings):
    settings.MFA_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS

    with pytest.raises(ImproperlyConfigured, match="DJANGO_MFA_ENCRYPTION_KEY"):
        mfa_secrets.decrypt(totp_of(juror).data["secret"])


def halves(key: str) -> tuple[bytes, bytes]:
    """A Fernet key's signing key and encryption key."""
    raw = base64.urlsafe_b64decode(key)
    return raw[:16], raw[16:]


def test_the_dev_keys_share_no_half(settings):
    """With the same signing half, the bank details' ring accepted an authenticator token
    and decrypted it to garbage (about one token in 250 had a valid padding: CI failed)."""
    (field_signing, field_encryption) = halves(settings.FIELD_ENCRYPTION_KEYS[0])
    (mfa_signing, mfa_encryption) = halves(settings.MFA_ENCRYPTION_KEYS[0])

    assert field_signing != mfa_signing
    assert field_encryption != mfa_encryption


def test_no_token_under_the_mfa_key_decrypts_under_the_bank_details_key(settings):
    tokens = [mfa_secrets.encrypt(f"secret {number}") for number in range(1_000)]
    settings.MFA_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS

    refused = 0
    for token in tokens:
        with pytest.raises(ImproperlyConfigured, match="DJANGO_MFA_ENCRYPTION_KEY"):
            mfa_secrets.decrypt(token)
        refused += 1
    assert refused == 1_000


# Signing in still works ------------------------------------------------------------------


def test_signing_in_with_a_totp_code_works(client, juror):
    response = sign_in_with(client, juror, current_totp_code())

    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(juror.pk)


def test_signing_in_with_a_recovery_code_works_once(client, juror):
    code = recovery_codes_of(juror).wrap().get_unused_codes()[0]

    assert sign_in_with(client, juror, code)["Location"] == "/dashboard/"
    client.post("/accounts/logout/")
    again = sign_in_with(client, juror, code)

    assert again.status_code == 200
    assert "Incorrect code." in again.content.decode()
    assert len(recovery_codes_of(juror).wrap().get_unused_codes()) == 9


def test_setting_up_an_authenticator_app_stores_it_encrypted(client):
    """allauth's own enrolment page goes through the adapter hook too."""
    user = make_role_user("staff", mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]

    done = client.post("/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})

    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    assert secret not in raw_data(totp_of(user))
    assert mfa_secrets.decrypt(totp_of(user).data["secret"]) == secret
    seed = mfa_secrets.decrypt(recovery_codes_of(user).data["seed"])
    assert seed not in raw_data(recovery_codes_of(user))


# Key rotation ----------------------------------------------------------------------------


def test_a_new_key_in_front_keeps_old_secrets_readable_and_the_command_moves_them(
    client, juror, settings
):
    old_key, new_key = settings.MFA_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [new_key, old_key]
    # Signing in works with the old key still in the ring.
    assert sign_in_with(client, juror, current_totp_code())["Location"] == "/dashboard/"
    client.post("/accounts/logout/")
    output = io.StringIO()

    call_command("encrypt_mfa_secrets", stdout=output)

    assert (
        output.getvalue() == "Encrypted the secrets of 2 authenticator(s) under the newest key.\n"
    )
    settings.MFA_ENCRYPTION_KEYS = [new_key]  # the old key dropped
    code = recovery_codes_of(juror).wrap().get_unused_codes()[0]
    assert sign_in_with(client, juror, code)["Location"] == "/dashboard/"
    settings.MFA_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(ImproperlyConfigured):
        mfa_secrets.decrypt(totp_of(juror).data["secret"])


# The data migration ----------------------------------------------------------------------


def test_the_migration_encrypts_clear_rows_and_can_go_back(client, juror):
    totp, codes = totp_of(juror), recovery_codes_of(juror)
    seed = mfa_secrets.decrypt(codes.data["seed"])
    # Rows as they were before this change: in clear, one of them with allauth's list of
    # codes migrated from another library.
    Authenticator.objects.filter(pk=totp.pk).update(data={"secret": TOTP_SECRET})
    Authenticator.objects.filter(pk=codes.pk).update(
        data={"seed": seed, "used_mask": 1, "migrated_codes": ["123456", "654321"]}
    )
    untouched = make_role_user("staff", mfa=False)
    key = Authenticator.objects.create(
        user=untouched, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )

    MIGRATION.encrypt(apps, None)

    for authenticator in (totp, codes):
        stored = raw_data(authenticator)
        assert TOTP_SECRET not in stored and seed not in stored and "123456" not in stored
    codes.refresh_from_db()
    assert codes.data["used_mask"] == 1
    assert [mfa_secrets.decrypt(code) for code in codes.data["migrated_codes"]] == [
        "123456",
        "654321",
    ]
    assert Authenticator.objects.get(pk=key.pk).data == {"name": "Key", "credential": {}}
    assert sign_in_with(client, juror, current_totp_code())["Location"] == "/dashboard/"
    # Running it again re-encrypts under the newest key, never twice over.
    MIGRATION.encrypt(apps, None)
    assert mfa_secrets.decrypt(totp_of(juror).data["secret"]) == TOTP_SECRET

    MIGRATION.decrypt(apps, None)

    assert totp_of(juror).data == {"secret": TOTP_SECRET}
    assert recovery_codes_of(juror).data == {
        "seed": seed,
        "used_mask": 1,
        "migrated_codes": ["123456", "654321"],
    }


# The admin site ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    sign_in(client, make_role_user("admin"))
    return client


def test_the_admin_shows_an_authenticator_without_its_secret(admin_client, juror):
    authenticator = totp_of(juror)
    token = authenticator.data["secret"]

    page = admin_client.get(
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert f">{juror.full_name}</a>" in html  # the person, linked
    assert TOTP_SECRET not in html
    assert token not in html
    assert "secret" not in html.lower()
    assert '<input type="submit" value="Save"' not in html
    listing = admin_client.get(reverse("admin:mfa_authenticator_changelist")).content.decode()
    assert token not in listing and "Delete selected" not in listing


def test_the_admin_refuses_changes_additions_and_deletions(admin_client, juror):
    authenticator = totp_of(juror)
    before = Authenticator.objects.values().get(pk=authenticator.pk)

    changed = admin_client.post(
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk]),
        {"user": juror.pk, "type": "totp", "data": '{"secret": "JBSWY3DPEHPK3PXP"}'},
    )
    added = admin_client.post(
        reverse("admin:mfa_authenticator_add"),
        {"user": juror.pk, "type": "totp", "data": '{"secret": "JBSWY3DPEHPK3PXP"}'},
    )
    deleted = admin_client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert Authenticator.objects.values().get(pk=authenticator.pk) == before
    assert Authenticator.objects.filter(user=juror).count() == 2
