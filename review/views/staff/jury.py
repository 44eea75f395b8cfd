"""The jury of a call: overview, settings, phases, criteria and jurors."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.access import role_required
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import add_service_errors, run_service
from grants.models import Topic
from grants.presentation import log_entries
from review import queries
from review.forms.staff import (
    AddJurorForm,
    CriterionFormSet,
    JurySettingsForm,
    JuryTransitionForm,
    TopicMinimumsForm,
    TopicsForm,
)
from review.models import Jury, JuryMember
from review.services.jury import (
    JURY_TRANSITIONS,
    add_juror,
    save_criteria,
    save_jury_settings,
    set_juror_topics,
    set_up_jury,
    transition_jury,
)
from review.services.minimums import save_topic_minimums
from review.states import JuryPhase, PhaseAllows
from review.views.staff.common import _call, _jury_or_404
from workflow.actions import transition_custom

# ---------------------------------------------------------------------------------------
# Overview, settings, phases


@role_required(Role.STAFF)
def jury(request, slug):
    call = _call(slug)
    current = queries.jury_of(call)
    return _render_jury(request, call, current)


def _minimums_form(current, data=None):
    topics = list(Topic.objects.filter(fund_id=current.call.fund_id).order_by("slug"))
    shares = dict(queries.topic_minimums(current).values_list("topic_id", "share"))
    return TopicMinimumsForm(
        data,
        topics=topics,
        initial={f"topic_{topic}": share for topic, share in shares.items()},
    )


def _render_jury(request, call, current, settings_form=None, minimums_form=None):
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
            "minimums_form": minimums_form or _minimums_form(current),
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
def minimums(request, slug):
    current = _jury_or_404(slug)
    form = _minimums_form(current, request.POST)
    if form.is_valid():
        done = run_service(
            request,
            save_topic_minimums,
            form=form,
            success=_("The minimum shares of the topics have been saved."),
            jury=current,
            actor=request.user,
            shares=form.shares(),
        )
        if done.ok:
            return redirect("staff_jury", slug=slug)
    return _render_jury(request, current.call, current, minimums_form=form)


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
            add_service_errors(form, error)
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
