"""Assigning jurors to applications: propose, change, confirm."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
from grants.states import CallState
from review import queries
from review.forms.staff import (
    AssignmentChangeForm,
)
from review.maths.assignment import juror_groups
from review.services.assignment import change_assignment, confirm_assignment, propose_assignment
from review.states import PhaseAllows
from review.views.staff.common import _jury_or_404

# ---------------------------------------------------------------------------------------
# Assignment

SHORT_NAMED = 20  # applications still short of jurors, named at the top of the page


@role_required(Role.STAFF)
def assignment(request, slug, form=None):
    current = _jury_or_404(slug)
    rows = list(queries.assignment_rows(current, request.user))
    jurors = list(queries.jury_members(current).filter(user__isnull=False))
    k = current.reviews_per_application
    loads = {member.user_id: {"proposed": 0, "confirmed": 0} for member in jurors}
    pairs = set()
    short = 0
    for row in rows:
        row.short = max(k - len(row.current), 0)
        short += row.short
        for item in row.current:
            pairs.add((row.pk, item.juror_id))
            if item.juror_id in loads:
                loads[item.juror_id]["confirmed" if item.confirmed_at else "proposed"] += 1
    groups = juror_groups([member.user_id for member in jurors], pairs)
    short_rows = [row for row in rows if row.short]
    return render(
        request,
        "review/staff/assignment.html",
        {
            "jury": current,
            "call": current.call,
            "rows": rows,
            "jurors": [{"member": member, **loads[member.user_id]} for member in jurors],
            "short": short,
            # Named with a link; beyond a screenful, the table below marks the rest.
            "short_rows": short_rows[:SHORT_NAMED],
            "short_more": max(len(short_rows) - SHORT_NAMED, 0),
            "groups": len(groups),
            "proposals": sum(load["proposed"] for load in loads.values()),
            "k": k,
            "assigning": current.phase in PhaseAllows.ASSIGNING,
            "call_closed": current.call.state == CallState.CLOSED,
            "change_form": form or AssignmentChangeForm(applications=rows, jurors=jurors),
        },
    )


@role_required(Role.STAFF)
@require_POST
def assignment_propose(request, slug):
    current = _jury_or_404(slug)
    run_service(
        request,
        propose_assignment,
        success=_proposed_message,
        jury=current,
        actor=request.user,
    )
    return redirect("staff_assignment", slug=slug)


def _proposed_message(figures) -> str:
    text = ngettext(
        "The solver proposes %(count)s assignment.",
        "The solver proposes %(count)s assignments.",
        figures["proposed"],
    ) % {"count": figures["proposed"]}
    if figures["missing"]:
        text += " " + ngettext(
            "%(count)s review could not be assigned (conflicts or the limit per juror).",
            "%(count)s reviews could not be assigned (conflicts or the limit per juror).",
            figures["missing"],
        ) % {"count": figures["missing"]}
    return text


@role_required(Role.STAFF)
@require_POST
def assignment_change(request, slug):
    current = _jury_or_404(slug)
    rows = list(queries.assignment_rows(current, request.user))
    jurors = list(queries.jury_members(current).filter(user__isnull=False))
    form = AssignmentChangeForm(request.POST, applications=rows, jurors=jurors)
    if form.is_valid():
        done = run_service(
            request,
            change_assignment,
            success=_("The assignment has been changed."),
            jury=current,
            application_id=form.cleaned_data["application"],
            actor=request.user,
            remove_juror_id=form.cleaned_data["remove"],
            add_juror_id=form.cleaned_data["add"],
        )
        if done.ok:
            return redirect("staff_assignment", slug=slug)
    else:
        messages.error(request, _("Choose an application and a juror."))
    return assignment(request, slug, form=form)


@role_required(Role.STAFF)
@require_POST
def assignment_confirm(request, slug):
    current = _jury_or_404(slug)
    run_service(
        request,
        confirm_assignment,
        success=lambda count: (
            ngettext(
                "%(count)s assignment confirmed. The jurors have been e-mailed their applications and the due date.",
                "%(count)s assignments confirmed. The jurors have been e-mailed their applications and the due date.",
                count,
            )
            % {"count": count}
        ),
        jury=current,
        actor=request.user,
    )
    return redirect("staff_assignment", slug=slug)
