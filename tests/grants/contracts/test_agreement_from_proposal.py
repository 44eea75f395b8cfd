"""What the agreement is made of: staff start from the proposal's milestones (their titles,
deliverables, order, and the award split by planned hours), an edit keeps each milestone in
its place, the grantee's timeline shows the offer, and the grantee accepts only a copy made
of this very agreement."""

from decimal import Decimal

import pytest

from core.errors import WorkflowError
from grants import events
from grants.contracts.services.agreements import (
    accept_agreement,
    offer_agreement,
    prepare_agreement,
    update_agreement,
)
from grants.models import Grant, PlannedMilestone
from grants.states import ApplicationState
from tests.factories import make_user
from tests.grants.contracts.helpers import approved_application, signing_copy, with_terms
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def offered(staff, application):
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    return offer_agreement(grant=grant, actor=staff, expected_version=grant.version)


def test_prepared_milestones_take_titles_deliverables_order_and_hours_from_the_proposal(staff):
    application = approved_application(amount="40000.00", milestones=(100, 200, 100))
    planned = PlannedMilestone.objects.filter(application=application)
    planned.filter(position=1).update(title="Open data API", deliverable="")
    planned.filter(position=2).update(title="", deliverable="")
    planned.filter(position=3).update(title="Dashboard", deliverable="Public dashboard")

    grant = prepare_agreement(application=application, actor=staff)

    assert list(grant.milestones.values_list("position", "title", "deliverable", "amount")) == [
        (1, "Open data API", "Open data API", Decimal("10000.00")),
        (2, "Milestone 2", "–", Decimal("20000.00")),
        (3, "Dashboard", "Public dashboard", Decimal("10000.00")),
    ]


def test_without_hours_for_every_milestone_the_award_is_split_evenly(staff):
    """A proposal approved before hours were required: a milestone without hours would
    otherwise get nothing, and a milestone must pay something."""
    application = approved_application(amount="30000.00", milestones=(100, None, 300))

    grant = prepare_agreement(application=application, actor=staff)

    assert list(grant.milestones.values_list("position", "amount")) == [
        (1, Decimal("10000.00")),
        (2, Decimal("10000.00")),
        (3, Decimal("10000.00")),
    ]


def test_an_edited_agreement_keeps_each_milestone_in_its_place(staff):
    grant = prepare_agreement(application=approved_application(), actor=staff)
    before = list(grant.milestones.order_by("position"))
    plan = [
        {"title": f"Step {n}", "deliverable": "D", "due_on": m.due_on, "amount": m.amount}
        for n, m in enumerate(before[:2], start=1)
    ]
    plan[1]["amount"] = grant.amount - plan[0]["amount"]

    update_agreement(
        grant=grant,
        actor=staff,
        expected_version=grant.version,
        starts_on=grant.starts_on,
        milestones=plan,
    )

    assert list(grant.milestones.order_by("position").values_list("pk", "position", "title")) == [
        (before[0].pk, 1, "Step 1"),
        (before[1].pk, 2, "Step 2"),
    ]


def test_the_offer_is_on_the_grantees_timeline_and_the_preparation_is_not(staff):
    offered(staff, approved_application())

    visible = dict(
        TransitionLog.objects.filter(
            action__in=[events.AGREEMENT_PREPARED, events.AGREEMENT_OFFERED]
        ).values_list("action", "visible_to_applicant")
    )

    assert visible == {events.AGREEMENT_PREPARED: False, events.AGREEMENT_OFFERED: True}


def test_the_copy_of_the_grantees_other_agreement_is_refused(staff):
    owner = make_user()
    grant = offered(staff, approved_application(owner=owner))
    other = offered(staff, approved_application(owner=owner))
    copy_of_the_other = signing_copy(other)

    with pytest.raises(WorkflowError) as refused:
        accept_agreement(
            application=grant.application,
            actor=owner,
            document=copy_of_the_other,
            sha256=copy_of_the_other.sha256,
        )

    assert refused.value.message == "This agreement cannot be accepted (any more)."
    grant = Grant.objects.select_related("application").get(pk=grant.pk)
    assert (grant.application.state, grant.accepted_at, grant.accepted_document) == (
        ApplicationState.APPROVED,
        None,
        None,
    )
