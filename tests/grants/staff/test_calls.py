import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from grants.models import Call, TransitionLog
from grants.states import ApplicationState, CallState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import CallFactory, FundFactory, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa, submit

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def call_log(call):
    return list(
        TransitionLog.objects.filter(content_type__model="call", object_id=call.pk).values_list(
            "action", "from_state", "to_state", "note"
        )
    )


def form_data(**overrides):
    data = {
        "slug": "2027-round-1",
        "year": "2027",
        "round_number": "1",
        "title_de": "Förderrunde 2027/1",
        "title_en": "Funding round 2027/1",
        "description_de": "Prototypen für das Gemeinwohl.",
        "description_en": "Prototypes for the common good.",
        "opens_at": "2027-02-01T10:00",
        "closing_day": "2027-03-27",
        "budget": "1500000.00",
        "hourly_rate": "50.00",
        "overhead_percent": "5.00",
        "funding_rate_percent": "95.00",
        "reviews_per_application": "3",
    }
    data.update(overrides)
    return data


def data_of(call, **overrides):
    """The edit form as the browser would send it back unchanged."""
    data = form_data(
        slug=call.slug,
        year=str(call.year),
        round_number=str(call.round_number),
        title_de=call.title_de,
        title_en=call.title_en,
        description_de=call.description_de,
        description_en=call.description_en,
        opens_at=call.opens_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
        closing_day=call.closing_day.isoformat(),
        budget=str(call.budget),
    )
    data.update(overrides)
    return data


@pytest.fixture
def fund(db):
    return FundFactory()


@pytest.mark.django_db
def test_create_a_call(staff_client, staff, fund):
    response = staff_client.post(reverse("staff_call_create"), form_data())
    assert response.status_code == 302
    assert response.url == reverse("staff_call_edit", kwargs={"slug": "2027-round-1"})
    assert messages_of(response) == ["The call “Funding round 2027/1” has been created as a draft."]
    call = Call.objects.get(slug="2027-round-1")
    assert call.fund == fund
    assert call.state == CallState.DRAFT
    assert (call.year, call.round_number) == (2027, 1)
    assert call.opens_at == dt.datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # 10:00 CET
    # The closing day 27 March 2027 ends at midnight Berlin time, which is still CET (+01:00):
    # summer time begins in the night after.
    assert call.closes_at == dt.datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert call.closing_day == dt.date(2027, 3, 27)
    assert call.budget == Decimal("1500000.00")
    # A new call offers the usual tracks with their caps.
    assert [(t.key, t.months, t.cap) for t in call.active_tracks()] == [
        ("individual_6", 6, Decimal("47500.00")),
        ("individual_10", 10, Decimal("79167.00")),
        ("team_6", 6, Decimal("95000.00")),
        ("team_10", 10, Decimal("158000.00")),
    ]
    assert (call.hourly_rate, call.overhead_percent, call.funding_rate_percent) == (
        Decimal("50.00"),
        Decimal("5.00"),
        Decimal("95.00"),
    )
    assert call.reviews_per_application == 3
    assert call_log(call) == [("grants.call.created", "", "draft", "")]
    assert TransitionLog.objects.get(content_type__model="call").actor == staff


@pytest.mark.django_db
def test_closing_day_accepts_until_235959_berlin(staff_client, fund):
    staff_client.post(reverse("staff_call_create"), form_data(closing_day="2027-07-31"))
    call = Call.objects.get(slug="2027-round-1")
    assert call.closes_at == dt.datetime(2027, 8, 1, 0, 0, tzinfo=BERLIN)
    assert call.closes_at == dt.datetime(2027, 7, 31, 22, 0, tzinfo=UTC)  # summer time
    set_state(call, CallState.OPEN)
    last_second = dt.datetime(2027, 7, 31, 23, 59, 59, tzinfo=BERLIN)
    assert call.accepts_submissions(at=last_second) is True
    assert call.accepts_submissions(at=last_second + dt.timedelta(seconds=1)) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"opens_at": "2027-03-28T10:00", "closing_day": "2027-03-27"},
            "closing_day",
            "The closing day must be after the opening time.",
        ),
        ({"title_en": ""}, "title_en", "This field is required."),
        (
            {"slug": "not a slug"},
            "slug",
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
        (
            {"funding_rate_percent": "101"},
            "funding_rate_percent",
            "Ensure this value is less than or equal to 100.",
        ),
    ],
)
def test_create_refuses_invalid_input(staff_client, fund, overrides, field, message):
    response = staff_client.post(reverse("staff_call_create"), form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "The call was not saved. Please correct the marked fields." in response.content.decode()
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_create_refuses_a_duplicate_slug_and_round(staff_client, fund):
    CallFactory(fund=fund, slug="2027-round-1", year=2027, round_number=1)
    response = staff_client.post(reverse("staff_call_create"), form_data())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["slug"] == ["Call with this Short name already exists."]
    assert form.non_field_errors() == [
        "Call with this Fund, Year and Round in the year already exists."
    ]
    assert Call.objects.count() == 1


@pytest.mark.django_db
def test_create_without_a_fund_explains_it(staff_client):
    response = staff_client.post(reverse("staff_call_create"), form_data())
    assert response.status_code == 200
    assert messages_of(response) == [
        "No fund has been configured yet. An administrator has to create it."
    ]
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_edit_a_call_before_submissions(staff_client, call):
    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}),
        data_of(call, title_en="Round one", closing_day="2027-01-15", budget="2000000.00"),
    )
    assert response.status_code == 302
    assert messages_of(response) == ["The call has been saved."]
    closes_before = call.closes_at
    call.refresh_from_db()
    assert call.title_en == "Round one"
    assert call.closes_at == dt.datetime(2027, 1, 16, 0, 0, tzinfo=BERLIN)
    assert call.budget == Decimal("2000000.00")
    # Only what changed is logged: the opening time (posted without its seconds) is not.
    entry = TransitionLog.objects.get(content_type__model="call", object_id=call.pk)
    assert entry.data == {
        "reason": "",
        "changes": {
            "closes_at": {
                "from": closes_before.astimezone(UTC).isoformat(),
                "to": "2027-01-15T23:00:00+00:00",
            },
            "budget": {"from": "1500000.00", "to": "2000000.00"},
        },
    }
    assert call_log(call) == [
        (
            "grants.call.rules_changed",
            "open",
            "open",
            f"closes_at: {closes_before} → 2027-01-16 00:00:00+01:00; "
            "budget: 1500000.00 → 2000000.00",
        )
    ]


@pytest.mark.django_db
def test_edit_can_rename_the_slug(staff_client, call):
    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}), data_of(call, slug="renamed")
    )
    assert response.url == reverse("staff_call_edit", kwargs={"slug": "renamed"})
    assert call_log(call) == []  # not a rule


@pytest.mark.django_db
def test_edit_page_shows_the_calls_log(staff_client, call, django_assert_num_queries):
    url = reverse("staff_call_edit", kwargs={"slug": call.slug})
    TransitionLog.objects.create(subject=call, action="grants.call.created", to_state="draft")
    # Session, user, groups, authenticators (second-factor gate), the call, "any submission?",
    # its tracks, the log, the full-proposal calls a concept call may link to, the
    # navigation's inbox count.
    with django_assert_num_queries(10 + INBOX_COUNT):
        response = staff_client.get(url)
    assert [row["action"] for row in response.context["log"]] == ["Call created"]
    for action in ("grants.call.opened", "grants.call.closed"):
        TransitionLog.objects.create(subject=call, action=action)
    with django_assert_num_queries(10 + INBOX_COUNT):
        response = staff_client.get(url)
    assert [row["action"] for row in response.context["log"]] == [
        "Call created",
        "Call opened",
        "Call closed",
    ]


# Transitions of a call.


def transition(client, call, name, expected_state=None):
    """Post a transition and follow to the edit page; returns the messages shown there."""
    response = client.post(
        reverse("staff_call_transition", kwargs={"slug": call.slug}),
        {"transition": name, "expected_state": expected_state or call.state, "confirmed": "yes"},
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("staff_call_edit", kwargs={"slug": call.slug}), 302)
    ]
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_call_cannot_open_without_rules(staff_client, fund):
    call = CallFactory(fund=fund, state=CallState.DRAFT, budget=None)
    call.tracks.filter(key__startswith="team").update(cap=None)  # e.g. migrated without caps
    assert transition(staff_client, call, "open") == [
        "The call cannot open yet. Missing: budget (€), cap of the track “Team, 6 months”, "
        "cap of the track “Team, 10 months”."
    ]
    call.refresh_from_db()
    assert call.state == CallState.DRAFT
    assert call_log(call) == []
    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert page.context["missing_rules"] == [
        "budget (€)",
        "cap of the track “Team, 6 months”",
        "cap of the track “Team, 10 months”",
    ]


@pytest.mark.django_db
def test_call_opens_and_moves_on(staff_client, staff, fund):
    call = CallFactory(fund=fund, state=CallState.DRAFT)
    assert transition(staff_client, call, "open") == ["The call is now in the state “Open”."]
    call.refresh_from_db()
    assert call.state == CallState.OPEN
    assert transition(staff_client, call, "close") == ["The call is now in the state “Closed”."]
    call.refresh_from_db()
    assert call.state == CallState.CLOSED
    assert call_log(call) == [
        ("grants.call.opened", "draft", "open", ""),
        ("grants.call.closed", "open", "closed", ""),
    ]
    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert [t["name"] for t in page.context["transitions"]] == ["start_review"]


@pytest.mark.django_db
def test_call_transition_refuses_a_stale_or_unknown_step(staff_client, call):
    assert transition(staff_client, call, "close", expected_state=CallState.DRAFT) == [
        "Someone else changed this meanwhile, so your action was not carried out. "
        "The page now shows the current state; please check it and try again."
    ]
    assert transition(staff_client, call, "delete") == ["Unknown action."]
    # django-fsm has no "archive" from "open": the refusal says so (not "you may not").
    assert transition(staff_client, call, "archive") == [
        "This step is not possible in the current state."
    ]
    call.refresh_from_db()
    assert call.state == CallState.OPEN
    assert call_log(call) == []


# Rules are frozen after the first submission.


@pytest.mark.django_db
def test_rules_are_locked_for_staff_after_the_first_submission(staff_client, call):
    submit(call)
    url = reverse("staff_call_edit", kwargs={"slug": call.slug})
    page = staff_client.get(url)
    form = page.context["form"]
    assert [name for name, field in form.fields.items() if field.disabled] == [
        "opens_at",
        "closing_day",
        "budget",
        "hourly_rate",
        "overhead_percent",
        "funding_rate_percent",
        "reviews_per_application",
        "stage",
        "next_stage",
    ]
    assert "reason" not in form.fields
    assert "its rules (dates, budget, caps and rates) can no longer be changed" in (
        page.content.decode()
    )
    closes_at = call.closes_at
    response = staff_client.post(
        url, data_of(call, title_en="Renamed", budget="9000000.00", closing_day="2030-01-01")
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title_en == "Renamed"
    assert call.budget == Decimal("1500000.00")
    assert call.closes_at == closes_at
    assert call_log(call) == []


@pytest.mark.django_db
def test_admin_changes_locked_rules_only_with_a_reason(client, call):
    submit(call)
    admin = make_user(is_superuser=True, is_staff=True)
    sign_in_with_mfa(client, admin)
    url = reverse("staff_call_edit", kwargs={"slug": call.slug})
    page = client.get(url)
    assert "reason" in page.context["form"].fields
    assert not any(field.disabled for field in page.context["form"].fields.values())

    response = client.post(url, data_of(call, budget="2000000.00"))
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert messages_of(response) == [
        "Give a reason for changing the rules of a call that has submissions."
    ]
    call.refresh_from_db()
    assert call.budget == Decimal("1500000.00")

    response = client.post(
        url, data_of(call, budget="2000000.00", reason="The ministry added funds.")
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.budget == Decimal("2000000.00")
    entry = TransitionLog.objects.get(content_type__model="call", object_id=call.pk)
    assert (entry.action, entry.actor, entry.note) == (
        "grants.call.rules_changed",
        admin,
        "The ministry added funds.\nbudget: 1500000.00 → 2000000.00",
    )
    # The same change as structured data, for reports and audits.
    assert entry.data == {
        "reason": "The ministry added funds.",
        "changes": {"budget": {"from": "1500000.00", "to": "2000000.00"}},
    }


@pytest.mark.django_db
def test_submitted_drafts_only_lock_the_rules(staff_client, call):
    submit(call, state=ApplicationState.DRAFT, submitted_at=None)
    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert page.context["rules_locked"] is False
    assert not any(field.disabled for field in page.context["form"].fields.values())


@pytest.mark.django_db
def test_edit_refused_keeps_the_page_of_the_stored_call(staff_client, call):
    CallFactory(fund=call.fund, slug="taken")
    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}), data_of(call, slug="taken")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == ["Call with this Short name already exists."]
    # The page still acts on the stored call, not on the refused input.
    assert response.context["call"].slug == "round-2026-1"
    assert (
        f'action="{reverse("staff_call_transition", kwargs={"slug": "round-2026-1"})}"'
        in response.content.decode()
    )
    call.refresh_from_db()
    assert call.slug == "round-2026-1"
