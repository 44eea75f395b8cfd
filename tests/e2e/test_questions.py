"""Questions per call in the browser: staff add a choice question and a question shown only
after one of its answers, see both in the preview (the second appears once its answer is
chosen); an applicant fails the eligibility check and sees why. axe-core at 1280 and 390 px,
in English and German."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Application, Question
from tests.e2e.conftest import axe_check, log_in_browser, log_in_browser_with_second_factor
from tests.factories import CallFactory, make_user

pytestmark = pytest.mark.e2e
NARROW = {"width": 390, "height": 844}


def test_staff_build_a_conditional_question_and_preview_it(page, live_server):
    call = CallFactory(slug="round-q")
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF))
    page.goto("/staff/calls/round-q/edit/")
    axe_check(page, label="call page with its questions")
    page.get_by_role("link", name="Add a question to the proposal").click()

    page.get_by_label("Key").fill("legal-form")
    page.get_by_label("Kind of answer").select_option("choice")
    page.get_by_label("Question (German)").fill("Rechtsform")
    page.get_by_label("Question (English)").fill("Legal form")
    page.get_by_label("Options (choices)").fill("Verein | Association\nGmbH | Company")
    axe_check(page, label="question form")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("cell", name="Choice of one option")).to_be_visible()

    page.get_by_role("link", name="Add a question to the proposal").click()
    page.get_by_label("Key").fill("register")
    page.get_by_label("Kind of answer").select_option("text")
    page.get_by_label("Question (German)").fill("Vereinsregister")
    page.get_by_label("Question (English)").fill("Register of associations")
    page.get_by_label("Shown").select_option(label="Only if “Legal form” is answered “Association”")
    page.get_by_role("button", name="Save the question").click()
    register = Question.objects.get(call=call, key="register")
    assert register.condition_value == "association"

    page.get_by_role("link", name="Preview the form as applicants see it").click()
    conditional = page.get_by_label("Register of associations")
    expect(conditional).to_be_hidden()
    page.get_by_role("radio", name="Association", exact=True).check()
    expect(conditional).to_be_visible()
    page.get_by_role("radio", name="Company", exact=True).check()
    expect(conditional).to_be_hidden()
    axe_check(page, label="form preview")
    page.set_viewport_size(NARROW)
    axe_check(page, label="form preview, 390 px")


@pytest.mark.parametrize(
    ("locale", "question", "answer", "reason"),
    [
        ("en-GB", "Will your project be open source?", "No", "We fund open-source software only."),
        ("de-DE", "Wird Ihr Projekt Open Source?", "Nein", "Wir fördern nur Open-Source-Software."),
    ],
)
def test_an_applicant_fails_the_eligibility_check_and_sees_why(
    browser, live_server, locale, question, answer, reason
):
    call = CallFactory(slug="round-e")
    Question.objects.create(
        call=call,
        purpose="eligibility",
        key="open-source",
        kind="yes_no",
        label_de="Wird Ihr Projekt Open Source?",
        label_en="Will your project be open source?",
        disqualifying_values=["no"],
        disqualification_reason_de="Wir fördern nur Open-Source-Software.",
        disqualification_reason_en="We fund open-source software only.",
    )
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in_browser(page, live_server, make_user(Role.APPLICANT, language=locale[:2]))
    page.goto(f"{live_server.url}/calls/round-e/")
    group = page.get_by_role("group", name=question)
    group.get_by_label(answer, exact=True).check()
    page.get_by_role(
        "button", name="Start an application" if locale == "en-GB" else "Antrag beginnen"
    ).click()

    expect(page.get_by_role("alert").filter(has_text=reason)).to_be_visible()
    assert not Application.objects.exists()
    axe_check(page, label=f"refused eligibility check ({locale})")
    page.set_viewport_size(NARROW)
    axe_check(page, label=f"refused eligibility check ({locale}), 390 px")
    context.close()
