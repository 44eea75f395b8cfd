"""Reads of the privacy app: what the retention rules make due on a day, and the dates the
rules count from (a call's deadline and decision, a grant's end, its last payment)."""

import datetime as dt

from django.db.models import Max, Min, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import ANONYMOUS_DOMAIN
from grants.models import Application, Call, Grant, Payment
from grants.states import ApplicationState as S
from grants.states import CallState, PaymentKind
from privacy.models import ErasureRequest, InactivityWarning
from privacy.retention import Rule, due_on, warning_period
from privacy.states import RequestState
from review.models import JuryMember
from review.states import JuryPhase
from workflow.actions import transition_custom
from workflow.models import TransitionLog

DECIDED_CALLS = (CallState.DECIDED, CallState.ARCHIVED)
# Submitted and finished without a grant. Waiting-list places count once the call is decided.
# A concept is never funded itself: an invited team's project lives on in its full proposal.
UNFUNDED = (S.INELIGIBLE, S.REJECTED, S.WITHDRAWN, S.WAITLISTED, S.INVITED, S.NOT_INVITED)
# Still being assessed, or a grant still running: kept while so.
OPEN = (S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED, S.APPROVED)
RUNNING = (S.FUNDED, S.FINAL_REPORT_DUE)
ENDED = (S.COMPLETED, S.TERMINATED)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _first_log_days(model, actions, ids=None) -> dict[int, dt.date]:
    entries = TransitionLog.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        action__in=actions,
    )
    if ids is not None:
        entries = entries.filter(object_id__in=list(ids))
    rows = entries.order_by().values("object_id").annotate(first=Min("created_at"))
    return {row["object_id"]: local_day(row["first"]) for row in rows}


def decision_days(call_ids=None) -> dict[int, dt.date]:
    """The day each call was marked as decided."""
    return _first_log_days(Call, [transition_custom(Call, "decide")["action"]], call_ids)


def deadline_days() -> dict[int, dt.date]:
    """The day each call closed: the day after its closing day (closes_at is that midnight)."""
    return {
        pk: local_day(closes_at)
        for pk, closes_at in Call.objects.filter(closes_at__isnull=False).values_list(
            "pk", "closes_at"
        )
    }


ENDING = ("complete_final_report", "terminate", "decline_award")


def end_days(application_ids=None) -> dict[int, dt.date]:
    """The day each grant ended: its final report accepted (the application completed), the
    grant terminated or the award declined."""
    actions = [transition_custom(Application, name)["action"] for name in ENDING]
    return _first_log_days(Application, actions, application_ids)


def last_payment_days(grant_ids=None) -> dict[int, dt.date]:
    payments = Payment.objects.filter(kind=PaymentKind.PAID)
    if grant_ids is not None:
        payments = payments.filter(grant__in=list(grant_ids))
    rows = payments.order_by().values("grant_id").annotate(last=Max("paid_on"))
    return {row["grant_id"]: row["last"] for row in rows}


def never_submitted(applications):
    """Drafts, and drafts withdrawn, that were never submitted."""
    return applications.filter(state__in=(S.DRAFT, S.WITHDRAWN), submitted_at__isnull=True)


def not_anonymised(applications):
    return applications.exclude(owner__email__endswith=f"@{ANONYMOUS_DOMAIN}")


def due_drafts(today: dt.date) -> list[int]:
    """Drafts never submitted whose call closed long enough ago."""
    calls = [pk for pk, day in deadline_days().items() if due_on(Rule.DRAFTS, day) <= today]
    return list(
        never_submitted(Application.objects.filter(call__in=calls))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def due_unfunded(today: dt.date) -> list[int]:
    """Submitted proposals without a grant, in calls decided long enough ago."""
    calls = [pk for pk, day in decision_days().items() if due_on(Rule.UNFUNDED, day) <= today]
    return list(
        not_anonymised(
            Application.objects.filter(
                call__in=calls, state__in=UNFUNDED, submitted_at__isnull=False
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def due_funded(today: dt.date) -> list[int]:
    """Funded projects that ended (final report accepted, or terminated) long enough ago."""
    ended = not_anonymised(Application.objects.filter(state__in=ENDED))
    days = end_days(ended.values_list("pk", flat=True))
    return sorted(pk for pk, day in days.items() if due_on(Rule.FUNDED, day) <= today)


def bank_since(grants) -> dict[int, dt.date]:
    """Per grant with bank details whose grant has ended: the day of its last payment, or
    the day it ended if nothing was paid."""
    rows = list(grants.values_list("pk", "application_id"))
    paid = last_payment_days([pk for pk, _app in rows])
    ended = end_days([app for _pk, app in rows])
    return {pk: paid.get(pk) or ended[app] for pk, app in rows if pk in paid or app in ended}


def with_bank_details():
    return Grant.objects.exclude(iban_encrypted="", account_holder="", iban_masked="")


def due_bank(today: dt.date) -> list[int]:
    ended = with_bank_details().filter(application__state__in=(*ENDED, S.WITHDRAWN))
    return sorted(pk for pk, day in bank_since(ended).items() if due_on(Rule.BANK, day) <= today)


def people_with_something_to_keep() -> set[int]:
    """Accounts that must stay: their owner has an application being assessed, a grant
    running or a funded project still kept for the audit, sits on a jury at work, or works
    for the fund (staff, ministry, admin)."""
    keep = set(
        not_anonymised(
            Application.objects.filter(
                Q(state__in=(*OPEN, *RUNNING, *ENDED))
                | Q(state=S.WAITLISTED) & ~Q(call__state__in=DECIDED_CALLS)
            )
        ).values_list("owner_id", flat=True)
    )
    keep |= set(
        JuryMember.objects.filter(user__isnull=False)
        .exclude(jury__phase=JuryPhase.CLOSED)
        .values_list("user_id", flat=True)
    )
    keep |= set(
        User.objects.filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__name__in=(Role.STAFF, Role.MINISTRY))
        ).values_list("pk", flat=True)
    )
    return keep


def accounts_in_use():
    """Accounts that are neither anonymised nor the placeholder."""
    return User.objects.filter(is_active=True).exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")


def inactive_accounts(today: dt.date) -> tuple[list[int], list[int]]:
    """(accounts to warn today, accounts to anonymise today) under the inactivity rule, and
    accounts whose erasure request was carried out once nothing is left to keep."""
    keep = people_with_something_to_keep()
    warnings = {}
    for user_id, warned_at in InactivityWarning.objects.order_by("warned_at").values_list(
        "user_id", "warned_at"
    ):
        warnings[user_id] = warned_at  # the latest
    warn, anonymise = [], []
    for pk, last_login, joined in (
        accounts_in_use().values_list("pk", "last_login", "date_joined").order_by("pk")
    ):
        if pk in keep:
            continue
        last = max(filter(None, (last_login, joined)))
        if due_on(Rule.ACCOUNTS, local_day(last)) > today:
            continue
        warned_at = warnings.get(pk)
        # A warning at the very moment of the last sign-in may not have come after it: warn again.
        if warned_at is None or warned_at <= last:
            warn.append(pk)
        elif local_day(warned_at) + warning_period() <= today:
            anonymise.append(pk)
    asked = ErasureRequest.objects.filter(state=RequestState.CARRIED_OUT).values_list(
        "user_id", flat=True
    )
    anonymise += sorted(
        set(accounts_in_use().filter(pk__in=asked).values_list("pk", flat=True))
        - keep
        - set(anonymise)
    )
    return warn, anonymise


# Pages.


def open_erasure_request(user):
    return ErasureRequest.objects.filter(user=user, state=RequestState.OPEN).first()


def open_requests():
    """Requests waiting for the staff, oldest first, with their person (one query)."""
    return (
        ErasureRequest.objects.filter(state=RequestState.OPEN)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def handled_requests(limit=20):
    return (
        ErasureRequest.objects.exclude(state=RequestState.OPEN)
        .select_related("user", "handled_by")
        .order_by("-handled_at", "-pk")[:limit]
    )


def person_by_address(email: str):
    """The account with this sign-in or confirmed address (any case), or None."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .distinct()
        .first()
    )
