"""Forms of the jurors' pages. They validate and shape input; review.services writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.states import COMMENT_MAX_CHARS, NOTE_MAX_CHARS, ConflictKind

NOT_APPLICABLE = "na"
SEARCH_MAX_CHARS = 200


class ConflictForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    # Nothing chosen until the juror chooses: a pre-selected "my own application" would be
    # declared by whoever only meant to pick the application.
    kind = forms.ChoiceField(
        label=_("Kind of conflict"),
        choices=[("", _("Choose the kind of conflict")), *ConflictKind.choices],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed for “other reason”; otherwise optional. Only the programme staff read it."
        ),
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("Choose an application"))] + [
            (application.pk, f"{application.reference} – {application.title}")
            for application in applications
        ]


class ConflictSearchForm(forms.Form):
    """Narrows the conflict page's list of applications (a call may have hundreds)."""

    q = forms.CharField(
        label=_("Search the applications"),
        required=False,
        max_length=SEARCH_MAX_CHARS,
        widget=forms.SearchInput,
        help_text=_("Reference, title or topic; names too unless the review is blind."),
    )


class ReviewForm(forms.Form):
    """One score and one comment per criterion, and the two overall comments."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    comment_for_staff = forms.CharField(
        label=_("Overall comment for the programme staff"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    comment_for_applicant = forms.CharField(
        label=_("Feedback for the applicant (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the applicant with the decision, without your name."),
    )

    def __init__(self, *args, criteria, review, disabled=False, **kwargs):
        # A posted form shows what was posted: the stored scores are read only for a new one.
        bound = bool(args) or kwargs.get("data") is not None
        scores = {} if bound else {score.criterion_id: score for score in review.scores.all()}
        initial = {
            "version": review.version,
            "comment_for_staff": review.comment_for_staff,
            "comment_for_applicant": review.comment_for_applicant,
        }
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is not None:
                initial[f"score_{criterion.pk}"] = (
                    NOT_APPLICABLE
                    if score.not_applicable
                    else ("" if score.value is None else str(score.value))
                )
                initial[f"comment_{criterion.pk}"] = score.comment
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            low, high = criterion.bounds
            choices = [("", _("not scored yet"))] + [(str(n), str(n)) for n in range(low, high + 1)]
            if criterion.allows_not_applicable:
                choices.append((NOT_APPLICABLE, _("not applicable")))
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Score for “%(criterion)s” (%(low)s to %(high)s)")
                % {"criterion": criterion.name, "low": low, "high": high},
                choices=choices,
                required=False,
                help_text=criterion.guidance,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=COMMENT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def criterion_fields(self):
        return [
            {
                "criterion": criterion,
                "score": self[f"score_{criterion.pk}"],
                "comment": self[f"comment_{criterion.pk}"],
            }
            for criterion in self.criteria
        ]

    def entries(self) -> dict:
        """criterion id → {"value", "not_applicable", "comment"} for the service."""
        entries = {}
        for criterion in self.criteria:
            raw = self.cleaned_data.get(f"score_{criterion.pk}") or ""
            entries[criterion.pk] = {
                "value": int(raw) if raw not in ("", NOT_APPLICABLE) else None,
                "not_applicable": raw == NOT_APPLICABLE,
                "comment": self.cleaned_data.get(f"comment_{criterion.pk}") or "",
            }
        return entries

    def draft(self) -> dict:
        return {
            "entries": self.entries(),
            "comment_for_staff": self.cleaned_data["comment_for_staff"],
            "comment_for_applicant": self.cleaned_data["comment_for_applicant"],
        }
