"""Pages of jurors: dashboard, conflicts of interest, queue, review form, discussion.
Applications appear here through the juror audience only (``only="juror"``), never through
the shared application page; in blind review no name or e-mail address of applicants and
teams is shown anywhere on these pages."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, may, role_required
from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from core.views import run_service
from grants.questions import answer_rows
from review import conflict_queries, queries
from review.forms.juror import ConflictForm, ConflictSearchForm, ReviewForm
from review.services.conflicts import declare_conflict, dismiss_suggestion
from review.services.reviews import reopen_review, save_review, submit_review
from review.states import ConflictStatus, JuryPhase, PhaseAllows, ReviewState
from review.views.discussion import discussion_context, post_discussion


@role_required(Role.JUROR)
def dashboard(request):
    return render(
        request, "review/juror/dashboard.html", {"juries": queries.juries_of_juror(request.user)}
    )


def _jury(request, slug):
    jury = queries.juror_jury(request.user, slug)
    if jury is None:
        raise Http404
    return jury


@role_required(Role.JUROR)
def conflicts(request, slug):
    jury = _jury(request, slug)
    return _render_conflicts(
        request, jury, ConflictForm(initial={"application": request.GET.get("application")})
    )


def _render_conflicts(request, jury, form):
    applications = list(conflict_queries.conflict_list(jury, request.user))
    form.fields["application"].choices = (
        ConflictForm(applications=applications).fields["application"].choices
    )
    search = ConflictSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "review/juror/conflicts.html",
        {
            "jury": jury,
            "call": jury.call,
            "form": form,
            "search": search,
            "searched": text,
            "may_declare": jury.phase in PhaseAllows.DECLARE_CONFLICTS,
            "statuses": ConflictStatus,
        }
        | conflict_queries.conflict_page(applications, text, blind=jury.blind),
    )


@role_required(Role.JUROR)
@require_POST
def declare(request, slug):
    jury = _jury(request, slug)
    applications = list(conflict_queries.conflict_list(jury, request.user))
    form = ConflictForm(request.POST, applications=applications)
    if form.is_valid():
        done = run_service(
            request,
            declare_conflict,
            form=form,
            success=lambda conflict: (
                _(
                    "Your conflict with %(reference)s is recorded. You will not be assigned to it, and it no longer appears among your applications."
                )
                % {"reference": conflict.application.reference}
            ),
            application_id=form.cleaned_data["application"],
            actor=request.user,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
        if done.ok:
            return redirect("jury_conflicts", slug=jury.call.slug)
    return _render_conflicts(request, jury, form)


@role_required(Role.JUROR)
@require_POST
def dismiss(request, slug, pk):
    jury = _jury(request, slug)
    run_service(
        request,
        dismiss_suggestion,
        success=lambda conflict: (
            _("The suggestion for %(reference)s is dismissed.")
            % {"reference": conflict.application.reference}
        ),
        conflict_id=pk,
        actor=request.user,
    )
    return redirect("jury_conflicts", slug=jury.call.slug)


@role_required(Role.JUROR)
def queue(request, slug):
    jury = _jury(request, slug)
    reviews = list(queries.juror_queue(jury, request.user))
    submitted = sum(1 for review in reviews if review.state == ReviewState.SUBMITTED)
    first_open = next((review for review in reviews if review.state == ReviewState.DRAFT), None)
    return render(
        request,
        "review/juror/queue.html",
        {
            "jury": jury,
            "call": jury.call,
            "reviews": reviews,
            "submitted": submitted,
            "first_open": first_open,
            "scoring": jury.phase in PhaseAllows.SCORING,
        },
    )


def _own_review(request, pk):
    return get_permitted_object_or_404(
        request.user, "review.view_own_review", queries.review_for_juror(pk), pk=pk
    )


def _neighbours(review, user):
    """The previous and next review in the juror's queue."""
    jury = review.assignment.application.call.jury
    ids = list(queries.juror_queue(jury, user).values_list("pk", flat=True))
    index = ids.index(review.pk)
    return (
        ids[index - 1] if index > 0 else None,
        ids[index + 1] if index + 1 < len(ids) else None,
        index + 1,
        len(ids),
    )


def _render_review(request, review, form=None, status=200):
    application = review.assignment.application
    jury = application.call.jury
    criteria = list(jury.criteria.all())
    editable = review.state == ReviewState.DRAFT and may(
        request.user, "review.write_review", review
    )
    if form is None:
        form = ReviewForm(criteria=criteria, review=review, disabled=not editable)
    previous_pk, next_pk, position, total = _neighbours(review, request.user)
    return render(
        request,
        "review/juror/review.html",
        {
            "review": review,
            "application": application,
            "jury": jury,
            "call": application.call,
            "form": form,
            "editable": editable,
            "reopenable": review.state == ReviewState.SUBMITTED
            and may(request.user, "review.write_review", review),
            "missing": review.missing_scores(criteria=criteria)
            if review.state == ReviewState.DRAFT
            else [],
            # Only the answers jurors see; blind review hides those that identify people.
            "answers": answer_rows(application, jurors=True, blind=jury.blind),
            "budget": application.budget(),
            "previous_pk": previous_pk,
            "next_pk": next_pk,
            "position": position,
            "total": total,
            "discussing": jury.phase == JuryPhase.DISCUSSION,
        },
        status=status,
    )


@role_required(Role.JUROR)
def review(request, pk):
    if request.method != "POST":
        return _render_review(request, _own_review(request, pk))
    # Two queries before the service: the review with its context (as its author sees it)
    # and the criteria; the page is read again in full only if it must be shown.
    current = queries.review_to_write(request.user, pk).first()
    if current is None:
        raise Http404
    jury = current.assignment.application.call.jury
    criteria = list(jury.criteria.all())
    form = ReviewForm(request.POST, criteria=criteria, review=current)
    if not form.is_valid():
        messages.error(request, _("Your review was not saved: please correct the marked fields."))
        return _render_review(request, _own_review(request, pk), form)
    submitting = "submit" in request.POST
    done = run_service(
        request,
        submit_review if submitting else save_review,
        form=form,
        success=_review_saved_message(current, submitting),
        review=current,
        actor=request.user,
        expected_version=form.cleaned_data["version"],
        criteria=criteria,
        **form.draft(),
    )
    if not done.ok and (done.stale or done.error.field_errors):
        return _render_review(request, _own_review(request, pk), form)
    # Saved, or the draft was saved and only its submission refused: show it as stored now.
    if done.ok and submitting:
        if current.next_open is not None:
            return redirect("jury_review", pk=current.next_open)
        return redirect("jury_queue", slug=jury.call.slug)
    return redirect("jury_review", pk=current.pk)


def _review_saved_message(review, submitting: bool) -> str:
    if submitting:
        return _("Your review of %(reference)s has been submitted. Thank you!") % {
            "reference": review.assignment.application.reference
        }
    return _("Your draft has been saved.")


@role_required(Role.JUROR)
@require_POST
def autosave(request, pk):
    """The form's script posts the draft here as the juror types (the page works without)."""
    current = _own_review(request, pk)
    jury = current.assignment.application.call.jury
    form = ReviewForm(request.POST, criteria=list(jury.criteria.all()), review=current)
    if not form.is_valid():
        return JsonResponse(
            {
                "saved": False,
                "message": _("Not saved: please correct the marked fields."),
                "errors": form.errors,
            },
            status=400,
        )
    try:
        saved = save_review(
            review=current,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            **form.draft(),
        )
    except StaleObjectError as error:
        return JsonResponse({"saved": False, "message": str(error.message)}, status=409)
    except WorkflowError as error:
        return JsonResponse(
            {"saved": False, "message": str(error.message), "errors": error.field_errors},
            status=400,
        )
    return JsonResponse(
        {
            "saved": True,
            "version": saved.version,
            "message": _("Draft saved at %(time)s.")
            % {"time": formats.time_format(timezone.localtime(), "TIME_FORMAT")},
        }
    )


@role_required(Role.JUROR)
@require_POST
def reopen(request, pk):
    current = _own_review(request, pk)
    run_service(
        request,
        reopen_review,
        success=_("Your review is a draft again. Submit it once you have changed it."),
        review=current,
        actor=request.user,
    )
    return redirect("jury_review", pk=current.pk)


def _render_discussion(request, current, forms=None):
    application = current.assignment.application
    jury = application.call.jury
    others = list(queries.fellow_reviews(current, request.user))
    return render(
        request,
        "review/juror/discussion.html",
        {
            "review": current,
            "application": application,
            "jury": jury,
            "call": jury.call,
            "criteria": list(jury.criteria.all()),
            "others": others,
            "discussing": jury.phase == JuryPhase.DISCUSSION,
            "own_submitted": current.state == ReviewState.SUBMITTED,
            "review_url": reverse("jury_review", kwargs={"pk": current.pk}),
            **discussion_context(request.user, application, forms),
        },
    )


@role_required(Role.JUROR)
def discussion(request, pk):
    return _render_discussion(request, _own_review(request, pk))


@role_required(Role.JUROR)
@require_POST
def discussion_post(request, pk, action, comment=None):
    """A comment, its withdrawal or the summary, posted from the discussion page."""
    current = _own_review(request, pk)
    forms = post_discussion(request, current.assignment.application, action, comment)
    if forms:
        return _render_discussion(request, current, forms)
    return redirect(reverse("jury_review_discussion", kwargs={"pk": pk}) + "#discussion")
