"""What the agreement is made of: staff start from the proposal's milestones (their titles,
deliverables, order, and the award split by planned hours), an edit keeps each milestone in
its place, the grantee's timeline shows the offer, and the grantee accepts only a copy made
of this very agreement."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

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
from tests.accounts.helpers import sign_in
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


def test_a_share_below_a_cent_still_pays_a_cent(staff):
    """An award typed far too small (1 € for 1 and 10,000 hours): the small milestone's
    share rounds to nothing, and a milestone paying nothing is refused by the database."""
    application = approved_application(amount="1.00", milestones=(1, 10_000))

    grant = prepare_agreement(application=application, actor=staff)

    assert list(grant.milestones.values_list("position", "amount")) == [
        (1, Decimal("0.01")),
        (2, Decimal("0.99")),
    ]


def test_an_award_of_one_cent_per_milestone_is_split(staff):
    application = approved_application(amount="0.03", milestones=(1, 100, 100))

    grant = prepare_agreement(application=application, actor=staff)

    assert list(grant.milestones.values_list("amount", flat=True)) == [Decimal("0.01")] * 3


def test_an_award_of_fewer_cents_than_milestones_is_refused_and_nothing_is_prepared(staff):
    application = approved_application(amount="0.02", milestones=(1, 100, 100))

    with translation.override("de"), pytest.raises(WorkflowError) as refused:
        prepare_agreement(application=application, actor=staff)

    assert refused.value.message == (
        "Die Bewilligung von 0,02\u00a0€ ist zu klein für 3 Meilensteine: "
        "jeder muss mindestens einen Cent auszahlen."
    )
    assert not Grant.objects.filter(application=application).exists()
    assert not TransitionLog.objects.filter(action=events.AGREEMENT_PREPARED).exists()


def test_staff_who_prepare_a_too_small_award_are_told_why(client, staff):
    application = approved_application(amount="0.01", milestones=(10, 20))
    sign_in(client, staff)

    response = client.post(reverse("staff_agreement_prepare", args=[application.pk]))

    assert response.status_code == 302
    assert response.url == reverse("staff_portfolio")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The award of €0.01 is too small for 2 milestones: each must pay at least one cent."
    ]
    assert not Grant.objects.filter(application=application).exists()


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
