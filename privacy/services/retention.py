"""The daily job (``manage.py apply_retention``): what each retention rule makes due today
is erased by the shredders (privacy.services.shredders), each step in its own transactions,
and journalled. Idempotent: what was erased is no longer due, so a second run the same day
does nothing. ``dry_run`` only counts."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from privacy import queries
from privacy.events import INACTIVITY_WARNED
from privacy.kinds import DataKind
from privacy.models import InactivityWarning
from privacy.retention import Rule, warning_period
from privacy.scope import Scope
from privacy.services.shredders import SHREDDERS, shred
from privacy.services.shredders.technical import expired_sessions, old_tasks
from privacy.states import Cause
from workflow.audit import log_event
from workflow.notifications import notify


@dataclass(frozen=True)
class Step:
    rule: str
    kinds: tuple[str, ...]
    count: int
    action: str  # what happens to the records: "deleted", "anonymised", "warned"


def due_scopes(today: dt.date):
    """(rule, the records due today), in the order they are erased. Each is read just before
    its step, so that an account whose last funded project went in this run goes too."""
    yield Rule.DRAFTS, Scope(drafts=queries.due_drafts(today))
    yield Rule.UNFUNDED, Scope(applications=queries.due_unfunded(today))
    yield Rule.FUNDED, Scope(applications=queries.due_funded(today))
    yield Rule.BANK, Scope(bank=queries.due_bank(today))
    warn, anonymise = queries.inactive_accounts(today)
    yield "warn", Scope(people=warn)
    yield Rule.ACCOUNTS, Scope(people=anonymise)


PART = {
    Rule.DRAFTS: ("drafts", (DataKind.PROPOSAL,), "deleted"),
    Rule.UNFUNDED: ("applications", tuple(DataKind.values), "anonymised"),
    Rule.FUNDED: ("applications", tuple(DataKind.values), "anonymised"),
    Rule.BANK: ("bank", (DataKind.BANK,), "deleted"),
    "warn": ("people", (), "warned"),
    Rule.ACCOUNTS: (
        "people",
        (DataKind.CONTACT, DataKind.TECHNICAL, DataKind.IDENTITY),
        "anonymised",
    ),
}


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[Step]:
    """Erase (or, with ``dry_run``, count) what is due on ``now``'s day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    steps = []
    for rule, scope in due_scopes(today):
        part, kinds, action = PART[rule]
        ids = getattr(scope, part)
        if ids and not dry_run:
            if rule == "warn":
                warn_inactive(ids, now=now)
            else:
                shred(scope=scope, cause=Cause.RETENTION, rule=rule, kinds=kinds)
        steps.append(Step(rule=rule, kinds=kinds, count=len(ids), action=action))
    if dry_run:
        expired = (expired_sessions(now).count(), old_tasks(now).count())
    else:
        expired = SHREDDERS[DataKind.TECHNICAL].expire(now=now)
    for rule, count in zip((Rule.SESSIONS, Rule.TASKS), expired, strict=True):
        steps.append(Step(rule=rule, kinds=(DataKind.TECHNICAL,), count=count, action="deleted"))
    return steps


def warn_inactive(user_ids, *, now: dt.datetime) -> None:
    """Tell each person that their unused account will be anonymised, and when."""
    on = timezone.localdate(now) + warning_period()
    for user in User.objects.filter(pk__in=user_ids):
        with transaction.atomic():
            InactivityWarning.objects.create(user=user, warned_at=now)
            log_event(subject=user, action=INACTIVITY_WARNED, actor=None)
            notify(
                to=user,
                template="inactivity_warning",
                context={"anonymise_on": on, "for_account": True},
            )
