"""``manage.py demo_totp [email]``: the current TOTP code of a demo account, for people
without an authenticator app at hand. Development only: refused when
``settings.DEMO_TOTP_SECRET`` is None, as under the production settings."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


def current_code(secret: str, at: float | None = None) -> tuple[str, int]:
    """The code for ``secret`` at time ``at`` and the seconds left in its window."""
    at = time.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    counter = int(at) // period
    return format_hotp_value(hotp_value(secret, counter)), period - int(at) % period


class Command(BaseCommand):
    help = (
        "Print the current 6-digit TOTP code of a demo account (all demo accounts share the "
        "secret documented in README.md), and the seconds it stays valid."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "email",
            nargs="?",
            default="staff@demo.example",
            help="A demo account with an authenticator (default: staff@demo.example).",
        )
        parser.add_argument(
            "--recovery-codes",
            action="store_true",
            help="Also print the account's unused recovery codes.",
        )

    def handle(self, *args, email, recovery_codes, **options):
        secret = getattr(settings, "DEMO_TOTP_SECRET", None)
        if not secret:
            raise CommandError(
                "DEMO_TOTP_SECRET is not set (it is None under the production settings): "
                "there are no demo authenticator codes here."
            )
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user {email}. Run `manage.py seed_demo` first.")
        device = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if device is None:
            raise CommandError(
                f"{user.email} has no TOTP authenticator (applicants do not need one)."
            )
        if decrypt(device.data["secret"]) != secret:
            raise CommandError(
                f"{user.email} set up their authenticator with a secret of their own; "
                "run `manage.py seed_demo` to restore the demo secret."
            )
        code, seconds_left = current_code(secret)
        if options["verbosity"] == 0:
            self.stdout.write(code)
        else:
            self.stdout.write(
                f"TOTP code for {user.email}: {code} (valid for {seconds_left} more seconds)"
            )
        if recovery_codes:
            device = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.RECOVERY_CODES
            ).first()
            if device is None:
                raise CommandError(f"{user.email} has no recovery codes.")
            self.stdout.write(
                "Unused recovery codes: " + " ".join(RecoveryCodes(device).get_unused_codes())
            )
