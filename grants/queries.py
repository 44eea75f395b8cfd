"""Read-side querysets of the grants app, annotated so that pages make a fixed number of queries."""

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Lag, Lead, RowNumber
from django.utils import timezone

from accounts.access import may
from accounts.queries import staff_users
from grants.models import (
    Answer,
    Application,
    Attachment,
    Call,
    Grant,
    InformationRequest,
    InternalComment,
    Question,
)
from grants.questions import display, flagged_texts, shown, values_of
from grants.states import (
    WORD_LIMITS,
    ApplicationState,
    ApplicationStateGroup,
    CallState,
    QuestionPurpose,
)
from grants.visibility import APPLICATIONS
from workflow.models import TransitionLog
from workflow.queries import log_of


def announced_calls() -> dict:
    """The calls the public pages list, from one query: "open" (accepting applications now,
    by closing date) and "upcoming" (open, but their opening time lies ahead, shown with it)."""
    now = timezone.now()
    calls = (
        Call.objects.filter(state=CallState.OPEN, closes_at__gt=now, opens_at__isnull=False)
        .select_related("fund")
        .order_by("opens_at", "pk")
    )
    announced = {"open": [], "upcoming": []}
    for call in calls:
        announced["upcoming" if call.opens_at > now else "open"].append(call)
    announced["open"].sort(key=lambda call: (call.closes_at, call.pk))
    return announced


def calls_for_staff():
    # Meta.ordering is not applied to GROUP BY queries, so the order is stated here.
    return (
        Call.objects.select_related("fund")
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__state=ApplicationState.DRAFT)
            ),
            draft_count=Count("applications", filter=Q(applications__state=ApplicationState.DRAFT)),
        )
        .order_by("-year", "-round_number", "pk")
    )


def open_information_request_exists():
    return Exists(
        InformationRequest.objects.filter(application=OuterRef("pk"), answered_at__isnull=True)
    )


def open_questions():
    """Questions to applicants that wait for their answer: open, about an application that is
    still being assessed (a withdrawn one owes nothing). The one rule for the reminders, the
    inbox and the pages; overdue once ``due_on`` has passed (today in Berlin)."""
    return InformationRequest.objects.filter(
        answered_at__isnull=True,
        application__state__in=ApplicationStateGroup.INFORMATION_REQUESTABLE,
    )


def open_question_overdue():
    """An open question whose due date has passed (today in the fund's time zone)."""
    return Exists(
        open_questions().filter(application=OuterRef("pk"), due_on__lt=timezone.localdate())
    )


def applications_visible_to(user, *, only: str | None = None):
    """The applications ``user`` may see: the list twin of the ``grants.view_application``
    rule, from the same audiences (grants/visibility.py). With ``only`` (an audience name, such
    as "staff" on the staff pages) just what the user sees in that capacity."""
    return APPLICATIONS.visible_to(user, only)


def applications_of_user(user):
    sent_agreement = Grant.objects.filter(application=OuterRef("pk"), offered_at__isnull=False)
    return (
        applications_visible_to(user, only="owner")
        .select_related("call", "topic")
        .annotate(
            has_open_question=open_information_request_exists(),
            question_overdue=open_question_overdue(),
            # The grant whose agreement waits for the applicant's signature (next step).
            agreement_to_sign=Subquery(sent_agreement.values("pk")[:1]),
        )
        .order_by("-created_at")
    )


def shared_applications_of_user(user):
    """Applications on which the user is named as a team member (submitted ones, and only
    for a verified address: the team audience)."""
    return (
        applications_visible_to(user, only="team")
        .exclude(owner=user)
        .select_related("call", "topic", "owner")
        .order_by("-created_at")
    )


def question_lists(prefix: str = ""):
    """An application's answers (with their files) and its call's active questions, for
    ``prefetch_related``: two queries however many questions the call asks. ``prefix`` is
    the path to the application (e.g. "assignment__application__")."""
    return (
        Prefetch(f"{prefix}answers", queryset=Answer.objects.select_related("attachment")),
        Prefetch(
            f"{prefix}call__questions",
            queryset=Question.objects.filter(removed_at__isnull=True),
        ),
    )


def answers_prefetch():
    """An application's answers with their files, for ``prefetch_related``."""
    return Prefetch("answers", queryset=Answer.objects.select_related("attachment"))


def call_question_list():
    """A call's active questions, for ``prefetch_related`` on calls."""
    return (Prefetch("questions", queryset=Question.objects.filter(removed_at__isnull=True)),)


def call_questions(call):
    """The active questions of a call (both purposes), in order."""
    return Question.objects.filter(call=call, removed_at__isnull=True).order_by(
        "purpose", "position", "pk"
    )


def flag_questions(flag: str) -> dict:
    """The active proposal questions with ``flag`` set (``in_ministry_appendix``,
    ``public_when_funded``) and the questions they depend on, by id: what is needed to
    decide which of those answers apply (grants.questions.flagged_texts). One query."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(removed_at__isnull=True, purpose=QuestionPurpose.PROPOSAL)
    }
    wanted = set()
    for question in questions.values():
        if getattr(question, flag):
            while question is not None and question.pk not in wanted:
                wanted.add(question.pk)
                question = questions.get(question.condition_question_id)
    return {pk: questions[pk] for pk in wanted}


def flagged_answers(application_ids, *, flag: str, consenting=frozenset()) -> dict:
    """application id → [(question, text)] of its answers to questions with ``flag`` set
    that apply (grants.questions.flagged_texts); identifying ones only for the
    applications in ``consenting``. Two queries."""
    questions = flag_questions(flag)
    answers: dict[int, list] = {}
    if questions:
        for answer in Answer.objects.filter(
            application__in=list(application_ids), question__in=list(questions)
        ):
            answers.setdefault(answer.application_id, []).append(answer)
    return {
        pk: flagged_texts(questions, rows, flag=flag, consented=pk in consenting)
        for pk, rows in answers.items()
    }


def with_answer_texts(applications, questions) -> list:
    """The applications (a page of the staff list) as a list, each with ``answer_texts``:
    its answers to ``questions`` as pages show them ("" where it has none or the question
    does not apply). One query for the answers of the whole page, none without questions."""
    applications = list(applications)
    if not questions:
        return applications
    prefetch_related_objects(
        applications,
        Prefetch(
            "answers",
            queryset=Answer.objects.filter(question__in=[q.pk for q in questions]).select_related(
                "attachment"
            ),
        ),
    )
    for application in applications:
        values = values_of(questions, application)
        applying = {q.pk for q in shown(questions, values)}
        application.answer_texts = [
            display(q, values[q.pk]) if q.pk in applying else "" for q in questions
        ]
    return applications


# An application's other stage (two-stage calls) and the call of the next one: what the
# pages of an application show of them.
STAGE_LINKS = ("concept", "full_proposal", "call__next_stage")


def application_page_lists():
    """The lists of an application that its pages show (for ``prefetch_related``). Its
    files without the evidence of report drafts, which only their grantee sees (on the
    report's page) until the report is submitted, without the files that answer a question
    (shown with their question) and without the files of messages, which its thread shows."""
    return (
        "planned_milestones",
        "team_members",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(
                removed_at__isnull=True, answer__isnull=True, message__isnull=True
            ).exclude(milestone_report__submitted_at__isnull=True, milestone_report__isnull=False),
        ),
        "information_requests",
        *question_lists(),
    )


def application_detail(pk):
    """One application with everything its page shows."""
    return (
        Application.objects.select_related(*STAGE_LINKS, "call__fund", "topic", "owner", "track")
        .prefetch_related(*application_page_lists())
        .filter(pk=pk)
    )


def application_for_editing(pk):
    """One draft with what its edit page shows: the lists of ``application_detail`` without
    the information requests (a draft has none) and without the other stage and the owner,
    which the form does not show (an application that is no longer a draft gets a page
    that names only its reference, title and state)."""
    lists = [
        item
        for item in application_page_lists()
        if getattr(item, "prefetch_through", item) != "information_requests"
    ]
    return (
        Application.objects.select_related("call", "topic", "track")
        .prefetch_related(*lists)
        .filter(pk=pk)
    )


def application_with_call(pk):
    """One application and its call: what a POST needs whose service loads the rest itself
    (under its lock) and which redirects. A page shown instead loads the lists it shows
    (``application_page_lists``)."""
    return Application.objects.select_related("call", "track").filter(pk=pk)


def application_owner_and_state(pk):
    """One application with only what the visibility rules read, for a POST whose service
    loads the row itself (under its lock) and which never shows a page."""
    return Application.objects.only("owner_id", "state").filter(pk=pk)


def timeline(application, *, include_internal: bool):
    entries = log_of(application, select_content_type=False)
    if not include_internal:
        entries = entries.filter(visible_to_applicant=True)
    return entries


SORTS = {
    "reference": "reference",
    "-reference": "-reference",
    "title": "title",
    "-title": "-title",
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "amount": "requested_amount",
    "-amount": "-requested_amount",
    "state": "state",
    "-state": "-state",
}


def staff_application_rows(
    call, *, viewer, state="", topic="", track="", search="", sort="reference"
):
    """The rows of the staff list (what ``viewer`` sees as staff: no drafts), filtered and
    sorted in the database, without anything joined or computed for display."""
    applications = applications_visible_to(viewer, only="staff").filter(call=call)
    if state:
        applications = applications.filter(state=state)
    if topic:
        applications = applications.filter(topic__slug=topic)
    if track:
        applications = applications.filter(track__key=track)
    if search:
        applications = applications.filter(
            Q(title__icontains=search)
            | Q(reference__icontains=search)
            | Q(owner__email__icontains=search)
            | Q(owner__full_name__icontains=search)
        )
    return applications.order_by(SORTS.get(sort, "reference"), "pk")


def staff_application_list(call, *, viewer, **filters):
    """The staff list of a call (staff_application_rows) with what each row shows. The long
    text sections are not loaded: the list and the exports do not show them, and they would
    make every sorted row wide."""
    return (
        staff_application_rows(call, viewer=viewer, **filters)
        .select_related("topic", "owner", "track")
        .defer(*WORD_LIMITS, "screening_note")
        .annotate(
            has_open_question=open_information_request_exists(),
            question_overdue=open_question_overdue(),
        )
    )


def call_application_counts(call) -> dict:
    """Applications of a call by state, drafts included, for what a call's step will do."""
    rows = Application.objects.filter(call=call).values("state").annotate(count=Count("pk"))
    return {row["state"]: row["count"] for row in rows}


def eligible_for_review(call, user):
    """The eligible applications of ``call`` whose review ``user`` starts with the call's:
    the ones they see as staff. A member of staff with a conflict of interest leaves those
    applications to a colleague (grants/visibility.py)."""
    return applications_visible_to(user, only="staff").filter(
        call=call, state=ApplicationState.ELIGIBLE
    )


def position_in_list(applications, pk) -> dict | None:
    """Where application ``pk`` stands in a sorted list (staff_application_rows):
    {"position", "total", "previous_id", "next_id"}, or None if it is not in the list. One
    query: window functions over the filtered rows, in the list's own order."""
    order = []
    for name in applications.query.order_by:
        descending = name.startswith("-")
        expression = F(name.lstrip("-"))
        order.append(expression.desc() if descending else expression.asc())
    rows = (
        applications.values("pk")
        .annotate(
            position=Window(RowNumber(), order_by=order),
            total=Window(Count("pk")),
            previous_id=Window(Lag("pk"), order_by=order),
            next_id=Window(Lead("pk"), order_by=order),
            # A window value equal to the row's own id: filtering on it keeps every row in
            # the windows above and picks this one afterwards.
            row_id=Window(Max("pk"), partition_by=[F("pk")]),
        )
        .filter(row_id=pk)
        .values("position", "total", "previous_id", "next_id")
    )
    return next(iter(rows), None)


def state_counts(call, *, viewer):
    rows = (
        applications_visible_to(viewer, only="staff")
        .filter(call=call)
        .values("state")
        .annotate(count=Count("pk"))
    )
    return {row["state"]: row["count"] for row in rows}


# Staff pages.


def applications_to_screen(*, viewer):
    """Submitted applications nobody has asked a question about: staff screen them, oldest
    first. One with an open question waits for its applicant; one whose question has been
    answered waits in applications_awaiting_screening."""
    return (
        applications_visible_to(viewer, only="staff")
        .filter(state=ApplicationState.SUBMITTED)
        .exclude(Exists(InformationRequest.objects.filter(application=OuterRef("pk"))))
        .select_related("call", "owner")
        .order_by("submitted_at", "pk")
    )


def overdue_questions(*, viewer, today=None):
    """Open questions past their due date, of applications ``viewer`` sees as staff; the
    longest overdue first."""
    return (
        open_questions()
        .filter(
            due_on__lt=today or timezone.localdate(),
            application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("application__call", "application__owner")
        .order_by("due_on", "pk")
    )


def questions_to_answer(user):
    """The open questions on the user's own applications (only the owner answers)."""
    return (
        open_questions()
        .filter(application__in=applications_visible_to(user, only="owner"))
        .select_related("application__call")
        .order_by("due_on", "pk")
    )


def drafts_to_submit(user):
    """The user's drafts in calls that accept submissions now (Call.accepts_submissions), the
    earliest deadline first."""
    now = timezone.now()
    return (
        applications_visible_to(user, only="owner")
        .filter(
            state=ApplicationState.DRAFT,
            call__state=CallState.OPEN,
            call__opens_at__lte=now,
            call__closes_at__gt=now,
        )
        .select_related("call")
        .order_by("call__closes_at", "pk")
    )


def applications_awaiting_screening(*, viewer):
    """Submitted applications whose question to the applicant has been answered (and none is
    open): staff resume screening. Oldest answer first."""
    answered = InformationRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=False
    )
    return (
        applications_visible_to(viewer, only="staff")
        .filter(state=ApplicationState.SUBMITTED)
        .filter(Exists(answered))
        .exclude(open_information_request_exists())
        .select_related("call", "owner")
        .annotate(
            last_answered_at=Subquery(answered.order_by("-answered_at").values("answered_at")[:1])
        )
        .order_by("last_answered_at", "pk")
    )


def call_log(call):
    """The audit trail of a call (created, rules changed, opened, closed …)."""
    return (
        TransitionLog.objects.filter(
            content_type__app_label="grants", content_type__model="call", object_id=call.pk
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def internal_comments(application):
    return (
        InternalComment.objects.filter(application=application)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def page_of(queryset, bottom: int, top: int):
    """Rows ``bottom``..``top`` of a sorted queryset. The sorting and slicing happen on the
    primary keys alone (a narrow subquery), so joins and annotations are computed for one
    page, not for every row of the call: the page costs about the same with 100 or 10,000
    applications. Same order as ``queryset``; one query."""
    return queryset.filter(pk__in=Subquery(queryset.values("pk")[bottom:top]))


def staff_seeing(application) -> list:
    """The staff to tell about ``application``: those who see it as staff, not those from
    whom it is withheld (a juror's conflict of interest, grants.visibility)."""
    return [
        person
        for person in staff_users()
        if may(person, "grants.view_application_as_staff", application)
    ]
