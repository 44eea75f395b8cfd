"""Decisions: in bulk from the line, the waiting list, and one application's reviews and
decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.views import run_service
from grants.models import Application
from grants.queries import STAGE_LINKS
from grants.states import ApplicationStateGroup
from review import queries
from review.forms.staff import (
    BulkDecisionForm,
    ConceptDecisionForm,
    DecisionForm,
    WaitlistForm,
)
from review.line import line_statuses, waitlist_plan
from review.ranking import ranking_row
from review.services.decisions import (
    approve_from_waitlist,
    decide_application,
    decide_applications,
)
from review.services.readiness import readiness
from review.services.records import follows_line
from review.states import Decision, LineStatus
from review.views.discussion import discussion_context, post_discussion
from review.views.staff.common import _jury_or_404


@role_required(Role.STAFF)
@require_POST
def decisions(request, slug):
    """Bulk decisions: the first POST shows what will happen; the confirmed one decides."""
    current = _jury_or_404(slug)
    call = current.call
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("staff_line", slug=slug)
    if not form.decisions():
        messages.error(request, _("Choose a decision for at least one application."))
        return redirect("staff_line", slug=slug)
    chosen = dict(form.decisions())
    if form.cleaned_data["confirm"]:
        done = run_service(
            request,
            decide_applications,
            form=form,
            success=lambda done: (
                _(
                    "Decided: %(approved)s approved, %(waitlisted)s on the waiting list, %(rejected)s rejected. The applicants are informed by e-mail."
                )
                % {
                    "approved": done[Decision.APPROVE],
                    "waitlisted": done[Decision.WAITLIST],
                    "rejected": done[Decision.REJECT],
                }
            ),
            call=call,
            decisions=list(chosen.items()),
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        if not done.ok and done.error.field_errors:
            # A reason is missing: ask again, with the choices kept.
            return _render_confirm(request, current, form, chosen)
        return redirect("staff_line", slug=slug)
    return _render_confirm(request, current, form, chosen)


def _render_confirm(request, current, form, chosen):
    """What the chosen decisions will do, with those that depart from the funding line."""
    call = current.call
    applications = list(queries.decision_candidates(call, request.user, list(chosen)))
    _line, _outcome, statuses = line_statuses(call)
    groups = {decision: [] for decision in Decision.values}
    for application in applications:
        status = statuses.get(application.pk)
        application.line_status = LineStatus(status).label if status else None
        application.departs = follows_line(chosen[application.pk], status) is False
        groups[chosen[application.pk]].append(application)
    approved_total = sum((a.requested_amount for a in groups[Decision.APPROVE]), 0)
    committed = call.committed_amount()
    return render(
        request,
        "review/staff/decisions_confirm.html",
        {
            "jury": current,
            "call": call,
            "form": form,
            "groups": [
                {
                    "decision": decision,
                    "label": Decision(decision).label,
                    "applications": groups[decision],
                }
                for decision in Decision.values
                if groups[decision]
            ],
            "chosen": [(application.pk, chosen[application.pk]) for application in applications],
            "departing": sum(application.departs for application in applications),
            "approved_total": approved_total,
            "committed": committed,
            "left_after": call.money_left(committed) - approved_total,
            "unknown": len(chosen) - len(applications),
            "count": len(applications),
        },
    )


@role_required(Role.STAFF)
def waitlist(request, slug):
    current = _jury_or_404(slug)
    if request.method != "POST":
        return render(
            request,
            "review/staff/waitlist.html",
            {"jury": current, "call": current.call} | waitlist_plan(current, request.user),
        )
    form = WaitlistForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["applications"][0])
    else:
        run_service(
            request,
            approve_from_waitlist,
            success=lambda done: (
                ngettext(
                    "%(count)s application moved up from the waiting list and approved.",
                    "%(count)s applications moved up from the waiting list and approved.",
                    done[Decision.APPROVE],
                )
                % {"count": done[Decision.APPROVE]}
            ),
            jury=current,
            actor=request.user,
            confirmed=form.cleaned_data["applications"],
        )
    return redirect("staff_waitlist", slug=slug)


# ---------------------------------------------------------------------------------------
# One application: its reviews and its decision


def _staff_application(request, pk):
    return get_permitted_object_or_404(
        request.user,
        "grants.view_application_as_staff",
        Application.objects.select_related(*STAGE_LINKS, "call__fund", "owner", "topic"),
        pk=pk,
    )


def _render_application(request, application, form=None, discussion_forms=None):
    current = queries.jury_of(application.call)
    if current is not None:
        application.call.jury = current  # the discussion's rules read it from the call
    reviews = (
        list(queries.application_reviews_for_staff(application, request.user)) if current else []
    )
    criteria = list(queries.criteria_of(current)) if current else []
    row = ranking_row(current, request.user, application, criteria=criteria) if current else None
    decidable = application.state in ApplicationStateGroup.DECIDABLE
    if form is None and decidable:
        form = _decision_form(application)(
            initial={
                "expected_state": application.state,
                "awarded_amount": application.requested_amount,
                "invitation_valid_until": _full_call_closing_day(application.call),
            }
        )
    return render(
        request,
        "review/staff/application.html",
        {
            "application": application,
            "call": application.call,
            "jury": current,
            "reviews": reviews,
            "criteria": criteria,
            "row": row,
            "form": form if decidable else None,
            "readiness": readiness(application.call, current) if decidable else None,
            "committed": application.call.committed_amount(),
            **discussion_context(request.user, application, discussion_forms),
        },
    )


@role_required(Role.STAFF)
def application_jury(request, pk):
    return _render_application(request, _staff_application(request, pk))


@role_required(Role.STAFF)
@require_POST
def application_discussion(request, pk, action, comment=None):
    """A comment, its withdrawal, the rapporteur or the summary, posted from the page of
    the application's reviews."""
    application = _staff_application(request, pk)
    forms = post_discussion(request, application, action, comment)
    if forms:
        return _render_application(request, application, discussion_forms=forms)
    return redirect(reverse("staff_application_jury", kwargs={"pk": pk}) + "#discussion")


def _full_call_closing_day(call):
    """The default last day of an invitation: the full-proposal call's closing day."""
    return call.next_stage.closing_day if call.next_stage_id else None


def _decision_form(application):
    """A concept is decided without money: invite or not, with feedback to the team."""
    return ConceptDecisionForm if application.call.is_concept_stage else DecisionForm


@role_required(Role.STAFF)
@require_POST
def application_decide(request, pk):
    application = _staff_application(request, pk)
    form = _decision_form(application)(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            decide_application,
            form=form,
            success=_(
                "The decision on %(reference)s is recorded. The applicant is informed by e-mail."
            )
            % {"reference": application.reference},
            application=application,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            expected_state=form.cleaned_data["expected_state"],
            awarded_amount=form.cleaned_data.get("awarded_amount"),
            note=form.cleaned_data["note"],
            feedback=form.cleaned_data.get("feedback", ""),
            invitation_valid_until=form.cleaned_data.get("invitation_valid_until"),
        )
        if done.ok:
            return redirect("staff_application_jury", pk=application.pk)
    return _render_application(request, application, form)
