"""``manage.py encrypt_mfa_secrets``: after a new key was put in front of
DJANGO_MFA_ENCRYPTION_KEY, re-encrypt every stored authenticator secret under it (and
encrypt any still in clear); the old key can then be dropped."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.mfa_secrets import encrypt_stored_secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt the secrets of authenticator apps and recovery codes under the newest "
        "key of DJANGO_MFA_ENCRYPTION_KEY (run after adding a key, before dropping the old one)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = encrypt_stored_secrets(Authenticator)
        self.stdout.write(
            f"Encrypted the secrets of {changed} authenticator(s) under the newest key."
        )
