"""Conflicts of interest: declared by jurors, suggested by the system."""

import re
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants.models import Application, TeamMember
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


def suggest_conflicts(*, jury: Jury, actor=None) -> int:
    """Store a suggestion for every juror and application of the call that look related and
    have no conflict row yet. Returns how many were added. Four queries, whatever the size."""
    members = [
        member.user
        for member in JuryMember.objects.filter(jury=jury, user__isnull=False).select_related(
            "user"
        )
    ]
    if not members:
        return 0
    applications = list(
        Application.objects.filter(call=jury.call, state__in=CONFLICT_LIST_STATES)
        .select_related("owner")
        .only("pk", "state", "owner__email", "owner__full_name")
    )
    people = {
        application.pk: [(application.owner.full_name, application.owner.email)]
        for application in applications
    }
    for member in TeamMember.objects.filter(application__in=applications).values(
        "application_id", "name", "email"
    ):
        people[member["application_id"]].append((member["name"], member["email"]))
    existing = set(
        ConflictOfInterest.objects.filter(
            application__call=jury.call, juror__in=members
        ).values_list("juror_id", "application_id")
    )
    new = []
    for juror in members:
        for application in applications:
            if (juror.pk, application.pk) in existing:
                continue
            reasons = suggestion_reasons(juror, people[application.pk])
            if reasons:
                new.append(
                    ConflictOfInterest(
                        juror=juror,
                        application=application,
                        status=ConflictStatus.SUGGESTED,
                        reasons=reasons,
                    )
                )
    if new:
        with transaction.atomic():
            ConflictOfInterest.objects.bulk_create(new)
            log_event(
                subject=jury,
                action=events.CONFLICTS_SUGGESTED,
                actor=actor,
                from_state=jury.phase,
                to_state=jury.phase,
                data={"count": len(new)},
            )
    return len(new)


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
        if conflict.status == ConflictStatus.DECLARED and not _created:
            raise WorkflowError(_("You have already declared a conflict with this application."))
        conflict.status, conflict.kind, conflict.note, conflict.decided_at = (
            ConflictStatus.DECLARED,
            kind,
            note,
            now,
        )
        conflict.save()
        released = Assignment.objects.filter(
            juror=actor, application=application, released_at__isnull=True
        ).update(released_at=now, release_reason="conflict of interest")
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


def dismiss_suggestion(*, conflict_id: int, actor) -> ConflictOfInterest:
    with transaction.atomic():
        conflict = (
            ConflictOfInterest.objects.select_for_update()
            .filter(pk=conflict_id, juror=actor, status=ConflictStatus.SUGGESTED)
            .first()
        )
        if conflict is None:
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
