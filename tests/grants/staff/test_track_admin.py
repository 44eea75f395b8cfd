"""The admin page of a call's tracks: admins only; adding or changing a track goes through
grants.services.tracks, so once the call has submissions a change needs a reason, is
logged with it, and never touches a track's key, kind or months; tracks are not deleted."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import CallTrack
from grants.states import TRACKS_PER_CALL_MAX
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import CallFactory, make_user
from tests.grants.staff.test_tracks import SPRINT, stored, submitted
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
LOG = "grants.call.tracks_changed"
# The session, the user, the authenticator, the roles (the admin check), the calls of the
# filter, the count of the tracks twice (filtered and all) and the page of tracks with
# their calls.
QUERIES = 8


@pytest.fixture
def admin_client(client):
    sign_in(client, make_role_user("admin"))
    return client


def change_url(track):
    return reverse("admin:grants_calltrack_change", args=[track.pk])


def change_data(track, **changes):
    data = {name: getattr(track, name) for name in SPRINT}
    data["hourly_rate"] = data["hourly_rate"] or ""
    return {**data, **changes}


def test_an_admin_adds_a_track_and_it_is_logged(admin_client, call):
    response = admin_client.post(
        reverse("admin:grants_calltrack_add"), {"call": call.pk, **SPRINT, "reason": ""}
    )

    assert response.status_code == 302
    track = CallTrack.objects.get(call=call, key="team_sprint")
    assert (track.name_en, track.kind, track.months, track.cap, track.position) == (
        "Team sprint, 3 months", "team", 3, Decimal("30000.00"), 5
    )  # fmt: skip
    entry = TransitionLog.objects.get(action=LOG)
    assert (entry.object_id, entry.data["change"], entry.data["track"]) == (
        call.pk, "added", "team_sprint"
    )  # fmt: skip


def test_before_the_first_submission_a_change_needs_no_reason(admin_client, call):
    track = CallTrack.objects.get(call=call, key="team_10")

    admin_client.post(change_url(track), change_data(track, months="12", name_en="Team, a year"))

    track.refresh_from_db()
    assert (track.months, track.name_en) == (12, "Team, a year")
    assert TransitionLog.objects.get(action=LOG).data["fields"] == {
        "months": {"from": 10, "to": 12},
        "name_en": {"from": "Team, 10 months", "to": "Team, a year"},
    }


def test_after_the_first_submission_a_change_without_a_reason_is_refused(admin_client, call):
    submitted(call)
    track = CallTrack.objects.get(call=call, key="individual_6")
    before = stored(call)

    response = admin_client.post(
        change_url(track), change_data(track, cap="50000.00"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "reason": ["Give a reason for changing the tracks of a call that has submissions."]
    }
    assert stored(call) == before


def test_the_refusal_is_in_german(admin_client, call):
    submitted(call)
    track = CallTrack.objects.get(call=call, key="individual_6")

    response = admin_client.post(
        change_url(track), change_data(track, cap="50000.00"), HTTP_ACCEPT_LANGUAGE="de"
    )

    assert response.context["adminform"].form.errors["reason"] == [
        "Begründen Sie die Änderung der Förderlinien einer Förderrunde mit eingereichten Anträgen."
    ]


def test_after_the_first_submission_a_change_with_a_reason_is_logged_and_the_months_stay(
    admin_client, call
):
    submitted(call)
    track = CallTrack.objects.get(call=call, key="individual_6")

    response = admin_client.post(
        change_url(track),
        change_data(track, cap="50000.00", months="9", key="other", reason="Budget raised"),
    )

    assert response.status_code == 302
    track.refresh_from_db()
    assert (track.cap, track.months, track.key) == (Decimal("50000.00"), 6, "individual_6")
    entry = TransitionLog.objects.get(action=LOG)
    assert entry.data["reason"] == "Budget raised"
    assert entry.data["fields"] == {"cap": {"from": "47500.00", "to": "50000.00"}}
    assert entry.note == "Budget raised\nchanged individual_6: cap"


def test_bad_input_is_refused_and_nothing_is_saved(admin_client, call):
    track = CallTrack.objects.get(call=call, key="individual_6")
    before = stored(call)

    response = admin_client.post(
        change_url(track),
        change_data(track, cap="²", months="0", key="team_10"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"cap", "months", "key"}
    assert errors["key"] == ["The call has a track with this key already."]
    assert stored(call) == before


def test_tracks_are_not_deleted_and_a_removed_one_is_only_shown(admin_client, call):
    track = CallTrack.objects.get(call=call, key="team_6")
    CallTrack.objects.filter(pk=track.pk).update(removed_at=timezone.now())
    before = stored(call)

    page = admin_client.get(change_url(track))
    deleted = admin_client.post(reverse("admin:grants_calltrack_delete", args=[track.pk]))
    changed = admin_client.post(change_url(track), change_data(track, name_en="Back"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert deleted.status_code == 403
    assert changed.status_code == 403
    assert stored(call) == before


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda: make_user(Role.STAFF), id="staff"),
        pytest.param(lambda: make_user(Role.MINISTRY), id="ministry"),
        pytest.param(lambda: make_user(Role.APPLICANT), id="applicant"),
    ],
)
def test_no_one_but_an_admin_reaches_the_tracks(client, call, who):
    track = CallTrack.objects.get(call=call, key="team_6")
    sign_in(client, who())

    for url in (
        reverse("admin:grants_calltrack_changelist"),
        reverse("admin:grants_calltrack_add"),
        change_url(track),
    ):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, "/admin/login/")
    refused = client.post(change_url(track), {**SPRINT, "reason": "x"})
    assert refused.status_code == 302
    assert CallTrack.objects.get(pk=track.pk).key == "team_6"


def test_staff_allowed_on_the_admin_site_without_admin_rights_get_no_access(client, call):
    """``is_staff`` opens the admin site; the tracks need the admin's rights."""
    track = CallTrack.objects.get(call=call, key="team_6")
    sign_in(client, make_user(Role.STAFF, is_staff=True))

    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    responses = [
        client.get(reverse("admin:grants_calltrack_changelist")).status_code,
        client.get(reverse("admin:grants_calltrack_add")).status_code,
        client.get(change_url(track)).status_code,
        client.post(change_url(track), {**SPRINT, "reason": "x"}).status_code,
    ]

    assert index.status_code == 200
    assert "calltrack" not in index.content.decode()
    assert responses == [403, 403, 403, 403]
    assert CallTrack.objects.get(pk=track.pk).key == "team_6"


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_with_one_or_three_calls(
    admin_client, django_assert_num_queries, count
):
    for _ in range(count):
        CallFactory()
    url = reverse("admin:grants_calltrack_changelist")

    with django_assert_num_queries(QUERIES):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 4 * count


def test_a_refusal_of_the_service_is_shown_and_nothing_is_saved(admin_client, call):
    """The form does not know every rule: the service's refusal (here: the most tracks a
    call has) comes back as a message on the page, with nothing saved."""
    CallTrack.objects.bulk_create(
        CallTrack(
            call=call,
            key=f"extra-{n}",
            name_de="Extra",
            name_en="Extra",
            kind="team",
            months=6,
            cap=Decimal("1000.00"),
            position=10 + n,
        )  # fmt: skip
        for n in range(TRACKS_PER_CALL_MAX - 4)
    )
    before = stored(call)
    url = reverse("admin:grants_calltrack_add")

    response = admin_client.post(
        url, {"call": call.pk, **SPRINT, "reason": ""}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert response.redirect_chain == [(url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"A call has at most {TRACKS_PER_CALL_MAX} tracks."
    ]
    assert stored(call) == before
