"""The decisions on the concepts of a call (the first stage of a two-stage call): invite or
not invite several reviewed concepts in one step, each with its feedback to the team."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from review import queries
from review.concept_queries import concept_decision_counts, concepts_to_decide
from review.forms.staff import FEEDBACK_PREFIX, ConceptBulkDecisionForm
from review.services.decisions import decide_applications
from review.services.readiness import readiness
from review.states import CONCEPT_DECISIONS, Decision, decision_choices
from review.views.staff.common import _call


def _concept_call_or_404(slug):
    call = _call(slug)
    if not call.is_concept_stage:
        raise Http404
    return call


def _rows(concepts, form):
    """Each concept with what the form holds for it (the posted input, kept on a refusal)."""
    data = form.data if form.is_bound else {}
    return [
        {
            "application": concept,
            "decision": data.get(f"decision_{concept.pk}", ""),
            "feedback": data.get(f"{FEEDBACK_PREFIX}{concept.pk}", ""),
        }
        for concept in concepts
    ]


def _render(request, call, form):
    jury = queries.jury_of(call)
    next_stage = call.next_stage
    if not form.is_bound and next_stage is not None:
        form.initial["invitation_valid_until"] = next_stage.closing_day
    return render(
        request,
        "review/staff/concept_decisions.html",
        {
            "call": call,
            "jury": jury,
            "form": form,
            "rows": _rows(concepts_to_decide(call, request.user), form),
            "choices": decision_choices(CONCEPT_DECISIONS),
            "counts": concept_decision_counts(call),
            "readiness": readiness(call, jury),
            "conflicted": queries.open_conflicts_of(request.user, call),
        },
    )


@role_required(Role.STAFF)
def concept_decisions(request, slug):
    call = _concept_call_or_404(slug)
    if request.method != "POST":
        return _render(request, call, ConceptBulkDecisionForm())
    form = ConceptBulkDecisionForm(request.POST)
    if not form.is_valid():
        return _render(request, call, form)
    if not form.decisions():
        form.add_error(None, _("Choose a decision for at least one concept."))
        return _render(request, call, form)
    done = run_service(
        request,
        decide_applications,
        form=form,
        success=lambda done: (
            _(
                "Decided: %(invited)s invited, %(not_invited)s not invited. The teams are informed by e-mail."
            )
            % {"invited": done[Decision.INVITE], "not_invited": done[Decision.NOT_INVITE]}
        ),
        call=call,
        decisions=form.decisions(),
        actor=request.user,
        reason=form.cleaned_data["reason"],
        feedback=form.cleaned_data["feedback"],
        invitation_valid_until=form.cleaned_data["invitation_valid_until"],
    )
    if done.ok:
        return redirect("staff_concept_decisions", slug=slug)
    return _render(request, call, form)
