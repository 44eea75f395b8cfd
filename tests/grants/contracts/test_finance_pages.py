"""The finance pages in use: the hold is marked, the selection and its total are shown before
a file is made, the batch page downloads the same file, records payment or cancellation,
and bad input gets a message, never a 500."""

import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.bank_details import change_bank_details
from grants.models import BankDetailsCheck, Payment, SepaBatch
from tests.accounts.helpers import sign_in
from tests.factories import IBAN, make_grant, make_user
from tests.grants.contracts.helpers import accept, confirm_account, report, signed_grant

pytestmark = pytest.mark.django_db
NEW_IBAN = "DE13430609671234567890"


@pytest.fixture
def finance():
    return make_user(Role.STAFF, full_name="Mara Klein")


def released_grant(staff, count=2, **kwargs):
    grant = make_grant(**kwargs)
    for milestone in list(grant.milestones.all())[:count]:
        report(milestone)
        accept(milestone, staff)
    return grant


def page(client, url_name, *args, **params):
    return client.get(reverse(url_name, args=args), params).content.decode()


def test_held_grants_are_marked_and_cannot_be_selected(client, staff, finance):
    grant = signed_grant(staff)
    first = grant.milestones.first()
    report(first)
    accept(first, staff)
    sign_in(client, finance)

    html = page(client, "staff_finance")

    assert "No account waits for confirmation." not in html
    assert (
        f'href="/staff/finance/grants/{grant.pk}/bank-details/">{grant.funding_reference}' in html
    )
    payment = Payment.objects.get()
    assert f'value="{payment.pk}"' not in html  # no checkbox for a held payment
    assert '<span class="badge badge-late">on hold</span>' in html
    response = client.post(
        reverse("staff_sepa_review"),
        {"payments": [payment.pk], "execution_date": timezone.localdate().isoformat()},
    )
    assert "Select at least one payment that you may export" in response.content.decode()
    assert not SepaBatch.objects.exists()


def test_the_account_is_confirmed_on_the_logged_bank_details_page(client, staff, finance):
    grant = signed_grant(staff)
    sign_in(client, staff)
    html = page(client, "staff_bank_details", grant.pk)
    assert IBAN in html and "Confirm the account" in html
    check = BankDetailsCheck.objects.get()

    response = client.post(
        reverse("staff_bank_details_confirm", args=[check.pk]),
        {"expected_state": "pending", "note": ""},
    )
    assert "This field is required." in response.content.decode()
    assert BankDetailsCheck.objects.get().state == "pending"

    response = client.post(
        reverse("staff_bank_details_confirm", args=[check.pk]),
        {"expected_state": "pending", "note": "Called +49 30 123 (application), IBAN read back."},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.state, check.confirmed_by, check.note) == (
        "confirmed",
        staff,
        "Called +49 30 123 (application), IBAN read back.",
    )
    # Again (a second tab): a clear message, nothing changes.
    client.post(
        reverse("staff_bank_details_confirm", args=[check.pk]),
        {"expected_state": "pending", "note": "Twice."},
    )
    check.refresh_from_db()
    assert check.note == "Called +49 30 123 (application), IBAN read back."


def test_review_shows_the_total_then_the_file_is_made_and_downloaded(client, staff, finance):
    grants = [released_grant(staff), released_grant(staff, count=1)]
    sign_in(client, finance)
    html = page(client, "staff_finance")
    ids = list(Payment.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        assert f'value="{pk}" id="sepa-{pk}" data-cents="1500000"' in html
    chosen = ids[:2]
    today = timezone.localdate().isoformat()

    review = client.post(
        reverse("staff_sepa_review"), {"payments": chosen, "execution_date": today}
    )

    html = review.content.decode()
    assert "2 payments, total €30,000.00, to be executed on" in html
    assert not SepaBatch.objects.exists()  # nothing recorded yet
    response = client.post(
        reverse("staff_sepa_export"), {"payments": chosen, "execution_date": today}
    )
    batch = SepaBatch.objects.get()
    assert response["Location"] == reverse("staff_sepa_batch", args=[batch.pk])
    html = page(client, "staff_sepa_batch", batch.pk)
    assert batch.sha256 in html and "€30,000.00" in html and IBAN not in html
    download = client.get(reverse("staff_sepa_batch_file", args=[batch.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{batch.file_name}"'
    assert "no-store" in download["Cache-Control"]
    assert hashlib.sha256(download.content).hexdigest() == batch.sha256
    assert client.get(reverse("staff_sepa_batch_file", args=[batch.pk])).content == download.content
    # The finance page: the file in transfer, its payments gone from the selection.
    html = page(client, "staff_finance")
    assert batch.message_id in html and "In transfer" in html
    for pk in chosen:
        assert f'value="{pk}"' not in html
    assert f'value="{ids[2]}"' in html
    # Exporting the same payments again (a second tab) makes no second file.
    response = client.post(
        reverse("staff_sepa_export"), {"payments": chosen, "execution_date": today}
    )
    assert response.status_code == 302
    assert SepaBatch.objects.count() == 1
    assert page(client, "staff_finance").count(f">{batch.message_id}</a>") == 1
    assert grants[1].milestones.first().state == "accepted"


def test_a_file_is_marked_paid_or_cancelled_on_its_page(client, staff, finance):
    released_grant(staff)
    sign_in(client, finance)
    today = timezone.localdate().isoformat()
    ids = list(Payment.objects.values_list("pk", flat=True))
    client.post(reverse("staff_sepa_export"), {"payments": ids, "execution_date": today})
    batch = SepaBatch.objects.get()
    paid_url = reverse("staff_sepa_batch_paid", args=[batch.pk])

    for data, message in (
        ({"paid_on": "2099-01-01", "bank_reference": "R"}, "cannot lie in the future"),
        ({"paid_on": "12.13.2026", "bank_reference": "R"}, "Enter a valid date."),
        ({"paid_on": today, "bank_reference": ""}, "This field is required."),
        ({"paid_on": today, "bank_reference": "x" * 5000}, "Ensure this value has at most 100"),
    ):
        response = client.post(paid_url, {"expected_state": "exported", **data})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert SepaBatch.objects.get().state == "exported"

    response = client.post(
        paid_url, {"expected_state": "exported", "paid_on": today, "bank_reference": "BANK-7"}
    )
    assert response.status_code == 302
    assert SepaBatch.objects.get().state == "paid"
    assert set(Payment.objects.filter(kind="paid").values_list("bank_reference", flat=True)) == {
        "BANK-7"
    }
    # A cancellation of a paid file (an old tab) changes nothing.
    response = client.post(
        reverse("staff_sepa_batch_cancel", args=[batch.pk]),
        {"expected_state": "exported", "reason": "Oops", "confirm": "on"},
    )
    assert response.status_code == 302
    assert SepaBatch.objects.get().state == "paid"


def test_a_cancelled_file_frees_its_payments(client, staff, finance):
    released_grant(staff)
    sign_in(client, finance)
    ids = list(Payment.objects.values_list("pk", flat=True))
    today = timezone.localdate().isoformat()
    client.post(reverse("staff_sepa_export"), {"payments": ids, "execution_date": today})
    batch = SepaBatch.objects.get()
    url = reverse("staff_sepa_batch_cancel", args=[batch.pk])
    response = client.post(url, {"expected_state": "exported", "reason": "Rejected."})
    assert "This field is required." in response.content.decode()  # the confirmation box
    response = client.post(
        url, {"expected_state": "exported", "reason": "The bank rejected it.", "confirm": "on"}
    )
    assert response.status_code == 302
    html = page(client, "staff_sepa_batch", batch.pk)
    assert "Cancelled" in html and "The bank rejected it." in html
    assert all(f'value="{pk}"' in page(client, "staff_finance") for pk in ids)


def test_who_released_sees_why_they_cannot_export_or_mark_paid(client, staff, finance):
    released_grant(staff, count=1)
    sign_in(client, staff)
    html = page(client, "staff_finance")
    assert "released by you" in html
    assert "None of these payments can go into a transfer file made by you now." in html
    sign_in(client, finance)
    client.post(
        reverse("staff_sepa_export"),
        {
            "payments": list(Payment.objects.values_list("pk", flat=True)),
            "execution_date": timezone.localdate().isoformat(),
        },
    )
    batch = SepaBatch.objects.get()
    sign_in(client, staff)
    html = page(client, "staff_sepa_batch", batch.pk)
    assert "so someone else records its execution (four eyes)" in html
    assert "Mark every payment in this file as paid" not in html


@pytest.mark.parametrize(
    "payments",
    [["²"], ["99999999999999999999999"], ["-1"], ["javascript:alert(1)"], [""]],
)
def test_hostile_selections_get_a_message(client, staff, finance, payments):
    released_grant(staff, count=1)
    sign_in(client, finance)
    for url_name in ("staff_sepa_review", "staff_sepa_export"):
        response = client.post(
            reverse(url_name),
            {"payments": payments, "execution_date": timezone.localdate().isoformat()},
            follow=True,
        )
        assert response.status_code == 200
        assert "Select at least one payment" in response.content.decode() or (
            "No transfer file was made" in response.content.decode()
        )
    assert not SepaBatch.objects.exists()


@pytest.mark.parametrize("execution_date", ["", "2001-01-01", "9999-12-31", "x" * 3000])
def test_hostile_execution_dates_get_a_message(client, staff, finance, execution_date):
    released_grant(staff, count=1)
    sign_in(client, finance)
    payment = Payment.objects.get()
    response = client.post(
        reverse("staff_sepa_export"),
        {"payments": [payment.pk], "execution_date": execution_date},
        follow=True,
    )
    assert response.status_code == 200
    assert "No transfer file was made" in response.content.decode() or re.search(
        "execution date", response.content.decode()
    )
    assert not SepaBatch.objects.exists()


def test_the_grantee_sees_that_a_new_account_waits(client, staff):
    grant = signed_grant(staff)
    confirm_account(grant, staff)
    owner = grant.application.owner
    client.force_login(owner)
    assert "waits for our call to confirm it" not in page(client, "grantee_grant", grant.pk)
    change_bank_details(grant=grant, actor=owner, account_holder="Ada", iban=NEW_IBAN, bic="")
    assert "waits for our call to confirm it" in page(client, "grantee_grant", grant.pk)
    sign_in(client, staff)
    assert "on hold: confirm the account" in page(client, "staff_grant", grant.pk)
