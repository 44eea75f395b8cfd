"""A call's public page shows the jury's criteria with their weights, the eligibility rules
(what is asked and which answer rules out), a contact and the questions and answers staff
write per call; everyone reads it, staff alone edit it. Plain text only (HTML is shown as
typed), bad input refused with nothing changed, a fixed number of queries however many
entries and criteria."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Call, FaqEntry
from grants.services.faq import save_faq
from grants.states import FAQ_ANSWER_MAX_CHARS, FAQ_ENTRIES_MAX
from tests.factories import CallFactory, make_user
from tests.grants.staff.helpers import sign_in_with_mfa
from tests.grants.staff.test_calls import data_of
from tests.grants.test_question_answers import eligibility_question
from tests.review.helpers import make_jury
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

ENTRIES = [
    {
        "question_de": "Können Vereine sich bewerben?",
        "question_en": "Can associations apply?",
        "answer_de": "Ja.\nAuch gGmbHs.",
        "answer_en": "Yes.\nNon-profit companies too.",
    },
    {
        "question_de": "Wann wird entschieden?",
        "question_en": "When is the decision?",
        "answer_de": "Im Juni.",
        "answer_en": "In June.",
    },
]


def faq_url(call):
    return reverse("staff_call_faq", kwargs={"slug": call.slug})


def page(client, call, language="en"):
    response = client.get(
        reverse("call_detail", kwargs={"slug": call.slug}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def posted(entries, *, total=None, extra_blank=True):
    """The formset's POST data for ``entries`` (dicts, with an "id" to change one)."""
    rows = list(entries) + ([{}] if extra_blank else [])
    data = {
        "faq-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "faq-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "faq-MIN_NUM_FORMS": "0",
        "faq-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"faq-{index}-{name}"] = value
        if row:
            data.setdefault(f"faq-{index}-ORDER", str(index + 1))
    return data


def snapshot(call):
    return list(
        FaqEntry.objects.filter(call=call).values_list(
            "pk", "position", "question_de", "question_en", "answer_de", "answer_en"
        )
    )


# The public page.


def test_the_page_shows_criteria_rules_faq_and_contact_in_english(client, staff, call):
    make_jury(call)
    eligibility_question(call)
    save_faq(call=call, actor=staff, entries=ENTRIES)
    Call.objects.filter(pk=call.pk).update(
        contact_name="Jana Weber", contact_email="programm@fund.example", contact_phone="+49 30 123"
    )

    html = page(client, call)

    assert "How applications are assessed" in html
    assert '<th scope="row">Relevance</th><td class="number">40%</td>' in html
    assert '<th scope="row">Security</th><td class="number">30%</td>' in html
    assert "<strong>Will your project be open source?</strong>" in html
    assert "Ruled out by the answer: No.\n    We fund open-source software only." in html
    assert html.index("Can associations apply?") < html.index("When is the decision?")
    assert "<p>Yes.<br>Non-profit companies too.</p>" in html
    assert 'E-mail: <a href="mailto:programm@fund.example">programm@fund.example</a>' in html
    assert 'Telephone: <a href="tel:+4930123">+49 30 123</a>' in html
    assert "Jana Weber<br>" in html


def test_the_page_in_german(client, staff, call):
    make_jury(call)
    eligibility_question(call)
    save_faq(call=call, actor=staff, entries=ENTRIES)
    Call.objects.filter(pk=call.pk).update(contact_email="programm@fund.example")

    html = page(client, call, "de")

    assert "Wie Anträge bewertet werden" in html
    assert '<th scope="row">Relevanz</th><td class="number">40\xa0%</td>' in html
    assert "Ausgeschlossen durch die Antwort: Nein." in html
    assert "Häufige Fragen" in html
    assert "<h3>Können Vereine sich bewerben?</h3>" in html
    assert "<p>Ja.<br>Auch gGmbHs.</p>" in html
    assert "Fragen zu dieser Förderrunde?" in html
    assert "Telefon:" not in html  # no number given


def test_a_call_without_them_shows_none_of_the_parts(client, call):
    html = page(client, call)

    for text in ("How applications are assessed", "Conditions for applying", "Frequently"):
        assert text not in html
    assert "Questions about this call?" not in html


def test_html_in_the_faq_and_contact_is_shown_as_typed(client, staff, call):
    save_faq(
        call=call,
        actor=staff,
        entries=[
            {
                "question_de": "<script>alert(1)</script>",
                "question_en": "<script>alert(1)</script>",
                "answer_de": '<a href="javascript:alert(1)">x</a>',
                "answer_en": '<a href="javascript:alert(1)">x</a>',
            }
        ],
    )
    Call.objects.filter(pk=call.pk).update(
        contact_name="<b>Eve</b>", contact_email="eve@fund.example"
    )

    html = page(client, call)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_public_page_queries_do_not_grow_with_entries_or_criteria(
    client, staff, django_assert_num_queries, count
):
    call = CallFactory(default_questions=False)
    criteria = [(f"K{n}", f"C{n}", 10, "0-10", False) for n in range(count)]
    make_jury(call, criteria=criteria)
    save_faq(call=call, actor=staff, entries=ENTRIES[:1] * count)
    # The call, its questions, its questions and answers, the jury's criteria, its tracks.
    with django_assert_num_queries(5):
        html = page(client, call)
    assert html.count('<th scope="row">C') == count
    assert html.count("<h3>Can associations apply?</h3>") == count


# Staff edit the questions and answers.


def test_staff_add_reorder_change_and_remove_entries(staff_client, staff, call):
    response = staff_client.post(faq_url(call), posted(ENTRIES))
    assert response.status_code == 302
    first, second = FaqEntry.objects.filter(call=call).order_by("position")
    assert (first.question_en, second.question_en) == (
        "Can associations apply?",
        "When is the decision?",
    )
    assert TransitionLog.objects.get(action="grants.call.faq_changed").data == {
        "entries": 2,
        "changed": 2,
        "removed": 0,
    }

    changed = {**ENTRIES[0], "id": str(first.pk), "ORDER": "2", "answer_en": "Yes, always."}
    moved = {**ENTRIES[1], "id": str(second.pk), "ORDER": "1"}
    staff_client.post(faq_url(call), posted([changed, moved]))

    assert snapshot(call) == [
        (second.pk, 1, *ENTRIES[1].values()),
        (first.pk, 2, *list(ENTRIES[0].values())[:3], "Yes, always."),
    ]

    staff_client.post(faq_url(call), posted([{**changed, "DELETE": "on"}, moved]))
    assert [pk for pk, *_ in snapshot(call)] == [second.pk]


def test_saving_the_list_unchanged_writes_and_logs_nothing(staff, call):
    first, second = save_faq(call=call, actor=staff, entries=ENTRIES)
    stored = snapshot(call)
    same = [{**ENTRIES[0], "id": first.pk}, {**ENTRIES[1], "id": second.pk}]

    save_faq(call=call, actor=staff, entries=same)

    assert snapshot(call) == stored
    assert TransitionLog.objects.filter(action="grants.call.faq_changed").count() == 1
    save_faq(call=call, actor=staff, entries=[same[1], same[0]])  # a new order is a change
    assert [
        entry["data"]
        for entry in TransitionLog.objects.filter(action="grants.call.faq_changed")
        .order_by("pk")
        .values("data")
    ][1] == {"entries": 2, "changed": 2, "removed": 0}


def test_the_form_page_lists_the_entries(staff_client, staff, call, django_assert_num_queries):
    save_faq(call=call, actor=staff, entries=ENTRIES)
    response = staff_client.get(faq_url(call))
    html = response.content.decode()
    assert 'value="Can associations apply?"' in html
    assert "Entry 2" in html and "New entry" in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_form_page_queries_do_not_grow(staff_client, staff, django_assert_num_queries, count):
    call = CallFactory()
    save_faq(call=call, actor=staff, entries=ENTRIES[:1] * count)
    # Session, user, groups, authenticators, the inbox count, the call, its entries.
    with django_assert_num_queries(7):
        response = staff_client.get(faq_url(call))
    assert response.content.decode().count('value="Can associations apply?"') == count


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            {**ENTRIES[0], "answer_en": "x" * (FAQ_ANSWER_MAX_CHARS + 1)},
            "answer_en",
            f"Ensure this value has at most {FAQ_ANSWER_MAX_CHARS} characters",
        ),
        (
            {**ENTRIES[0], "question_de": ""},
            "question_de",
            "Give the question and its answer in both languages.",
        ),
        ({**ENTRIES[0], "ORDER": "²"}, "ORDER", "Enter a whole number."),
        ({**ENTRIES[0], "id": "99999999999999999999"}, "id", "Ensure this value is less"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(staff_client, staff, call, row, field, message):
    save_faq(call=call, actor=staff, entries=ENTRIES[1:])
    before = snapshot(call)

    response = staff_client.post(faq_url(call), posted([row]))

    assert response.status_code == 200
    assert message in " ".join(response.context["formset"].forms[0].errors[field])
    assert "Nothing was saved. Please correct the marked fields." in response.content.decode()
    assert snapshot(call) == before


def test_too_many_entries_are_refused(staff_client, staff, call):
    rows = ENTRIES[:1] * (FAQ_ENTRIES_MAX + 5)
    response = staff_client.post(faq_url(call), posted(rows, extra_blank=False))
    assert response.status_code == 200
    assert f"Please submit at most {FAQ_ENTRIES_MAX} forms." in response.content.decode()
    assert not FaqEntry.objects.exists()
    with pytest.raises(WorkflowError, match=f"at most {FAQ_ENTRIES_MAX} questions"):
        save_faq(call=call, actor=staff, entries=ENTRIES[:1] * (FAQ_ENTRIES_MAX + 1))
    assert not FaqEntry.objects.exists()


def test_the_most_entries_a_call_may_have_are_saved(staff, call):
    saved = save_faq(call=call, actor=staff, entries=ENTRIES[:1] * FAQ_ENTRIES_MAX)

    assert len(saved) == FAQ_ENTRIES_MAX
    assert list(FaqEntry.objects.filter(call=call).values_list("position", flat=True)) == list(
        range(1, FAQ_ENTRIES_MAX + 1)
    )


def test_an_entry_of_another_call_is_not_changed(staff_client, staff, call):
    other = CallFactory()
    [theirs] = save_faq(call=other, actor=staff, entries=ENTRIES[:1])

    staff_client.post(faq_url(call), posted([{**ENTRIES[1], "id": str(theirs.pk)}]))

    assert snapshot(other) == [(theirs.pk, 1, *ENTRIES[0].values())]
    assert [row[3] for row in snapshot(call)] == ["When is the decision?"]


def test_only_staff_may_save_the_faq(call):
    for role in (Role.APPLICANT, Role.JUROR, Role.MINISTRY):
        with pytest.raises(WorkflowError):
            save_faq(call=call, actor=make_user(role), entries=ENTRIES)
    assert not FaqEntry.objects.exists()


def test_the_faq_page_in_german(client, call):
    sign_in_with_mfa(client, make_user(Role.STAFF, language="de"))
    response = client.get(faq_url(call), HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert "Fragen und Antworten auf der Seite von" in html
    assert "Frage (Deutsch)" in html and "Antwort (Englisch)" in html
    assert "Dieses Eintrag entfernen" not in html and "Diesen Eintrag entfernen" in html


# The contact, on the call's form.


def test_staff_set_the_contact_on_the_call_form(staff_client, call):
    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}),
        data_of(
            call,
            contact_name="Jana Weber",
            contact_email="programm@fund.example",
            contact_phone="+49 (30) 123-45/6",
        ),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.contact_name, call.contact_email, call.contact_phone) == (
        "Jana Weber",
        "programm@fund.example",
        "+49 (30) 123-45/6",
    )
    assert call.contact_phone_uri == "tel:+4930123456"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "javascript:alert(1)", "Enter a valid email address."),
        ("contact_email", "a@b.example<script>", "Enter a valid email address."),
        ("contact_phone", "javascript:alert(1)", "Enter a telephone number of digits"),
        ("contact_phone", "+49 30 1234\nx", "Enter a telephone number of digits"),
        ("contact_name", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_a_bad_contact_is_refused_and_changes_nothing(staff_client, call, field, value, message):
    Call.objects.filter(pk=call.pk).update(contact_email="old@fund.example")
    response = staff_client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}),
        data_of(call, **{field: value}),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    call.refresh_from_db()
    assert (call.contact_name, call.contact_email, call.contact_phone) == (
        "",
        "old@fund.example",
        "",
    )
