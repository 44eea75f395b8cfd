"""The inbox: what waits for the signed-in person, by their roles (programme staff, juror,
applicant and grantee), each line with its age and a link to where the work is done; staff
filter by call and by what they took over, and take work over or release it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_permitted_object_or_404, role_required
from accounts.roles import Role
from core.views import run_service
from grants.conversations.queries import announcements_received
from grants.inbox.forms import ClaimForm, InboxFilterForm
from grants.inbox.registry import AUDIENCES, NO_FILTERS, age, count, sections
from grants.inbox.services import release, take_over
from grants.inbox.summary import inbox_summary
from grants.models import Application, ChangeRequest, Grant, Milestone

# Lines shown per kind; the rest are a link away.
LINES_PER_KIND = 20
AUDIENCE_HEADINGS = {
    Role.STAFF: gettext_lazy("Programme staff"),
    Role.JUROR: gettext_lazy("Jury"),
    Role.APPLICANT: gettext_lazy("Your applications and grants"),
}


@role_required(Role.STAFF, Role.JUROR, Role.APPLICANT)
def inbox(request):
    summary = inbox_summary(request)
    user = request.user
    is_staff = user.has_role(Role.STAFF)
    filter_form = InboxFilterForm(request.GET or None) if is_staff else None
    filters = filter_form.filters() if filter_form is not None else NO_FILTERS
    counts = (
        count(user, summary.kinds, summary.today, filters) if filters.active else summary.counts
    )
    shown = sections(user, summary.kinds, counts, summary.today, filters, limit=LINES_PER_KIND)
    call = filter_form.cleaned_data.get("call") if filters.call_id else None
    parts = _parts(summary, shown, counts, call, user)
    return render(
        request,
        "grants/inbox/inbox.html",
        {
            "parts": parts,
            "total": sum(counts.values()),
            "filter_form": filter_form,
            "filtered": filters.active,
            "several_parts": len(parts) > 1,
            "back": {"call": call.slug if call else "", "mine": filters.mine},
            "announcements": announcements_received(user) if user.has_role(Role.APPLICANT) else [],
        },
    )


def _parts(summary, shown, counts, call, user) -> list[dict]:
    """The inbox by audience (as applicant, staff…): its sections with lines, and the kinds
    with nothing waiting."""
    parts = []
    for audience in AUDIENCES:
        kinds = [kind for kind in summary.kinds if kind.audience == audience]
        if not kinds:
            continue
        parts.append(
            {
                "audience": audience,
                "heading": AUDIENCE_HEADINGS[audience],
                "sections": [
                    _section_view(section, summary.today, call, user)
                    for section in shown
                    if section.kind.audience == audience
                ],
                "quiet": [kind for kind in kinds if not counts.get(kind.key)],
            }
        )
    return parts


def _section_view(section, today, call, user):
    kind = section.kind
    lines = []
    for row, line in section.lines:
        text, late = age(line, today)
        lines.append(
            {
                "line": line,
                "age": text,
                "late": late,
                "claim": _claim_of(row, user) if kind.claimable else None,
            }
        )
    more = section.count - len(lines)
    return {
        "kind": kind,
        "count": section.count,
        "lines": lines,
        "more": more,
        "all_url": kind.all_url(call) if kind.all_url and more > 0 else None,
    }


def _claim_of(row, user):
    holder = row.claimed_by_id
    return {
        "subject": row._meta.model_name,
        "pk": row.pk,
        "holder": row.claimed_by_name or row.claimed_by_email if holder else "",
        "mine": holder == user.pk,
    }


CLAIMABLE = {
    "application": Application,
    "milestone": Milestone,
    "changerequest": ChangeRequest,
    "grant": Grant,
}


@role_required(Role.STAFF)
@require_POST
def claim(request):
    """Take over a line's work, or release it; back to the inbox as it was filtered."""
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a line of the inbox."))
        return redirect("inbox")
    data = form.cleaned_data
    subject = get_permitted_object_or_404(
        request.user,
        "grants.take_over_work",
        CLAIMABLE[data["subject"]].objects.all(),
        pk=data["pk"],
    )
    taking = data["action"] == "take_over"
    run_service(
        request,
        take_over if taking else release,
        success=_("You have taken this over.")
        if taking
        else _("You have released it: it is everyone's again."),
        subject=subject,
        actor=request.user,
    )
    back = InboxFilterForm({"call": data["call"], "mine": data["mine"]})
    query = back.query()
    return redirect(reverse("inbox") + (f"?{query}" if query else ""))
