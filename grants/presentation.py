"""How workflow values and amounts are shown to people, used by the staff pages, the
applicant timeline and e-mails. Log labels are declared where the actions are: on the
transitions (custom=) and in grants.events (workflow.actions)."""

import json
from decimal import Decimal

from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.formats import euro
from grants.diffs import line_diff, text_diff
from grants.questions import json_display
from grants.states import ApplicationState as S
from workflow.actions import action_label, state_label_of

# The parts of a proposal as people name them, in messages that list problems by part.
FIELD_LABELS = {
    "title": _lazy("Project title"),
    "track": _lazy("Track"),
    "topic": _lazy("Topic"),
    "licence": _lazy("Licence"),
    "repository_url": _lazy("Repository URL"),
    "summary": _lazy("Summary"),
    "milestones": _lazy("Milestones"),
    "team": _lazy("Team"),
    "budget": _lazy("Budget"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def labelled_errors(errors: dict, questions) -> list[tuple[str, list[str]]]:
    """Completeness errors (part or question key → messages) with each part's name."""
    labels = {q.key: q.label for q in questions}
    return [(labels.get(name) or field_label(name), messages) for name, messages in errors.items()]


def _cents(amount) -> int | None:
    return None if amount is None else int((Decimal(amount) * 100).to_integral_value())


def budget_rules(call, tracks, track=None) -> str:
    """The call's budget rules in whole cents and basis points, for fund.js to recompute a
    draft's budget while it is typed exactly as Application.budget() does (integers, half up),
    and per track (by id, the value of the form's choice) its cap, hourly rate and months,
    which the month fields offer. ``track``: the chosen one where the form has no track field
    (an answer)."""
    return json.dumps(
        {
            "rate": _cents(call.hourly_rate),
            "overhead": _cents(call.overhead_percent),  # percent × 100: basis points
            "funding": _cents(call.funding_rate_percent),
            "caps": {str(t.pk): _cents(t.cap) for t in tracks},
            "rates": {str(t.pk): _cents(t.hourly_rate) for t in tracks if t.hourly_rate},
            "months": {str(t.pk): t.months for t in tracks},
            "beyond": str(_lazy("%(month)s – beyond this track")),
            "personnel": str(_lazy("Personnel costs (hours × %(rate)s)")),
            "track": str(track.pk) if track is not None else "",
            "german": (get_language() or "de").startswith("de"),
        }
    )


def next_step(application) -> dict:
    """What the applicant does next, or waits for, in each state: {"text", "url"} (a link
    when there is something to do on a page of theirs)."""
    if getattr(application, "has_open_question", False):
        return {
            "text": _("Answer the question from the programme staff"),
            "url": reverse("application_answer", args=[application.pk]),
        }
    sent = getattr(application, "agreement_to_sign", None)
    if application.state == S.APPROVED and sent:
        return {
            "text": _("Approved: read and accept the grant agreement we have sent you"),
            "url": reverse("grantee_agreement", args=[sent]),
        }
    steps = {
        S.DRAFT: _("Continue writing and submit before the deadline"),
        S.SUBMITTED: _("Nothing to do: we are checking whether it is eligible"),
        S.ELIGIBLE: _("Nothing to do: it is eligible and waits for the jury"),
        S.IN_REVIEW: _("Nothing to do: the jury is assessing it"),
        S.REVIEWED: _("Nothing to do: the funding decision is being prepared"),
        S.WAITLISTED: _(
            "Nothing to do: on the waiting list, we write to you if money becomes free"
        ),
        S.APPROVED: _("Approved: we are preparing the grant agreement and write to you"),
        S.FUNDED: _("Funded: report on each milestone as agreed"),
        S.FINAL_REPORT_DUE: _("Write the final report"),
        S.COMPLETED: _("Completed: nothing more to do"),
        S.INELIGIBLE: _("Not eligible: read the reasons"),
        S.REJECTED: _("Not funded: nothing more to do"),
        S.INVITED: _("Invited: write the full proposal"),
        S.NOT_INVITED: _("Not invited to the full proposal: read the feedback"),
        S.WITHDRAWN: _("Withdrawn: nothing more to do"),
        S.TERMINATED: _("Funding ended: nothing more to do"),
    }
    grantee_pages = reverse("grantee_dashboard")
    urls = {
        S.DRAFT: reverse("application_edit", args=[application.pk]),
        S.INELIGIBLE: reverse("application_detail", args=[application.pk]),
        S.INVITED: reverse("application_detail", args=[application.pk]),
        S.NOT_INVITED: reverse("application_detail", args=[application.pk]),
        S.FUNDED: grantee_pages,
        S.FINAL_REPORT_DUE: grantee_pages,
    }
    return {"text": steps.get(application.state, ""), "url": urls.get(application.state)}


def state_label(value, choices):
    try:
        return choices(value).label
    except ValueError:
        return value


def log_entries(entries, choices=None):
    """Log rows with readable action and state names. Without ``choices`` (a log that
    mixes objects: a grant's application, milestones and change requests) each entry's
    states are named by its own object's workflow (the entries' content types must be
    selected with them)."""

    def label(entry, value):
        if not value:
            return ""
        if choices is not None:
            return state_label(value, choices)
        return state_label_of(entry.content_type.model_class(), value)

    return [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "from_state": label(entry, entry.from_state),
            "to_state": label(entry, entry.to_state),
        }
        for entry in entries
    ]


def call_step_consequences(
    call, transition_name: str, counts: dict, *, startable: int | None = None
) -> list[str]:
    """What a step of a call will do, in sentences with counts, for its confirmation page.
    ``counts`` are the call's applications by state (drafts included); ``startable``, for
    starting the review, how many eligible ones the member of staff sees (and so moves)."""
    closing = format_date(call.closing_day, "DATE_FORMAT") if call.closing_day else "–"
    drafts = counts.get(S.DRAFT, 0)
    submitted = sum(count for state, count in counts.items() if state != S.DRAFT)
    sentences = []
    if transition_name == "open":
        if call.opens_at and call.opens_at > timezone.now():
            sentences.append(
                _(
                    "The call is announced on the home page at once and accepts applications "
                    "from %(opens)s until the end of %(closing)s (Berlin time)."
                )
                % {"opens": format_date(call.opens_at, "DATETIME_FORMAT"), "closing": closing}
            )
        else:
            sentences.append(
                _(
                    "The call appears on the home page and accepts applications at once, until "
                    "the end of %(closing)s (Berlin time)."
                )
                % {"closing": closing}
            )
        sentences.append(_("Its rules can be changed until the first application is submitted."))
    elif transition_name == "close":
        sentences.append(_("No application can be submitted to this call any more."))
        if call.closes_at and call.closes_at > timezone.now():
            sentences.append(
                _("Its deadline, the end of %(closing)s, has not passed: this ends it early.")
                % {"closing": closing}
            )
        sentences.append(
            ngettext(
                "%(count)s draft can then no longer be submitted; its applicant keeps it.",
                "%(count)s drafts can then no longer be submitted; their applicants keep them.",
                drafts,
            )
            % {"count": drafts}
        )
        sentences.append(
            ngettext(
                "%(count)s application has been submitted.",
                "%(count)s applications have been submitted.",
                submitted,
            )
            % {"count": submitted}
        )
    elif transition_name == "start_review":
        sentences.append(_("The call moves into its review phase."))
        eligible = counts.get(S.ELIGIBLE, 0) if startable is None else startable
        sentences.append(
            ngettext(
                "%(count)s eligible application moves into review with it, ready for the jury.",
                "%(count)s eligible applications move into review with it, ready for the jury.",
                eligible,
            )
            % {"count": eligible}
        )
        withheld = counts.get(S.ELIGIBLE, 0) - eligible
        if withheld > 0:
            sentences.append(
                ngettext(
                    "%(count)s eligible application stays eligible: you have a conflict of "
                    "interest with it, so another member of staff starts its review from the "
                    "list of applications.",
                    "%(count)s eligible applications stay eligible: you have a conflict of "
                    "interest with them, so another member of staff starts their review from "
                    "the list of applications.",
                    withheld,
                )
                % {"count": withheld}
            )
        waiting = counts.get(S.SUBMITTED, 0)
        sentences.append(
            ngettext(
                "%(count)s application has not been screened yet; once it is eligible, start "
                "its review from the list of applications.",
                "%(count)s applications have not been screened yet; once they are eligible, "
                "start their review from the list of applications.",
                waiting,
            )
            % {"count": waiting}
        )
    elif transition_name == "decide":
        sentences.append(_("The call is marked as decided."))
        undecided = counts.get(S.IN_REVIEW, 0) + counts.get(S.REVIEWED, 0)
        sentences.append(
            ngettext(
                "%(count)s application in review has no decision yet and keeps its state.",
                "%(count)s applications in review have no decision yet and keep their state.",
                undecided,
            )
            % {"count": undecided}
        )
    elif transition_name == "archive":
        sentences.append(_("The call is archived; it and its applications stay readable."))
    return sentences


def _milestone_line(number, milestone) -> str:
    return _("%(number)s. %(title)s – %(deliverable)s (month %(month)s, %(hours)s hours)") % {
        "number": number,
        "title": milestone.get("title") or "–",
        "deliverable": milestone.get("deliverable") or "–",
        "month": milestone.get("month") or "–",
        "hours": milestone.get("hours") or 0,
    }


def _lines(part, value) -> list[str]:
    if part == "milestones":
        return [_milestone_line(number, m) for number, m in enumerate(value, start=1)]
    if part == "team":
        return [f"{m.get('name') or '–'} <{m.get('email') or '–'}>" for m in value]
    return [
        _("%(hours)s hours, requested funding %(amount)s")
        % {"hours": value.get("hours"), "amount": euro(value.get("requested"))}
    ]


def answer_changes(data: dict, questions=()) -> list[dict]:
    """What an answer changed (the "changes" a log entry's data holds, see
    grants.services.applications.changed_parts), for staff: per part its name and the
    differences, word by word for text (core sections and text answers to the call's
    questions, by key) and line by line for milestones, team, budget and other answers."""
    by_key = {q.key: q for q in questions}
    parts = []
    for part, change in (data or {}).get("changes", {}).items():
        question = by_key.get(part)
        label = question.label if question is not None else field_label(part)
        if part in ("milestones", "team", "budget"):
            pieces = line_diff(_lines(part, change["from"]), _lines(part, change["to"]))
            kind = "lines"
        elif question is not None and not question.is_text:
            old, new = (json_display(question, change[side]) for side in ("from", "to"))
            pieces = line_diff([old] if old else [], [new] if new else [])
            kind = "lines"
        else:
            pieces = text_diff(change["from"] or "", change["to"] or "")
            kind = "text"
        parts.append({"part": part, "label": label, "kind": kind, "pieces": pieces})
    return parts
