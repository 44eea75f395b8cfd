"""A person with data of every kind, for the erasure tests: Zelda Quux-Marlowe, applicant,
with a draft, a rejected application in a decided call (team, files, a question answered,
reviews, a conflict suggested by her family name, a move across the funding line, log
entries), a place on somebody else's team, sessions, an admin log entry, an address she
replaced (in the log, and a notice sent to it) and queued e-mails."""

import datetime as dt
import uuid

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.events import EMAIL_CHANGED
from accounts.roles import Role
from core.storage import private_storage
from grants.events import INFORMATION_PROVIDED
from grants.models import Application, Attachment, InformationRequest, Message, TeamMember
from grants.states import ApplicationState
from review.events import CONFLICT_DISMISSED, LINE_MOVED
from review.models import (
    ConflictOfInterest,
    DiscussionComment,
    DiscussionSummary,
    FundingLine,
    FundingLineMove,
    SelectionRecord,
)
from review.states import ConflictStatus, JuryPhase
from tests.factories import ApplicationFactory, make_user
from tests.privacy.helpers import call_decided_on, submitted
from tests.review.helpers import assign, make_juror, make_jury, scored
from workflow.audit import log_event

NAME = "Zelda Quux-Marlowe"
FAMILY_NAME = "Quux-Marlowe"
EMAIL = "zelda.quux@example.org"
SECOND_EMAIL = "zelda.q.private@example.net"
OLD_EMAIL = "zelda.marlowe.old@example.com"  # replaced: only the log and a notice know it
TEXT = "Xylophonic mangrove telemetry"
FILE_TEXT = b"Zelda's CV: Xylophonic mangrove telemetry since 2019.\n"
NEEDLES = (
    NAME,
    FAMILY_NAME,
    *(address.split("@")[0] for address in (EMAIL, SECOND_EMAIL, OLD_EMAIL)),
    TEXT,
)


def stored_file(application, name, uploader):
    stored = f"{uuid.uuid4().hex}.txt"
    private_storage().save(stored, ContentFile(FILE_TEXT))
    return Attachment.objects.create(
        application=application,
        original_name=name,
        stored_name=stored,
        content_type="text/plain",
        size=len(FILE_TEXT),
        uploaded_by=uploader,
    )


class World:
    def __init__(self):
        self.staff = make_user(Role.STAFF)
        self.person = make_user(Role.APPLICANT, email=EMAIL, full_name=NAME)
        self.person.emailaddress_set.create(email=SECOND_EMAIL, verified=True)
        self.call = call_decided_on(timezone.localdate() - dt.timedelta(days=30))
        self.draft = ApplicationFactory(
            call=self.call, owner=self.person, summary=f"{TEXT} for cities."
        )
        stored_file(self.draft, "zelda-draft-notes.txt", self.person)
        self.rejected = submitted(
            self.call,
            ApplicationState.REJECTED,
            owner=self.person,
            title=f"{TEXT} toolkit",
            team_experience=f"{NAME} has built three such tools.",
            members=["ana.example@example.org"],
        )
        TeamMember.objects.filter(application=self.rejected).update(name="Ana Example")
        self.file = stored_file(self.rejected, "Quux-Marlowe CV.txt", self.person)
        question = InformationRequest.objects.create(
            application=self.rejected,
            question="Who maintains the telemetry afterwards?",
            due_on=timezone.localdate(),
            asked_by=self.staff,
            answer=f"I do. {TEXT} is my field.",
            answered_by=self.person,
            answered_at=timezone.now(),
        )
        log_event(
            subject=self.rejected,
            action=INFORMATION_PROVIDED,
            actor=self.person,
            note=question.answer,
            data={"information_request": question.pk, "changes": {"summary": [TEXT]}},
        )
        # The thread: the person's message and the staff's reply that names them.
        Message.objects.create(
            application=self.rejected,
            author=self.person,
            from_staff=False,
            body=f"Our {TEXT} plan changed: we start in May.",
        )
        Message.objects.create(
            application=self.rejected,
            author=self.staff,
            from_staff=True,
            body=f"Thank you, {NAME}.",
        )
        self._jury()
        self._elsewhere()

    def _jury(self):
        jury = make_jury(self.call, phase=JuryPhase.CLOSED)
        juror = make_juror(jury)
        scored(
            assign(juror, self.rejected),
            (6, 5, 3),
            for_applicant=f"Dear {NAME}, the {TEXT} part is vague.",
            for_staff=f"{FAMILY_NAME} is known to me from a conference.",
        )
        # The jury's discussion of the proposal: a comment by its juror and by staff, and
        # the rapporteur's summary.
        DiscussionComment.objects.create(
            application=self.rejected, author=juror, body=f"Did {NAME} answer on {TEXT}?"
        )
        DiscussionComment.objects.create(
            application=self.rejected, author=self.staff, body=f"{FAMILY_NAME} did not."
        )
        DiscussionSummary.objects.create(
            application=self.rejected,
            rapporteur=juror,
            named_by=self.staff,
            text=f"The jury found {TEXT} by {NAME} too vague.",
        )
        other = make_juror(jury)
        ConflictOfInterest.objects.create(
            juror=other,
            application=self.rejected,
            status=ConflictStatus.DISMISSED,
            reasons={"name": FAMILY_NAME},
        )
        log_event(
            subject=jury,
            action=CONFLICT_DISMISSED,
            actor=other,
            data={"application": self.rejected.reference, "reasons": {"name": FAMILY_NAME}},
        )
        row = {"id": self.rejected.pk, "reference": self.rejected.reference, "rank": 1}
        line = FundingLine.objects.create(
            call=self.call,
            available="100000.00",
            created_by=self.staff,
            ranking=[row | {"title": self.rejected.title, "amount": "50000.00"}],
        )
        # The call's selection record, as review.services.records keeps it.
        SelectionRecord.objects.create(
            call=self.call,
            basis="calibrated",
            taken_at=timezone.now(),
            ranking={
                "rows": [row | {"title": self.rejected.title}],
                "unreviewed": [row | {"title": self.rejected.title}],
            },
            lines={
                str(line.pk): {
                    "rows": [row | {"title": self.rejected.title}],
                    "moves": [
                        {
                            "reference": self.rejected.reference,
                            "reason": f"{NAME} already holds another grant.",
                        }
                    ],
                }
            },
            decisions=[row | {"title": self.rejected.title, "reason": f"{TEXT} is vague."}],
        )
        FundingLineMove.objects.create(
            line=line,
            application=self.rejected,
            direction="below",
            reason=f"{NAME} already holds another grant.",
            actor=self.staff,
        )
        log_event(
            subject=line,
            action=LINE_MOVED,
            actor=self.staff,
            note=f"{NAME} already holds another grant.",
            data={"application": self.rejected.reference, "direction": "below"},
        )

    def _elsewhere(self):
        """Her traces outside her own applications."""
        self.others = submitted(self.call, ApplicationState.REJECTED, members=[EMAIL.upper()])
        TeamMember.objects.filter(application=self.others).update(name=NAME)
        log_event(
            subject=self.others,
            action=INFORMATION_PROVIDED,
            actor=self.others.owner,
            note=f"We added {NAME} to the team.",
            data={"changes": {"team": [EMAIL]}, "information_request": 0},
        )
        self.client = Client()
        self.client.force_login(self.person)
        LogEntry.objects.log_actions(
            user_id=self.staff.pk,
            queryset=[self.person],
            action_flag=CHANGE,
            change_message=f"Changed e-mail of {NAME}",
        )
        for template, address in (("team_invitation", EMAIL.upper()), ("bank_account", OLD_EMAIL)):
            DBTaskResult.objects.create(
                args_kwargs={
                    "args": [],
                    "kwargs": {
                        "template": template,
                        "recipient": {"email": address, "language": "en"},
                        "context": {},
                    },
                },
                task_path="workflow.tasks.send_templated_email",
                backend_name="default",
                run_after=timezone.now(),
                status="SUCCESSFUL",
                finished_at=timezone.now(),
            )
        # She changed her address (accounts.signals.record_email_change).
        log_event(
            subject=self.person,
            action=EMAIL_CHANGED,
            actor=self.person,
            data={"from": OLD_EMAIL, "to": EMAIL},
        )

    def applications(self):
        return Application.objects.filter(pk__in=[self.rejected.pk, self.others.pk])
