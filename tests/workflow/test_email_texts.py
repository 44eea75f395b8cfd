"""E-mails that read right (issue 20): one salutation per language with the full name, the
right ``lang`` on the HTML part, English continuing with a capital after the greeting and
German in lower case, links as links; and staff's own wording per e-mail and language, with
only the listed placeholders, used by the next e-mail and falling back to the shipped text."""

import re

import pytest
from django.core import mail
from django.utils import translation

from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, make_grant, make_user
from workflow import emails
from workflow.models import EmailText
from workflow.notifications import notify
from workflow.services import restore_shipped_email_text, save_email_text

pytestmark = pytest.mark.django_db

# German letters continue in lower case after the greeting, except with a capitalised
# word: a name (placeholder) or the formal "Sie"/"Ihr".
GERMAN_CAPITALISED_STARTS = ("$", "Ihr", "Ihnen", "Sie ")


def send(to, template, context, execute):
    with execute(execute=True):
        notify(to=to, template=template, context=context)
    return mail.outbox[-1]


def html_of(message):
    return message.alternatives[0][0]


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


# ---------------------------------------------------------------------------------------
# The shipped texts


def test_every_email_of_the_system_is_registered():
    keys = {kind.key for kind in emails.kinds()}

    assert {
        "application_submitted",
        "application_approved",
        "information_requested",
        "team_invitation",
        "jury_added",
        "jury_invitation",
        "jury_assignment",
        "jury_reminder",
        "quarterly_report",
        "reminder.due_soon",
        "reminder.overdue",
        "staff_overdue_list",
        "grant_notice.agreement_offered",
        "grant_notice.grant_terminated",
    } <= keys
    assert len(keys) == 37


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_shipped_text_uses_only_its_own_placeholders(language):
    with translation.override(language):
        problems = {
            kind.key: template_problems
            for kind in emails.kinds()
            if (
                template_problems := emails.template_errors(str(kind.subject), kind.names)
                + emails.template_errors(str(kind.body), kind.names)
            )
        }

    assert len(emails.kinds()) == 37
    assert problems == {}


def test_the_german_texts_use_the_same_placeholders_as_the_english_ones():
    def used(language):
        with translation.override(language):
            return {
                kind.key: sorted(re.findall(r"\$(\w+)", f"{kind.subject}\n{kind.body}"))
                for kind in emails.kinds()
            }

    english, german = used("en"), used("de")

    assert english["application_submitted"] == ["call", "link", "reference", "reference", "title"]
    assert german == english


def _first_words(language):
    with translation.override(language):
        return {kind.key: str(kind.body) for kind in emails.kinds()}


def test_english_texts_continue_with_a_capital_after_the_greeting():
    lower = [key for key, body in _first_words("en").items() if not body[0].isupper()]
    starts = _first_words("en")

    assert starts["application_eligible"].startswith("Your application")
    assert lower == [key for key in starts if starts[key].startswith("$")]


def test_german_texts_continue_in_lower_case_after_the_greeting():
    starts = _first_words("de")
    capitalised = [
        key
        for key, body in starts.items()
        if body[0].isupper() and not body.startswith(GERMAN_CAPITALISED_STARTS)
    ]

    assert starts["application_submitted"].startswith("wir haben Ihren Antrag")
    assert capitalised == []


@pytest.mark.parametrize(
    ("language", "greeting"),
    [("de", "Guten Tag Dr. Miriam Albrecht,"), ("en", "Hello Dr. Miriam Albrecht,")],
)
def test_jurors_are_greeted_with_their_full_name(
    language, greeting, django_capture_on_commit_callbacks
):
    from tests.factories import CallFactory

    juror = make_user(Role.JUROR, full_name="Dr. Miriam Albrecht", language=language)

    message = send(
        juror,
        "jury_added",
        {"call": CallFactory(), "for_juror": True},
        django_capture_on_commit_callbacks,
    )

    assert message.body.startswith(f"{greeting}\n\n")
    assert f"<p>{greeting}</p>" in html_of(message)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_html_part_is_in_the_recipients_language(language, django_capture_on_commit_callbacks):
    owner = make_user(Role.APPLICANT, language=language)

    message = send(
        owner,
        "application_submitted",
        {"application": ApplicationFactory(owner=owner)},
        django_capture_on_commit_callbacks,
    )

    assert f'<html lang="{language}">' in html_of(message)


def test_the_agreement_mail_links_its_address(django_capture_on_commit_callbacks, settings):
    grant = make_grant(state="approved")
    url = f"{settings.SITE_URL}/grantee/grants/{grant.pk}/agreement/"

    message = send(
        grant.application.owner,
        "grant_notice",
        {"kind": "agreement_offered", "grant": grant},
        django_capture_on_commit_callbacks,
    )

    assert f'<a href="{url}">{url}</a>' in html_of(message)
    assert f":\n{url}\n" in message.body


def test_a_staff_mail_says_why_staff_receive_it(django_capture_on_commit_callbacks, staff):
    grant = make_grant(state="approved")

    message = send(
        staff,
        "grant_notice",
        {"kind": "award_declined", "grant": grant, "note": ""},
        django_capture_on_commit_callbacks,
    )

    assert "because you are programme staff of the Civic Tech Fund." in message.body
    assert "because of your application" not in message.body
    assert f"/staff/calls/{grant.application.call.slug}/jury/waitlist/" in message.body


# ---------------------------------------------------------------------------------------
# Staff's own wording


def _submitted(owner):
    application = ApplicationFactory(owner=owner)
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    application.refresh_from_db()
    return application


def test_the_next_mail_uses_staffs_text_in_that_language_only(
    staff, django_capture_on_commit_callbacks
):
    save_email_text(
        key="application_submitted",
        language="en",
        subject="We have $reference",
        body="Dear applicant, thank you for “$title”.\n\nSee $link for the state.",
        actor=staff,
        based_on=None,
    )
    english = make_user(Role.APPLICANT, language="en", full_name="Ada Lovelace")
    german = make_user(Role.APPLICANT, language="de")
    application = _submitted(english)

    message = send(
        english,
        "application_submitted",
        {"application": application},
        django_capture_on_commit_callbacks,
    )
    shipped = send(
        german,
        "application_submitted",
        {"application": _submitted(german)},
        django_capture_on_commit_callbacks,
    )

    link = f"http://127.0.0.1:8000/applications/{application.pk}/"
    assert message.subject == f"[Civic Tech Fund] We have {application.reference}"
    assert message.body.startswith(
        f"Hello Ada Lovelace,\n\nDear applicant, thank you for “{application.title}”.\n\n"
        f"See {link} for the state.\n\nKind regards\n"
    )
    assert f'<p>See <a href="{link}">{link}</a> for the state.</p>' in html_of(message)
    assert shipped.subject.endswith("eingegangen")


def test_back_to_the_shipped_text_keeps_staffs_text_on_record(
    staff, django_capture_on_commit_callbacks
):
    own = save_email_text(
        key="application_withdrawn",
        language="en",
        subject="Gone: $reference",
        body="Withdrawn.",
        actor=staff,
        based_on=None,
    )
    restore_shipped_email_text(
        key="application_withdrawn", language="en", actor=staff, based_on=own.pk
    )
    owner = make_user(Role.APPLICANT, language="en")
    application = ApplicationFactory(owner=owner)

    message = send(
        owner,
        "application_withdrawn",
        {"application": application},
        django_capture_on_commit_callbacks,
    )

    assert message.subject == f"[Civic Tech Fund] Application {application.reference} withdrawn"
    assert list(EmailText.objects.values_list("subject", "restores_shipped")) == [
        ("", True),
        ("Gone: $reference", False),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Your key: $secret_key", "This e-mail has no placeholder $secret_key."),
        ("Hello $recipient.password", "This e-mail has no placeholder $recipient."),
        ("Costs $ 5", "A $ sign must start a placeholder such as $reference"),
        ("${title", "A $ sign must start a placeholder such as $reference"),
        ("$Title and $LINK", "This e-mail has no placeholders $LINK, $Title."),
    ],
)
def test_only_the_listed_placeholders_may_be_used(staff, body, message):
    with pytest.raises(WorkflowError) as refused:
        save_email_text(
            key="application_submitted",
            language="en",
            subject="Subject",
            body=body,
            actor=staff,
            based_on=None,
        )

    assert refused.value.field_errors["body"][0].startswith(message)
    assert EmailText.objects.count() == 0


def test_template_syntax_and_markup_from_staff_stay_plain_text(
    staff, django_capture_on_commit_callbacks, settings
):
    hostile = (
        "{{ settings.SECRET_KEY }} {% debug %} <script>alert(1)</script> "
        '<a href="javascript:alert(1)">x</a> $$ and $title'
    )
    save_email_text(
        key="application_eligible",
        language="en",
        subject="{{ request }} $reference",
        body=hostile,
        actor=staff,
        based_on=None,
    )
    owner = make_user(Role.APPLICANT, language="en")
    application = ApplicationFactory(owner=owner, title="Costs $link <b>bold</b>")

    message = send(
        owner,
        "application_eligible",
        {"application": application},
        django_capture_on_commit_callbacks,
    )

    html = html_of(message)
    assert message.subject == f"[Civic Tech Fund] {{{{ request }}}} {application.reference}"
    assert (
        "{{ settings.SECRET_KEY }} {% debug %} <script>alert(1)</script> "
        '<a href="javascript:alert(1)">x</a> $ and Costs $link <b>bold</b>' in message.body
    )
    assert settings.SECRET_KEY not in message.body + html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "Costs $link &lt;b&gt;bold&lt;/b&gt;" in html


def test_huge_or_empty_texts_are_refused(staff):
    with pytest.raises(WorkflowError) as huge:
        save_email_text(
            key="application_eligible",
            language="en",
            subject="x" * 201,
            body="y" * 10_001,
            actor=staff,
            based_on=None,
        )
    with pytest.raises(WorkflowError) as empty:
        save_email_text(
            key="application_eligible",
            language="en",
            subject=" ",
            body="\n",
            actor=staff,
            based_on=None,
        )

    assert huge.value.field_errors == {
        "subject": ["At most 200 characters."],
        "body": ["At most 10000 characters."],
    }
    assert set(empty.value.field_errors) == {"subject", "body"}
    assert EmailText.objects.count() == 0


def test_a_text_changed_meanwhile_is_not_overwritten(staff):
    first = save_email_text(
        key="jury_added",
        language="de",
        subject="Jury $call",
        body="Text eins.",
        actor=staff,
        based_on=None,
    )

    with pytest.raises(StaleObjectError):
        save_email_text(
            key="jury_added",
            language="de",
            subject="Jury $call",
            body="Text zwei.",
            actor=staff,
            based_on=None,
        )

    assert list(EmailText.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.JUROR, Role.MINISTRY])
def test_only_staff_change_the_texts(role):
    with pytest.raises(WorkflowError):
        save_email_text(
            key="jury_added",
            language="de",
            subject="Jury $call",
            body="Text.",
            actor=make_user(role),
            based_on=None,
        )

    assert EmailText.objects.count() == 0


def test_an_unknown_email_or_language_is_refused(staff):
    for key, language in (("no_such_mail", "en"), ("jury_added", "fr")):
        with pytest.raises(WorkflowError):
            save_email_text(
                key=key, language=language, subject="S", body="B", actor=staff, based_on=None
            )

    assert EmailText.objects.count() == 0


def test_texts_are_added_never_changed(staff):
    text = save_email_text(
        key="jury_added",
        language="de",
        subject="Jury $call",
        body="Text.",
        actor=staff,
        based_on=None,
    )
    text.body = "Changed behind the log's back"

    with pytest.raises(Exception, match="replaced by a newer one"):
        text.save()
