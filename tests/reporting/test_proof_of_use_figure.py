"""The ministry's figure "spent according to proof of use" read from the database: an
accepted proof of use counts what its costs used of the grant, on the day it was accepted;
a proof still being checked counts nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.closing import review_final_report, save_final_report
from grants.models import FinalReport
from reporting import data, figures
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept_every_line, statement

pytestmark = pytest.mark.django_db


def handed_in(**kwargs):
    grant = make_grant(state="final_report_due")
    grant.milestones.update(state="paid")
    FinalReport.objects.create(grant=grant)
    save_final_report(
        grant=grant,
        actor=grant.application.owner,
        fields={"summary": "Done.", "contribution": "", "next_steps": ""},
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": ""} for m in grant.milestones.all()
        ],
        public_links=[],
        statement=statement(grant, **kwargs),
        submit=True,
    )
    return grant


def spent(window=None):
    events = figures.prepare(data.load().frames, today=timezone.localdate())
    return figures.figures(events, window=window or figures.Window()).loc[figures.ALL, "spent"]


def test_an_accepted_proof_counts_what_its_costs_used_on_the_day_it_was_accepted():
    staff = make_user(Role.STAFF)
    accepted = handed_in(hours="840", amount="42000.00", own="1000")
    handed_in()  # submitted, not checked: not counted
    accept_every_line(accepted, staff)
    review_final_report(
        grant=accepted, actor=staff, accept=True, comment="", expected_state="submitted"
    )

    # €42,000 personnel + €2,100 overhead, less the €1,000 own contribution, in cents.
    assert spent() == 4_310_000
    today = timezone.localdate()
    assert spent(figures.Window(start=today, end=today)) == 4_310_000
    assert spent(figures.Window(end=today - dt.timedelta(days=1))) == 0
    assert accepted.final_report.proof_of_use.accepted_grant_spent == Decimal("43100.00")
