"""What erasing a person's data (GDPR Art. 17) would erase now, and what must be kept, until
when and why: nothing still needed for an application being assessed, a grant that runs, a
jury at work or an audit duty is erased. The person sees this on their account page, staff
see it on the request, and the person is told it when the request is carried out.

Items and reasons are stored by key (ErasureRequest.erased/kept), so that each reader sees
them in their own language."""

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from grants.models import Application, TeamMember
from grants.states import ApplicationState as S
from grants.states import ApplicationStateGroup
from privacy import queries
from privacy.queries import DECIDED_CALLS, ENDED, OPEN, RUNNING, UNFUNDED
from privacy.retention import Rule, due_on, setting
from privacy.scope import Scope
from review.models import ConflictOfInterest, JuryMember, Review
from review.states import JuryPhase

# Proposals chosen for funding (signed or not yet): their reviews are the record of why.
SELECTED = (S.APPROVED, *ApplicationStateGroup.FUNDED_ONWARDS)

ITEMS = {
    "account": _("Your account: name, e-mail address, password, second factor, sessions"),
    "drafts": _("Applications you never submitted"),
    "proposals": _("Applications that were not funded (their texts, files and reviews)"),
    "open_applications": _("Applications still being assessed"),
    "grants": _("Funded projects: agreement, reports, payments"),
    "team": _("Your name and address on other people's applications"),
    "reviews": _("The comments of your reviews"),
    "conflicts": _("Your notes on conflicts of interest"),
    "bank": _("Bank details"),
    "log": _("The audit log's record of what was done, and when"),
}


def _reasons():
    return {
        "open_application": _(
            "It is still being assessed. You can withdraw it; then it can be erased."
        ),
        "open_grant": _("The grant is still running."),
        "audit": _(
            "Public funding is audited: a grant's record is kept for %(months)s months "
            "after the grant ended."
        )
        % {"months": setting("funded_months")},
        "bank_audit": _(
            "Payments are audited: bank details are kept for %(months)s months after the "
            "last payment."
        )
        % {"months": setting("bank_months")},
        "jury": _("The jury is still at work."),
        "selection_record": _("It is part of the selection record of a funded project."),
        "others": _("It is part of somebody else's application or grant that is still kept."),
        "role": _(
            "You work for the fund (programme staff, ministry viewer or admin); an admin "
            "ends the role when you leave."
        ),
        "log": _(
            "The audit log of public funding keeps who did what and when; names, addresses "
            "and texts in it are erased with the data they belong to."
        ),
    }


@dataclass(frozen=True)
class Item:
    key: str
    count: int
    until: dt.date | None = None  # kept until this day; None: as long as the reason lasts
    reason: str = ""

    @property
    def label(self):
        return ITEMS[self.key]

    @property
    def reason_text(self):
        return _reasons().get(self.reason, "")

    def to_json(self) -> dict:
        return {
            "item": self.key,
            "count": self.count,
            "until": self.until.isoformat() if self.until else None,
            "reason": self.reason,
        }


@dataclass
class Plan:
    erase: list[Item] = field(default_factory=list)
    keep: list[Item] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)

    def kept(self, key, count, reason, until=None):
        if count:
            self.keep.append(Item(key, count, until, reason))

    def erased(self, key, ids, **parts):
        if ids:
            self.erase.append(Item(key, len(ids)))
            self.scope = self.scope | Scope(**{parts.get("part", key): ids})


def _undecided_waitlist(prefix=""):
    """On the waiting list of a call not decided yet: it may still be funded."""
    return Q(**{f"{prefix}state": S.WAITLISTED}) & ~Q(**{f"{prefix}call__state__in": DECIDED_CALLS})


def erasure_plan(user) -> Plan:
    plan = Plan()
    owned = queries.not_anonymised(Application.objects.filter(owner=user))
    plan.erased("drafts", _ids(queries.never_submitted(owned)))
    submitted = owned.exclude(pk__in=queries.never_submitted(owned).values("pk"))
    open_apps = submitted.filter(Q(state__in=OPEN) | _undecided_waitlist())
    plan.kept("open_applications", open_apps.count(), "open_application")
    running = submitted.filter(state__in=RUNNING)
    plan.kept("grants", running.count(), "open_grant")
    ended_days = queries.end_days(_ids(submitted.filter(state__in=ENDED)))
    audit_until = max((due_on(Rule.FUNDED, day) for day in ended_days.values()), default=None)
    plan.kept("grants", len(ended_days), "audit", audit_until)
    unfunded = submitted.filter(state__in=UNFUNDED).exclude(_undecided_waitlist())
    plan.erased("proposals", _ids(unfunded), part="applications")
    _team(plan, user)
    _jury_work(plan, user)
    _bank(plan, submitted)
    _account(plan, user, open_apps, running, audit_until)
    plan.kept("log", 1, "log")
    return plan


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def same_address(addresses, field="email") -> Q:
    """Any of ``addresses``, whatever their case (team members type them as they like)."""
    condition = Q(pk__in=[])
    for address in addresses:
        condition |= Q(**{f"{field}__iexact": address})
    return condition


def addresses_of(user) -> list[str]:
    return sorted(
        {user.email.lower()}
        | {
            email.lower()
            for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        }
    )


def _team(plan, user):
    entries = TeamMember.objects.filter(same_address(addresses_of(user))).exclude(
        application__owner=user
    )
    gone = Q(application__submitted_at__isnull=True) | Q(
        application__state__in=UNFUNDED
    ) & ~_undecided_waitlist("application__")
    plan.erased("team", _ids(entries.filter(gone)))
    plan.kept("team", entries.exclude(gone).exclude(email="").count(), "others")


def _jury_work(plan, user):
    reviews = Review.objects.filter(assignment__juror=user)
    undecided = ~Q(assignment__application__call__state__in=DECIDED_CALLS)
    funded = Q(assignment__application__state__in=SELECTED)
    plan.kept("reviews", reviews.filter(undecided).count(), "jury")
    plan.kept("reviews", reviews.exclude(undecided).filter(funded).count(), "selection_record")
    plan.erased("reviews", _ids(reviews.exclude(undecided).exclude(funded)))
    conflicts = ConflictOfInterest.objects.filter(juror=user)
    open_calls = ~Q(application__call__state__in=DECIDED_CALLS)
    plan.kept("conflicts", conflicts.filter(open_calls).count(), "jury")
    plan.erased("conflicts", _ids(conflicts.exclude(open_calls)))


def _bank(plan, submitted):
    grants = queries.with_bank_details().filter(application__in=submitted)
    plan.kept("bank", grants.filter(application__state__in=RUNNING).count(), "open_grant")
    since = queries.bank_since(grants.exclude(application__state__in=RUNNING))
    until = max((due_on(Rule.BANK, day) for day in since.values()), default=None)
    plan.kept("bank", len(since), "bank_audit", until)


def _account(plan, user, open_apps, running, audit_until):
    if user.is_superuser or user.is_staff or user.role_names & {Role.STAFF, Role.MINISTRY}:
        plan.kept("account", 1, "role")
    elif open_apps.exists():
        plan.kept("account", 1, "open_application")
    elif running.exists():
        plan.kept("account", 1, "open_grant")
    elif JuryMember.objects.filter(user=user).exclude(jury__phase=JuryPhase.CLOSED).exists():
        plan.kept("account", 1, "jury")
    elif audit_until is not None:
        plan.kept("account", 1, "audit", audit_until)
    else:
        plan.erased("account", [user.pk], part="people")
