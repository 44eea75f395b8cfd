"""The jurors' pages: dashboard, conflicts, queue, review form (with autosave), discussion.
Blind review hides names and e-mail addresses everywhere a juror looks."""

import json
import re

import pytest
from django.urls import reverse

from grants.models import TeamMember
from review.models import ConflictOfInterest, Review, Score
from review.states import ConflictStatus, JuryPhase, ReviewState
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    jury = make_jury()
    juror = make_juror(jury, full_name="Jana Juror", email="jana@jury.example")
    owner = make_user(full_name="Olga Owner", email="olga@project.example")
    application = in_review(
        jury.call, owner=owner, title="Open council minutes", members=["max@team.example"]
    )
    TeamMember.objects.filter(application=application).update(name="Max Member")
    review = assign(juror, application)
    return jury, juror, application, review


def page(client, user, url, **kwargs):
    sign_in(client, user)
    return client.get(url, **kwargs)


def test_dashboard_shows_phase_due_date_progress_and_suggestions(client, world):
    jury, juror, application, review = world
    scored(review, [5, 5, 3])
    second = in_review(jury.call)
    assign(juror, second)
    ConflictOfInterest.objects.create(
        juror=juror, application=in_review(jury.call), status=ConflictStatus.SUGGESTED
    )

    response = page(client, juror, reverse("jury_dashboard"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 applications scored" in text
    assert "Independent scoring" in text
    assert "1 suggested conflict to confirm or dismiss" in text
    assert reverse("jury_queue", kwargs={"slug": jury.call.slug}) in text


def test_dashboard_without_a_jury(client):
    response = page(client, make_juror(), reverse("jury_dashboard"))

    assert "No applications assigned to you yet" in response.content.decode()


@pytest.mark.parametrize("blind", [False, True])
def test_conflict_list_shows_names_unless_blind(client, world, blind):
    jury, juror, application, _review = world
    type(jury).objects.filter(pk=jury.pk).update(blind=blind)

    text = page(
        client, juror, reverse("jury_conflicts", kwargs={"slug": jury.call.slug})
    ).content.decode()

    assert "Open council minutes" in text
    assert ("Olga Owner" in text) is not blind
    assert ("Max Member" in text) is not blind
    assert "olga@project.example" not in text  # names only in the list
    assert ("hidden (blind review)" in text) is blind


def listed_rows(text):
    """The rows of the conflict page's list of applications (not the declaration form)."""
    table = text[text.index('id="conflicts-table-2"') :]
    return re.findall(r'<th scope="row">([^<]+)</th>', table[: table.index("</table>")])


@pytest.mark.parametrize("blind", [False, True])
def test_the_conflict_list_can_be_searched(client, world, blind):
    jury, juror, application, _review = world
    type(jury).objects.filter(pk=jury.pk).update(blind=blind)
    energy = in_review(jury.call, title="Neighbourhood Energy map")
    in_review(jury.call, title="Accessible polling stations")
    url = reverse("jury_conflicts", kwargs={"slug": jury.call.slug})

    by_title = page(client, juror, url, data={"q": "  energy   MAP "}).content.decode()
    by_reference = page(client, juror, url, data={"q": application.reference}).content.decode()
    by_name = page(client, juror, url, data={"q": "max member"}).content.decode()

    assert listed_rows(by_title) == [f"{energy.reference} – Neighbourhood Energy map"]
    assert "1 of 3 applications matches “energy   MAP”" in by_title
    assert "Show all applications" in by_title
    # The declaration form still offers every application.
    assert by_title.count("Accessible polling stations") == 1
    assert listed_rows(by_reference) == [f"{application.reference} – Open council minutes"]
    # A team member's name finds the application only where names are shown.
    assert listed_rows(by_name) == (
        [] if blind else [f"{application.reference} – Open council minutes"]
    )
    assert ("No application matches your search." in by_name) is blind


def test_a_bad_search_is_explained_and_lists_everything(client, world):
    jury, juror, _application, _review = world
    in_review(jury.call, title="Accessible polling stations")
    url = reverse("jury_conflicts", kwargs={"slug": jury.call.slug})

    response = page(client, juror, url, data={"q": "x" * 201})
    text = response.content.decode()

    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in text
    assert len(listed_rows(text)) == 2
    assert "Show all applications" not in text


def test_declaring_a_conflict_on_the_page(client, world):
    jury, juror, application, _review = world
    sign_in(client, juror)

    response = client.post(
        reverse("jury_conflict_declare", kwargs={"slug": jury.call.slug}),
        {"application": application.pk, "kind": "colleague", "note": ""},
    )

    assert response.status_code == 302
    assert ConflictOfInterest.objects.get().kind == "colleague"
    text = client.get(response["Location"]).content.decode()
    assert f"Your conflict with {application.reference} is recorded." in text
    # The declared application no longer shows its team.
    assert "Olga Owner" not in text


@pytest.mark.parametrize(
    "data",
    [
        {"application": "999999999", "kind": "colleague"},
        {"application": "x", "kind": "colleague"},
        {"kind": "colleague"},
        {"application": "{pk}", "kind": "javascript:alert(1)"},
        {"application": "{pk}", "kind": "other", "note": "x" * 3000},
        {"application": "{pk}", "kind": "other", "note": ""},
    ],
)
def test_bad_declarations_are_explained_not_500(client, world, data):
    jury, juror, application, _review = world
    sign_in(client, juror)
    data = {key: value.replace("{pk}", str(application.pk)) for key, value in data.items()}

    response = client.post(reverse("jury_conflict_declare", kwargs={"slug": jury.call.slug}), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


def test_dismissing_a_suggestion_on_the_page(client, world):
    jury, juror, application, _review = world
    suggestion = ConflictOfInterest.objects.create(
        juror=juror,
        application=application,
        status=ConflictStatus.SUGGESTED,
        reasons={"names": ["Olga Owner"]},
    )
    sign_in(client, juror)
    text = client.get(reverse("jury_conflicts", kwargs={"slug": jury.call.slug})).content.decode()
    assert "The same family name: Olga Owner" in text

    client.post(
        reverse("jury_conflict_dismiss", kwargs={"slug": jury.call.slug, "pk": suggestion.pk})
    )

    suggestion.refresh_from_db()
    assert suggestion.status == ConflictStatus.DISMISSED


def test_queue_shows_progress_and_the_next_open_review(client, world):
    jury, juror, application, review = world
    other = assign(juror, in_review(jury.call))
    scored(review, [5, 5, 3])

    text = page(
        client, juror, reverse("jury_queue", kwargs={"slug": jury.call.slug})
    ).content.decode()

    assert "1 of 2 scored" in text
    assert reverse("jury_review", kwargs={"pk": other.pk}) in text
    assert "Continue with the next open review" in text


def test_queue_of_another_call_is_404(client, world):
    _jury, juror, _application, _review = world
    other = make_jury()

    assert (
        page(client, juror, reverse("jury_queue", kwargs={"slug": other.call.slug})).status_code
        == 404
    )


@pytest.mark.parametrize("blind", [False, True])
def test_review_form_shows_the_proposal_beside_it_blind_where_set(client, world, blind):
    jury, juror, application, review = world
    type(jury).objects.filter(pk=jury.pk).update(blind=blind)

    text = page(client, juror, reverse("jury_review", kwargs={"pk": review.pk})).content.decode()

    assert "Open council minutes" in text
    assert application.summary in text
    for secret in (
        "Olga Owner",
        "olga@project.example",
        "Max Member",
        "max@team.example",
        application.repository_url,
    ):
        assert (secret in text) is not blind, secret
    assert 'data-autosave-url="' in text
    assert "Score for “Relevance” (0 to 10)" in text
    assert "not applicable" in text  # allowed for Security


def test_saving_and_submitting_through_the_form(client, world):
    jury, juror, application, review = world
    criteria = list(jury.criteria.order_by("position"))
    sign_in(client, juror)
    url = reverse("jury_review", kwargs={"pk": review.pk})
    data = {
        "version": "1",
        f"score_{criteria[0].pk}": "8",
        f"comment_{criteria[0].pk}": "Clear need.",
        f"score_{criteria[1].pk}": "",
        f"score_{criteria[2].pk}": "na",
        "comment_for_staff": "",
        "comment_for_applicant": "Good luck!",
    }

    saved = client.post(url, {**data, "save": ""})
    refused = client.post(url, {**data, "version": "2", "submit": ""})
    text = client.get(url).content.decode()

    assert saved.status_code == 302 and refused.status_code == 302
    assert "not complete yet. Still to score: Feasibility." in text
    review.refresh_from_db()
    assert (review.state, review.version, review.comment_for_applicant) == (
        ReviewState.DRAFT,
        3,
        "Good luck!",
    )
    assert list(
        Score.objects.order_by("criterion__position").values_list("value", "not_applicable")
    ) == [
        (8, False),
        (None, False),
        (None, True),
    ]

    submitted = client.post(
        url, {**data, "version": "3", f"score_{criteria[1].pk}": "6", "submit": ""}
    )

    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert submitted["Location"] == reverse("jury_queue", kwargs={"slug": jury.call.slug})


@pytest.mark.parametrize(
    "changes",
    [
        {"score_{0}": "11"},
        {"score_{0}": "na"},  # not applicable is not allowed for relevance
        {"score_{0}": "<script>"},
        {"comment_for_staff": "x" * 6000},
        {"version": "not a number"},
        {"version": "99999999999999999999"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_loses_nothing(client, world, changes):
    jury, juror, _application, review = world
    criteria = list(jury.criteria.order_by("position"))
    sign_in(client, juror)
    data = {"version": "1", "comment_for_staff": "kept", "comment_for_applicant": ""}
    data |= {key.format(criteria[0].pk): value for key, value in changes.items()}

    response = client.post(reverse("jury_review", kwargs={"pk": review.pk}), {**data, "save": ""})

    assert response.status_code == 200
    assert "Your review was not saved" in response.content.decode()
    review.refresh_from_db()
    assert review.version == 1
    assert not Score.objects.exists()


def test_a_stale_form_is_refused_and_shows_the_input_again(client, world):
    jury, juror, _application, review = world
    criteria = list(jury.criteria.order_by("position"))
    Review.objects.filter(pk=review.pk).update(version=5)
    sign_in(client, juror)

    response = client.post(
        reverse("jury_review", kwargs={"pk": review.pk}),
        {
            "version": "1",
            f"score_{criteria[0].pk}": "7",
            "comment_for_staff": "my words",
            "comment_for_applicant": "",
            "save": "",
        },
    )

    text = response.content.decode()
    assert "saved from another window or device" in text
    assert "my words" in text


def test_autosave(client, world):
    jury, juror, _application, review = world
    criteria = list(jury.criteria.order_by("position"))
    sign_in(client, juror)
    url = reverse("jury_review_autosave", kwargs={"pk": review.pk})

    ok = client.post(
        url,
        {
            "version": "1",
            f"score_{criteria[0].pk}": "7",
            "comment_for_staff": "typing",
            "comment_for_applicant": "",
        },
    )
    stale = client.post(
        url,
        {
            "version": "1",
            f"score_{criteria[0].pk}": "2",
            "comment_for_staff": "",
            "comment_for_applicant": "",
        },
    )
    bad = client.post(
        url,
        {
            "version": "2",
            f"score_{criteria[0].pk}": "12",
            "comment_for_staff": "",
            "comment_for_applicant": "",
        },
    )

    assert ok.status_code == 200
    assert json.loads(ok.content)["saved"] is True and json.loads(ok.content)["version"] == 2
    assert json.loads(ok.content)["message"].startswith("Draft saved at ")
    assert stale.status_code == 409 and "another window" in json.loads(stale.content)["message"]
    assert bad.status_code == 400 and json.loads(bad.content)["saved"] is False
    assert list(Score.objects.order_by("criterion__position").values_list("value", flat=True)) == [
        7,
        None,
        None,
    ]


def test_another_jurors_review_form_is_404(client, world):
    jury, _juror, application, review = world
    other = make_juror(jury)
    assign(other, application)

    assert page(client, other, reverse("jury_review", kwargs={"pk": review.pk})).status_code == 404
    sign_in(client, other)
    assert (
        client.post(
            reverse("jury_review_autosave", kwargs={"pk": review.pk}), {"version": "1"}
        ).status_code
        == 404
    )


def test_a_conflict_takes_the_review_away(client, world):
    _jury, juror, application, review = world
    conflict(juror, application)

    assert page(client, juror, reverse("jury_review", kwargs={"pk": review.pk})).status_code == 404


def test_reopen_on_the_page(client, world):
    _jury, juror, _application, review = world
    scored(review, [5, 5, 3])
    sign_in(client, juror)
    text = client.get(reverse("jury_review", kwargs={"pk": review.pk})).content.decode()
    assert "Reopen to change it" in text

    client.post(reverse("jury_review_reopen", kwargs={"pk": review.pk}))

    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT


def test_discussion_shows_the_others_only_after_submitting(client, world):
    jury, juror, application, review = world
    other = make_juror(jury, full_name="Otto Other")
    scored(assign(other, application), [3, 4, 2], for_applicant="Other's feedback")
    url = reverse("jury_review_discussion", kwargs={"pk": review.pk})
    sign_in(client, juror)

    scoring = client.get(url).content.decode()
    type(jury).objects.filter(pk=jury.pk).update(phase=JuryPhase.DISCUSSION)
    before = client.get(url).content.decode()
    scored(review, [5, 5, 3])
    after = client.get(url).content.decode()

    assert "Otto Other" not in scoring and "Otto Other" not in before
    assert "Submit your own review first" in before
    assert "Review by Otto Other" in after and "Other&#x27;s feedback" in after
