"""Read-side helpers of the accounts app."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import events
from accounts.models import Consent
from accounts.roles import Role
from workflow.models import REDACTED, TransitionLog

# How long an address that was replaced still hears of changes to where money goes.
PREVIOUS_ADDRESS_DAYS = 90


def email_addresses(user):
    return EmailAddress.objects.filter(user=user).order_by("-primary", "email")


SECOND_FACTOR_LABELS = {
    Authenticator.Type.TOTP: _("Authenticator app"),
    Authenticator.Type.WEBAUTHN: _("Security key"),
    Authenticator.Type.RECOVERY_CODES: _("Recovery codes"),
}


def second_factors_of(user) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    """The person's second factors as (label, set up, last used), oldest first."""
    rows = Authenticator.objects.filter(user_id=user.pk).order_by("pk")
    return [
        (SECOND_FACTOR_LABELS.get(row.type, row.type), row.created_at, row.last_used_at)
        for row in rows
    ]


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


def consent_in_force(*, user, purpose: str, subject) -> Consent | None:
    """The consent of ``user`` for ``purpose`` about ``subject`` that is in force, if any."""
    return Consent.objects.filter(
        user_id=user.pk,
        purpose=purpose,
        withdrawn_at__isnull=True,
        content_type=ContentType.objects.get_for_model(type(subject)),
        object_id=subject.pk,
    ).first()


def previous_email_addresses(user, *, days: int | None = PREVIOUS_ADDRESS_DAYS) -> list[str]:
    """Addresses the user replaced in the last ``days`` days (all of them with None), not
    their current one, nor any erased from the log since."""
    changes = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)),
        object_id=user.pk,
        action=events.EMAIL_CHANGED,
    )
    if days is not None:
        changes = changes.filter(created_at__gte=timezone.now() - dt.timedelta(days=days))
    gone = {"", user.email.lower(), REDACTED.lower()}
    return sorted(
        {
            data["from"]
            for data in changes.values_list("data", flat=True)
            if data.get("from", "").lower() not in gone
        }
    )


def staff_users():
    """Active programme staff (the people told of declined awards, accounts to confirm)."""
    return get_user_model().objects.filter(groups__name=Role.STAFF, is_active=True)
