"""A two-stage call in a real browser, with axe-core at 1280 and 390 px in English and
German: staff invite one concept and do not invite another (with feedback), the invited
team starts its full proposal from its concept's page (its answers carried over), staff
decide the full proposal with money, and the team not invited reads its feedback."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from tests.e2e.conftest import axe_both_widths, log_in_browser, log_in_browser_with_second_factor
from tests.factories import answer_text, make_user, set_state
from tests.review.helpers import make_jury
from tests.two_stage import concept_in, two_stage_calls

pytestmark = pytest.mark.e2e


def decide(page, live_server, application, choice, feedback=None):
    page.goto(f"{live_server.url}/staff/applications/{application.pk}/jury/")
    page.get_by_label(choice, exact=True).check()
    if feedback is not None:
        page.get_by_label(re.compile(r"^Feedback to the team")).fill(feedback)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"The decision on {application.reference} is recorded."
    )


def test_concept_invited_full_proposal_decided(page, live_server):
    concept_call, full_call = two_stage_calls()
    make_jury(concept_call)
    make_jury(full_call)
    invited = concept_in(concept_call, state=S.REVIEWED, title="Open council minutes")
    german = make_user(Role.APPLICANT, language="de")
    declined = concept_in(concept_call, state=S.REVIEWED, title="Stadtteilkarte", owner=german)
    staff = make_user(Role.STAFF, full_name="Sam Staff")

    # Staff decide the concepts: no money, invite or not, with feedback.
    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(f"{live_server.url}/staff/applications/{invited.pk}/jury/")
    expect(page.get_by_text("This is a concept: invite the team")).to_be_visible()
    expect(page.get_by_label("Awarded amount (€)")).to_have_count(0)
    axe_both_widths(page, "concept decision")
    decide(page, live_server, invited, "Invite to the full proposal", "Show the pilot towns.")
    decide(page, live_server, declined, "Do not invite", "Zu nah an einem bestehenden Projekt.")
    assert Application.objects.get(pk=invited.pk).state == S.INVITED
    assert Application.objects.get(pk=declined.pk).state == S.NOT_INVITED

    # The invited team starts its full proposal from its concept's page.
    log_in_browser(page, live_server, invited.owner)
    page.goto(f"{live_server.url}/applications/{invited.pk}/")
    section = page.get_by_role("region", name="Decision on your concept")
    expect(section).to_contain_text(
        f"You are invited to write the full proposal in “{full_call.title}”"
    )
    expect(section).to_contain_text("Show the pilot towns.")
    axe_both_widths(page, "invited concept")
    section.get_by_role("button", name="Start the full proposal").click()
    expect(page.get_by_role("status")).to_contain_text(
        "your concept's answers have been carried over"
    )
    full = Application.objects.get(concept=invited)
    assert page.url == f"{live_server.url}/applications/{full.pk}/edit/"
    expect(page.get_by_label(re.compile(r"^Project title"))).to_have_value("Open council minutes")
    axe_both_widths(page, "full proposal draft")
    assert answer_text(full, "societal_challenge") == answer_text(invited, "societal_challenge")

    # Submitted, screened and reviewed (each step has its own browser tests): staff decide
    # the full proposal with money, and see where it came from.
    set_state(full, S.REVIEWED)
    Application.objects.filter(pk=full.pk).update(requested_amount=Decimal("40000.00"))
    log_in_browser_with_second_factor(page, live_server, staff)
    page.goto(f"{live_server.url}/staff/applications/{full.pk}/jury/")
    expect(page.get_by_role("link", name=invited.reference)).to_be_visible()
    decide(page, live_server, full, "Approve")
    assert Application.objects.get(pk=full.pk).state == S.APPROVED

    # In German: staff read the full proposal's page, the team not invited its feedback.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/staff/applications/{full.pk}/")
    expect(page.get_by_text("Projektskizze (Stufe 1)")).to_be_visible()
    axe_both_widths(page, "full proposal, staff, German")
    log_in_browser(page, live_server, german)
    page.goto(f"{live_server.url}/applications/{declined.pk}/")
    section = page.get_by_role("region", name="Entscheidung über Ihre Projektskizze")
    expect(section).to_contain_text("nicht zum Vollantrag eingeladen")
    expect(section).to_contain_text("Zu nah an einem bestehenden Projekt.")
    expect(page.get_by_role("button", name="Vollantrag beginnen")).to_have_count(0)
    axe_both_widths(page, "concept not invited, German")
    page.goto(f"{live_server.url}/calls/{full_call.slug}/")
    expect(page.get_by_text("Hier schreiben nur Teams einen Vollantrag")).to_be_visible()
    axe_both_widths(page, "full-proposal call, German")
