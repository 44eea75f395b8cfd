"""A call opened with a future opening date says when it opens (home page, call page, staff
dashboard); the applicant's list says the next step for every state; e-mails write dates
in the one format of their language."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from grants.presentation import next_step
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from workflow.notifications import notify

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def upcoming():
    now = dt.datetime.now(BERLIN)
    opens = (now + dt.timedelta(days=40)).replace(hour=10, minute=0, second=0, microsecond=0)
    return CallFactory(
        title_en="Autumn round",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
    )


def moment(call):
    local = call.opens_at.astimezone(BERLIN)
    return f"{local.day} {local:%B} {local.year}, 10:00"


def test_the_home_page_announces_a_call_before_it_opens(client, upcoming):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h2>Opening soon</h2>" in html
    assert "Autumn round" in html
    assert f"Opens on {moment(upcoming)} (Berlin time)." in html


def test_the_call_page_says_when_it_opens(client, upcoming):
    html = client.get(
        reverse("call_detail", args=[upcoming.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert (
        f"This call opens on {moment(upcoming)} (Berlin time). You can start an application "
        "from then." in html
    )
    assert "Start an application" not in html


def test_staff_see_open_from_instead_of_open(client, upcoming):
    sign_in_with_mfa(client, make_user(Role.STAFF))

    html = client.get(reverse("staff_dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"<td>Open from {moment(upcoming)}</td>" in html


def test_a_call_past_its_deadline_says_so(client):
    call = CallFactory(
        opens_at=dt.datetime(2026, 1, 1, tzinfo=BERLIN),
        closes_at=dt.datetime(2026, 2, 1, tzinfo=BERLIN),
    )

    html = client.get(reverse("call_detail", args=[call.slug])).content.decode()

    assert (
        "The deadline has passed: submissions were accepted until the end of 31 January 2026"
        in html
    )
    assert "The deadline of this call has passed; it no longer accepts applications." in html


GRANTEE = "/grantee/"

NEXT_STEPS = {
    ApplicationState.DRAFT: ("Continue writing and submit before the deadline", "edit/"),
    ApplicationState.SUBMITTED: ("Nothing to do: we are checking whether it is eligible", None),
    ApplicationState.ELIGIBLE: ("Nothing to do: it is eligible and waits for the jury", None),
    ApplicationState.IN_REVIEW: ("Nothing to do: the jury is assessing it", None),
    ApplicationState.REVIEWED: ("Nothing to do: the funding decision is being prepared", None),
    ApplicationState.WAITLISTED: (
        "Nothing to do: on the waiting list, we write to you if money becomes free",
        None,
    ),
    # Approved, the agreement not sent yet: nothing to open. Then the grantee's pages:
    # milestone reports, the final report.
    ApplicationState.APPROVED: (
        "Approved: we are preparing the grant agreement and write to you",
        None,
    ),
    ApplicationState.FUNDED: ("Funded: report on each milestone as agreed", GRANTEE),
    ApplicationState.FINAL_REPORT_DUE: ("Write the final report", GRANTEE),
    ApplicationState.COMPLETED: ("Completed: nothing more to do", None),
    ApplicationState.INELIGIBLE: ("Not eligible: read the reasons", ""),
    ApplicationState.REJECTED: ("Not funded: nothing more to do", None),
    # A concept (two-stage calls): its page starts the full proposal or keeps the feedback.
    ApplicationState.INVITED: ("Invited: write the full proposal", ""),
    ApplicationState.NOT_INVITED: ("Not invited to the full proposal: read the feedback", ""),
    ApplicationState.WITHDRAWN: ("Withdrawn: nothing more to do", None),
    ApplicationState.TERMINATED: ("Funding ended: nothing more to do", None),
}


def test_every_state_has_its_own_next_step():
    assert set(NEXT_STEPS) == set(ApplicationState)
    assert len({text for text, _url in NEXT_STEPS.values()}) == len(NEXT_STEPS)


@pytest.mark.parametrize(("state", "expected"), list(NEXT_STEPS.items()))
def test_the_next_step_fits_the_state(state, expected):
    application = set_state(ApplicationFactory(), state)
    text, url = expected

    step = next_step(application)

    assert step["text"] == text
    if url is None:
        assert step["url"] is None
    elif url == GRANTEE:
        assert step["url"] == GRANTEE
    else:
        assert step["url"] == f"/applications/{application.pk}/{url}"


@pytest.mark.parametrize("offered", [True, False])
def test_once_the_agreement_is_sent_the_next_step_opens_it(client, offered):
    grant = make_grant(state="approved", offered=offered)
    owner = grant.application.owner
    client.force_login(owner)

    response = client.get("/applicant/")

    [application] = response.context["applications"]
    if offered:
        assert next_step(application) == {
            "text": "Approved: read and accept the grant agreement we have sent you",
            "url": f"/grantee/grants/{grant.pk}/agreement/",
        }
    else:
        assert next_step(application) == {
            "text": "Approved: we are preparing the grant agreement and write to you",
            "url": None,
        }


def test_an_open_question_comes_first():
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    application.has_open_question = True

    assert next_step(application) == {
        "text": "Answer the question from the programme staff",
        "url": f"/applications/{application.pk}/answer/",
    }


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("de", "Bitte antworten Sie bis zum 15. Dezember 2026 auf dieser Seite:"),
        ("en", "Please answer by 15 December 2026 on this page:"),
    ],
)
def test_e_mails_write_dates_in_the_format_of_their_language(
    django_capture_on_commit_callbacks, language, sentence
):
    owner = make_user(Role.APPLICANT, language=language)
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=owner,
            template="information_requested",
            context={
                "application": application,
                "question": "Which cities?",
                "due_on": dt.date(2026, 12, 15),
            },
        )

    assert sentence in mail.outbox[0].body
    assert "2026-12-15" not in mail.outbox[0].body
