"""The jury's discussion of an application: comments by its panel (jurors assigned to it,
without a conflict, who submitted their own review) and by staff, while the jury is in
discussion; the rapporteur named by staff from the panel and their summary. Applicants,
team members, conflicted jurors and the ministry never read a word."""

import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from privacy.export import collect
from privacy.kinds import DataKind
from privacy.scope import Scope
from privacy.services.shredders.base import MARK
from privacy.services.shredders.review import ReviewShredder
from review import events
from review.discussion_queries import discussions_visible_to
from review.models import DiscussionComment, DiscussionSummary, Jury
from review.rules import reads_discussion
from review.services.discussion import (
    add_comment,
    name_rapporteur,
    withdraw_comment,
    write_summary,
)
from review.states import DISCUSSION_COMMENT_MAX_CHARS, SUMMARY_MAX_CHARS, JuryPhase
from tests.accounts.helpers import INBOX_COUNT, make_role_user, sign_in
from tests.factories import make_user
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

SECRET = "Confidential jury remark"


class Panel:
    """A call whose jury is in discussion: application ``app`` with three assigned jurors
    (``first`` and ``second`` submitted their review, ``drafting`` did not), a juror who
    declared a conflict with it (their assignment still active: the rules must hold
    anyway), a juror of the jury not assigned to it, staff, the applicant, a team member
    and a ministry viewer."""

    def __init__(self, staff, phase=JuryPhase.DISCUSSION):
        self.jury = make_jury(phase=phase)
        self.call = self.jury.call
        self.team_member = make_user(Role.JUROR, email="mate@team.example")
        self.app = in_review(self.call, state=S.REVIEWED, members=["mate@team.example"])
        self.other_app = in_review(self.call, state=S.REVIEWED)
        self.first = make_juror(self.jury, full_name="Fiona First")
        self.second = make_juror(self.jury, full_name="Sven Second")
        self.drafting = make_juror(self.jury, full_name="Dora Drafting")
        self.conflicted = make_juror(self.jury, full_name="Conny Conflicted")
        self.unassigned = make_juror(self.jury, full_name="Udo Unassigned")
        self.reviews = {}
        for juror in (self.first, self.second, self.conflicted):
            self.reviews[juror.pk] = scored(assign(juror, self.app), [7, 6, 4])
        self.reviews[self.drafting.pk] = assign(self.drafting, self.app)
        scored(assign(self.unassigned, self.other_app), [5, 5, 3])
        conflict(self.conflicted, self.app)
        self.staff = staff
        self.ministry = make_user(Role.MINISTRY)
        self.owner = self.app.owner
        self.admin = make_role_user("admin")

    def review_of(self, juror):
        return self.reviews[juror.pk]

    def set_phase(self, phase):
        Jury.objects.filter(pk=self.jury.pk).update(phase=phase)
        self.app.call.jury.refresh_from_db()


@pytest.fixture
def panel(staff):
    return Panel(staff)


def discussion_url(panel, juror):
    return reverse("jury_review_discussion", kwargs={"pk": panel.review_of(juror).pk})


def staff_url(panel):
    return reverse("staff_application_jury", kwargs={"pk": panel.app.pk})


# Who reads: the rule and its list twin agree.


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("first", True),
        ("second", True),
        ("drafting", False),  # no submitted review of their own yet
        ("conflicted", False),
        ("unassigned", False),
        ("team_member", False),
        ("owner", False),
        ("ministry", False),
        ("staff", True),
        ("admin", True),
    ],
)
def test_who_reads_the_discussion(panel, who, reads):
    user = getattr(panel, who)

    assert reads_discussion(user, panel.app) is reads
    assert (panel.app.pk in set(discussions_visible_to(user).values_list("pk", flat=True))) is reads


@pytest.mark.parametrize(
    ("state", "staff_reads"),
    [
        (S.ELIGIBLE, False),  # before its review started: no discussion yet
        (S.IN_REVIEW, True),
        (S.REJECTED, True),
        (S.FUNDED, True),
        (S.WITHDRAWN, False),  # withdrawn: gone from the jury's work
    ],
)
def test_staff_read_a_discussion_from_the_review_on_until_withdrawn(panel, state, staff_reads):
    Application.objects.filter(pk=panel.app.pk).update(state=state)
    app = Application.objects.get(pk=panel.app.pk)

    assert reads_discussion(panel.staff, app) is staff_reads
    listed = set(discussions_visible_to(panel.staff).values_list("pk", flat=True))
    assert (app.pk in listed) is staff_reads
    assert panel.other_app.pk in listed


@pytest.mark.parametrize(
    ("phase", "juror_reads", "staff_reads"),
    [
        (JuryPhase.SCORING, False, True),
        (JuryPhase.DISCUSSION, True, True),
        (JuryPhase.CLOSED, False, True),  # staff keep reading after the jury closed
    ],
)
def test_jurors_read_only_while_discussing(staff, phase, juror_reads, staff_reads):
    panel = Panel(staff, phase=phase)

    assert reads_discussion(panel.first, panel.app) is juror_reads
    assert reads_discussion(panel.staff, panel.app) is staff_reads
    assert (panel.app.pk in discussions_visible_to(panel.first).values_list("pk", flat=True)) is (
        juror_reads
    )


# Writing a comment.


def test_a_juror_of_the_panel_comments_and_it_is_logged(client, panel):
    sign_in(client, panel.first)

    response = client.post(
        reverse("jury_discussion_comment", kwargs={"pk": panel.review_of(panel.first).pk}),
        {"body": "  The budget for year two looks thin.  "},
    )

    assert response.status_code == 302
    assert response["Location"] == discussion_url(panel, panel.first) + "#discussion"
    comment = DiscussionComment.objects.get()
    assert (comment.application, comment.author, comment.body) == (
        panel.app,
        panel.first,
        "The budget for year two looks thin.",
    )
    entry = TransitionLog.objects.get(action=events.COMMENT_WRITTEN)
    assert (entry.object_id, entry.actor, entry.data, entry.note) == (
        comment.pk,
        panel.first,
        {"application": panel.app.reference},
        "",
    )


def test_staff_comment_from_the_page_of_the_reviews(client, panel):
    sign_in(client, panel.staff)

    response = client.post(
        reverse("staff_discussion_comment", kwargs={"pk": panel.app.pk}), {"body": "Noted."}
    )

    assert response.status_code == 302
    assert response["Location"] == staff_url(panel) + "#discussion"
    assert list(DiscussionComment.objects.values_list("author", "body")) == [
        (panel.staff.pk, "Noted.")
    ]


@pytest.mark.parametrize("who", ["drafting", "conflicted", "unassigned_own", "team_member"])
def test_jurors_outside_the_panel_cannot_comment(client, panel, who):
    """Refused as not found: the page of their own review does not show the discussion,
    a conflicted juror's review is not theirs to open, and the others have no review of
    it at all (they try a panellist's)."""
    user = {
        "drafting": panel.drafting,
        "conflicted": panel.conflicted,
        "unassigned_own": panel.unassigned,
        "team_member": panel.team_member,
    }[who]
    review = {
        "drafting": panel.review_of(panel.drafting),
        "conflicted": panel.review_of(panel.conflicted),
        "unassigned_own": panel.review_of(panel.second),
        "team_member": panel.review_of(panel.first),
    }[who]
    sign_in(client, user)

    response = client.post(
        reverse("jury_discussion_comment", kwargs={"pk": review.pk}), {"body": "Hello"}
    )

    assert response.status_code == 404
    assert not DiscussionComment.objects.exists()


@pytest.mark.parametrize("who", ["owner", "ministry", "first", "anonymous"])
def test_only_staff_post_on_the_staff_page(client, panel, who):
    user = None if who == "anonymous" else getattr(panel, who)
    if user is not None:
        sign_in(client, user)

    response = client.post(
        reverse("staff_discussion_comment", kwargs={"pk": panel.app.pk}), {"body": "Hello"}
    )

    assert response.status_code == (302 if user is None else 404)
    assert not DiscussionComment.objects.exists()


@pytest.mark.parametrize("phase", [JuryPhase.SCORING, JuryPhase.CLOSED])
def test_no_comment_outside_the_discussion_phase(client, staff, phase):
    panel = Panel(staff, phase=phase)
    sign_in(client, panel.staff)

    response = client.post(
        reverse("staff_discussion_comment", kwargs={"pk": panel.app.pk}),
        {"body": "Too late"},
        follow=True,
    )

    assert "You may not comment on this application now." in response.content.decode()
    assert not DiscussionComment.objects.exists()
    with pytest.raises(WorkflowError):
        add_comment(application_id=panel.app.pk, actor=panel.first, body="Too late")
    assert not DiscussionComment.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * (DISCUSSION_COMMENT_MAX_CHARS + 1), "Ensure this value has at most 4000"),
        ("<script>alert(1)</script>", "Write plain text: HTML tags such as &lt;b&gt; are not"),
        ("see <a href='javascript:alert(1)'>here</a>", "Write plain text"),
    ],
)
def test_bad_comments_are_refused_with_the_text_kept(client, panel, body, message):
    sign_in(client, panel.first)

    response = client.post(
        reverse("jury_discussion_comment", kwargs={"pk": panel.review_of(panel.first).pk}),
        {"body": body},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert not DiscussionComment.objects.exists()
    if body.strip() and len(body) < 100:
        assert body.replace("'", "&#x27;").replace("<", "&lt;").replace(">", "&gt;") in text


def test_the_service_takes_a_comment_of_the_longest_length_and_refuses_one_more(panel):
    longest = "x" * DISCUSSION_COMMENT_MAX_CHARS

    add_comment(application_id=panel.app.pk, actor=panel.first, body=longest)
    with pytest.raises(WorkflowError) as refused:
        add_comment(application_id=panel.app.pk, actor=panel.first, body=longest + "y")

    assert refused.value.field_errors == {
        "body": [f"At most {DISCUSSION_COMMENT_MAX_CHARS} characters (this text has "
                 f"{DISCUSSION_COMMENT_MAX_CHARS + 1})."]
    }  # fmt: skip
    assert list(DiscussionComment.objects.values_list("body", flat=True)) == [longest]


@pytest.mark.parametrize("body", ["", "  \n\t "])
def test_the_service_refuses_an_empty_comment(panel, body):
    with pytest.raises(WorkflowError) as refused:
        add_comment(application_id=panel.app.pk, actor=panel.first, body=body)

    assert str(refused.value) == "Write some text first."
    assert refused.value.field_errors == {"body": ["Required."]}
    assert not DiscussionComment.objects.exists()


def test_a_comment_is_plain_text_escaped_on_both_pages(client, panel):
    add_comment(application_id=panel.app.pk, actor=panel.first, body="Score < 5 & risky\nSee p. 3")

    pages = []
    for user, url in (
        (panel.second, discussion_url(panel, panel.second)),
        (panel.staff, staff_url(panel)),
    ):
        sign_in(client, user)
        pages.append(client.get(url).content.decode())

    for page in pages:
        assert "Score &lt; 5 &amp; risky<br>See p. 3" in page
        assert "Fiona First" in page
    assert [page.count("1 comment") for page in pages] == [1, 1]


def test_conflicted_jurors_and_others_never_see_a_word(client, panel):
    add_comment(application_id=panel.app.pk, actor=panel.first, body=SECRET)
    seen = {}
    for name in ("drafting", "second", "unassigned"):
        juror = getattr(panel, name)
        review = (
            panel.unassigned.review_assignments.get().review
            if name == "unassigned"
            else panel.review_of(juror)
        )
        sign_in(client, juror)
        seen[name] = (
            SECRET
            in client.get(
                reverse("jury_review_discussion", kwargs={"pk": review.pk})
            ).content.decode()
        )
    sign_in(client, panel.conflicted)
    conflicted = client.get(discussion_url(panel, panel.conflicted))
    sign_in(client, panel.owner)
    owner = client.get(reverse("application_detail", kwargs={"pk": panel.app.pk}))

    assert seen == {"drafting": False, "second": True, "unassigned": False}
    assert conflicted.status_code == 404
    assert owner.status_code == 200 and SECRET not in owner.content.decode()


# Withdrawing a comment.


def test_the_author_withdraws_their_comment_while_discussing(client, panel):
    comment = add_comment(application_id=panel.app.pk, actor=panel.first, body=SECRET)
    sign_in(client, panel.first)

    response = client.post(
        reverse(
            "jury_discussion_withdraw",
            kwargs={"pk": panel.review_of(panel.first).pk, "comment": comment.pk},
        )
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "" and comment.withdrawn_at is not None
    assert (
        TransitionLog.objects.filter(
            action=events.COMMENT_WITHDRAWN, object_id=comment.pk, actor=panel.first
        ).count()
        == 1
    )
    page = client.get(discussion_url(panel, panel.first)).content.decode()
    assert SECRET not in page and "Withdrawn by Fiona First" in page and "0 comments" in page


@pytest.mark.parametrize("who", ["second", "staff"])
def test_nobody_withdraws_another_persons_comment(client, panel, who):
    comment = add_comment(application_id=panel.app.pk, actor=panel.first, body=SECRET)
    user = getattr(panel, who)
    sign_in(client, user)
    url = (
        reverse("staff_discussion_withdraw", kwargs={"pk": panel.app.pk, "comment": comment.pk})
        if who == "staff"
        else reverse(
            "jury_discussion_withdraw",
            kwargs={"pk": panel.review_of(user).pk, "comment": comment.pk},
        )
    )

    response = client.post(url, follow=True)

    assert "You may not withdraw this comment." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == SECRET and comment.withdrawn_at is None


def test_no_withdrawal_after_the_jury_closed(panel):
    comment = add_comment(application_id=panel.app.pk, actor=panel.staff, body=SECRET)
    panel.set_phase(JuryPhase.CLOSED)

    with pytest.raises(WorkflowError, match="You may not withdraw this comment."):
        withdraw_comment(comment_id=comment.pk, actor=panel.staff)

    comment.refresh_from_db()
    assert comment.body == SECRET and comment.withdrawn_at is None


@pytest.mark.parametrize("comment_id", ["99999999", "99999999999999999999999"])
def test_withdrawing_an_unknown_comment_is_refused_without_an_error(client, panel, comment_id):
    sign_in(client, panel.staff)
    url = reverse("staff_discussion_withdraw", kwargs={"pk": panel.app.pk, "comment": 1})
    url = url.replace("/1/withdraw/", f"/{comment_id}/withdraw/")

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "You may not withdraw this comment." in response.content.decode()


# The rapporteur and the summary.


def name(client, panel, juror_value):
    sign_in(client, panel.staff)
    return client.post(
        reverse("staff_discussion_rapporteur", kwargs={"pk": panel.app.pk}),
        {"juror": juror_value},
    )


def test_staff_name_a_juror_of_the_panel_as_rapporteur(client, panel):
    response = name(client, panel, str(panel.drafting.pk))  # assigned, no review yet: may

    assert response.status_code == 302
    summary = DiscussionSummary.objects.get()
    assert (summary.application, summary.rapporteur, summary.named_by, summary.text) == (
        panel.app,
        panel.drafting,
        panel.staff,
        "",
    )
    entry = TransitionLog.objects.get(action=events.RAPPORTEUR_NAMED)
    assert entry.data == {"application": panel.app.reference, "rapporteur_id": panel.drafting.pk}
    name(client, panel, str(panel.first.pk))
    assert DiscussionSummary.objects.get().rapporteur == panel.first


@pytest.mark.parametrize("who", ["conflicted", "unassigned", "team_member", "owner"])
def test_only_a_juror_of_the_panel_can_be_rapporteur(client, panel, who):
    response = name(client, panel, str(getattr(panel, who).pk))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not DiscussionSummary.objects.exists()
    with pytest.raises(WorkflowError, match="Choose a juror assigned to this application"):
        name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=getattr(panel, who))
    assert not DiscussionSummary.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "²", "-1", "99999999999999999999999999"])
def test_a_bad_rapporteur_choice_is_a_form_error(client, panel, value):
    response = name(client, panel, value)

    assert response.status_code == 200
    assert "No rapporteur was named: please choose a juror." in response.content.decode()
    assert not DiscussionSummary.objects.exists()


def test_jurors_do_not_name_rapporteurs(panel):
    with pytest.raises(WorkflowError, match="You may not name the rapporteur"):
        name_rapporteur(application_id=panel.app.pk, actor=panel.first, juror=panel.first)
    assert not DiscussionSummary.objects.exists()


def test_no_rapporteur_once_the_jury_closed(client, staff):
    panel = Panel(staff, phase=JuryPhase.CLOSED)

    sign_in(client, panel.staff)
    page = client.get(staff_url(panel)).content.decode()

    assert "Name the rapporteur" not in page
    with pytest.raises(WorkflowError, match="You may not name the rapporteur"):
        name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    assert not DiscussionSummary.objects.exists()


def test_the_rapporteur_writes_the_summary_shown_beside_the_comments(client, panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    add_comment(application_id=panel.app.pk, actor=panel.second, body="Agree with the budget.")
    sign_in(client, panel.first)

    response = client.post(
        reverse("jury_discussion_summary", kwargs={"pk": panel.review_of(panel.first).pk}),
        {"version": "1", "text": "The panel agrees: fund it, check the budget."},
    )

    assert response.status_code == 302
    summary = DiscussionSummary.objects.get()
    assert (summary.text, summary.written_by, summary.version) == (
        "The panel agrees: fund it, check the budget.",
        panel.first,
        2,
    )
    assert TransitionLog.objects.get(action=events.SUMMARY_WRITTEN).data == {
        "application": panel.app.reference,
        "characters": 44,
    }
    sign_in(client, panel.second)
    page = client.get(discussion_url(panel, panel.second)).content.decode()
    assert "Rapporteur: Fiona First" in page
    assert "The panel agrees: fund it, check the budget." in page
    assert "Agree with the budget." in page
    assert "Write the summary" not in page  # only the rapporteur and staff write it


def test_another_juror_of_the_panel_cannot_write_the_summary(panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)

    with pytest.raises(WorkflowError, match="You may not write the summary"):
        write_summary(
            application_id=panel.app.pk, actor=panel.second, text="Mine", expected_version=1
        )

    assert DiscussionSummary.objects.get().text == ""


def test_staff_write_the_summary_and_a_stale_page_is_refused(client, panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    write_summary(application_id=panel.app.pk, actor=panel.first, text="First", expected_version=1)
    sign_in(client, panel.staff)

    stale = client.post(
        reverse("staff_discussion_summary", kwargs={"pk": panel.app.pk}),
        {"version": "1", "text": "Staff's older text"},
    )

    text = stale.content.decode()
    assert stale.status_code == 200
    assert "The summary was changed meanwhile." in text
    assert "Staff&#x27;s older text</textarea>" in text  # kept in the form
    assert 'name="version" value="2"' in text  # now against the saved version
    assert DiscussionSummary.objects.get().text == "First"
    with pytest.raises(StaleObjectError):
        write_summary(application_id=panel.app.pk, actor=panel.staff, text="x", expected_version=1)


def test_naming_another_rapporteur_makes_an_open_summary_page_stale(panel):
    first = name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    assert first.version == 1

    renamed = name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.second)

    assert renamed.version == 2
    assert DiscussionSummary.objects.get().version == 2
    with pytest.raises(StaleObjectError):
        write_summary(application_id=panel.app.pk, actor=panel.second, text="x", expected_version=1)
    write_summary(application_id=panel.app.pk, actor=panel.second, text="y", expected_version=2)
    assert DiscussionSummary.objects.get().text == "y"


def test_the_summary_can_be_emptied_again(panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    write_summary(application_id=panel.app.pk, actor=panel.first, text="Draft", expected_version=1)

    emptied = write_summary(
        application_id=panel.app.pk, actor=panel.first, text="   ", expected_version=2
    )

    assert (emptied.text, emptied.version) == ("", 3)
    assert DiscussionSummary.objects.get().text == ""


def test_no_summary_without_a_rapporteur_or_outside_the_discussion(panel):
    with pytest.raises(WorkflowError, match="Staff first name the rapporteur"):
        write_summary(application_id=panel.app.pk, actor=panel.staff, text="x", expected_version=1)
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    panel.set_phase(JuryPhase.CLOSED)
    with pytest.raises(WorkflowError, match="You may not write the summary"):
        write_summary(application_id=panel.app.pk, actor=panel.first, text="x", expected_version=1)
    assert DiscussionSummary.objects.get().text == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * (SUMMARY_MAX_CHARS + 1), "Ensure this value has at most 8000"),
        ("<b>Fund</b>", "Write plain text"),
    ],
)
def test_bad_summaries_are_refused(client, panel, text, message):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    sign_in(client, panel.first)

    response = client.post(
        reverse("jury_discussion_summary", kwargs={"pk": panel.review_of(panel.first).pk}),
        {"version": "1", "text": text},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert DiscussionSummary.objects.get().text == ""


@pytest.mark.parametrize("version", ["", "²", "99999999999999999999"])
def test_a_bad_version_is_a_form_error(client, panel, version):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    sign_in(client, panel.first)

    response = client.post(
        reverse("jury_discussion_summary", kwargs={"pk": panel.review_of(panel.first).pk}),
        {"version": version, "text": "Fine"},
    )

    assert response.status_code == 200
    assert "The summary was not saved: please correct it." in response.content.decode()
    assert DiscussionSummary.objects.get().text == ""


def test_the_german_page(client, panel):
    add_comment(application_id=panel.app.pk, actor=panel.first, body="Gut.")
    sign_in(client, panel.second)

    page = client.get(discussion_url(panel, panel.second), HTTP_ACCEPT_LANGUAGE="de").content
    text = page.decode()

    assert "Diskussion der Jury" in text
    assert "1 Kommentar" in text
    assert "Kommentar hinzufügen" in text


# Query counts: the same with 1 and 3 comments.


@pytest.mark.parametrize("rows", [1, 3])
# The juror's page reads the application's answers and its call's questions (+2); the
# staff page reads the jury once (the discussion's rules find it on the call) and the
# scores without their criteria, which it has read already.
@pytest.mark.parametrize(
    ("who", "queries"), [("juror", 20), ("staff", 17)], ids=["juror page", "staff page"]
)
def test_the_pages_make_a_fixed_number_of_queries(
    client, panel, django_assert_num_queries, rows, who, queries
):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    for index in range(rows):
        add_comment(application_id=panel.app.pk, actor=panel.second, body=f"Remark {index}")
        add_comment(application_id=panel.app.pk, actor=panel.staff, body=f"Staff {index}")
    user, url = (
        (panel.first, discussion_url(panel, panel.first))
        if who == "juror"
        else (panel.staff, staff_url(panel))
    )
    sign_in(client, user)
    client.get(url)  # the ranking's figures are stored once per input

    with django_assert_num_queries(queries + INBOX_COUNT):
        response = client.get(url)

    assert response.content.decode().count("Remark ") == rows


# Personal data: the person's download holds what they wrote; erasing a juror's reviews
# erases what they wrote in the discussion of the same applications, and nothing else.


def test_the_personal_data_download_holds_comments_and_summaries(panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    write_summary(application_id=panel.app.pk, actor=panel.first, text="Fund", expected_version=1)
    add_comment(application_id=panel.app.pk, actor=panel.first, body=SECRET)
    add_comment(application_id=panel.app.pk, actor=panel.second, body="Not hers")

    review = json.loads(json.dumps(collect(panel.first)[DataKind.REVIEW]))  # as downloaded

    assert [
        (row["application"], row["comment"], row["withdrawn"])
        for row in review["discussion_comments_by_you"]
    ] == [(panel.app.reference, SECRET, None)]
    assert review["discussion_summaries_as_rapporteur"] == [
        {"application": panel.app.reference, "summary": "Fund"}
    ]


def test_erasing_a_jurors_reviews_erases_their_part_of_the_discussion(panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    write_summary(application_id=panel.app.pk, actor=panel.first, text=SECRET, expected_version=1)
    mine = add_comment(application_id=panel.app.pk, actor=panel.first, body=SECRET)
    other = add_comment(application_id=panel.app.pk, actor=panel.second, body="Keep me")
    elsewhere = add_comment(application_id=panel.other_app.pk, actor=panel.unassigned, body="x")

    ReviewShredder().shred(Scope(reviews={panel.review_of(panel.first).pk}))

    bodies = dict(DiscussionComment.objects.values_list("pk", "body"))
    assert bodies == {mine.pk: MARK, other.pk: "Keep me", elsewhere.pk: "x"}
    assert DiscussionSummary.objects.get().text == MARK


def test_erasing_the_proposal_erases_its_whole_discussion(panel):
    name_rapporteur(application_id=panel.app.pk, actor=panel.staff, juror=panel.first)
    write_summary(application_id=panel.app.pk, actor=panel.staff, text=SECRET, expected_version=1)
    add_comment(application_id=panel.app.pk, actor=panel.staff, body=SECRET)
    elsewhere = add_comment(application_id=panel.other_app.pk, actor=panel.staff, body="x")

    ReviewShredder().shred(Scope(applications={panel.app.pk}))

    assert set(
        DiscussionComment.objects.exclude(pk=elsewhere.pk).values_list("body", flat=True)
    ) == {MARK}
    assert DiscussionComment.objects.get(pk=elsewhere.pk).body == "x"
    assert DiscussionSummary.objects.get().text == MARK
