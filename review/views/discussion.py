"""The discussion of one application, shown on the juror's discussion page and on the
staff's page of its reviews: comments, the rapporteur and the summary. Both pages build
their part here and post their forms through ``post_discussion``; the services check the
rules again (review.services.discussion)."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import may
from core.views import run_service
from review import discussion_queries as queries
from review.forms.discussion import CommentForm, RapporteurForm, SummaryForm
from review.services.discussion import (
    add_comment,
    name_rapporteur,
    withdraw_comment,
    write_summary,
)


def discussion_context(user, application, forms=None) -> dict:
    """What the user may read and do in the application's discussion (nothing at all if
    they may not read it). Three queries and the rules' own."""
    if not may(user, "review.view_discussion", application):
        return {"discussion": None}
    forms = forms or {}
    comments = list(queries.discussion_comments(application))
    summary = queries.discussion_summary(application)
    application.discussion_summary = summary  # the rules read the rapporteur from here
    may_comment = may(user, "review.comment_in_discussion", application)
    may_summarise = summary is not None and may(
        user, "review.write_discussion_summary", application
    )
    may_name = may(user, "review.name_rapporteur", application)
    rapporteur_form = None
    if may_name:
        rapporteur_form = forms.get("rapporteur_form") or RapporteurForm(
            candidates=list(queries.rapporteur_candidates(application)),
            initial={"juror": summary.rapporteur_id if summary else None},
        )
    return {
        "discussion": {
            "comments": comments,
            "count": sum(1 for comment in comments if comment.withdrawn_at is None),
            "summary": summary,
            "may_comment": may_comment,
            "comment_form": forms.get("comment_form") or CommentForm() if may_comment else None,
            "summary_form": (
                forms.get("summary_form")
                or SummaryForm(initial={"version": summary.version, "text": summary.text})
                if may_summarise
                else None
            ),
            "rapporteur_form": rapporteur_form,
        }
    }


def _comment(request, application, comment_pk):
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your comment was not added: please correct it."))
        return {"comment_form": form}
    outcome = run_service(
        request,
        add_comment,
        form=form,
        success=_("Your comment is added to the discussion."),
        application_id=application.pk,
        actor=request.user,
        body=form.cleaned_data["body"],
    )
    return {} if outcome.ok else {"comment_form": form}


def _withdraw(request, application, comment_pk):
    run_service(
        request,
        withdraw_comment,
        success=_("Your comment is withdrawn."),
        comment_id=comment_pk,
        actor=request.user,
    )
    return {}


def _summary(request, application, comment_pk):
    form = SummaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The summary was not saved: please correct it."))
        return {"summary_form": form}
    outcome = run_service(
        request,
        write_summary,
        form=form,
        success=_("The summary is saved."),
        application_id=application.pk,
        actor=request.user,
        text=form.cleaned_data["text"],
        expected_version=form.cleaned_data["version"],
    )
    if outcome.stale:
        # The text stays in the form, now against the saved version.
        data = request.POST.copy()
        data["version"] = str(queries.discussion_summary(application).version)
        form = SummaryForm(data)
        form.is_valid()
    return {} if outcome.ok else {"summary_form": form}


def _rapporteur(request, application, comment_pk):
    candidates = list(queries.rapporteur_candidates(application))
    form = RapporteurForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, _("No rapporteur was named: please choose a juror."))
        return {"rapporteur_form": form}
    juror = next(a.juror for a in candidates if a.juror_id == form.cleaned_data["juror"])
    outcome = run_service(
        request,
        name_rapporteur,
        form=form,
        success=_("%(name)s is the rapporteur of %(reference)s.")
        % {"name": juror, "reference": application.reference},
        application_id=application.pk,
        actor=request.user,
        juror=juror,
    )
    return {} if outcome.ok else {"rapporteur_form": form}


ACTIONS = {
    "comment": _comment,
    "withdraw": _withdraw,
    "summary": _summary,
    "rapporteur": _rapporteur,
}


def post_discussion(request, application, action: str, comment_pk: int | None = None) -> dict:
    """Carry out one posted action (the URL names it); returns the bound forms to show
    again ({} on success)."""
    if action not in ACTIONS or not may(request.user, "review.view_discussion", application):
        raise Http404
    return ACTIONS[action](request, application, comment_pk)
