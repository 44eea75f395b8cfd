"""Read-side helpers of the accounts app."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts import events
from accounts.roles import Role
from workflow.models import TransitionLog

# How long an address that was replaced still hears of changes to where money goes.
PREVIOUS_ADDRESS_DAYS = 90


def email_addresses(user):
    return EmailAddress.objects.filter(user=user).order_by("-primary", "email")


@dataclass(frozen=True)
class SecondFactorSummary:
    authenticator_app_since: object  # when the authenticator app was set up, or None
    security_keys: int
    unused_recovery_codes: int | None  # None: no recovery codes

    @property
    def active(self) -> bool:
        return self.authenticator_app_since is not None or self.security_keys > 0


def second_factor_summary(user) -> SecondFactorSummary:
    """What the account page says about the second factor, from one query."""
    app_since, keys, unused = None, 0, None
    for authenticator in Authenticator.objects.filter(user_id=user.pk):
        if authenticator.type == Authenticator.Type.TOTP:
            app_since = authenticator.created_at
        elif authenticator.type == Authenticator.Type.WEBAUTHN:
            keys += 1
        elif authenticator.type == Authenticator.Type.RECOVERY_CODES:
            unused = len(authenticator.wrap().get_unused_codes())
    return SecondFactorSummary(app_since, keys, unused)


def previous_email_addresses(user, *, days=PREVIOUS_ADDRESS_DAYS) -> list[str]:
    """Addresses the user replaced in the last ``days`` days (not their current one)."""
    since = timezone.now() - dt.timedelta(days=days)
    changes = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)),
        object_id=user.pk,
        action=events.EMAIL_CHANGED,
        created_at__gte=since,
    ).values_list("data", flat=True)
    current = user.email.lower()
    return sorted({data["from"] for data in changes if data.get("from", "").lower() != current})


def staff_users():
    """Active programme staff (the people told of declined awards, accounts to confirm)."""
    return get_user_model().objects.filter(groups__name=Role.STAFF, is_active=True)
