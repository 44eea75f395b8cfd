"""Regression tests of the security review (issue 6, finding 7): staff input that gave 500s
or nonsense. Huge bulk ids, dates at the ends of the calendar, negative amounts, year 0 and
a question due in 9999 get clear messages; nothing is stored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from grants.models import Call, InformationRequest
from grants.services.calls import transition_call
from grants.services.errors import WorkflowError
from grants.services.screening import bulk_transition_applications, request_information
from grants.states import ApplicationState, CallState
from tests.factories import CallFactory, FundFactory
from tests.grants.staff.helpers import submit
from tests.grants.staff.test_calls import data_of, form_data

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Enter a date between 2000-01-01 and 2099-12-31."


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Bulk ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ids",
    [[str(2**64)], [str(2**63)], ["-1"], ["0"], ["1" * 400], ["²"], ["١٢"], ["1" * 23]],
    ids=str,
)
def test_bulk_ids_beyond_the_database_are_refused_with_a_message(staff_client, call, ids):
    application = submit(call)

    response = staff_client.post(
        reverse("staff_bulk_transition", kwargs={"slug": call.slug}),
        {"action": "mark_eligible", "applications": [str(application.pk), *ids]},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Select applications from the list."]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_too_many_bulk_ids_are_refused(staff_client, call):
    response = staff_client.post(
        reverse("staff_bulk_transition", kwargs={"slug": call.slug}),
        {"action": "mark_eligible", "applications": [str(n) for n in range(1, 502)]},
    )

    assert messages_of(response) == ["Select at most 500 applications at once."]


def test_the_bulk_service_refuses_ids_beyond_the_database(call, staff):
    application = submit(call)

    with pytest.raises(WorkflowError) as refused:
        bulk_transition_applications(
            call=call,
            application_ids=[application.pk, 2**70],
            transition_name="mark_eligible",
            actor=staff,
        )

    assert refused.value.message == "Some selected applications do not belong to this call."


# Call dates, amounts, year ---------------------------------------------------------------


@pytest.fixture
def fund(db):
    return FundFactory()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("closing_day", "9999-12-31"),
        ("closing_day", "1999-12-31"),
        ("closing_day", "2100-01-01"),
        ("opens_at", "0001-01-01T00:00"),
        ("opens_at", "9999-12-31T23:59"),
    ],
)
def test_call_dates_out_of_range_are_refused(staff_client, fund, field, value):
    response = staff_client.post(reverse("staff_call_create"), form_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [OUT_OF_RANGE]
    assert not Call.objects.exists()


def test_the_last_closing_day_in_range_is_accepted(staff_client, fund):
    staff_client.post(reverse("staff_call_create"), form_data(closing_day="2099-12-31"))

    assert Call.objects.get().closing_day == dt.date(2099, 12, 31)


def test_the_edit_form_refuses_out_of_range_dates_too(staff_client):
    call = CallFactory(state=CallState.DRAFT)

    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}),
        data_of(call, closing_day="9999-12-31", opens_at="0001-01-01T00:00"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closing_day": [OUT_OF_RANGE],
        "opens_at": [OUT_OF_RANGE],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget", "-1500000.00", "Ensure this value is greater than or equal to 1.00."),
        ("budget", "0", "Ensure this value is greater than or equal to 1.00."),
        ("hourly_rate", "-50.00", "Ensure this value is greater than or equal to 1.00."),
        ("year", "0", "Ensure this value is greater than or equal to 2000."),
        ("year", "32767", "Ensure this value is less than or equal to 2099."),
        ("round_number", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_negative_amounts_and_year_zero_are_refused(staff_client, fund, field, value, message):
    response = staff_client.post(reverse("staff_call_create"), form_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("budget", Decimal("-1500000"), "budget (€)"),
        ("hourly_rate", Decimal("-50"), "hourly rate (€)"),
    ],
)
def test_a_call_with_a_rule_out_of_bounds_cannot_open(staff, field, value, label):
    call = CallFactory(state=CallState.DRAFT)
    Call.objects.filter(pk=call.pk).update(**{field: value})  # e.g. from before the check
    call.refresh_from_db()

    with pytest.raises(WorkflowError) as refused:
        transition_call(
            call=call, actor=staff, transition_name="open", expected_state=CallState.DRAFT
        )

    assert refused.value.message == (
        f"The call cannot open: these settings are out of bounds: {label}."
    )
    call.refresh_from_db()
    assert call.state == CallState.DRAFT
    assert not call.has_valid_rules()


# Questions' due dates --------------------------------------------------------------------


@pytest.mark.parametrize("due_on", ["9999-12-31", "2099-01-01"])
def test_a_question_due_far_in_the_future_is_refused(staff_client, call, due_on):
    application = submit(call)
    latest = timezone.localdate() + dt.timedelta(days=90)

    response = staff_client.post(
        reverse("staff_request_information", kwargs={"pk": application.pk}),
        {"question": "Which cities take part?", "due_on": due_on},
    )

    assert response.status_code == 200
    assert response.context["information_form"].errors["due_on"] == [
        f"The due date can be at most 90 days ahead, until {latest.day} {latest:%B} {latest.year}."
    ]
    assert not InformationRequest.objects.exists()


def test_a_question_due_in_90_days_is_accepted(staff_client, call):
    application = submit(call)
    due_on = timezone.localdate() + dt.timedelta(days=90)

    staff_client.post(
        reverse("staff_request_information", kwargs={"pk": application.pk}),
        {"question": "Which cities take part?", "due_on": due_on.isoformat()},
    )

    assert InformationRequest.objects.get().due_on == due_on


def test_the_question_service_refuses_a_due_date_in_9999(call, staff):
    application = submit(call)

    with pytest.raises(WorkflowError) as refused:
        request_information(
            application=application,
            actor=staff,
            question="Which cities take part?",
            due_on=dt.date(9999, 12, 31),
        )

    assert "at most 90 days ahead" in refused.value.message
    assert list(refused.value.field_errors) == ["due_on"]
