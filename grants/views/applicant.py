"""Pages of applicants (and the public call page). Thin: check, call a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from core.forms import RecordIdField
from core.views import add_service_errors, run_service
from grants import queries
from grants.call_page import call_page_sections
from grants.completeness import completeness_errors
from grants.forms.applicant import (
    AnswerForms,
    ApplicationDraftForm,
    MilestoneFormSet,
    SubmitForm,
    TeamMemberFormSet,
    WithdrawForm,
    chosen_track,
    cleaned_milestones,
    cleaned_team,
    milestone_initial,
    team_initial,
    track_months,
)
from grants.forms.questions import EligibilityForm
from grants.models import Call
from grants.presentation import budget_rules, labelled_errors
from grants.questions import (
    answer_rows,
    eligibility_outcome,
    eligibility_questions,
    eligibility_rules,
    proposal_questions,
    values_of,
)
from grants.services.applications import (
    answer_information_request,
    start_application,
    submit_application,
    update_draft,
    withdraw_application,
)
from grants.states import WORD_LIMITS, ApplicationState, ApplicationStateGroup, CallState
from grants.views.attachments import (
    remove_one_answer_file,
    remove_one_attachment,
    store_answer_files,
    store_uploaded_files,
)


def _call_page(request, call, *, check=None, status=200):
    """The public page of a call, with its eligibility check (``check``: a bound
    EligibilityForm) and, once answered, what it says."""
    if check is None:
        check = EligibilityForm(
            request.GET if "check" in request.GET else None,
            questions=eligibility_questions(call),
        )
    outcome = None
    if check.is_bound and check.is_valid():
        outcome = eligibility_outcome(check.questions, check.answers())
    return render(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "accepts": call.accepts_submissions(),
            "check": check,
            "outcome": outcome,
            "eligibility_rules": eligibility_rules(check.questions),
            "sections": call_page_sections(call),
        },
        status=status,
    )


def _public_call(slug, *also):
    return get_object_or_404(
        Call.objects.select_related("fund", "next_stage")
        .prefetch_related(*queries.call_question_list(), *also)
        .exclude(state=CallState.DRAFT),
        slug=slug,
    )


def call_detail(request, slug):
    """Anyone may take the eligibility check (a GET with the answers: nothing is stored)."""
    return _call_page(request, _public_call(slug, "faq_entries"))


@require_POST
@role_required(Role.APPLICANT)
def start(request, slug):
    """Start a draft; a call with an eligibility check takes its answers with the start,
    and an answer that rules the application out shows the reason, not a draft."""
    call = _public_call(slug)
    check = EligibilityForm(request.POST, questions=eligibility_questions(call))
    if not check.is_valid():
        messages.error(request, _("Please answer the eligibility check of this call first."))
        return _call_page(request, call, check=check, status=400)
    done = run_service(
        request,
        start_application,
        success=lambda draft: (
            _("Your draft %(reference)s has been created.") % {"reference": draft.reference}
        ),
        call=call,
        actor=request.user,
        eligibility_answers=check.answers(),
    )
    if done.ok:
        return redirect("application_edit", pk=done.result.pk)
    if not check.questions:
        return redirect("call_detail", slug=call.slug)
    return _call_page(request, call, check=check, status=400)


# States in which the application's agreement and milestones are on the grantee's pages.
GRANT_STATES = (ApplicationState.APPROVED, *ApplicationStateGroup.FUNDED_ONWARDS)


@role_required(Role.APPLICANT)
def dashboard(request):
    applications = list(queries.applications_of_user(request.user))
    calls = queries.announced_calls()
    return render(
        request,
        "grants/applicant/dashboard.html",
        {
            "applications": applications,
            "shared_applications": queries.shared_applications_of_user(request.user),
            "open_calls": calls["open"],
            "upcoming_calls": calls["upcoming"],
            "grant_states": GRANT_STATES,
            "has_grants": any(a.state in GRANT_STATES for a in applications),
        },
    )


def _readable_application(request, pk):
    return get_permitted_object_or_404(
        request.user, "grants.view_application", queries.application_detail(pk), pk=pk
    )


@login_required
def detail(request, pk):
    application = _readable_application(request, pk)
    open_request = next((r for r in application.information_requests.all() if r.is_open), None)
    return render(
        request,
        "grants/applicant/detail.html",
        {
            "application": application,
            "budget": application.budget(),
            "timeline": queries.timeline(application, include_internal=False),
            "open_request": open_request,
            "answers": answer_rows(application),
            "is_owner": application.owner_id == request.user.pk,
            "withdrawable_states": ApplicationStateGroup.WITHDRAWABLE,
        },
    )


def _draft_not_saved_message():
    return _(
        "Your draft was not saved: please correct the marked fields. "
        "Your input is still shown below."
    )


def _application_for_editing(request, pk, *, lookup=queries.application_detail):
    """The draft to edit, or, for an application that is no longer a draft but that the user
    may read, a page that says so and links to it. Anything else is 404."""
    application = get_permitted_object_or_404(
        request.user, "grants.view_application", lookup(pk), pk=pk
    )
    if may(request.user, "grants.edit_application", application):
        return application, None
    if request.method == "POST":
        messages.error(request, _("Your changes were not saved."))
    return application, render(
        request, "grants/applicant/not_editable.html", {"application": application}
    )


def _draft_forms(request, application):
    """The draft form (core fields and the call's questions) and its milestone and team
    rows, bound to the POST if there is one. Months are offered for the track chosen (in
    this POST, or saved)."""
    data = request.POST if request.method == "POST" else None
    tracks = application.call.offered_tracks
    track = chosen_track(tracks, data.get("track")) if data is not None else application.track
    milestone_kwargs = {
        "form_kwargs": {"months": track_months(track, tracks)},
        "prefix": "milestones",
    }
    if data is None:
        milestone_kwargs["initial"] = milestone_initial(application)
    questions = proposal_questions(application.call)
    # A POST is read from its data; the answers so far are loaded only to show the page.
    values = values_of(questions, application) if data is None else {}
    return (
        ApplicationDraftForm(
            data,
            instance=application,
            call=application.call,
            tracks=tracks,
            questions=questions,
            values=values,
        ),
        MilestoneFormSet(data, **milestone_kwargs),
        TeamMemberFormSet(
            data, prefix="team", initial=None if data is not None else team_initial(application)
        ),
    )


def _save_draft(request, application, form, milestones, team):
    """Save through the service; returns the saved draft, or None with the reasons on the
    forms and in a message (the input stays on screen)."""
    if not (form.is_valid() and milestones.is_valid() and team.is_valid()):
        messages.error(request, _draft_not_saved_message())
        return None
    try:
        return update_draft(
            application=application,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            fields=form.draft_fields(),
            milestones=cleaned_milestones(milestones),
            team_members=cleaned_team(team),
            answers=form.draft_answers(),
            questions=form.questions,
        )
    except StaleObjectError as error:
        messages.error(request, error.message)
    except WorkflowError as error:
        messages.error(request, _draft_not_saved_message() if error.field_errors else error.message)
        add_service_errors(form, _question_field_errors(form, error))
    return None


def _question_field_errors(form, error):
    """A refusal's errors by question key, put on the questions' fields (q_<key>)."""
    for question in form.questions:
        if question.key in error.field_errors:
            error.field_errors[question.field_name] = error.field_errors.pop(question.key)
    return error


def _attachment_id(request):
    try:
        return RecordIdField().clean(request.POST.get("remove_attachment", ""))
    except ValidationError:
        return None


@login_required
def edit(request, pk):
    # A save that succeeds redirects: it needs the application and its call only, and the
    # service reads milestones and team under its lock. The page loads the lists it shows.
    saving = request.method == "POST"
    application, explanation = _application_for_editing(
        request,
        pk,
        lookup=queries.application_with_call if saving else queries.application_for_editing,
    )
    if explanation is not None:
        return explanation
    form, milestones, team = _draft_forms(request, application)
    if saving:
        saved = _save_draft(request, application, form, milestones, team)
        if saved is not None:
            return _after_saving(request, saved, form)
        _tell_of_a_lost_upload(request)
        # Refused: the page again, with the input and the reasons (and the files given).
        prefetch_related_objects([application], *queries.application_page_lists())
        show_answer_files(form, application)
    return render(
        request,
        "grants/applicant/edit.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "milestones": milestones,
            "team": team,
            "budget": application.budget(),
            "budget_rules": budget_rules(application.call, application.call.offered_tracks),
            "attachments": application.attachments.all(),
            "word_limits": WORD_LIMITS,
            "max_attachments": settings.ATTACHMENTS_PER_APPLICATION,
        },
    )


def show_answer_files(form, application) -> None:
    """The files given so far, on a form bound to a POST (whose fields have no initial)."""
    questions = form.file_questions()
    values = values_of(questions, application)
    for question in questions:
        form.fields[question.field_name].initial = values[question.pk]


def _after_saving(request, saved, form):
    messages.success(request, _("Your draft has been saved."))
    store_answer_files(request, saved, form.file_questions())
    # Files and removals go with a save, so that nothing typed is lost to a reload.
    if "remove_answer_file" in request.POST:
        remove_one_answer_file(
            request, saved, form.file_questions(), request.POST["remove_answer_file"]
        )
        return redirect(reverse("application_edit", args=[saved.pk]) + "#answers")
    if "upload" in request.POST:
        store_uploaded_files(request, saved)
        return redirect(reverse("application_edit", args=[saved.pk]) + "#attachments")
    if "remove_attachment" in request.POST:
        remove_one_attachment(request, saved, _attachment_id(request))
        return redirect(reverse("application_edit", args=[saved.pk]) + "#attachments")
    if "preview" in request.POST:
        return redirect("application_preview", pk=saved.pk)
    return redirect("application_edit", pk=saved.pk)


def _tell_of_a_lost_upload(request):
    if "upload" in request.POST:
        messages.error(
            request,
            _(
                "The file was not uploaded, because the draft could not be saved. "
                "Correct the marked fields, then choose the file again."
            ),
        )


@login_required
def preview(request, pk):
    application, explanation = _application_for_editing(request, pk)
    if explanation is not None:
        return explanation
    return render(
        request,
        "grants/applicant/preview.html",
        {
            "application": application,
            "budget": application.budget(),
            "errors": labelled_errors(
                completeness_errors(application), proposal_questions(application.call)
            ),
            "accepts": application.call.accepts_submissions(),
            "answers": answer_rows(application),
            "word_limits": WORD_LIMITS,
        },
    )


@require_POST
@login_required
def submit(request, pk):
    # Only what the user may see is looked up here; whether they may submit it (owner, draft,
    # deadline, complete) the service checks, once.
    application = get_permitted_object_or_404(
        request.user, "grants.view_application", queries.application_owner_and_state(pk), pk=pk
    )
    form = SubmitForm(request.POST)
    if not form.is_valid():
        raise Http404
    done = run_service(
        request,
        submit_application,
        success=lambda submitted: (
            _(
                "Thank you! Your application %(reference)s has been submitted. A confirmation is on its way by e-mail."
            )
            % {"reference": submitted.reference}
        ),
        application=application,
        actor=request.user,
        expected_version=form.cleaned_data["version"],
    )
    return redirect("application_detail" if done.ok else "application_preview", pk=application.pk)


@login_required
def withdraw(request, pk):
    application = get_permitted_object_or_404(
        request.user, "grants.withdraw_application", queries.application_detail(pk), pk=pk
    )
    form = WithdrawForm(request.POST or None, initial={"expected_state": application.state})
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            withdraw_application,
            success=_("Your application %(reference)s has been withdrawn.")
            % {"reference": application.reference},
            application=application,
            actor=request.user,
            expected_state=form.cleaned_data["expected_state"],
            note=form.cleaned_data["note"],
        )
        return redirect("application_detail", pk=application.pk)
    return render(
        request, "grants/applicant/withdraw.html", {"application": application, "form": form}
    )


@login_required
def answer(request, pk):
    application = get_permitted_object_or_404(
        request.user, "grants.answer_information_request", queries.application_detail(pk), pk=pk
    )
    open_request = next(r for r in application.information_requests.all() if r.is_open)
    forms = AnswerForms(
        request.POST or None,
        application=application,
        information_request=open_request,
        questions=proposal_questions(application.call),
    )
    part_errors = {}
    if request.method == "POST" and forms.is_valid():
        done = run_service(
            request,
            answer_information_request,
            success=_("Thank you, your answer has been sent to the programme staff."),
            application=application,
            actor=request.user,
            **forms.service_arguments(),
        )
        if done.ok:
            return redirect("application_detail", pk=application.pk)
        part_errors = forms.add_service_errors(done.error)
    return _render_answer(request, application, open_request, forms, part_errors)


def _render_answer(request, application, open_request, forms, part_errors):
    return render(
        request,
        "grants/applicant/answer.html",
        {
            "application": application,
            "form": forms.form,
            "milestones": forms.milestones,
            "hours": forms.hours,
            "team": forms.team,
            "part_errors": part_errors,
            "budget": application.budget(),
            "budget_rules": budget_rules(
                application.call, [t for t in (application.track,) if t], application.track
            )
            if forms.milestones or forms.hours
            else "",
            "information_request": open_request,
            "word_limits": {f"section_{name}": limit for name, limit in WORD_LIMITS.items()},
        },
    )
