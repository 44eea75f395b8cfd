"""Forms of the staff's jury pages. They validate and shape input; review.services writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import IntegerListField, RecordIdField
from review.services.jury import JURY_TRANSITIONS
from review.states import (
    CONCEPT_DECISIONS,
    MONEY_DECISIONS,
    NOTE_MAX_CHARS,
    SEED_MAX_CHARS,
    SEED_REFERENCE_MAX_CHARS,
    LineMove,
    RankingBasis,
    Scale,
    SeedSource,
    decision_choices,
)
from workflow.actions import transition_custom

MONEY_MAX = 10**10 - 1


class JurySettingsForm(forms.Form):
    blind = forms.BooleanField(
        label=_(
            "Blind review: hide the names and e-mail addresses of applicants and teams from jurors"
        ),
        required=False,
    )
    max_per_juror = forms.IntegerField(
        label=_("Applications per juror at most"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave empty for no limit other than an even share."),
    )
    due_on = forms.DateField(
        label=_("Reviews due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class JuryTransitionForm(forms.Form):
    transition = forms.ChoiceField(choices=())
    expected_state = forms.CharField(max_length=32)

    def __init__(self, *args, **kwargs):
        from review.models import Jury

        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            (name, transition_custom(Jury, name)["verb"]) for name in JURY_TRANSITIONS
        ]


class CriterionForm(forms.Form):
    name_de = forms.CharField(label=_("Name (German)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    guidance_de = forms.CharField(
        label=_("Guidance (German)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guidance_en = forms.CharField(
        label=_("Guidance (English)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100)
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices)
    allows_not_applicable = forms.BooleanField(label=_("“Not applicable” allowed"), required=False)


class BaseCriterionFormSet(forms.BaseFormSet):
    @classmethod
    def of(cls, criteria, **kwargs):
        """The formset filled with the jury's current criteria."""
        initial = [{name: getattr(c, name) for name in CriterionForm.base_fields} for c in criteria]
        return cls(initial=initial, **kwargs)

    def values(self) -> list[dict]:
        """The criteria to keep, in order, as ``save_criteria`` takes them."""
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    max_num=12,
    validate_max=True,
    absolute_max=12,
)


class AddJurorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Someone with an account becomes a juror at once; anybody else is invited to register with this address."
        ),
    )


class TopicsForm(forms.Form):
    """``topics``: the fund's topics, loaded once for all the jurors' forms on a page."""

    topics = forms.TypedMultipleChoiceField(
        label=_("Preferred topics"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {topic.pk: topic for topic in topics}
        self.fields["topics"].choices = [(topic.pk, topic.name) for topic in topics]

    def chosen(self) -> list:
        return [self.topics[pk] for pk in self.cleaned_data["topics"]]


class AssignmentChangeForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    remove = forms.TypedChoiceField(
        label=_("Take off"), coerce=int, required=False, empty_value=None
    )
    add = forms.TypedChoiceField(label=_("Put on"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, applications=(), jurors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("Choose an application"))] + [
            (application.pk, f"{application.reference} – {application.title}")
            for application in applications
        ]
        people = [(member.user_id, str(member.user)) for member in jurors]
        self.fields["remove"].choices = [("", _("nobody"))] + people
        self.fields["add"].choices = [("", _("nobody"))] + people


class BasisForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Ranking"), choices=RankingBasis.choices, initial=RankingBasis.CALIBRATED
    )


class LineMoveForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    direction = forms.ChoiceField(label=_("Move"), choices=LineMove.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("Choose an application"))] + [
            (row["id"], f"{row['reference']} – {row['title']}") for row in rows
        ]


class SeedSourceForm(forms.Form):
    """At freezing: where the lottery's seed will come from, and from when it is public."""

    source = forms.ChoiceField(label=_("Source of the seed"), choices=SeedSource.choices)
    reference = forms.CharField(
        label=_("Which draw or round"),
        max_length=SEED_REFERENCE_MAX_CHARS,
        help_text=_(
            "For example “Lotto 6 aus 49, draw of Saturday 13 June 2026” or “drand quicknet, round 12345678”."
        ),
    )
    published_after = forms.DateTimeField(
        label=_("Published after (Berlin time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "A moment still to come, at or after which the source publishes the seed. The seed is accepted only after it."
        ),
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed"),
        max_length=SEED_MAX_CHARS,
        help_text=_("Exactly as the source named at freezing published it."),
    )
    from_named_source = forms.BooleanField(
        label=_("This seed is what the source named at freezing published for that draw or round."),
    )


class EarlyDecisionsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deciding before the reviews are in"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TopicMinimumsForm(forms.Form):
    """A minimum share of the budget (in %) per topic of the fund; empty for none."""

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {f"topic_{topic.pk}": topic for topic in topics}
        for name, topic in self.topics.items():
            self.fields[name] = forms.IntegerField(
                label=_("%(topic)s: minimum share of the budget (%%)") % {"topic": topic.name},
                required=False,
                min_value=1,
                max_value=100,
            )

    def clean(self):
        cleaned = super().clean()
        if sum(value or 0 for value in cleaned.values()) > 100:
            raise forms.ValidationError(_("The minimum shares add up to more than 100 %."))
        return cleaned

    def shares(self) -> dict:
        """Topic → share, for the topics given one."""
        return {
            topic: self.cleaned_data[name]
            for name, topic in self.topics.items()
            if self.cleaned_data.get(name)
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=decision_choices(MONEY_DECISIONS), widget=forms.RadioSelect
    )
    awarded_amount = forms.DecimalField(
        label=_("Awarded amount (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MONEY_MAX)],
        help_text=_("For an approval: at most the requested amount."),
    )
    note = forms.CharField(
        label=_("Note for the log"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=32)


class ConceptDecisionForm(forms.Form):
    """The decision on a concept: invite the team to the full proposal or not, without
    money, with feedback the team reads."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=decision_choices(CONCEPT_DECISIONS), widget=forms.RadioSelect
    )
    feedback = forms.CharField(
        label=_("Feedback to the team"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The team reads it in the e-mail and on its application's page, with the "
            "jurors' feedback for the applicant."
        ),
    )
    invitation_valid_until = forms.DateField(
        label=_("Invitation valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "With an invitation: the last day on which the team can start its full proposal, "
            "at the latest the full-proposal call's closing day (also if left empty)."
        ),
    )
    note = DecisionForm.base_fields["note"]
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=32)


DECISION_PREFIX = "decision_"
DECISIONS_MAX = 2000


class BulkDecisionForm(forms.Form):
    """Posted from the line page: a decision per application (``decision_<id>``). The ids in
    the field names are parsed with a form field, like any input: "²" passes
    ``str.isdigit()`` and a 23-digit number overflows the database, both are refused."""

    decisions_offered = MONEY_DECISIONS

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason, recorded with each of these decisions"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required where a decision departs from the funding line."),
    )

    default_error_messages = {
        "unknown": _(
            "Nothing was decided: the decisions name applications that are not on this list. Choose them again on the funding line page."
        ),
        "decision": _("Nothing was decided: choose approve, waiting list or reject."),
        "too_many": _("Decide on at most %(max)s applications at once."),
    }

    def clean(self):
        cleaned = super().clean()
        keys = [key for key in self.data if key.startswith(DECISION_PREFIX)]
        if len(keys) > DECISIONS_MAX:
            raise ValidationError(
                self.default_error_messages["too_many"],
                code="too_many",
                params={"max": DECISIONS_MAX},
            )
        application_id = RecordIdField()
        decision = forms.ChoiceField(
            choices=decision_choices(self.decisions_offered), required=False
        )
        chosen = {}
        for key in keys:
            chosen[self._parse(application_id, key[len(DECISION_PREFIX) :], "unknown")] = (
                self._parse(decision, self.data[key], "decision")
            )
        cleaned["decisions"] = {pk: value for pk, value in chosen.items() if value}
        return cleaned

    def _parse(self, field, value, code):
        try:
            return field.clean(value)
        except ValidationError:
            raise ValidationError(self.default_error_messages[code], code=code) from None

    def decisions(self) -> list[tuple[int, str]]:
        return list(self.cleaned_data["decisions"].items())


FEEDBACK_PREFIX = "feedback_"


class ConceptBulkDecisionForm(BulkDecisionForm):
    """Posted from the concepts' decision page: invite or not invite per concept
    (``decision_<id>``), each with its own feedback to the team (``feedback_<id>``) or, where
    that is empty, the shared feedback; one last day for all the invitations."""

    decisions_offered = CONCEPT_DECISIONS
    shared_feedback = forms.CharField(
        label=_("Shared feedback"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to each team chosen above that has no feedback of its own."),
    )
    invitation_valid_until = ConceptDecisionForm.base_fields["invitation_valid_until"]
    reason = forms.CharField(
        label=_("Note for the log, recorded with each of these decisions"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    default_error_messages = {
        **BulkDecisionForm.default_error_messages,
        "unknown": _(
            "Nothing was decided: the decisions name applications that are not on this page. Choose them again."
        ),
        "decision": _("Nothing was decided: choose “invite” or “do not invite”."),
        "feedback": _(
            "Nothing was decided: a team's feedback is too long (at most %(max)s characters)."
        ),
    }

    def clean(self):
        cleaned = super().clean()
        shared = (cleaned.get("shared_feedback") or "").strip()
        feedback = {}
        for pk in cleaned.get("decisions", {}):
            own = self.data.get(f"{FEEDBACK_PREFIX}{pk}", "")
            if len(own) > NOTE_MAX_CHARS:
                raise ValidationError(
                    self.default_error_messages["feedback"],
                    code="feedback",
                    params={"max": NOTE_MAX_CHARS},
                )
            feedback[pk] = own.strip() or shared
        cleaned["feedback"] = feedback
        return cleaned


class WaitlistForm(forms.Form):
    """The applications of the waiting list the page offered to approve."""

    applications = IntegerListField(max_count=DECISIONS_MAX, required=False)
