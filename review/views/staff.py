"""Pages of programme staff for the jury of a call: set-up, criteria, jurors, assignment,
ranking, funding line and lottery, decisions. Thin: check the role, call one query or
service, render. Every write goes through review.services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from grants.models import Application, Call, Topic
from grants.presentation import log_entries
from grants.queries import committed_amount
from grants.states import ApplicationStateGroup
from review import queries
from review.forms.staff import (
    AddJurorForm,
    AssignmentChangeForm,
    BasisForm,
    BulkDecisionForm,
    CriterionFormSet,
    DecisionForm,
    JurySettingsForm,
    JuryTransitionForm,
    LineMoveForm,
    SeedForm,
    TopicsForm,
)
from review.maths.assignment import juror_groups
from review.maths.lottery import CODE_VERSION
from review.models import Jury, JuryMember
from review.ranking import SORT_KEYS, build_ranking, line_outcome, waitlisted_in_ranking_order
from review.services.assignment import change_assignment, confirm_assignment, propose_assignment
from review.services.decisions import decide_application, decide_applications
from review.services.funding import (
    discard_line,
    draw_funding_line,
    draw_lottery,
    freeze_grey_zone,
    move_on_line,
)
from review.services.jury import (
    JURY_TRANSITIONS,
    add_juror,
    save_criteria,
    save_jury_settings,
    set_juror_topics,
    set_up_jury,
    transition_jury,
)
from review.states import Decision, JuryPhase, LineState, PhaseAllows, RankingBasis
from workflow.actions import transition_custom
from workflow.errors import WorkflowError


def _call(slug):
    return get_object_or_404(Call.objects.select_related("fund"), slug=slug)


def _jury_or_404(slug):
    jury = Jury.objects.select_related("call__fund").filter(call__slug=slug).first()
    if jury is None:
        raise Http404
    return jury


def _service_errors(form, error):
    for field, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


# ---------------------------------------------------------------------------------------
# Overview, settings, phases


@role_required(Role.STAFF)
def jury(request, slug):
    call = _call(slug)
    current = queries.jury_of(call)
    return _render_jury(request, call, current)


def _render_jury(request, call, current, settings_form=None):
    context = {"call": call, "jury": current}
    if current is not None:
        context |= {
            "settings_form": settings_form
            or JurySettingsForm(
                initial={
                    "blind": current.blind,
                    "max_per_juror": current.max_per_juror,
                    "due_on": current.due_on,
                }
            ),
            "transitions": [
                {"name": name, "label": transition_custom(Jury, name)["verb"]}
                for name in JURY_TRANSITIONS
                if can_proceed(getattr(current, name), check_conditions=False)
            ],
            "criteria": list(queries.criteria_of(current)),
            "member_count": JuryMember.objects.filter(jury=current).count(),
            "progress": queries.jury_progress(current),
            "log": log_entries(queries.jury_log(current), JuryPhase),
        }
    return render(request, "review/staff/jury.html", context)


@role_required(Role.STAFF)
@require_POST
def set_up(request, slug):
    call = _call(slug)
    try:
        set_up_jury(call=call, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The jury is set up. Check the criteria, add jurors and set the due date.")
        )
    return redirect("staff_jury", slug=call.slug)


@role_required(Role.STAFF)
@require_POST
def settings(request, slug):
    current = _jury_or_404(slug)
    form = JurySettingsForm(request.POST)
    if form.is_valid():
        try:
            save_jury_settings(jury=current, actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The jury settings have been saved."))
            return redirect("staff_jury", slug=slug)
    return _render_jury(request, current.call, current, settings_form=form)


@role_required(Role.STAFF)
@require_POST
def transition(request, slug):
    current = _jury_or_404(slug)
    form = JuryTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("staff_jury", slug=slug)
    try:
        current = transition_jury(
            jury=current,
            actor=request.user,
            transition_name=form.cleaned_data["transition"],
            expected_state=form.cleaned_data["expected_state"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The jury is now in the phase “%(phase)s”.") % {"phase": current.get_phase_display()},
        )
    return redirect("staff_jury", slug=slug)


# ---------------------------------------------------------------------------------------
# Criteria and jurors


@role_required(Role.STAFF)
def criteria(request, slug):
    current = _jury_or_404(slug)
    existing = list(queries.criteria_of(current))
    editable = current.phase in PhaseAllows.EDITING_CRITERIA
    if request.method == "POST" and editable:
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if formset.is_valid():
            values = [
                {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                save_criteria(jury=current, actor=request.user, criteria=values)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The criteria have been saved."))
                return redirect("staff_jury_criteria", slug=slug)
        else:
            messages.error(
                request, _("The criteria were not saved: please correct the marked fields.")
            )
    else:
        formset = CriterionFormSet(
            prefix="criteria",
            initial=[
                {
                    "name_de": c.name_de,
                    "name_en": c.name_en,
                    "guidance_de": c.guidance_de,
                    "guidance_en": c.guidance_en,
                    "weight": c.weight,
                    "scale": c.scale,
                    "allows_not_applicable": c.allows_not_applicable,
                }
                for c in existing
            ],
        )
    return render(
        request,
        "review/staff/criteria.html",
        {
            "jury": current,
            "call": current.call,
            "formset": formset,
            "editable": editable,
            "criteria": existing,
            "total_weight": sum(c.weight for c in existing),
        },
    )


def _topics(call):
    return Topic.objects.filter(fund_id=call.fund_id).order_by("slug")


@role_required(Role.STAFF)
def members(request, slug):
    current = _jury_or_404(slug)
    form = AddJurorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = add_juror(jury=current, actor=request.user, email=form.cleaned_data["email"])
        except WorkflowError as error:
            messages.error(request, error.message)
            _service_errors(form, error)
        else:
            if member.user_id:
                text = _("%(email)s is now a juror of this call and has been told by e-mail.")
            else:
                text = _("%(email)s has been invited by e-mail to register and join the jury.")
            messages.success(request, text % {"email": member.email})
            own = queries.own_applications_of(member) if member.user_id else []
            if own:
                messages.warning(
                    request,
                    _(
                        "%(email)s is the applicant or a team member of %(references)s: a conflict of interest that cannot be dismissed. They will never be assigned to it."
                    )
                    % {"email": member.email, "references": ", ".join(own)},
                )
            return redirect("staff_jury_members", slug=slug)
    topics = list(_topics(current.call))
    rows = [
        {
            "member": member,
            "form": TopicsForm(
                topics=topics,
                initial={"topics": [topic.pk for topic in member.topics.all()]},
                prefix=f"m{member.pk}",
            ),
        }
        for member in queries.jury_members(current)
    ]
    return render(
        request,
        "review/staff/members.html",
        {"jury": current, "call": current.call, "form": form, "rows": rows},
    )


@role_required(Role.STAFF)
@require_POST
def member_topics(request, slug, pk):
    current = _jury_or_404(slug)
    member = get_object_or_404(JuryMember, jury=current, pk=pk)
    form = TopicsForm(request.POST, topics=list(_topics(current.call)), prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            set_juror_topics(member=member, actor=request.user, topics=form.chosen())
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The preferred topics of %(juror)s have been saved.") % {"juror": member}
            )
    else:
        messages.error(request, _("Unknown topic."))
    return redirect(reverse("staff_jury_members", kwargs={"slug": slug}) + f"#member-{member.pk}")


# ---------------------------------------------------------------------------------------
# Assignment


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
    return render(
        request,
        "review/staff/assignment.html",
        {
            "jury": current,
            "call": current.call,
            "rows": rows,
            "jurors": [{"member": member, **loads[member.user_id]} for member in jurors],
            "short": short,
            "groups": len(groups),
            "proposals": sum(load["proposed"] for load in loads.values()),
            "k": k,
            "assigning": current.phase in PhaseAllows.ASSIGNING,
            "change_form": form or AssignmentChangeForm(applications=rows, jurors=jurors),
        },
    )


@role_required(Role.STAFF)
@require_POST
def assignment_propose(request, slug):
    current = _jury_or_404(slug)
    try:
        figures = propose_assignment(jury=current, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
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
        messages.success(request, text)
    return redirect("staff_assignment", slug=slug)


@role_required(Role.STAFF)
@require_POST
def assignment_change(request, slug):
    current = _jury_or_404(slug)
    rows = list(queries.assignment_rows(current, request.user))
    jurors = list(queries.jury_members(current).filter(user__isnull=False))
    form = AssignmentChangeForm(request.POST, applications=rows, jurors=jurors)
    if form.is_valid():
        try:
            change_assignment(
                jury=current,
                application_id=form.cleaned_data["application"],
                actor=request.user,
                remove_juror_id=form.cleaned_data["remove"],
                add_juror_id=form.cleaned_data["add"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The assignment has been changed."))
            return redirect("staff_assignment", slug=slug)
    else:
        messages.error(request, _("Choose an application and a juror."))
    return assignment(request, slug, form=form)


@role_required(Role.STAFF)
@require_POST
def assignment_confirm(request, slug):
    current = _jury_or_404(slug)
    try:
        count = confirm_assignment(jury=current, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s assignment confirmed. The jurors have been e-mailed their applications and the due date.",
                "%(count)s assignments confirmed. The jurors have been e-mailed their applications and the due date.",
                count,
            )
            % {"count": count},
        )
    return redirect("staff_assignment", slug=slug)


# ---------------------------------------------------------------------------------------
# Ranking


def _basis(request):
    basis = request.GET.get("basis", RankingBasis.CALIBRATED)
    return basis if basis in RankingBasis.values else RankingBasis.CALIBRATED


@role_required(Role.STAFF)
def ranking(request, slug):
    current = _jury_or_404(slug)
    basis = _basis(request)
    sort = request.GET.get("sort", "rank")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "rank"
    result = build_ranking(current, request.user, basis=basis)
    return render(
        request,
        "review/staff/ranking.html",
        {
            "jury": current,
            "call": current.call,
            "ranking": result,
            "rows": result.sorted_rows(sort),
            "sort": sort,
            "basis": basis,
            "basis_label": RankingBasis(basis).label,
            "basis_form": BasisForm(initial={"basis": basis}),
            "sort_keys": SORT_KEYS,
            "conflicted": queries.open_conflicts_of(request.user, current.call),
        },
    )


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
        "committed": committed_amount(call),
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
            _service_errors(form, error)
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
            _service_errors(form, error)
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


def _posted_ids(post) -> list[int]:
    ids = []
    for key in post:
        if key.startswith("decision_") and key[len("decision_") :].isdigit():
            ids.append(int(key[len("decision_") :]))
    return ids[:2000]


@role_required(Role.STAFF)
@require_POST
def decisions(request, slug):
    """Bulk decisions: the first POST shows what will happen; the confirmed one decides."""
    current = _jury_or_404(slug)
    call = current.call
    form = BulkDecisionForm(request.POST, application_ids=_posted_ids(request.POST))
    if not form.is_valid() or not form.decisions():
        messages.error(request, _("Choose a decision for at least one application."))
        return redirect("staff_line", slug=slug)
    chosen = dict(form.decisions())
    if form.cleaned_data["confirm"]:
        try:
            done = decide_applications(
                call=call, decisions=list(chosen.items()), actor=request.user
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Decided: %(approved)s approved, %(waitlisted)s on the waiting list, %(rejected)s rejected. The applicants are informed by e-mail."
                )
                % {
                    "approved": done[Decision.APPROVE],
                    "waitlisted": done[Decision.WAITLIST],
                    "rejected": done[Decision.REJECT],
                },
            )
        return redirect("staff_line", slug=slug)
    applications = list(queries.decision_candidates(call, request.user, list(chosen)))
    groups = {decision: [] for decision in Decision.values}
    for application in applications:
        groups[chosen[application.pk]].append(application)
    approved_total = sum((a.requested_amount for a in groups[Decision.APPROVE]), 0)
    committed = committed_amount(call)
    return render(
        request,
        "review/staff/decisions_confirm.html",
        {
            "jury": current,
            "call": call,
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
            "approved_total": approved_total,
            "committed": committed,
            "left_after": (call.budget or 0) - committed - approved_total,
            "unknown": len(chosen) - len(applications),
            "count": len(applications),
        },
    )


@role_required(Role.STAFF)
def waitlist(request, slug):
    current = _jury_or_404(slug)
    plan = waitlisted_in_ranking_order(current, request.user)
    fitting = [row["id"] for row in plan if row["fits"]]
    if request.method == "POST":
        posted = sorted(int(pk) for pk in request.POST.getlist("applications") if pk.isdigit())
        if posted != sorted(fitting):
            messages.error(
                request,
                _(
                    "The waiting list or the money left changed meanwhile. Check the new plan and confirm again."
                ),
            )
        elif not fitting:
            messages.error(
                request, _("No application on the waiting list fits into the money left.")
            )
        else:
            try:
                done = decide_applications(
                    call=current.call,
                    decisions=[(pk, Decision.APPROVE) for pk in fitting],
                    actor=request.user,
                )
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s application moved up from the waiting list and approved.",
                        "%(count)s applications moved up from the waiting list and approved.",
                        done[Decision.APPROVE],
                    )
                    % {"count": done[Decision.APPROVE]},
                )
        return redirect("staff_waitlist", slug=slug)
    call = current.call
    committed = committed_amount(call)
    return render(
        request,
        "review/staff/waitlist.html",
        {
            "jury": current,
            "call": call,
            "plan": plan,
            "fitting": fitting,
            "committed": committed,
            "left": (call.budget or 0) - committed,
            "fitting_total": sum((row["amount"] for row in plan if row["fits"]), 0),
        },
    )


# ---------------------------------------------------------------------------------------
# One application: its reviews and its decision


def _staff_application(request, pk):
    return get_permitted_object_or_404(
        request.user,
        "grants.view_application_as_staff",
        Application.objects.select_related("call__fund", "owner", "topic"),
        pk=pk,
    )


def _render_application(request, application, form=None):
    current = queries.jury_of(application.call)
    reviews = (
        list(queries.application_reviews_for_staff(application, request.user)) if current else []
    )
    row = None
    if current is not None:
        result = build_ranking(current, request.user)
        row = next((item for item in result.rows if item["id"] == application.pk), None)
    decidable = application.state in ApplicationStateGroup.DECIDABLE
    if form is None and decidable:
        form = DecisionForm(
            initial={
                "expected_state": application.state,
                "awarded_amount": application.requested_amount,
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
            "criteria": list(queries.criteria_of(current)) if current else [],
            "row": row,
            "form": form if decidable else None,
            "committed": committed_amount(application.call),
        },
    )


@role_required(Role.STAFF)
def application_jury(request, pk):
    return _render_application(request, _staff_application(request, pk))


@role_required(Role.STAFF)
@require_POST
def application_decide(request, pk):
    application = _staff_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide_application(
                application=application,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                expected_state=form.cleaned_data["expected_state"],
                awarded_amount=form.cleaned_data["awarded_amount"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            _service_errors(form, error)
        else:
            messages.success(
                request,
                _("The decision on %(reference)s is recorded. The applicant is informed by e-mail.")
                % {"reference": application.reference},
            )
            return redirect("staff_application_jury", pk=application.pk)
    return _render_application(request, application, form)
