"""Saving a draft never fails because of a rule: what was typed is saved, and the rules
(months of the track, team addresses, word limits, required parts) are shown at preview
and enforced on submission. Only a stale version and text over its stored length are
refused on save, with the input kept on screen. Files go with a save of the draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from grants.models import Application, Attachment, TeamMember
from grants.services.applications import update_draft
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.grants.test_applicant_journey import draft_post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(client):
    owner = make_user(Role.APPLICANT)
    client.force_login(owner)
    return ApplicationFactory(owner=owner, call=CallFactory(), milestones=False)


def save(client, draft, **overrides):
    return client.post(reverse("application_edit", args=[draft.pk]), draft_post(draft, **overrides))


def test_a_month_beyond_the_track_is_saved_and_shown_at_preview(client, draft):
    response = save(client, draft, **{"milestones-2-month": 9})  # individual, 6 months

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [m.month for m in draft.planned_milestones.all()] == [1, 3, 9]
    preview = client.get(reverse("application_preview", args=[draft.pk])).content.decode()
    assert "<strong>Milestones:</strong> Milestone 3: the month must be between 1 and 6." in preview
    assert "Submit application" not in preview


def test_the_month_field_offers_the_months_of_the_chosen_track(client, draft):
    save(client, draft, **{"milestones-2-month": 9})

    html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    third = html[html.index('name="milestones-2-month"') :]
    third = third[: third.index("</select>")]

    assert [f'<option value="{m}"' in third for m in range(1, 7)] == [True] * 6
    assert '<option value="7"' not in third
    assert '<option value="9" selected>9 – beyond this track</option>' in third


def test_a_ten_month_track_offers_ten_months(client, draft):
    save(client, draft, track="individual_10")

    html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    first = html[html.index('name="milestones-0-month"') :]

    assert '<option value="10"' in first[: first.index("</select>")]


def test_a_malformed_or_incomplete_team_member_is_saved_and_shown_at_preview(client, draft):
    response = save(
        client,
        draft,
        track="team_6",
        **{
            "team-0-name": "Ana",
            "team-0-email": "ana@",
            "team-1-name": "",
            "team-1-email": "ben@example.org",
            "team-2-name": "Cem",
            "team-2-email": "BEN@example.org",
        },
    )

    assert response.status_code == 302
    assert list(TeamMember.objects.filter(application=draft).values_list("name", "email")) == [
        ("Ana", "ana@"),
        ("", "ben@example.org"),
        ("Cem", "BEN@example.org"),
    ]
    preview = client.get(reverse("application_preview", args=[draft.pk])).content.decode()
    for problem in (
        "Team member 1: “ana@” is not a valid e-mail address.",
        "Team member 2: give the name.",
        "Team member 3: the address BEN@example.org is given twice.",
    ):
        assert problem in preview


def test_submission_is_refused_until_the_team_is_right(client, draft):
    save(client, draft, track="team_6", **{"team-0-name": "Ana", "team-0-email": "ana@"})
    draft.refresh_from_db()

    client.post(reverse("application_submit", args=[draft.pk]), {"version": draft.version})

    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT
    save(client, draft, track="team_6", **{"team-0-name": "Ana", "team-0-email": "ana@x.org"})
    draft.refresh_from_db()
    client.post(reverse("application_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == ApplicationState.SUBMITTED


def test_saving_again_keeps_the_members_who_stay(client, draft):
    save(client, draft, track="team_6", **{"team-0-name": "Ana", "team-0-email": "a@x.org"})
    ana = TeamMember.objects.get(application=draft)
    draft.refresh_from_db()

    save(
        client,
        draft,
        track="team_6",
        **{
            "team-0-name": "Ana Lima",
            "team-0-email": "A@x.org",
            "team-1-name": "Ben",
            "team-1-email": "",
        },
    )

    members = list(TeamMember.objects.filter(application=draft).order_by("pk"))
    assert [(m.pk == ana.pk, m.name, m.email) for m in members] == [
        (True, "Ana Lima", "a@x.org"),
        (False, "Ben", ""),
    ]


def test_a_stale_save_is_still_refused_with_the_input_kept(client, draft):
    save(client, draft, summary="From the laptop")

    response = save(client, draft, summary="From the phone", **{"milestones-0-month": 9})

    assert response.status_code == 200
    assert "From the phone" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == "From the laptop"


def test_text_over_its_stored_length_is_still_refused(draft):
    from core.errors import WorkflowError

    with pytest.raises(WorkflowError) as refused:
        update_draft(
            application=draft,
            actor=draft.owner,
            expected_version=draft.version,
            fields={},
            milestones=[],
            team_members=[{"name": "Ana", "email": "a" * 250 + "@x.org"}],
        )

    assert refused.value.field_errors == {
        "team": ["Ensure this value has at most 254 characters (it has 256)."]
    }


def test_uploading_saves_the_draft_first(client, draft):
    data = draft_post(draft, summary="Typed before the upload")
    data["upload"] = ""
    data["file"] = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("application_edit", args=[draft.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == f"/applications/{draft.pk}/edit/#attachments"
    draft.refresh_from_db()
    assert draft.summary == "Typed before the upload"
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["plan.pdf"]


def test_a_file_is_not_stored_when_the_draft_cannot_be_saved(client, draft):
    data = draft_post(draft, summary="x" * 20_001)
    data["upload"] = ""
    data["file"] = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("application_edit", args=[draft.pk]), data)

    assert response.status_code == 200
    assert "The file was not uploaded, because the draft could not be saved." in (
        response.content.decode()
    )
    assert not Attachment.objects.exists()


def test_removing_a_file_saves_the_draft_first(client, draft):
    data = draft_post(draft)
    data["upload"] = ""
    data["file"] = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    client.post(reverse("application_edit", args=[draft.pk]), data)
    attachment = Attachment.objects.get()
    draft.refresh_from_db()

    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, summary="Typed before removing", remove_attachment=str(attachment.pk)),
    )

    assert response["Location"] == f"/applications/{draft.pk}/edit/#attachments"
    attachment.refresh_from_db()
    draft.refresh_from_db()
    assert attachment.removed_at is not None
    assert draft.summary == "Typed before removing"


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "0", "²", "١"])
def test_a_bad_attachment_id_removes_nothing_and_still_saves(client, draft, value):
    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, summary="Saved anyway", remove_attachment=value),
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=draft.pk).summary == "Saved anyway"


def test_another_applicant_cannot_remove_a_file_through_their_draft(client, draft):
    other = ApplicationFactory(owner=make_user(Role.APPLICANT), call=draft.call)
    attachment = Attachment.objects.create(
        application=other,
        original_name="theirs.pdf",
        stored_name="x.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=other.owner,
    )

    client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, remove_attachment=str(attachment.pk)),
    )

    attachment.refresh_from_db()
    assert attachment.removed_at is None


@pytest.mark.parametrize("url_name", ["application_edit", "application_preview"])
def test_a_submitted_application_explains_instead_of_404(client, draft, url_name):
    set_state(draft, ApplicationState.SUBMITTED)
    Application.objects.filter(pk=draft.pk).update(submitted_at="2026-01-12T14:02:00Z")

    response = client.get(reverse(url_name, args=[draft.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "This application was submitted on 12 January 2026, 15:02 and can no longer be changed."
        in html
    )
    assert "Its state: Submitted." in html
    assert f'<a class="button" href="/applications/{draft.pk}/">Read the application</a>' in html


def test_a_save_after_submission_in_another_tab_says_nothing_was_saved(client, draft):
    post = draft_post(draft, summary="Typed in the old tab")
    set_state(draft, ApplicationState.SUBMITTED)

    response = client.post(reverse("application_edit", args=[draft.pk]), post)

    assert response.status_code == 200
    assert "Your changes were not saved." in response.content.decode()
    assert Application.objects.get(pk=draft.pk).summary != "Typed in the old tab"


def test_a_withdrawn_draft_is_explained_too(client, draft):
    set_state(draft, ApplicationState.WITHDRAWN)

    html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()

    assert "no longer a draft and can no longer be changed. Its state: Withdrawn." in html


def test_someone_else_still_gets_404(client, draft):
    set_state(draft, ApplicationState.SUBMITTED)
    client.force_login(make_user(Role.APPLICANT))

    assert client.get(reverse("application_edit", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("value", ["²", "١", "abc", "", "-1", "0", "1" * 23])
def test_a_bad_version_on_submit_submits_nothing(client, draft, value):
    response = client.post(reverse("application_submit", args=[draft.pk]), {"version": value})

    assert response.status_code == 404
    assert Application.objects.get(pk=draft.pk).state == ApplicationState.DRAFT
