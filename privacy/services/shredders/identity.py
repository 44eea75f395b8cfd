"""Identity: who is who. An applicant of an anonymised proposal is replaced by the anonymous
placeholder everywhere on it (owner, uploads, answers, reports, the grant), team members'
names go, and an account asked to be erased is anonymised itself
(accounts.services.anonymise_user). Runs last, so that the other shredders still find the
person's records and addresses."""

from django.db.models import Q

from accounts.models import User
from accounts.services import ANONYMOUS_DOMAIN, anonymise_user
from grants.models import (
    Application,
    Attachment,
    ChangeRequest,
    Grant,
    InformationRequest,
    MilestoneReport,
    TeamMember,
)
from privacy.events import APPLICATION_ANONYMISED
from privacy.kinds import DataKind
from privacy.services.shredders.base import clear, placeholder, redact_mentions
from workflow.audit import log_event

# Links of an application's records to its applicant (the staff's links stay: they acted
# for the fund).
APPLICANT_LINKS = (
    (Attachment, "application", "uploaded_by"),
    (InformationRequest, "application", "answered_by"),
    (Grant, "application", "accepted_by"),
    (MilestoneReport, "milestone__grant__application", "submitted_by"),
    (ChangeRequest, "grant__application", "requested_by"),
)


class IdentityShredder:
    kind = DataKind.IDENTITY

    def shred(self, scope, *, actor=None) -> int:
        members = TeamMember.objects.filter(
            Q(application__in=scope.applications) | Q(pk__in=scope.team)
        ).exclude(name="")
        names = set(members.values_list("name", flat=True))
        changed = clear(members, name="")
        if scope.applications:
            changed += self._applications(scope.applications, actor)
        for user in User.objects.filter(pk__in=scope.people).exclude(
            email__endswith=f"@{ANONYMOUS_DOMAIN}"
        ):
            names.add(user.full_name)
            anonymise_user(user=user, actor=actor)
            changed += 1
        # Full names only: a first name alone would match strangers.
        changed += redact_mentions({name for name in names if " " in name.strip()})
        return changed

    def _applications(self, ids, actor) -> int:
        stand_in = placeholder()
        applications = list(Application.objects.filter(pk__in=ids).exclude(owner=stand_in))
        owners = {application.owner_id for application in applications}
        changed = 0
        for model, path, link in APPLICANT_LINKS:
            changed += model.objects.filter(**{f"{path}__in": ids, f"{link}__in": owners}).update(
                **{link: stand_in}
            )
        for application in applications:
            Application.objects.filter(pk=application.pk).update(owner=stand_in)
            log_event(subject=application, action=APPLICATION_ANONYMISED, actor=actor)
        return changed + len(applications)
