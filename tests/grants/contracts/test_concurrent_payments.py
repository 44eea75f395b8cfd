"""Two programme staff act on the same money at the same moment (PostgreSQL only: SQLite
serialises writers, so it cannot show the race). Whatever the interleaving, a milestone is
released once and paid once, and nothing beyond the award is ever recorded."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import timezone

from grants.contracts.services.finance import mark_paid
from grants.contracts.services.milestones import review_milestone_report
from grants.models import Grant, Milestone, Payment
from tests.factories import make_grant
from tests.grants.contracts.helpers import report

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"
)


def race(*actions):
    """Run the actions in threads released together by a barrier; their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "done"
        except Exception as error:  # reported by the assertions
            outcomes[index] = type(error).__name__
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def assert_within_award(grant):
    for kind in ("released", "paid"):
        total = Payment.objects.filter(grant=grant, kind=kind).aggregate(t=Sum("amount"))["t"]
        assert (total or Decimal("0")) <= grant.amount


@pytest.mark.django_db(transaction=True)
def test_two_staff_mark_the_same_milestones_paid_at_once(staff, other_staff):
    grant = make_grant()
    milestones = list(grant.milestones.all())
    for milestone in milestones:
        report(milestone)
        review_milestone_report(
            milestone=milestone,
            actor=staff,
            accept=True,
            comment="",
            expected_state="report_submitted",
        )

    def pay(actor, reference):
        return lambda: mark_paid(
            actor=actor,
            milestone_ids=[m.pk for m in milestones],
            paid_on=timezone.localdate(),
            bank_reference=reference,
        )

    outcomes = race(pay(staff, "REF-A"), pay(other_staff, "REF-B"))

    assert sorted(outcomes) == ["WorkflowError", "done"]
    paid = Payment.objects.filter(grant=grant, kind="paid")
    assert paid.count() == 3
    assert len(set(paid.values_list("bank_reference", flat=True))) == 1
    assert paid.aggregate(total=Sum("amount"))["total"] == grant.amount
    assert set(Milestone.objects.filter(grant=grant).values_list("state", flat=True)) == {"paid"}
    assert_within_award(grant)


@pytest.mark.django_db(transaction=True)
def test_two_staff_accept_the_same_report_at_once(staff, other_staff):
    grant = make_grant()
    milestone = grant.milestones.first()
    report(milestone)

    def accept(actor):
        return lambda: review_milestone_report(
            milestone=Milestone.objects.get(pk=milestone.pk),
            actor=actor,
            accept=True,
            comment="",
            expected_state="report_submitted",
        )

    outcomes = race(accept(staff), accept(other_staff))

    assert sorted(outcomes) == ["StaleObjectError", "done"]
    assert list(Payment.objects.filter(grant=grant).values_list("kind", "amount")) == [
        ("released", milestone.amount)
    ]
    assert_within_award(Grant.objects.get(pk=grant.pk))


@pytest.mark.django_db(transaction=True)
def test_many_staff_pay_different_milestones_at_once_stay_within_the_award(staff):
    from accounts.roles import Role
    from tests.factories import make_user

    grant = make_grant(amounts=("100.00", "100.00", "100.00", "100.00"))
    milestones = list(grant.milestones.all())
    for milestone in milestones:
        report(milestone)
        review_milestone_report(
            milestone=milestone,
            actor=staff,
            accept=True,
            comment="",
            expected_state="report_submitted",
        )
    people = [make_user(Role.STAFF) for _ in milestones]

    outcomes = race(
        *(
            (
                lambda m=m, p=p: mark_paid(
                    actor=p,
                    milestone_ids=[m.pk],
                    paid_on=timezone.localdate(),
                    bank_reference=f"R{m.pk}",
                )
            )
            for m, p in zip(milestones, people, strict=True)
        )
    )

    assert outcomes == ["done"] * 4
    assert Payment.objects.filter(grant=grant, kind="paid").aggregate(t=Sum("amount"))[
        "t"
    ] == Decimal("400.00")
    assert_within_award(grant)
