"""Staff set the tracks of a call on the call's page: a new call offers the four usual
ones; staff add, change, move and remove tracks, bad input is refused with a message and
nothing saved; after the first submission the tracks are frozen (an admin may rename a
track or change its cap with a reason, logged, never its key, kind or months)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Call, CallTrack
from grants.services.calls import save_call
from grants.services.tracks import move_track, save_track
from grants.states import ApplicationState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import ApplicationFactory, CallFactory, FundFactory, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

SPRINT = {
    "name_de": "Sprint im Team, 3 Monate",
    "name_en": "Team sprint, 3 months",
    "key": "team_sprint",
    "kind": "team",
    "months": "3",
    "cap": "30000.00",
    "hourly_rate": "60.00",
}
USUAL = [
    ("individual_6", "Individual, 6 months", "individual", 6, Decimal("47500.00")),
    ("individual_10", "Individual, 10 months", "individual", 10, Decimal("79167.00")),
    ("team_6", "Team, 6 months", "team", 6, Decimal("95000.00")),
    ("team_10", "Team, 10 months", "team", 10, Decimal("158000.00")),
]


def tracks_of(call):
    """The call's tracks as applicants see them, in order: (key, English name, kind,
    months, cap)."""
    return [
        (t.key, t.name_en, t.kind, t.months, t.cap)
        for t in CallTrack.objects.filter(call=call, removed_at__isnull=True).order_by(
            "position", "pk"
        )
    ]


def stored(call):
    """Everything stored about the call's tracks and its log, to show that nothing changed."""
    return (
        list(CallTrack.objects.filter(call=call).order_by("pk").values()),
        TransitionLog.objects.filter(action="grants.call.tracks_changed").count(),
    )


def create(client, call, data):
    return client.post(reverse("staff_track_create", kwargs={"slug": call.slug}), data)


def edit_data(track, **changes):
    data = {name: getattr(track, name) for name in SPRINT}
    data["hourly_rate"] = data["hourly_rate"] or ""
    return {**data, **changes}


def submitted(call, **kwargs):
    application = ApplicationFactory(call=call, submitted_at=timezone.now(), **kwargs)
    return set_state(application, ApplicationState.SUBMITTED)


def tracks_url(call):
    return reverse("staff_call_edit", kwargs={"slug": call.slug}) + "#tracks"


def test_a_new_call_offers_the_four_usual_tracks():
    staff = make_user(Role.STAFF)
    call = save_call(
        call=Call(fund=FundFactory()),
        actor=staff,
        changes={"slug": "new", "year": 2027, "round_number": 1, "title_de": "N", "title_en": "N"},
    )
    assert tracks_of(call) == USUAL
    with translation.override("de"):
        assert [t.name for t in call.active_tracks()] == [
            "Einzelperson, 6 Monate",
            "Einzelperson, 10 Monate",
            "Team, 6 Monate",
            "Team, 10 Monate",
        ]


def test_staff_add_a_track_it_is_logged_and_applicants_are_offered_it(staff_client, call):
    response = create(staff_client, call, SPRINT)

    assert response.url == tracks_url(call)
    assert tracks_of(call)[-1] == (
        "team_sprint",
        "Team sprint, 3 months",
        "team",
        3,
        Decimal("30000.00"),
    )
    track = CallTrack.objects.get(call=call, key="team_sprint")
    assert (track.position, track.hourly_rate) == (5, Decimal("60.00"))
    entry = TransitionLog.objects.get(action="grants.call.tracks_changed")
    assert (entry.data["change"], entry.data["track"]) == ("added", "team_sprint")
    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert "Team sprint, 3 months" in page.content.decode()
    # The applicant's form offers it, with its months and cap for the live budget.
    draft = ApplicationFactory(call=call, milestones=False)
    staff_client.force_login(draft.owner)
    html = staff_client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    assert f'<option value="{track.pk}">Team sprint, 3 months</option>' in html
    assert f"&quot;{track.pk}&quot;: 3000000" in html  # the cap in cents
    assert f"&quot;{track.pk}&quot;: 6000" in html  # the track's hourly rate in cents
    public = staff_client.get(reverse("call_detail", kwargs={"slug": call.slug})).content.decode()
    assert '<th scope="row">Team sprint, 3 months</th>' in public


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cap", "-5", "Ensure this value is greater than or equal to 1."),
        ("cap", "0", "Ensure this value is greater than or equal to 1."),
        ("cap", "", "This field is required."),
        ("cap", "1e400", "Ensure that there are no more than 12 digits in total."),
        ("cap", "12345678901.00", "Ensure that there are no more than 12 digits in total."),
        ("hourly_rate", "1000.01", "Ensure this value is less than or equal to 1000.00."),
        ("months", "0", "Ensure this value is greater than or equal to 1."),
        ("months", "37", "Ensure this value is less than or equal to 36."),
        ("months", "²", "Enter a whole number."),
        ("months", "99999999999999999999", "Ensure this value is less than or equal to 36."),
        ("name_en", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("name_de", "", "This field is required."),
        ("key", "team 6", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
        ("key", "team_6", "The call has a track with this key already."),
        ("kind", "group", "Select a valid choice. group is not one of the available choices."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    staff_client, call, field, value, message
):
    before = stored(call)

    response = create(staff_client, call, {**SPRINT, field: value})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert stored(call) == before


def test_a_name_with_markup_is_stored_as_typed_and_shown_as_text(staff_client, call):
    create(staff_client, call, {**SPRINT, "name_en": "<script>alert(1)</script>"})

    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_staff_change_a_track_and_the_log_says_what_changed(staff_client, call):
    track = CallTrack.objects.get(call=call, key="team_10")

    response = staff_client.post(
        reverse("staff_track_edit", args=[track.pk]),
        edit_data(track, name_en="Team, ten months", cap="150000.00"),
    )

    assert response.url == tracks_url(call)
    track.refresh_from_db()
    assert (track.name_en, track.cap) == ("Team, ten months", Decimal("150000.00"))
    entry = TransitionLog.objects.get(action="grants.call.tracks_changed")
    assert entry.data["fields"] == {
        "cap": {"from": "158000.00", "to": "150000.00"},
        "name_en": {"from": "Team, 10 months", "to": "Team, ten months"},
    }


def test_moving_a_track_down_swaps_it_with_the_next(staff_client, call):
    track = CallTrack.objects.get(call=call, key="individual_6")

    staff_client.post(reverse("staff_track_move", args=[track.pk]), {"direction": "down"})

    assert [key for key, *_rest in tracks_of(call)] == [
        "individual_10",
        "individual_6",
        "team_6",
        "team_10",
    ]


def test_moving_the_first_track_up_is_refused_and_changes_nothing(staff_client, call):
    track = CallTrack.objects.get(call=call, key="individual_6")
    before = stored(call)

    response = staff_client.post(
        reverse("staff_track_move", args=[track.pk]), {"direction": "up"}, follow=True
    )

    assert "This track is already at that end." in response.content.decode()
    assert stored(call) == before


def test_removing_asks_first_names_the_drafts_then_hides_the_track(staff_client, call):
    track = CallTrack.objects.get(call=call, key="team_6")
    draft = ApplicationFactory(call=call, track="team_6")
    url = reverse("staff_track_remove", args=[track.pk])

    first = staff_client.post(url)
    assert "1 draft has chosen this track." in first.content.decode()
    assert CallTrack.objects.get(pk=track.pk).removed_at is None

    staff_client.post(url, {"confirmed": "on"})

    assert [key for key, *_rest in tracks_of(call)] == ["individual_6", "individual_10", "team_10"]
    draft.refresh_from_db()
    assert draft.track_id == track.pk  # kept; the draft must choose again to submit
    staff_client.force_login(draft.owner)
    preview = staff_client.get(reverse("application_preview", args=[draft.pk])).content.decode()
    assert "This track is no longer offered in the call; choose another." in preview


def test_the_last_track_cannot_be_removed(staff_client):
    call = CallFactory(default_tracks=False)
    only = CallTrack.objects.create(
        call=call, key="only", name_de="Nur", name_en="Only", kind="individual", months=6,
        cap=Decimal("1000.00"),
    )  # fmt: skip
    before = stored(call)

    response = staff_client.post(
        reverse("staff_track_remove", args=[only.pk]), {"confirmed": "on"}, follow=True
    )

    assert "A call needs at least one track. Add another one first." in response.content.decode()
    assert stored(call) == before


def test_a_call_without_tracks_cannot_open():
    call = CallFactory(default_tracks=False, state="draft")
    assert call.missing_rules() == ["at least one track"]
    CallTrack.objects.create(
        call=call, key="k", name_de="K", name_en="K", kind="team", months=6, cap=None
    )
    assert Call.objects.get(pk=call.pk).missing_rules() == ["cap of the track “K”"]


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("create", SPRINT),
        ("edit", {"name_en": "Renamed"}),
        ("move", {"direction": "down"}),
        ("remove", {"confirmed": "on"}),
    ],
)
def test_after_the_first_submission_staff_cannot_change_the_tracks(staff_client, call, step, data):
    submitted(call)
    track = CallTrack.objects.get(call=call, key="individual_6")
    before = stored(call)
    if step == "create":
        response = create(staff_client, call, data)
    elif step == "edit":
        response = staff_client.post(
            reverse("staff_track_edit", args=[track.pk]), edit_data(track, **data)
        )
    else:
        response = staff_client.post(
            reverse(f"staff_track_{step}", args=[track.pk]), data, follow=True
        )

    assert stored(call) == before
    assert "its tracks can no longer be changed" in response.content.decode() or (
        step == "edit" and response.context["form"].fields["name_en"].disabled
    )


@pytest.fixture
def admin_client(client):
    return sign_in_with_mfa(client, make_user(is_superuser=True, is_staff=True))


def test_an_admin_changes_a_frozen_track_only_with_a_reason(admin_client, call):
    submitted(call)
    track = CallTrack.objects.get(call=call, key="individual_6")
    url = reverse("staff_track_edit", args=[track.pk])
    before = stored(call)

    refused = admin_client.post(url, edit_data(track, cap="50000.00"))
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"reason": ["This field is required."]}
    assert stored(call) == before

    # Months are disabled: a posted value is ignored, the cap changes with the reason.
    admin_client.post(url, edit_data(track, cap="50000.00", months="9", reason="Budget raised"))
    track.refresh_from_db()
    assert (track.cap, track.months) == (Decimal("50000.00"), 6)
    entry = TransitionLog.objects.get(action="grants.call.tracks_changed")
    assert entry.data["reason"] == "Budget raised"


def test_a_track_chosen_by_a_submission_cannot_be_removed_even_by_an_admin(admin_client, call):
    submitted(call, track="team_6")
    track = CallTrack.objects.get(call=call, key="team_6")
    before = stored(call)

    response = admin_client.post(
        reverse("staff_track_remove", args=[track.pk]),
        {"confirmed": "on", "reason": "Not needed"},
        follow=True,
    )

    assert "Applications in this track have been submitted" in response.content.decode()
    assert stored(call) == before


def test_the_tracks_section_is_in_german(client, call):
    sign_in_with_mfa(client, make_user(Role.STAFF, language="de"))
    page = client.get(
        reverse("staff_call_edit", kwargs={"slug": call.slug}), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Förderlinien dieser Förderrunde" in page
    assert '<th scope="row">Einzelperson, 6 Monate<br><small>individual_6</small></th>' in page
    assert "Förderlinie hinzufügen" in page
    form = client.get(
        reverse("staff_track_create", kwargs={"slug": call.slug}), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Monate des Förderzeitraums" in form


@pytest.mark.parametrize("extra", [0, 2])
def test_the_call_page_costs_the_same_queries_with_one_or_three_tracks(
    staff_client, django_assert_num_queries, extra
):
    call = CallFactory(default_tracks=False)
    for number in range(1 + extra):
        CallTrack.objects.create(
            call=call, key=f"t{number}", name_de=f"T{number}", name_en=f"T{number}",
            kind="team", months=6, cap=Decimal("1000.00"), position=number,
        )  # fmt: skip

    # (+ the full-proposal calls a concept call may link to)
    with django_assert_num_queries(10 + INBOX_COUNT):
        response = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))

    assert len(re.findall(r'action="/staff/tracks/\d+/remove/"', response.content.decode())) == (
        1 + extra
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_applicant_pages_cost_the_same_queries_with_one_or_three_tracks(
    client, django_assert_num_queries, count
):
    call = CallFactory()
    CallTrack.objects.filter(call=call).exclude(key="individual_6").update(
        removed_at=timezone.now()
    )
    for number in range(count - 1):
        CallTrack.objects.create(
            call=call, key=f"t{number}", name_de=f"T{number}", name_en=f"Extra {number}",
            kind="team", months=8, cap=Decimal("1000.00"), position=10 + number,
        )  # fmt: skip
    draft = ApplicationFactory(call=call)
    client.force_login(draft.owner)

    # (11: the edit page no longer loads the information requests, which a draft has none of)
    with django_assert_num_queries(11 + INBOX_COUNT):
        edit = client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    client.logout()
    # The call, its questions, its questions and answers, the jury's criteria, its tracks.
    with django_assert_num_queries(5):
        public = client.get(reverse("call_detail", kwargs={"slug": call.slug})).content.decode()

    select = edit[edit.index('<select name="track"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == count + 1  # and "– choose a track –"
    table = public[public.index('id="tracks-caption"') :]
    assert table[: table.index("</table>")].count('<th scope="row">') == count


def test_a_track_with_its_own_hourly_rate_budgets_the_proposal_at_it(staff_client, call):
    CallTrack.objects.filter(call=call, key="team_6").update(hourly_rate=Decimal("60.00"))
    application = submitted(call, track="team_6", members=["mate@example.org"])

    page = staff_client.get(reverse("staff_application_detail", kwargs={"pk": application.pk}))

    html = page.content.decode()
    assert "Personnel costs (€60.00 per hour)" in html
    assert "<dd>Team, 6 months</dd>" in html
    # 900 hours × €60.00 = €54,000.00, plus 5 % overhead.
    assert page.context["budget"]["personnel"] == Decimal("54000.00")


# The services on their own (the forms disable what the services refuse).


def new_track(**changes):
    fields = {**SPRINT, "months": 3, "cap": Decimal("30000.00"), "hourly_rate": None}
    return {**fields, **changes}


@pytest.mark.parametrize(("field", "value"), [("key", "renamed"), ("kind", "team"), ("months", 9)])
def test_the_service_keeps_a_frozen_tracks_key_kind_and_months_even_for_an_admin(
    call, field, value
):
    submitted(call)
    admin = make_user(is_superuser=True, is_staff=True)
    track = CallTrack.objects.get(call=call, key="individual_6")
    before = stored(call)

    with pytest.raises(WorkflowError, match="key, kind and months cannot change"):
        save_track(call=call, actor=admin, track=track, changes={field: value}, reason="Why")

    assert stored(call) == before


def test_an_admin_adds_a_track_to_a_frozen_call_at_the_end(call):
    submitted(call)
    admin = make_user(is_superuser=True, is_staff=True)

    track = save_track(call=call, actor=admin, changes=new_track(), reason="A sprint too")

    assert track.position == 5
    assert [key for key, *_rest in tracks_of(call)][-1] == "team_sprint"


def test_a_track_added_when_every_other_was_removed_comes_first(call):
    CallTrack.objects.filter(call=call).update(removed_at=timezone.now())

    track = save_track(call=call, actor=make_user(Role.STAFF), changes=new_track())

    assert track.position == 1


def test_moving_up_swaps_with_the_one_before_and_the_last_cannot_go_down(call):
    staff = make_user(Role.STAFF)
    second = CallTrack.objects.get(call=call, key="individual_10")

    moved = move_track(track=second, actor=staff, direction="up")

    assert moved.pk == second.pk
    assert list(
        CallTrack.objects.filter(call=call).order_by("position").values_list("key", "position")
    ) == [("individual_10", 1), ("individual_6", 2), ("team_6", 3), ("team_10", 4)]
    before = stored(call)
    last = CallTrack.objects.get(call=call, key="team_10")
    with pytest.raises(WorkflowError, match="already at that end"):
        move_track(track=last, actor=staff, direction="down")
    assert stored(call) == before
