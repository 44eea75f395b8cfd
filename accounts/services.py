"""Account writes that allauth does not offer itself."""

from allauth.account.models import EmailAddress
from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from accounts.consents import WORDINGS
from accounts.events import SECOND_FACTOR_RESET, USER_ANONYMISED
from accounts.last_factor import replacing_second_factor
from accounts.models import Consent, User
from workflow.audit import log_event

ANONYMOUS_DOMAIN = "anonymised.invalid"


def replace_authenticator_app(*, request, user, secret: str) -> Authenticator:
    """Swap the user's authenticator app for a new one in one step, so that a role that
    requires a second factor is never without one. The caller has checked a code of the
    new app (allauth's activation form); recovery codes stay valid."""
    with transaction.atomic(), replacing_second_factor(user):
        old = list(Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP))
        for authenticator in old:
            authenticator.delete()
        new = TOTP.activate(user, secret).instance
    for authenticator in old:
        signals.authenticator_removed.send(
            sender=Authenticator, request=request, user=user, authenticator=authenticator
        )
    signals.authenticator_added.send(
        sender=Authenticator, request=request, user=user, authenticator=new
    )
    return new


class SecondFactorResetRefused(Exception):
    """The reset was refused; nothing changed. The message says why, in the user's words."""


def reset_second_factor(*, request, user: User, actor: User, reason: str) -> dict:
    """Remove every second factor of someone who lost it (phone gone, key broken), after
    the fund has confirmed who they are. A second person does it: nobody resets their own.
    At their next sign-in the gate asks them to set up a new one. Logged with who, why
    and what was removed; the person is told by e-mail, so that a reset they did not ask
    for does not go unnoticed. Returns the count removed per kind."""
    from django.utils.translation import gettext as _

    if actor.pk == user.pk:
        raise SecondFactorResetRefused(
            _("Nobody can reset their own second factor: another administrator must do it.")
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise SecondFactorResetRefused(_("Say why the second factor is reset."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        authenticators = list(Authenticator.objects.filter(user_id=user.pk))
        if not authenticators:
            raise SecondFactorResetRefused(_("This person has no second factor to reset."))
        removed: dict[str, int] = {}
        for authenticator in authenticators:
            removed[authenticator.type] = removed.get(authenticator.type, 0) + 1
        # The last-second-factor guard allows it here: the gate makes the person set up a
        # new one before any page of their role opens.
        with replacing_second_factor(user):
            Authenticator.objects.filter(user_id=user.pk).delete()
        log_event(
            subject=user,
            action=SECOND_FACTOR_RESET,
            actor=actor,
            data={"reason": reason, "removed": dict(sorted(removed.items()))},
        )
        transaction.on_commit(lambda: _tell_of_reset(request, user))
    return removed


def _tell_of_reset(request, user: User) -> None:
    """A security notice in the person's language (accounts.adapters.AccountAdapter)."""
    from allauth.account.adapter import get_adapter
    from allauth.core.context import request_context

    address = EmailAddress.objects.get_primary_email(user) or user.email
    if address and settings.ACCOUNT_EMAIL_NOTIFICATIONS:
        # allauth reads the request from its context (set by its middleware on a page).
        with request_context(request):
            get_adapter(request).send_mail(
                "account/email/second_factor_reset", address, {"user": user}
            )


def update_profile(*, user: User, full_name: str, language: str) -> User:
    """Change the person's name and language (pages and e-mails); both are checked like
    every stored value."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    user.full_name = full_name
    user.language = language
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["full_name", "language"])
    return user


def anonymise_user(*, user: User, actor=None) -> User:
    """Turn an account into an anonymous placeholder (erasure under the GDPR): no name, an
    address that cannot receive mail, no password, roles, e-mail addresses or second
    factors, inactive, so nobody can sign in as it. The row stays, so that everything that
    points to it (applications, reviews, log entries) keeps its shape; what those hold
    about the person is erased by the shredders of each data kind. Logged without any of
    the erased data."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.groups.clear()
        user.user_permissions.clear()
        user.is_staff = user.is_superuser = False
        # Roles are gone, so no rule keeps the last second factor any more.
        Authenticator.objects.filter(user_id=user.pk).delete()
        EmailAddress.objects.filter(user_id=user.pk).delete()
        user.full_name = ""
        user.email = f"anonymised-{user.pk}@{ANONYMOUS_DOMAIN}"
        user.is_active = False
        user.set_unusable_password()  # also ends every session: its hash no longer matches
        user.save()
        log_event(subject=user, action=USER_ANONYMISED, actor=actor)
    return user


def _about(subject) -> dict:
    if subject is None:
        return {"content_type": None, "object_id": None}
    return {
        "content_type": ContentType.objects.get_for_model(type(subject)),
        "object_id": subject.pk,
    }


def record_consent(
    *, user, purpose: str, subject=None, language: str | None = None, at=None
) -> Consent:
    """Store that ``user`` agrees to the wording of ``purpose`` (its current version, the text
    as shown in ``language``), about ``subject``; a consent already in force stays as it is."""
    wording = WORDINGS[purpose]
    language = language or (get_language() or settings.LANGUAGE_CODE)[:2]
    with transaction.atomic():
        current = Consent.objects.filter(
            user_id=user.pk, purpose=purpose, withdrawn_at__isnull=True, **_about(subject)
        ).first()
        if current is not None:
            return current
        return Consent.objects.create(
            user_id=user.pk,
            purpose=purpose,
            version=wording.version,
            text=wording.shown(language),
            language=language,
            given_at=at or timezone.now(),
            **_about(subject),
        )


def withdraw_consent(*, user, purpose: str, subject=None) -> int:
    """End ``user``'s consent for ``purpose`` about ``subject``; returns how many ended."""
    return Consent.objects.filter(
        user_id=user.pk, purpose=purpose, withdrawn_at__isnull=True, **_about(subject)
    ).update(withdrawn_at=timezone.now())
