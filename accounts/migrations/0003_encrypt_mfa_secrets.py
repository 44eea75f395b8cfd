"""Encrypt the secrets of authenticator apps and recovery codes that were stored in clear
(before DJANGO_MFA_ENCRYPTION_KEY existed). Reversible: going back writes them in clear
again, which the code before this migration expects; the key must still be set for that."""

from django.db import migrations

from accounts.mfa_secrets import decrypt_stored_secrets, encrypt_stored_secrets


def encrypt(apps, schema_editor):
    encrypt_stored_secrets(apps.get_model("mfa", "Authenticator"))


def decrypt(apps, schema_editor):
    decrypt_stored_secrets(apps.get_model("mfa", "Authenticator"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
