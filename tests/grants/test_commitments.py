"""One definition of committed and disbursed (grants.contracts.commitments), summed by the budget
checks, the grant pages, the grant list, finance and the ministry's figures alike."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.commitments import budget_taken, budget_taken_by_topic, committed_total
from grants.contracts.queries import money_by_call_and_topic
from grants.contracts.services.agreements import decline_award
from grants.contracts.services.closing import terminate_grant
from grants.models import Grant, Payment
from grants.states import ApplicationState as S
from tests.accounts.helpers import sign_in
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    TopicFactory,
    make_grant,
    make_user,
    set_state,
)
from tests.grants.contracts.helpers import accept, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Jonas Becker")


@pytest.fixture
def money(staff):
    """One call and topic with a running grant (one milestone paid), a terminated grant
    (one milestone released, not paid yet), a declined award, an award awaiting signature;
    and a grant of another topic and one of another call."""
    call = CallFactory(slug="round-money")
    topic = TopicFactory(fund=call.fund)
    other_topic = TopicFactory(fund=call.fund, slug="civic-tech", name_en="Civic Tech")

    running = make_grant(ApplicationFactory(call=call, topic=topic))
    first = running.milestones.first()
    report(first)
    accept(first, staff)
    Payment.objects.create(
        grant=running,
        milestone=first,
        kind="paid",
        amount=first.amount,
        created_by=staff,
        paid_on=timezone.localdate(),
        bank_reference="R-1",
    )

    terminated = make_grant(ApplicationFactory(call=call, topic=topic))
    released = terminated.milestones.first()
    report(released)
    accept(released, staff)
    terminate_grant(grant=terminated, actor=staff, reason="Gave up.", expected_state=S.FUNDED)

    declined = make_grant(ApplicationFactory(call=call, topic=topic), state="approved")
    decline_award(application=declined.application, actor=declined.application.owner)

    awaiting = make_grant(ApplicationFactory(call=call, topic=topic), state="approved")
    make_grant(ApplicationFactory(call=call, topic=other_topic), amounts=("1000.00",))
    make_grant(ApplicationFactory(topic=topic), amounts=("5.00",))
    return {
        "call": call,
        "topic": topic,
        "running": running,
        "terminated": terminated,
        "declined": declined,
        "awaiting": awaiting,
    }


# The whole award of the running grant, the released milestone of the terminated one.
COMMITTED = Decimal("44887.50") + Decimal("15000.00")


def test_committed_counts_signed_awards_and_what_a_terminated_grant_released(money):
    call, topic = money["call"], money["topic"]
    in_topic = Grant.objects.filter(application__call=call, application__topic=topic)
    assert committed_total(in_topic) == COMMITTED
    assert committed_total(Grant.objects.filter(pk=money["declined"].pk)) == 0
    assert committed_total(Grant.objects.filter(pk=money["awaiting"].pk)) == 0
    rows = {(row["call_id"], row["topic_id"]): row for row in money_by_call_and_topic()}
    assert rows[(call.pk, topic.pk)] == {
        "call_id": call.pk,
        "topic_id": topic.pk,
        "committed": COMMITTED,
        "released": Decimal("30000.00"),
        "paid": Decimal("15000.00"),
    }
    assert rows[(call.pk, TopicFactory(fund=call.fund, slug="civic-tech").pk)]["committed"] == (
        Decimal("1000.00")
    )


def test_the_budget_also_holds_awards_awaiting_signature_but_not_declined_ones(money):
    call = money["call"]
    awaiting = money["awaiting"].amount
    assert budget_taken(call) == COMMITTED + Decimal("1000.00") + awaiting
    assert call.committed_amount() == budget_taken(call)


def test_the_budget_taken_per_topic_adds_up_to_the_budget_taken(money):
    call, topic = money["call"], money["topic"]
    other = TopicFactory(fund=call.fund, slug="civic-tech")
    by_topic = budget_taken_by_topic(call)
    assert by_topic == {
        topic.pk: COMMITTED + money["awaiting"].amount,
        other.pk: Decimal("1000.00"),
    }
    assert call.committed_by_topic() == by_topic
    assert sum(by_topic.values()) == budget_taken(call)
    assert budget_taken_by_topic(CallFactory()) == {}


def test_an_approved_application_without_an_agreement_takes_budget():
    call = CallFactory()
    application = ApplicationFactory(call=call, awarded_amount=Decimal("10000.00"))
    set_state(application, S.APPROVED)
    set_state(ApplicationFactory(call=call, awarded_amount=Decimal("999.00")), S.WITHDRAWN)
    set_state(ApplicationFactory(call=call), S.REJECTED)
    assert budget_taken(call) == Decimal("10000.00")
    assert budget_taken(CallFactory()) == Decimal("0.00")


def test_finance_and_the_ministry_dashboard_show_the_same_committed_figure(client, money):
    call, topic = money["call"], money["topic"]
    sign_in(client, make_user(Role.STAFF))
    finance = client.get(reverse("staff_finance")).content.decode()
    row = re.search(
        rf"<th scope=\"row\">{re.escape(call.title_en)}</th><td>Open Data</td>"
        r"<td class=\"number\">([^<]+)</td><td class=\"number\">([^<]+)</td>"
        r"<td class=\"number\">([^<]+)</td>",
        finance,
    )
    assert row.groups() == ("€59,887.50", "€30,000.00", "€15,000.00")

    sign_in(client, make_user(Role.MINISTRY))
    dashboard = client.get(
        reverse("ministry_dashboard"), {"call": call.slug, "topic": topic.slug}
    ).content.decode()
    figures = {
        label: value
        for value, label in re.findall(
            r'<span class="figure-value">([^<]+)</span> <span class="figure-label">([^<]+)</span>',
            dashboard,
        )
    }
    assert figures["Committed"] == "€59,887.50"
    assert figures["Disbursed"] == "€15,000.00"
    # Both pages explain the two figures with the same words.
    definition = "A terminated grant commits only what was released for it"
    assert definition in finance
    assert definition in dashboard


def test_a_declined_award_commits_nothing_and_is_never_late(client, money, staff):
    declined = money["declined"]
    Grant.objects.filter(pk=declined.pk).update(starts_on=timezone.localdate().replace(year=2020))
    declined.milestones.update(due_on=timezone.localdate().replace(year=2020))
    sign_in(client, staff)
    page = client.get(reverse("staff_grant", args=[declined.pk])).content.decode()
    assert re.search(r"Committed</th><td class=\"number\">€0.00</td>", page)
    assert re.search(r"Award</th><td class=\"number\">€44,887.50</td>", page)
    listing = client.get(reverse("staff_portfolio")).content.decode()
    row = listing[listing.index(declined.funding_reference) :]
    row = row[: row.index("</tr>")]
    assert "report" not in row  # no "Late: 5 reports"
    assert "badge-late" not in row
