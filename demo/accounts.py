"""Demo accounts: who they are and how they are written, idempotently and deterministically.

The password and the TOTP secret are published in the README; they come from
``settings.DEMO_PASSWORD`` and ``settings.DEMO_TOTP_SECRET``, which the production
settings set to None, so every demo command refuses to run there.
"""

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import Role

DEMO_DOMAIN = "demo.example"
# A fixed salt makes the stored hash of the published demo password the same on every
# run, so that seeding twice leaves identical rows. It protects nothing: the password is public.
DEMO_PASSWORD_SALT = "ctfdemo2026"  # noqa: S105 (salt of a published password)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    roles: tuple[str, ...]
    language: str = "de"
    superuser: bool = False

    @property
    def needs_mfa(self) -> bool:
        return self.superuser or any(role != Role.APPLICANT for role in self.roles)

    @property
    def role_label(self) -> str:
        if self.superuser:
            return "admin (superuser)"
        return ", ".join(str(role) for role in self.roles)


_JUROR_NAMES = (
    ("Dr. Miriam Albrecht", "de"),
    ("Prof. Tobias Hartmann", "de"),
    ("Aylin Demir", "de"),
    ("Jan-Erik Sørensen", "en"),
    ("Dr. Fatima Nouri", "en"),
    ("Konstantin Wolf", "de"),
    ("Hannah Liebig", "de"),
    ("Priya Raman", "en"),
    ("Dr. Lukas Brandt", "de"),
)

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(f"applicant@{DEMO_DOMAIN}", "Lena Schmidt", (Role.APPLICANT,), "de"),
    *(
        DemoAccount(f"juror{number}@{DEMO_DOMAIN}", name, (Role.JUROR,), language)
        for number, (name, language) in enumerate(_JUROR_NAMES, start=1)
    ),
    DemoAccount(f"staff@{DEMO_DOMAIN}", "Jonas Becker", (Role.STAFF,), "de"),
    # The second pair of eyes on payments: confirms nothing Jonas released, makes the files.
    DemoAccount(f"finance@{DEMO_DOMAIN}", "Mara Klein", (Role.STAFF,), "de"),
    DemoAccount(f"ministry@{DEMO_DOMAIN}", "Dr. Katrin Vogel", (Role.MINISTRY,), "de"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Sabine Hoffmann", (), "en", superuser=True),
)

# Generated applicants (applicant001@demo.example …) own most demo applications.
FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hamza", "Ida", "Jonas",
    "Karla", "Leon", "Maja", "Nils", "Olga", "Paul", "Quentin", "Rosa", "Samir", "Tilda",
    "Umut", "Vera", "Wiebke", "Xaver", "Yasmin", "Zoe", "Emil", "Frieda", "Mats", "Noor",
    "Sophie", "Mehmet", "Lina", "Arne", "Chiara", "Dmitri", "Ebru", "Finn", "Ines", "Kofi",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
    "Krause", "Meier", "Lehmann", "Yılmaz", "Kaya", "Nowak", "Kowalski", "Rossi",
    "Okafor", "Nguyen", "Haddad", "Jansen", "Berg", "Lindqvist", "Petrov", "Santos",
)  # fmt: skip


def require_demo_credentials() -> tuple[str, str]:
    """The demo password and TOTP secret, or a CommandError under production settings."""
    password = getattr(settings, "DEMO_PASSWORD", None)
    secret = getattr(settings, "DEMO_TOTP_SECRET", None)
    if not password or not secret:
        raise CommandError(
            "Demo credentials are disabled in these settings (DEMO_PASSWORD / DEMO_TOTP_SECRET "
            "are None, as in production). The demo commands only run with the dev or test settings."
        )
    return password, secret


def demo_password_hash(password: str) -> str:
    return make_password(password, salt=DEMO_PASSWORD_SALT)


def recovery_code_seed(email: str) -> str:
    """A deterministic stand-in for allauth's ``RecoveryCodes.generate_seed()`` (80 hex digits)."""
    return hashlib.sha512(f"civic-tech-fund demo recovery codes {email}".encode()).hexdigest()[:80]


def generated_applicant_email(number: int) -> str:
    return f"applicant{number:03d}@{DEMO_DOMAIN}"


def generated_applicant_accounts(count: int) -> list[DemoAccount]:
    """``count`` applicants with plausible names; the same list on every run."""
    rng = random.Random("civic-tech-fund demo applicants")
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    chosen = rng.sample(pairs, count)
    return [
        DemoAccount(
            generated_applicant_email(number),
            f"{first} {last}",
            (Role.APPLICANT,),
            "en" if rng.random() < 0.35 else "de",
        )
        for number, (first, last) in enumerate(chosen, start=1)
    ]


def seed_demo_users(*, anchor: dt.datetime, generated_applicants: int) -> dict[str, User]:
    """Create or restore the demo accounts; return them by e-mail address.

    Named accounts (applicant, jurors, staff, ministry, admin) are reset to their documented
    state on every run: password, roles, verified primary address, TOTP and recovery codes.
    Generated applicants are only created when missing.
    """
    password, secret = require_demo_credentials()
    password_hash = demo_password_hash(password)
    # Made if missing: the migration's groups are gone after `manage.py flush`.
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    joined = anchor - dt.timedelta(days=460)
    users: dict[str, User] = {}

    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "language": account.language,
                "is_active": True,
                "is_staff": account.superuser,
                "is_superuser": account.superuser,
                "password": password_hash,
                "date_joined": joined,
            },
        )
        user.groups.set([groups[role] for role in account.roles])
        EmailAddress.objects.filter(user=user).exclude(email=account.email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.needs_mfa:
            _set_authenticator(user, Authenticator.Type.TOTP, {"secret": secret}, created_at=joined)
            _set_authenticator(
                user,
                Authenticator.Type.RECOVERY_CODES,
                {"seed": recovery_code_seed(account.email)},
                {"used_mask": 0},
                created_at=joined,
            )
        users[account.email] = user

    users.update(
        _ensure_generated_applicants(
            generated_applicant_accounts(generated_applicants),
            password_hash=password_hash,
            joined=joined,
            group=groups[Role.APPLICANT],
        )
    )
    return users


def _set_authenticator(user, kind, secrets: dict, plain: dict | None = None, *, created_at):
    """The authenticator with these secrets (stored encrypted, by allauth's adapter hook)
    and plain values. A stored secret that decrypts to the same value is kept as it is:
    encrypting again would give another ciphertext, and seeding twice must leave the same
    rows."""
    stored = Authenticator.objects.filter(user=user, type=kind).values_list("data", flat=True)
    stored = stored.first() or {}
    data = {
        name: stored[name] if _decrypts_to(stored.get(name), value) else encrypt(value)
        for name, value in secrets.items()
    } | (plain or {})
    Authenticator.objects.update_or_create(
        user=user,
        type=kind,
        defaults={"data": data, "last_used_at": None},
        create_defaults={"data": data, "last_used_at": None, "created_at": created_at},
    )


def _decrypts_to(token, value) -> bool:
    try:
        return isinstance(token, str) and decrypt(token) == value
    except ImproperlyConfigured:  # under another key
        return False


def _ensure_generated_applicants(accounts, *, password_hash, joined, group) -> dict[str, User]:
    emails = [account.email for account in accounts]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        User(
            email=account.email,
            full_name=account.full_name,
            language=account.language,
            password=password_hash,
            date_joined=joined + dt.timedelta(days=index % 60, minutes=index * 7),
        )
        for index, account in enumerate(accounts)
        if account.email not in existing
    )
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=group.pk) for user in users.values()],
        ignore_conflicts=True,
    )
    with_address = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users.values()
        if user.pk not in with_address
    )
    return users
