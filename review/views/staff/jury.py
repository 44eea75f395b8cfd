"""The jury of a call: overview, settings, phases, criteria and jurors."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.access import role_required
from accounts.roles import Role
from core.views import run_service
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
    run_service(
        request,
        set_up_jury,
        success=_("The jury is set up. Check the criteria, add jurors and set the due date."),
        call=call,
        actor=request.user,
    )
    return redirect("staff_jury", slug=call.slug)


@role_required(Role.STAFF)
@require_POST
def settings(request, slug):
    current = _jury_or_404(slug)
    form = JurySettingsForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            save_jury_settings,
            success=_("The jury settings have been saved."),
            jury=current,
            actor=request.user,
            **form.cleaned_data,
        )
        if done.ok:
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
    run_service(
        request,
        transition_jury,
        success=lambda changed: (
            _("The jury is now in the phase “%(phase)s”.") % {"phase": changed.get_phase_display()}
        ),
        jury=current,
        actor=request.user,
        transition_name=form.cleaned_data["transition"],
        expected_state=form.cleaned_data["expected_state"],
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
        if not formset.is_valid():
            messages.error(
                request, _("The criteria were not saved: please correct the marked fields.")
            )
        elif run_service(
            request,
            save_criteria,
            success=_("The criteria have been saved."),
            jury=current,
            actor=request.user,
            criteria=formset.values(),
        ).ok:
            return redirect("staff_jury_criteria", slug=slug)
    else:
        formset = CriterionFormSet.of(existing, prefix="criteria")
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
        done = run_service(
            request,
            add_juror,
            form=form,
            success=_juror_added_message,
            jury=current,
            actor=request.user,
            email=form.cleaned_data["email"],
        )
        if done.ok:
            _warn_of_own_applications(request, done.result)
            return redirect("staff_jury_members", slug=slug)
    return render(
        request,
        "review/staff/members.html",
        {"jury": current, "call": current.call, "form": form, "rows": _member_rows(current)},
    )


def _juror_added_message(member) -> str:
    if member.user_id:
        text = _("%(email)s is now a juror of this call and has been told by e-mail.")
    else:
        text = _("%(email)s has been invited by e-mail to register and join the jury.")
    return text % {"email": member.email}


def _warn_of_own_applications(request, member) -> None:
    """A new juror who applied to the call (alone or in a team) has a hard conflict."""
    own = queries.own_applications_of(member) if member.user_id else []
    if own:
        messages.warning(
            request,
            _(
                "%(email)s is the applicant or a team member of %(references)s: a conflict of interest that cannot be dismissed. They will never be assigned to it."
            )
            % {"email": member.email, "references": ", ".join(own)},
        )


def _member_rows(current) -> list[dict]:
    """The jurors, each with the form of their preferred topics."""
    topics = list(_topics(current.call))
    return [
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


@role_required(Role.STAFF)
@require_POST
def member_topics(request, slug, pk):
    current = _jury_or_404(slug)
    member = get_object_or_404(JuryMember, jury=current, pk=pk)
    form = TopicsForm(request.POST, topics=list(_topics(current.call)), prefix=f"m{member.pk}")
    if form.is_valid():
        run_service(
            request,
            set_juror_topics,
            success=_("The preferred topics of %(juror)s have been saved.") % {"juror": member},
            member=member,
            actor=request.user,
            topics=form.chosen(),
        )
    else:
        messages.error(request, _("Unknown topic."))
    return redirect(reverse("staff_jury_members", kwargs={"slug": slug}) + f"#member-{member.pk}")
