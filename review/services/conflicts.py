"""Conflicts of interest: declared by jurors, suggested by the system."""

import re
import unicodedata
from collections import defaultdict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants.models import Application, TeamMember
from grants.visibility import is_own_or_team
from review import events
from review.models import Assignment, ConflictOfInterest, Jury, JuryMember
from review.states import (
    CONFLICT_LIST_STATES,
    NOTE_MAX_CHARS,
    ConflictKind,
    ConflictStatus,
    PhaseAllows,
)
from workflow.audit import log_event

# Academic and honorific titles are not part of a family name.
TITLES = re.compile(r"^(dr|prof|dipl|ing|mag|med|phil|rer|nat|hc|mba|msc|bsc)\.?$", re.IGNORECASE)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def family_name(full_name: str) -> str:
    """The last word of a name that is not a title, folded for comparison."""
    words = [word for word in re.split(r"\s+", full_name or "") if word and not TITLES.match(word)]
    return _fold(words[-1]) if words else ""


def email_domain(email: str) -> str:
    return _fold(email.rpartition("@")[2]) if "@" in (email or "") else ""


def _shared_domains() -> set[str]:
    return {_fold(domain) for domain in settings.REVIEW_SHARED_EMAIL_DOMAINS}


def suggestion_reasons(juror, people: list[tuple[str, str]]) -> dict:
    """Why ``juror`` may be conflicted with an application of ``people`` (name, e-mail
    pairs of its applicant and team): the same organisational e-mail domain, or the same
    family name. Empty when nothing matches."""
    reasons = {}
    domain = email_domain(juror.email)
    shared = _shared_domains()
    if domain and domain not in shared and any(email_domain(e) == domain for _n, e in people):
        reasons["domain"] = domain
    surname = family_name(juror.full_name)
    if surname:
        matches = sorted({name for name, _email in people if family_name(name) == surname})
        if matches:
            reasons["names"] = matches
    return reasons


def _verified_addresses(users) -> dict[int, set[str]]:
    """User id → their verified e-mail addresses in lower case (the team rule of
    grants/visibility.py)."""
    addresses = defaultdict(set)
    for user_id, email in EmailAddress.objects.filter(user__in=users, verified=True).values_list(
        "user_id", "email"
    ):
        addresses[user_id].add(email.lower())
    return addresses


def hard_reason(juror, application, team_emails, verified: set[str]) -> str:
    """``owner`` or ``team`` if ``juror`` is behind the application, else ``""``."""
    if application.owner_id == juror.pk:
        return "owner"
    if any(email.lower() in verified for email in team_emails):
        return "team"
    return ""


def suggest_conflicts(*, jury: Jury, actor=None, jurors=None) -> int:
    """Record what the system finds for every juror (or just ``jurors``) and application of
    the call, under the jury's lock:

    - a hard conflict where the juror is the applicant or a verified team member: it cannot
      be dismissed, replaces any other answer and releases an assignment at once;
    - a suggestion where the e-mail domain or the family name match, if the pair has no
      conflict row yet.

    Returns how many rows were added or made hard. Six queries when nothing is found."""
    with transaction.atomic():
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        members = JuryMember.objects.filter(jury=jury, user__isnull=False)
        if jurors is not None:
            members = members.filter(user__in=jurors)
        members = [member.user for member in members.select_related("user")]
        if not members:
            return 0
        applications = list(
            Application.objects.filter(call_id=jury.call_id, state__in=CONFLICT_LIST_STATES)
            .select_related("owner")
            .only("pk", "state", "concept_id", "owner__email", "owner__full_name")
        )
        people = {
            application.pk: [(application.owner.full_name, application.owner.email)]
            for application in applications
        }
        team_emails = defaultdict(list)
        for member in TeamMember.objects.filter(application__in=applications).values(
            "application_id", "name", "email"
        ):
            people[member["application_id"]].append((member["name"], member["email"]))
            team_emails[member["application_id"]].append(member["email"])
        verified = _verified_addresses(members)
        existing = {
            (row.juror_id, row.application_id): row
            for row in ConflictOfInterest.objects.filter(
                application__call_id=jury.call_id, juror__in=members
            ).only("pk", "juror_id", "application_id", "status")
        }
        now = timezone.now()
        new, hardened = [], []
        for juror in members:
            for application in applications:
                row = existing.get((juror.pk, application.pk))
                reason = hard_reason(
                    juror, application, team_emails[application.pk], verified[juror.pk]
                )
                if reason:
                    if row is None:
                        row = ConflictOfInterest(juror=juror, application=application)
                        new.append(row)
                    elif row.status == ConflictStatus.HARD:
                        continue
                    else:
                        hardened.append(row)
                    row.status, row.kind = ConflictStatus.HARD, ConflictKind.OWN
                    row.reasons, row.decided_at = {"own": reason}, now
                elif row is None and (reasons := suggestion_reasons(juror, people[application.pk])):
                    new.append(
                        ConflictOfInterest(
                            juror=juror,
                            application=application,
                            status=ConflictStatus.SUGGESTED,
                            reasons=reasons,
                        )
                    )
        carried = _carry_over(members, applications, existing, new, hardened, now)
        if not (new or hardened):
            return 0
        ConflictOfInterest.objects.bulk_create(new)
        ConflictOfInterest.objects.bulk_update(
            hardened, ["status", "kind", "note", "reasons", "decided_at"]
        )
        hard = [row for row in (*new, *hardened) if row.status == ConflictStatus.HARD]
        log_event(
            subject=jury,
            action=events.CONFLICTS_SUGGESTED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            data={
                "count": len(new) + len(hardened) - len(hard) - len(carried),
                "hard": len(hard),
                **({"carried_over": len(carried)} if carried else {}),
                "released": _release([*hard, *carried]),
            },
        )
    return len(new) + len(hardened)


def _carry_over(members, applications, existing, new, hardened, now) -> list:
    """A conflict declared on a concept (or one nobody can dismiss) holds for its full
    proposal: declared there too, unless that pair's conflict is hard already. Adds to
    ``new`` and ``hardened`` (rows to write) and returns the rows carried over."""
    concepts = {a.concept_id: a for a in applications if a.concept_id is not None}
    if not concepts:
        return []
    pending = {(row.juror_id, row.application_id): row for row in new}
    carried = []
    for conflict in ConflictOfInterest.objects.filter(
        application_id__in=list(concepts),
        juror__in=members,
        status__in=(ConflictStatus.DECLARED, ConflictStatus.HARD),
    ).select_related("application"):
        full = concepts[conflict.application_id]
        pair = (conflict.juror_id, full.pk)
        row = pending.get(pair) or existing.get(pair)
        if row is not None and row.status in (ConflictStatus.HARD, ConflictStatus.DECLARED):
            continue
        if row is None:
            row = ConflictOfInterest(juror_id=conflict.juror_id, application=full)
            new.append(row)
        elif row.pk is not None:
            hardened.append(row)
        row.status, row.decided_at = ConflictStatus.DECLARED, now
        row.kind = conflict.kind or ConflictKind.OWN
        row.note = _("Declared on the concept %(reference)s.") % {
            "reference": conflict.application.reference
        }
        row.reasons = {"concept": conflict.application.reference}
        carried.append(row)
    return carried


def _release(conflicts) -> int:
    """Release the assignments of these (juror, application) pairs."""
    pairs = Q(pk__in=[])
    for row in conflicts:
        pairs |= Q(juror_id=row.juror_id, application_id=row.application_id)
    return Assignment.objects.filter(pairs, released_at__isnull=True).update(
        released_at=timezone.now(), release_reason="conflict of interest"
    )


def _conflict_application(application_id, actor) -> tuple[Application, Jury]:
    """The application a juror declares a conflict with: one of a call whose jury they are
    on, in a state the jury may see, while the phase allows declarations."""
    application = (
        Application.objects.select_related("call__jury")
        .filter(
            pk=application_id,
            state__in=CONFLICT_LIST_STATES,
            call__jury__members__user=actor,
        )
        .first()
    )
    if application is None or not may(actor, "review.declare_conflicts"):
        raise WorkflowError(_("You may not do this now."))
    jury = application.call.jury
    if jury.phase not in PhaseAllows.DECLARE_CONFLICTS:
        raise WorkflowError(_("The jury of this call is closed."))
    return application, jury


def declare_conflict(
    *, application_id: int, actor, kind: str, note: str = ""
) -> ConflictOfInterest:
    """Declare (or confirm a suggested) conflict. An assignment to the application is
    released at once: the juror no longer sees it, and staff see that it needs a juror."""
    if kind not in ConflictKind.values:
        raise WorkflowError(
            _("Choose the kind of conflict."),
            field_errors={"kind": [_("Choose the kind of conflict.")]},
        )
    note = note.strip()
    if kind == ConflictKind.OTHER and not note:
        raise WorkflowError(
            _("Describe the conflict in the note."),
            field_errors={"note": [_("Describe the conflict in the note.")]},
        )
    if len(note) > NOTE_MAX_CHARS:
        raise WorkflowError(
            _("The note is too long (at most %(limit)s characters).") % {"limit": NOTE_MAX_CHARS},
            field_errors={"note": [_("At most %(limit)s characters.") % {"limit": NOTE_MAX_CHARS}]},
        )
    application, jury = _conflict_application(application_id, actor)
    now = timezone.now()
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.select_for_update().get_or_create(
            juror=actor,
            application=application,
            defaults={"status": ConflictStatus.DECLARED, "kind": kind, "note": note},
        )
        if conflict.status == ConflictStatus.HARD:
            raise WorkflowError(_own_application_refusal())
        if conflict.status == ConflictStatus.DECLARED and not _created:
            raise WorkflowError(_("You have already declared a conflict with this application."))
        conflict.status, conflict.kind, conflict.note, conflict.decided_at = (
            ConflictStatus.DECLARED,
            kind,
            note,
            now,
        )
        conflict.save()
        released = _release([conflict])
        log_event(
            subject=jury,
            action=events.CONFLICT_DECLARED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            note=note,
            data={"application": application.reference, "kind": kind, "released": released},
        )
    return conflict


def _own_application_refusal() -> str:
    return _(
        "This is your own application or one whose team you are on: a conflict of interest that cannot be dismissed."
    )


def dismiss_suggestion(*, conflict_id: int, actor) -> ConflictOfInterest:
    """Dismiss a suggestion, unless the juror is behind the application: that conflict holds
    even before the system has recorded it as such."""
    with transaction.atomic():
        conflict = (
            ConflictOfInterest.objects.select_for_update()
            .filter(pk=conflict_id, juror=actor)
            .first()
        )
        if conflict is not None and (
            conflict.status == ConflictStatus.HARD
            or (
                conflict.status == ConflictStatus.SUGGESTED
                and is_own_or_team(actor, conflict.application)
            )
        ):
            raise WorkflowError(_own_application_refusal())
        if conflict is None or conflict.status != ConflictStatus.SUGGESTED:
            raise WorkflowError(_("This suggestion has been decided already."))
        _application, jury = _conflict_application(conflict.application_id, actor)
        conflict.status, conflict.decided_at = ConflictStatus.DISMISSED, timezone.now()
        conflict.save(update_fields=["status", "decided_at"])
        log_event(
            subject=jury,
            action=events.CONFLICT_DISMISSED,
            actor=actor,
            from_state=jury.phase,
            to_state=jury.phase,
            data={"application": conflict.application.reference, "reasons": conflict.reasons},
        )
    return conflict
