"""Staff's pages of the e-mail texts: the list of every e-mail, one e-mail's form with its
placeholders and a preview with sample data, saving, going back to the shipped text, and
refusals that keep what was typed."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import INBOX_COUNT
from workflow import emails
from workflow.models import EmailText
from workflow.services import save_email_text

URL = "/staff/emails/application_submitted/en/"


def _save(staff, key="application_submitted", language="en", **kwargs):
    return save_email_text(
        key=key,
        language=language,
        subject=kwargs.get("subject", "Got $reference"),
        body=kwargs.get("body", "Thanks for $title."),
        actor=staff,
        based_on=kwargs.get("based_on"),
    )


def test_the_list_names_every_email_and_whether_it_was_changed(staff_client, staff):
    _save(staff, language="de", subject="Eingang $reference", body="Danke.")

    page = staff_client.get(reverse("staff_email_texts")).content.decode()

    assert page.count('href="/staff/emails/') == 2 * len(emails.kinds())
    assert page.count(">Changed<") == 1
    assert 'href="/staff/emails/application_submitted/de/">Changed' in page
    assert 'href="/staff/emails/grant_notice.agreement_offered/en/">Shipped text' in page
    assert "Grant agreement ready to sign" in page


def test_the_form_starts_from_the_shipped_text_and_shows_placeholders_and_preview(staff_client):
    page = staff_client.get(URL).content.decode()

    assert 'value="Application $reference received"' in page
    assert "We have received your application &quot;$title&quot; to the call" in page
    for name in ("reference", "title", "call", "link", "name", "fund"):
        assert f"<code>${name}</code>" in page
    # The preview: sample data, the greeting and sign-off around the text.
    assert "Application CTF-2026-1-0042 received" in page
    assert "Hello Dr. Miriam Albrecht,\n\nWe have received your application" in page
    assert "http://127.0.0.1:8000/applications/42/" in page


def test_the_preview_shows_unsaved_text(staff_client):
    response = staff_client.post(
        URL, {"action": "preview", "subject": "New $reference", "body": "Hi from $fund."}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "New CTF-2026-1-0042" in page
    assert "Hi from Civic Tech Fund." in page
    assert EmailText.objects.count() == 0


def test_saving_applies_to_the_next_mail(staff_client, staff):
    response = staff_client.post(
        URL, {"action": "save", "subject": "Got $reference", "body": "Thanks for $title."}
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    text = EmailText.objects.get()
    assert (text.key, text.language, text.subject, text.body, text.created_by) == (
        "application_submitted",
        "en",
        "Got $reference",
        "Thanks for $title.",
        staff,
    )
    page = staff_client.get(URL).content.decode()
    assert 'value="Got $reference"' in page
    assert "Changed on" in page


def test_a_wrong_placeholder_keeps_the_text_and_saves_nothing(staff_client):
    response = staff_client.post(
        URL, {"action": "save", "subject": "Got $reference", "body": "Your {{ secret }} $password"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This e-mail has no placeholder $password." in page
    assert "Your {{ secret }} $password</textarea>" in page
    assert "The preview appears when the text has no errors." in page
    assert EmailText.objects.count() == 0


def test_a_text_saved_meanwhile_is_shown_and_not_overwritten(staff_client, staff):
    page = staff_client.get(URL)  # the editor starts from the shipped text
    _save(staff, subject="Other $reference", body="Someone else's words.")

    response = staff_client.post(
        URL, {"action": "save", "subject": "Mine $reference", "body": "My words.", "based_on": ""}
    )

    assert page.status_code == 200
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this e-mail while you were editing it." in content
    assert "Someone else&#x27;s words." in content
    assert "My words.</textarea>" in content
    assert list(EmailText.objects.values_list("body", flat=True)) == ["Someone else's words."]


def test_back_to_the_shipped_text(staff_client, staff):
    own = _save(staff)

    response = staff_client.post(URL, {"action": "restore", "based_on": str(own.pk)})

    assert response.status_code == 302
    assert EmailText.objects.order_by("-pk").first().restores_shipped is True
    page = staff_client.get(URL).content.decode()
    assert 'value="Application $reference received"' in page


@pytest.mark.parametrize("based_on", ["²", "-1", "99999999999999999999999", "x"])
def test_a_broken_restore_changes_nothing(staff_client, staff, based_on):
    _save(staff)

    response = staff_client.post(URL, {"action": "restore", "based_on": based_on})

    assert response.status_code == 302
    assert EmailText.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["/staff/emails/nothing/en/", "/staff/emails/jury_added/fr/", "/staff/emails/x/de/"]
)
def test_unknown_emails_and_languages_are_not_found(staff_client, url):
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("changes", [1, 3])
def test_the_list_needs_the_same_queries_for_1_and_3_changes(
    staff_client, staff, changes, django_assert_num_queries
):
    for key in ("application_submitted", "jury_added", "quarterly_report")[:changes]:
        _save(staff, key=key, subject="S $fund", body="B $fund")

    with django_assert_num_queries(5 + INBOX_COUNT):  # the navigation's inbox count
        response = staff_client.get(reverse("staff_email_texts"))

    assert response.content.decode().count(">Changed<") == changes


@pytest.mark.parametrize("changes", [1, 3])
def test_the_form_needs_the_same_queries_however_often_it_was_changed(
    staff_client, staff, changes, django_assert_num_queries
):
    text = None
    for number in range(changes):
        text = _save(staff, body=f"Version {number}", based_on=text.pk if text else None)

    with django_assert_num_queries(5 + INBOX_COUNT):  # the navigation's inbox count
        response = staff_client.get(URL)

    assert f"Version {changes - 1}</textarea>" in response.content.decode()
