"""SEPA transfer files recorded as batches: a payment is in one file at a time, the file is
kept (encrypted) and downloaded again byte for byte, names are in SEPA's Latin character
set, paid and cancelled per batch, and four eyes between releasing and paying."""

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sepaxml
import time_machine
import xmlschema
from django.utils import timezone

from accounts.roles import Role
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
from grants.contracts.bank import decrypt_bytes, encrypt_bytes
from grants.contracts.queries import payments_to_transfer
from grants.contracts.sepa import message_id, sepa_text
from grants.contracts.services.batches import (
    batch_file,
    cancel_sepa_batch,
    export_sepa_batch,
    mark_sepa_batch_paid,
)
from grants.contracts.services.finance import read_bank_details
from grants.models import Milestone, Payment, SepaBatch, SepaBatchItem
from tests.factories import IBAN, make_grant, make_user
from tests.grants.contracts.helpers import accept, report
from workflow.models import TransitionLog
from workflow.transitions import fire_transition

pytestmark = pytest.mark.django_db
PAIN_001 = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
TODAY = timezone.localdate
BERLIN = ZoneInfo("Europe/Berlin")
# What a SEPA name or remittance text may hold (the EPC's Latin character set).
SEPA_LATIN = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]*$")


@pytest.fixture
def finance():
    """The member of staff who makes the transfer files (not the one who released)."""
    return make_user(Role.STAFF, full_name="Mara Klein")


def released(staff, *, grants=1, per_grant=2, **grant_kwargs):
    """Grants whose first ``per_grant`` milestones ``staff`` accepted (payments released)."""
    made = []
    for _ in range(grants):
        grant = make_grant(**grant_kwargs)
        for milestone in list(grant.milestones.all())[:per_grant]:
            report(milestone)
            accept(milestone, staff)
        made.append(grant)
    return made


def payment_ids():
    return list(Payment.objects.filter(kind="released").order_by("pk").values_list("pk", flat=True))


def export(actor, ids=None, execution_date=None):
    return export_sepa_batch(
        actor=actor,
        payment_ids=payment_ids() if ids is None else ids,
        execution_date=execution_date or TODAY(),
    )


def snapshot():
    """What a refused step must leave unchanged."""
    return (
        list(SepaBatch.objects.order_by("pk").values_list("pk", "state", "paid_on")),
        list(SepaBatchItem.objects.order_by("pk").values_list("pk", "active")),
        list(Payment.objects.order_by("pk").values_list("pk", "kind")),
        list(Milestone.objects.order_by("pk").values_list("pk", "state")),
    )


def transactions(content: bytes) -> tuple[dict, list[dict]]:
    schema = xmlschema.XMLSchema(PAIN_001)
    schema.validate(content.decode())
    document = schema.to_dict(content.decode())["CstmrCdtTrfInitn"]
    return document, [tx for info in document["PmtInf"] for tx in info["CdtTrfTxInf"]]


# The file -------------------------------------------------------------------------------


def test_names_and_remittance_texts_use_the_sepa_latin_character_set():
    assert sepa_text("Jörg Müller-Łukasz ß & <Co>", 70) == "Joerg Mueller-Lukasz ss + Co"
    assert sepa_text("Zoë Ørsted; “quotes” {x} @ home", 70) == "Zoe Orsted quotes x home"
    assert sepa_text("A" * 80, 70) == "A" * 70
    assert sepa_text("😀", 70) == ""


def test_the_file_holds_sanitised_names_and_validates(staff, finance):
    grant = released(staff, per_grant=1)[0]
    owner = grant.application.owner
    owner.language = "de"
    owner.save()
    grant.account_holder = "Jörg Müller-Łukasz ß & <Co>"
    grant.save()
    grant.milestones.filter(position=1).update(title="Übersetzung & <Export>")

    batch = export(finance)

    document, (transfer,) = transactions(batch_file(batch=batch, actor=finance))
    assert transfer["Cdtr"]["Nm"] == "Joerg Mueller-Lukasz ss + Co"
    assert transfer["RmtInf"]["Ustrd"] == [
        f"{grant.funding_reference} Meilenstein 1: Uebersetzung + Export"
    ]
    assert SEPA_LATIN.match(document["GrpHdr"]["InitgPty"]["Nm"])
    assert transfer["CdtrAcct"]["Id"]["IBAN"] == IBAN
    assert transfer["PmtId"]["EndToEndId"] == f"{grant.funding_reference}-M1-B{batch.pk}"
    assert SepaBatchItem.objects.get().account_holder == "Joerg Mueller-Lukasz ss + Co"


def test_the_message_id_has_the_batch_number_and_a_24_hour_clock(staff, finance):
    released(staff, per_grant=1)
    evening = dt.datetime(2026, 3, 12, 21, 48, 37, tzinfo=BERLIN)
    with time_machine.travel(evening, tick=False):
        batch = export(finance, execution_date=evening.date())
        document, _ = transactions(batch_file(batch=batch, actor=finance))
    assert batch.message_id == f"B{batch.pk:06d}-20260312214837"
    assert document["GrpHdr"]["MsgId"] == batch.message_id
    assert message_id(7, evening.replace(hour=9)) == "B000007-20260312094837"


def test_an_export_is_recorded_as_a_batch_and_its_file_kept(staff, finance):
    grants = released(staff, grants=2)
    ids = payment_ids()

    batch = export(finance, ids)

    assert (batch.created_by, batch.payment_count, batch.total) == (
        finance,
        4,
        Decimal("60000.00"),
    )
    assert batch.state == "exported"
    assert sorted(batch.items.values_list("payment_id", flat=True)) == ids
    first = batch_file(batch=batch, actor=finance)
    second = batch_file(batch=batch, actor=finance)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == batch.sha256
    assert batch.file_name == f"sepa-{batch.message_id}.xml"
    # Stored encrypted: the clear IBAN is not in the row.
    assert IBAN.encode() in first
    assert IBAN not in SepaBatch.objects.values_list("file_encrypted", flat=True).get()
    document, found = transactions(first)
    assert document["GrpHdr"]["CtrlSum"] == Decimal("60000.00")
    assert [tx["Amt"]["InstdAmt"]["$"] for tx in found] == [Decimal("15000.00")] * 4
    # Every reading of the clear IBANs is logged: making the file and each download.
    reads = TransitionLog.objects.filter(action="grants.grant.bank_details_read")
    assert reads.count() == 4 + 2 * 4
    assert set(reads.values_list("object_id", flat=True)) == {g.pk for g in grants}
    assert TransitionLog.objects.filter(action="grants.sepabatch.downloaded").count() == 2
    assert not TransitionLog.objects.filter(data__icontains=IBAN).exists()


def test_a_tampered_stored_file_is_refused(staff, finance):
    released(staff, per_grant=1)
    batch = export(finance)
    content = decrypt_bytes(batch.file_encrypted)
    SepaBatch.objects.filter(pk=batch.pk).update(
        file_encrypted=encrypt_bytes(content.replace(b"15000.00", b"99999.00"))
    )
    batch.refresh_from_db()
    with pytest.raises(WorkflowError, match="does not match its checksum"):
        batch_file(batch=batch, actor=finance)


# One file per payment ---------------------------------------------------------------------


def test_a_payment_in_transfer_goes_into_no_other_file(staff, finance, other_staff):
    released(staff)
    first = export(finance)
    before = snapshot()

    with pytest.raises(WorkflowError, match=f"in the transfer file {first.message_id} already"):
        export(other_staff)

    assert snapshot() == before
    assert list(payments_to_transfer(viewer=finance)) == []


def test_cancelling_a_file_frees_its_payments_for_a_new_one(staff, finance):
    grant = released(staff)[0]
    first = export(finance)
    with pytest.raises(WorkflowError, match="reason"):
        cancel_sepa_batch(batch=first, actor=finance, reason="  ", expected_state="exported")
    assert SepaBatch.objects.get().state == "exported"

    cancel_sepa_batch(
        batch=first, actor=finance, reason="The bank rejected the file.", expected_state="exported"
    )

    first.refresh_from_db()
    assert (first.state, first.cancel_reason, first.closed_by) == (
        "cancelled",
        "The bank rejected the file.",
        finance,
    )
    assert not first.items.filter(active=True).exists()
    assert TransitionLog.objects.get(action="grants.sepabatch.cancelled").note == (
        "The bank rejected the file."
    )
    assert TransitionLog.objects.filter(action="grants.application.sepa_released").count() == 2
    second = export(finance)
    ids = set(second.items.values_list("end_to_end_id", flat=True))
    assert ids == {f"{grant.funding_reference}-M{n}-B{second.pk}" for n in (1, 2)}
    assert ids.isdisjoint(first.items.values_list("end_to_end_id", flat=True))


def test_marking_a_file_paid_pays_every_payment_in_it(staff, finance):
    grant = released(staff)[0]
    batch = export(finance)

    mark_sepa_batch_paid(
        batch=batch,
        actor=finance,
        paid_on=TODAY(),
        bank_reference="  BANK   2026-17 ",
        expected_state="exported",
    )

    batch.refresh_from_db()
    assert (batch.state, batch.paid_on, batch.bank_reference) == ("paid", TODAY(), "BANK 2026-17")
    assert list(
        Payment.objects.filter(kind="paid").values_list("milestone__position", "bank_reference")
    ) == [(1, "BANK 2026-17"), (2, "BANK 2026-17")]
    assert list(grant.milestones.values_list("state", flat=True)) == ["paid", "paid", "planned"]
    # Paid: it can neither be paid again nor cancelled, nor exported again.
    before = snapshot()
    with pytest.raises(StaleObjectError):
        mark_sepa_batch_paid(
            batch=batch,
            actor=finance,
            paid_on=TODAY(),
            bank_reference="AGAIN",
            expected_state="exported",
        )
    with pytest.raises(TransitionRefused):
        cancel_sepa_batch(batch=batch, actor=finance, reason="Oops", expected_state="")
    with pytest.raises(WorkflowError, match="has been paid already"):
        export(finance)
    assert snapshot() == before


@pytest.mark.parametrize(("days", "allowed"), [(-1, False), (0, True), (365, True), (366, False)])
def test_the_execution_date_is_today_or_within_a_year(staff, finance, days, allowed):
    released(staff, per_grant=1)
    execution_date = TODAY() + dt.timedelta(days=days)
    if allowed:
        assert export(finance, execution_date=execution_date).execution_date == execution_date
    else:
        with pytest.raises(WorkflowError) as refusal:
            export(finance, execution_date=execution_date)
        assert "execution_date" in refusal.value.field_errors
        assert not SepaBatch.objects.exists()


@pytest.mark.parametrize(
    ("paid_on", "field"),
    [
        ("day before the file", "paid_on"),
        ("the file's day", None),
        ("tomorrow", "paid_on"),
    ],
)
def test_the_payment_date_lies_between_the_file_and_today(staff, finance, paid_on, field):
    released(staff, per_grant=1)
    made = timezone.now() - dt.timedelta(days=3)
    with time_machine.travel(made, tick=False):
        batch = export(finance)
    day = {
        "day before the file": timezone.localdate(made) - dt.timedelta(days=1),
        "the file's day": timezone.localdate(made),
        "tomorrow": TODAY() + dt.timedelta(days=1),
    }[paid_on]
    if field is None:
        mark_sepa_batch_paid(
            batch=batch, actor=finance, paid_on=day, bank_reference="R", expected_state="exported"
        )
        assert SepaBatch.objects.get().paid_on == day
        return
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        mark_sepa_batch_paid(
            batch=batch, actor=finance, paid_on=day, bank_reference="R", expected_state="exported"
        )
    assert field in refusal.value.field_errors
    assert snapshot() == before


@pytest.mark.parametrize("reference", ["", "   ", "x" * 101])
def test_marking_paid_needs_a_bank_reference(staff, finance, reference):
    released(staff, per_grant=1)
    batch = export(finance)
    before = snapshot()
    with pytest.raises(WorkflowError) as refusal:
        mark_sepa_batch_paid(
            batch=batch,
            actor=finance,
            paid_on=TODAY(),
            bank_reference=reference,
            expected_state="exported",
        )
    assert "bank_reference" in refusal.value.field_errors
    assert snapshot() == before


def test_unknown_or_unreleased_payments_make_no_file(staff, finance):
    grant = released(staff, per_grant=1)[0]
    for ids in ([], [999_999], [*payment_ids(), 999_999]):
        with pytest.raises(WorkflowError, match="Select released payments"):
            export(finance, ids)
    assert not SepaBatch.objects.exists()
    assert grant.milestones.last().state == "planned"


# Four eyes and holds -----------------------------------------------------------------------


def test_who_released_a_payment_neither_exports_it_nor_marks_it_paid(staff, finance):
    released(staff, per_grant=1)
    before = snapshot()
    with pytest.raises(WorkflowError, match="released by you; someone else must export it"):
        export(staff)
    assert snapshot() == before

    batch = export(finance)
    before = snapshot()
    with pytest.raises(WorkflowError, match="someone else must mark it paid"):
        mark_sepa_batch_paid(
            batch=batch, actor=staff, paid_on=TODAY(), bank_reference="R", expected_state="exported"
        )
    assert snapshot() == before


def test_four_eyes_can_be_turned_off_for_a_fund_of_one(settings, staff):
    settings.PAYMENTS_FOUR_EYES = False
    released(staff, per_grant=1)
    batch = export(staff)
    mark_sepa_batch_paid(
        batch=batch, actor=staff, paid_on=TODAY(), bank_reference="R", expected_state="exported"
    )
    assert SepaBatch.objects.get().state == "paid"


def test_the_transitions_ask_the_rules(staff, finance):
    """Directly through fire_transition: the batch's own permissions, whatever a service
    checks first. A refusal changes nothing."""
    released(staff, per_grant=1)
    batch = export(finance)
    outsiders = [make_user(Role.APPLICANT), make_user(Role.MINISTRY), make_user(Role.JUROR)]
    before = snapshot()
    for person in [*outsiders, staff]:
        batch.paid_on = TODAY()
        with pytest.raises(TransitionRefused) as refusal:
            fire_transition(subject=batch, transition_name="mark_paid", actor=person)
        assert refusal.value.reason == "permission"
        batch.refresh_from_db()
    for person in outsiders:
        batch.cancel_reason = "No."
        with pytest.raises(TransitionRefused):
            fire_transition(subject=batch, transition_name="cancel", actor=person)
        batch.refresh_from_db()
    assert snapshot() == before
    batch.cancel_reason = "Never uploaded."
    fire_transition(subject=batch, transition_name="cancel", actor=staff)
    assert SepaBatch.objects.get().state == "cancelled"


def test_reading_bank_details_for_a_file_is_for_staff_only(staff):
    grant = released(staff, per_grant=1)[0]
    for person in (grant.application.owner, make_user(Role.MINISTRY)):
        with pytest.raises(WorkflowError):
            read_bank_details(grant=grant, actor=person)
        with pytest.raises(WorkflowError):
            export(person)
    assert not TransitionLog.objects.filter(action="grants.grant.bank_details_read").exists()
