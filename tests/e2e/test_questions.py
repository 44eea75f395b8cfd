"""Questions per call in the browser: staff add a choice question and a question shown only
after one of its answers, see both in the preview (the second appears once its answer is
chosen); an applicant reads the call's page (criteria with weights, eligibility rules,
questions and answers, contact), fails the eligibility check and sees why; staff write the
call page's questions and answers. axe-core at 1280 and 390 px, in English and German."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Application, Call, FaqEntry, Question
from grants.services.faq import save_faq
from tests.e2e.conftest import axe_check, log_in_browser, log_in_browser_with_second_factor
from tests.factories import CallFactory, make_user
from tests.grants.test_question_answers import eligibility_question
from tests.review.helpers import make_jury

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
    ("locale", "question", "answer", "reason", "criterion", "faq"),
    [
        (
            "en-GB",
            "Will your project be open source?",
            "No",
            "We fund open-source software only.",
            re.compile(r"Relevance 40\s?%"),
            "Can associations apply?",
        ),
        (
            "de-DE",
            "Wird Ihr Projekt Open Source?",
            "Nein",
            "Wir fördern nur Open-Source-Software.",
            re.compile(r"Relevanz 40\s%"),
            "Können Vereine sich bewerben?",
        ),
    ],
)
def test_an_applicant_fails_the_eligibility_check_and_sees_why(
    browser, live_server, locale, question, answer, reason, criterion, faq
):
    call = CallFactory(slug="round-e")
    make_jury(call)
    save_faq(
        call=call,
        actor=make_user(Role.STAFF),
        entries=[
            {
                "question_de": "Können Vereine sich bewerben?",
                "question_en": "Can associations apply?",
                "answer_de": "Ja, auch gGmbHs und Einzelpersonen mit einer sehr-langen-adresse"
                "@ein-verein-mit-langem-namen.example.",
                "answer_en": "Yes, and non-profit companies and individuals too.",
            },
            {
                "question_de": "Wann wird entschieden?",
                "question_en": "When is the decision?",
                "answer_de": "Im Juni.",
                "answer_en": "In June.",
            },
        ],
    )
    Call.objects.filter(pk=call.pk).update(
        contact_name="Jana Weber",
        contact_email="programmbuero-foerderrunden@fund.example",
        contact_phone="+49 30 1234567",
    )
    eligibility_question(call)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in_browser(page, live_server, make_user(Role.APPLICANT, language=locale[:2]))
    page.goto(f"{live_server.url}/calls/round-e/")
    expect(page.get_by_role("row", name=criterion)).to_be_visible()
    expect(page.get_by_role("heading", name=faq)).to_be_visible()
    expect(
        page.get_by_role("link", name="programmbuero-foerderrunden@fund.example")
    ).to_be_visible()
    expect(page.locator(".eligibility-rules")).to_contain_text(reason)
    axe_check(page, label=f"call page ({locale})")
    page.set_viewport_size(NARROW)
    axe_check(page, label=f"call page ({locale}), 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
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


@pytest.mark.parametrize(
    ("language", "save", "question_label", "saved", "shown"),
    [
        (
            "en",
            "Save the questions and answers",
            "Question (English)",
            "have been saved",
            "<b>In June.</b>",
        ),
        (
            "de",
            "Fragen und Antworten speichern",
            "Frage (Englisch)",
            "wurden gespeichert",
            "Im Juni.",
        ),
    ],
)
def test_staff_write_the_questions_and_answers_of_the_call_page(
    browser, live_server, language, save, question_label, saved, shown
):
    call = CallFactory(slug=f"round-faq-{language}")
    context = browser.new_context(
        locale="de-DE" if language == "de" else "en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in_browser_with_second_factor(page, live_server, make_user(Role.STAFF, language=language))
    page.goto(f"{live_server.url}/staff/calls/{call.slug}/faq/")
    axe_check(page, label=f"call page questions and answers ({language})")
    entry = page.get_by_role("group").first
    entry.get_by_label("Question (German)" if language == "en" else "Frage (Deutsch)").fill(
        "Wann wird entschieden?"
    )
    entry.get_by_label(question_label).fill("When is the decision?")
    entry.get_by_label("Answer (German)" if language == "en" else "Antwort (Deutsch)").fill(
        "Im Juni."
    )
    entry.get_by_label("Answer (English)" if language == "en" else "Antwort (Englisch)").fill(
        "<b>In June.</b>"
    )
    page.get_by_role("button", name=save).click()
    expect(page.get_by_role("status")).to_contain_text(saved)
    assert list(FaqEntry.objects.filter(call=call).values_list("answer_en", flat=True)) == [
        "<b>In June.</b>"
    ]
    page.set_viewport_size(NARROW)
    axe_check(page, label=f"call page questions and answers ({language}), 390 px")
    page.goto(f"{live_server.url}/calls/{call.slug}/")
    expect(page.get_by_text(shown, exact=True)).to_be_visible()
    axe_check(page, label=f"call page with its questions and answers ({language}), 390 px")
    context.close()
