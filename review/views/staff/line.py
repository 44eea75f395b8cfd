"""The funding line and the lottery of its grey zone."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from grants.presentation import log_entries
from grants.states import ApplicationStateGroup
from review import queries
from review.forms.staff import (
    BasisForm,
    EarlyDecisionsForm,
    LineMoveForm,
    SeedForm,
    SeedSourceForm,
)
from review.line import line_outcome, minimum_rows, track_groups
from review.maths.lottery import CODE_VERSION, recompute_command
from review.services.funding import (
    discard_line,
    draw_funding_line,
    draw_lottery,
    freeze_grey_zone,
    move_on_line,
)
from review.services.readiness import open_decisions_early, readiness
from review.states import (
    LINE_FUNDS,
    MONEY_DECISIONS,
    LineState,
    LineStatus,
    RankingBasis,
    decision_choices,
)
from review.views.staff.common import _jury_or_404, decided_record

# ---------------------------------------------------------------------------------------
# Funding line, lottery and decisions


def _line_context(request, line, forms):
    outcome = line_outcome(line)
    applications = queries.line_applications([row["id"] for row in outcome.rows])
    for row in outcome.rows:
        application = applications.get(row["id"])
        row["state"] = application.state if application else None
        row["track"] = application.track if application else None
        row["awaiting"] = row["state"] in ApplicationStateGroup.DECIDABLE
        row["preselect"] = row["status"] in LINE_FUNDS
    context = {
        "outcome": outcome,
        "awaiting": [row for row in outcome.rows if row["awaiting"]],
        "decided": [row for row in outcome.rows if not row["awaiting"]],
        "move_form": forms.get("move") or LineMoveForm(rows=line.ranking),
        "source_form": forms.get("source") or SeedSourceForm(),
        "seed_form": forms.get("seed") or SeedForm(),
        "log": log_entries(queries.line_log(line), LineState),
        "states": LineState,
        "statuses": LineStatus,
        "minimums": minimum_rows(line, outcome),
        "tracks": track_groups(outcome.rows),
        "published": line.seed_published_after is not None
        and timezone.now() > line.seed_published_after,
    }
    if line.state == LineState.DRAWN:
        context["command"] = recompute_command(line.lottery["seed"], line.lottery["grey_zone"])
    return context


def _render_line(request, current, *, status=200, **forms):
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
        "readiness": readiness(call, current),
        "early_form": forms.get("early") or EarlyDecisionsForm(),
        "code_version": CODE_VERSION,
        "decisions": decision_choices(MONEY_DECISIONS),
        "record": decided_record(call),
    }
    if line is not None:
        context |= _line_context(request, line, forms)
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
    else:
        run_service(
            request,
            draw_funding_line,
            call=current.call,
            actor=request.user,
            basis=form.cleaned_data["basis"],
            success=_("The funding line has been drawn from the current ranking."),
        )
    return redirect("staff_line", slug=slug)


def _post_form(request, slug, current, name, form, service, success, **arguments):
    """Validate ``form``, run ``service`` with its data; back to the line page when done,
    else the page again with the form and its errors (``name``: its key in the page)."""
    if form.is_valid():
        done = run_service(
            request,
            service,
            form=form,
            success=success,
            actor=request.user,
            **arguments,
            **form.cleaned_data,
        )
        if done.ok:
            return redirect("staff_line", slug=slug)
    return _render_line(request, current, **{name: form})


@role_required(Role.STAFF)
@require_POST
def line_open_early(request, slug):
    current = _jury_or_404(slug)
    return _post_form(
        request,
        slug,
        current,
        "early",
        EarlyDecisionsForm(request.POST),
        open_decisions_early,
        _("Decisions are open before the reviews are in. The reason is in the log."),
        jury=current,
    )


@role_required(Role.STAFF)
@require_POST
def line_move(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    return _post_form(
        request,
        slug,
        current,
        "move",
        LineMoveForm(request.POST, rows=line.ranking),
        _move,
        _("The application has been moved; the reason is recorded."),
        line=line,
    )


def _move(*, line, actor, application, direction, reason):
    return move_on_line(
        line=line, actor=actor, application_id=application, direction=direction, reason=reason
    )


@role_required(Role.STAFF)
@require_POST
def line_freeze(request, slug):
    current = _jury_or_404(slug)
    return _post_form(
        request,
        slug,
        current,
        "source",
        SeedSourceForm(request.POST),
        freeze_grey_zone,
        _(
            "The grey zone is frozen with the source of its seed. Enter the seed once the source has published it."
        ),
        line=_current_line_or_404(current.call),
    )


@role_required(Role.STAFF)
@require_POST
def line_lottery(request, slug):
    current = _jury_or_404(slug)
    return _post_form(
        request,
        slug,
        current,
        "seed",
        SeedForm(request.POST),
        _draw,
        _("The lottery has been drawn. Its list, seed and result are in the log."),
        line=_current_line_or_404(current.call),
    )


def _draw(*, line, actor, seed, from_named_source):
    return draw_lottery(line=line, actor=actor, seed=seed)


@role_required(Role.STAFF)
@require_POST
def line_discard(request, slug):
    current = _jury_or_404(slug)
    line = _current_line_or_404(current.call)
    run_service(
        request,
        discard_line,
        line=line,
        actor=request.user,
        success=_("The funding line has been discarded."),
    )
    return redirect("staff_line", slug=slug)
