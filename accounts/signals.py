"""Signal receivers of the accounts app (connected in AccountsConfig.ready)."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.utils.translation import gettext as _

from accounts import events
from accounts.access import SECOND_FACTOR_TYPES
from workflow.audit import log_event


def confirm_session_with_new_authenticator(sender, request, user, authenticator, **kwargs):
    """allauth does not count adding an authenticator as using it: after enrolment the
    session still has the password alone. But enrolment checks a code of the new app (or a
    signature of the new key), so the session has shown the second factor: record it, as
    the login's second-factor step would, and the user goes straight on to the recovery
    codes and their pages instead of having to sign in again.

    Safe because the gate (accounts.middleware) opens enrolment only to users who have no
    second factor yet; adding one more needs a session that already used the first."""
    if authenticator.type not in SECOND_FACTOR_TYPES or request is None:
        return
    if getattr(request.user, "pk", None) != user.pk:
        return
    first_confirmation = not any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )
    if first_confirmation and user.needs_mfa:
        messages.success(
            request,
            _(
                "Your second factor is set up and this session is confirmed with it. "
                "From now on you sign in with your password and a code from your app."
            ),
        )


def record_email_change(sender, request, user, from_email_address, to_email_address, **kwargs):
    """Keep the previous address in the user's log: for some weeks, notices of changes to
    where money goes are sent there too (grants.contracts.services.bank_details), so that
    someone who took over the account and changed its address is still noticed."""
    if from_email_address is None or from_email_address.email == to_email_address.email:
        return
    log_event(
        subject=user,
        action=events.EMAIL_CHANGED,
        actor=user,
        data={"from": from_email_address.email, "to": to_email_address.email},
    )


def tell_primary_address_of_new_address(sender, request, user, email_address, **kwargs):
    """allauth tells the old address once a new one is confirmed; this tells it at once
    when a new address is added (with allauth's notice: time, address and browser)."""
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    primary = EmailAddress.objects.filter(user=user, primary=True).first()
    if primary is None or primary.pk == email_address.pk:
        return
    get_adapter(request).send_notification_mail(
        "account/email/email_added", user, {"added_email": email_address.email}
    )
