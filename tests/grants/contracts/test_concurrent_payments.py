"""Two programme staff act on the same money at the same moment (PostgreSQL only: SQLite
serialises writers, so it cannot show the race). Whatever the interleaving, a milestone is
released once, goes into one transfer file and is paid once, and nothing beyond the award
is ever recorded."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.batches import export_sepa_batch, mark_sepa_batch_paid
from grants.contracts.services.milestones import review_milestone_report
from grants.models import Grant, Milestone, Payment, SepaBatch, SepaBatchItem
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import report

pytestmark = pytest.mark.postgresql


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


def released_grant(staff, amounts=("15000.00", "15000.00", "14887.50")):
    grant = make_grant(amounts=amounts)
    for milestone in grant.milestones.all():
        report(milestone)
        review_milestone_report(
            milestone=milestone,
            actor=staff,
            accept=True,
            comment="",
            expected_state="report_submitted",
        )
    return grant


@pytest.mark.django_db(transaction=True)
def test_two_exports_at_once_never_put_a_payment_into_two_files(staff):
    grants = [released_grant(staff), released_grant(staff)]
    payment_ids = list(Payment.objects.values_list("pk", flat=True))
    finance = [make_user(Role.STAFF), make_user(Role.STAFF)]

    def export(actor):
        return lambda: export_sepa_batch(
            actor=actor, payment_ids=payment_ids, execution_date=timezone.localdate()
        )

    outcomes = race(export(finance[0]), export(finance[1]))

    assert sorted(outcomes) == ["WorkflowError", "done"]
    assert SepaBatch.objects.count() == 1
    items = SepaBatchItem.objects.filter(active=True)
    assert sorted(items.values_list("payment_id", flat=True)) == sorted(payment_ids)
    assert SepaBatch.objects.get().total == sum(g.amount for g in grants)


@pytest.mark.django_db(transaction=True)
def test_overlapping_exports_at_once_share_no_payment(staff):
    released_grant(staff)
    released_grant(staff)
    first, second, third, *rest = Payment.objects.order_by("pk").values_list("pk", flat=True)
    finance = [make_user(Role.STAFF) for _ in range(3)]
    selections = ([first, second, third], [third, *rest], [second, *rest])

    outcomes = race(
        *(
            (
                lambda actor=actor, ids=ids: export_sepa_batch(
                    actor=actor, payment_ids=ids, execution_date=timezone.localdate()
                )
            )
            for actor, ids in zip(finance, selections, strict=True)
        )
    )

    assert outcomes.count("done") >= 1
    active = list(SepaBatchItem.objects.filter(active=True).values_list("payment_id", flat=True))
    assert len(active) == len(set(active))
    for batch in SepaBatch.objects.all():
        assert batch.items.count() == batch.payment_count


@pytest.mark.django_db(transaction=True)
def test_two_staff_mark_the_same_file_paid_at_once(staff, other_staff):
    grant = released_grant(staff)
    exporter = make_user(Role.STAFF)
    batch = export_sepa_batch(
        actor=exporter,
        payment_ids=list(Payment.objects.values_list("pk", flat=True)),
        execution_date=timezone.localdate(),
    )

    def pay(actor, reference):
        return lambda: mark_sepa_batch_paid(
            batch=SepaBatch.objects.get(pk=batch.pk),
            actor=actor,
            paid_on=timezone.localdate(),
            bank_reference=reference,
            expected_state="exported",
        )

    outcomes = race(pay(other_staff, "REF-A"), pay(exporter, "REF-B"))

    assert sorted(outcomes) == ["StaleObjectError", "done"]
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
    grant = released_grant(staff, amounts=("100.00", "100.00", "100.00", "100.00"))
    payments = list(Payment.objects.filter(grant=grant))
    people = [make_user(Role.STAFF) for _ in payments]

    def export_and_pay(person, payment):
        def run():
            batch = export_sepa_batch(
                actor=person, payment_ids=[payment.pk], execution_date=timezone.localdate()
            )
            mark_sepa_batch_paid(
                batch=batch,
                actor=person,
                paid_on=timezone.localdate(),
                bank_reference=f"R{payment.pk}",
                expected_state="exported",
            )

        return run

    outcomes = race(
        *(export_and_pay(p, payment) for p, payment in zip(people, payments, strict=True))
    )

    assert outcomes == ["done"] * 4
    assert Payment.objects.filter(grant=grant, kind="paid").aggregate(t=Sum("amount"))[
        "t"
    ] == Decimal("400.00")
    assert_within_award(grant)
