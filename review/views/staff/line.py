"""The funding line and the lottery of its grey zone."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import add_service_errors
from grants.presentation import log_entries
from review import queries
from review.forms.staff import (
    BasisForm,
    LineMoveForm,
    SeedForm,
)
from review.maths.lottery import CODE_VERSION
from review.ranking import line_outcome
from review.services.funding import (
    discard_line,
    draw_funding_line,
    draw_lottery,
    freeze_grey_zone,
    move_on_line,
)
from review.states import Decision, LineState, RankingBasis
from review.views.staff.common import _jury_or_404

# ---------------------------------------------------------------------------------------
# Funding line, lottery and decisions


def _render_line(request, current, *, move_form=None, seed_form=None, status=200):
    call = current.call
    line = queries.current_line(call)
    context = {
        "jury": current,
        "call": call,
        "line": line,
        "basis_form": BasisForm(initial={"basis": line.basis if line else RankingBasis.CALIBRATED}),
        "budget": call.budget,
        "committed": call.committed_amount(),
        "conflicted": queries.open_conflicts_of(request.user, call),
        "code_version": CODE_VERSION,
        "decisions": Decision,
    }
    if line is not None:
        outcome = line_outcome(line)
        context |= {
            "outcome": outcome,
            "move_form": move_form or LineMoveForm(rows=line.ranking),
            "seed_form": seed_form or SeedForm(),
            "log": log_entries(queries.line_log(line), LineState),
            "states": LineState,
        }
    return render(request, "review/staff/line.html", context, status=status)


@role_required(Role.STAFF)
def line(request, slug):
    return _render_line(request, _jury_or_404(slug))


def _current_line_or_404(call):
    line = queries.current_line(call)
    if line is None:
        raise Http404
    return line


@role_required(Role.STAFF)
@require_POST
def line_draw(request, slug):
    current = _jury_or_404(slug)
    form = BasisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown ranking."))
        return redirect("staff_line", slug=slug)
    try:
        draw_funding_line(call=current.call, actor=request.user, basis=form.cleaned_data["basis"])
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The funding line has been drawn from the current ranking."))
    return redirect("staff_line", slug=slug)


@role_required(Role.STAFF)
@require_POST
def line_move(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    form = LineMoveForm(request.POST, rows=line.ranking)
    if form.is_valid():
        try:
            move_on_line(
                line=line,
                actor=request.user,
                application_id=form.cleaned_data["application"],
                direction=form.cleaned_data["direction"],
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application has been moved; the reason is recorded."))
            return redirect("staff_line", slug=slug)
    return _render_line(request, current, move_form=form)


@role_required(Role.STAFF)
@require_POST
def line_freeze(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    try:
        freeze_grey_zone(line=line, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The grey zone is frozen. Now enter the seed of the lottery."))
    return redirect("staff_line", slug=slug)


@role_required(Role.STAFF)
@require_POST
def line_lottery(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    form = SeedForm(request.POST)
    if form.is_valid():
        try:
            draw_lottery(line=line, actor=request.user, seed=form.cleaned_data["seed"])
        except WorkflowError as error:
            messages.error(request, error.message)
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The lottery has been drawn. Its list, seed and result are in the log.")
            )
            return redirect("staff_line", slug=slug)
    return _render_line(request, current, seed_form=form)


@role_required(Role.STAFF)
@require_POST
def line_discard(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    try:
        discard_line(line=line, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The funding line has been discarded."))
    return redirect("staff_line", slug=slug)
