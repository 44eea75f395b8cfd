"""A funded project, told through the services (agreement with bank details and consent,
milestone reports with links and public bodies, a change request, the final report), leaves
no trace of its texts, links, bank details or files once its retention periods have ended;
the figures keep counting it."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.changes import request_change
from grants.contracts.services.closing import review_final_report, save_final_report
from grants.contracts.services.milestones import submit_milestone_report
from grants.models import Grant
from grants.money import add_months
from privacy.services.retention import apply_retention
from reporting.data import load
from reporting.figures import figures, prepare
from tests.factories import make_user
from tests.grants.contracts.helpers import REPORT, accept, signed_grant
from tests.privacy.helpers import noon
from tests.privacy.search import database_mentions

pytestmark = pytest.mark.django_db

TEXT = "Quokka ledger synthesis"
LINK = "https://codeberg.org/quokka-ledger/tool"
PUBLIC_BODY_USE = "Runs the quokka ledger for its parks"
HOLDER = "Ada Lovelace"  # the account holder signed_grant names


def funded_and_completed(staff):
    grant = signed_grant(staff, owner=make_user(Role.APPLICANT, full_name="Grete Grantee"))
    request_change(
        grant=grant,
        actor=grant.application.owner,
        kind="end_date",
        new_date=grant.ends_on + dt.timedelta(days=30),
        reason=f"{TEXT} needs a month more.",
    )
    for milestone in grant.milestones.order_by("position"):
        submit_milestone_report(
            milestone=milestone,
            actor=grant.application.owner,
            draft_token="",
            fields={**REPORT, "delivered": f"{TEXT}, part {milestone.position}."},
            links=[{"kind": "repository", "url": LINK, "licence": "MIT"}],
            collaborations=[
                {
                    "body": "Stadt Ulm",
                    "level": "municipal",
                    "kind": "adopts",
                    "description": PUBLIC_BODY_USE,
                }
            ],
        )
        accept(milestone, staff)
    grant.refresh_from_db()
    save_final_report(
        grant=grant,
        actor=grant.application.owner,
        fields={"summary": f"{TEXT} is done.", "contribution": "", "next_steps": ""},
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": f"{TEXT} shipped."}
            for m in grant.milestones.all()
        ],
        public_links=[LINK],
        submit=True,
    )
    review_final_report(
        grant=grant, actor=staff, accept=True, comment="", expected_state="submitted"
    )
    return Grant.objects.get(pk=grant.pk)


def test_a_funded_project_leaves_no_trace_after_its_periods():
    staff = make_user(Role.STAFF)
    grant = funded_and_completed(staff)
    assert grant.application.state == "completed"
    masked_tail = grant.iban_masked[-5:]
    before = figures(prepare(load().frames, today=dt.date(2030, 1, 1)))
    assert {TEXT, LINK, PUBLIC_BODY_USE, HOLDER} <= {
        needle for needle in (TEXT, LINK, PUBLIC_BODY_USE, HOLDER) if database_mentions(needle)
    }

    due = add_months(timezone.localdate(), 120)
    apply_retention(now=noon(due - dt.timedelta(days=1)))
    assert database_mentions(TEXT)  # not the day before
    apply_retention(now=noon(due))

    assert database_mentions(TEXT, LINK, PUBLIC_BODY_USE, HOLDER, masked_tail) == []
    assert figures(prepare(load().frames, today=dt.date(2030, 1, 1))).equals(before)
    assert before.loc["all", "repositories"] == 1
