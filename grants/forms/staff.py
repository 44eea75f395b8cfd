"""Forms of the programme-staff pages. They only validate and shape input; every write goes
through grants.services."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import IntegerListField, MinuteDateTimeField
from grants.models import Application, Call
from grants.models.calls import CALL_DATES_FROM, CALL_DATES_UNTIL, validate_call_date
from grants.services.calls import CALL_TRANSITIONS
from grants.services.screening import (
    ANSWER_DUE_WITHIN_DAYS,
    BULK_MAX_APPLICATIONS,
    BULK_TRANSITIONS,
    due_date_error,
)
from grants.states import (
    NOTE_MAX_CHARS,
    UNLOCKABLE_SECTIONS,
    ApplicationState,
    ApplicationStateGroup,
    CallStage,
    IneligibilityReason,
    QuestionKind,
)
from workflow.actions import transition_custom

# ---------------------------------------------------------------------------------------
# Calls


def fund_time_zone() -> ZoneInfo:
    """Deadlines are stated and enforced in the fund's time zone (Europe/Berlin)."""
    return ZoneInfo(settings.TIME_ZONE)


def closes_at_for(closing_day: dt.date) -> dt.datetime:
    """The last day of submissions → the instant the call closes: the next midnight in Berlin.
    A submission at 23:59:59 on the closing day is accepted, one at 00:00:00 is not."""
    return dt.datetime.combine(closing_day + dt.timedelta(days=1), dt.time.min).replace(
        tzinfo=fund_time_zone()
    )


CALL_TEXT_FIELDS = (
    "slug",
    "year",
    "round_number",
    "title_de",
    "title_en",
    "description_de",
    "description_en",
)
# The rules of a call as the form shows them; closing_day stands for Call.closes_at.
CALL_RULE_FIELDS = tuple(
    "closing_day" if name == "closes_at" else name for name in Call.RULE_FIELDS
)
# Settings for the funded projects of the call, changeable at any time.
CALL_GRANT_FIELDS = ("grantees_need_second_factor",)
# Whom applicants ask, shown on the call's public page; changeable at any time.
CALL_CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
_FORM_FIELDS = (*CALL_TEXT_FIELDS, *CALL_CONTACT_FIELDS, *CALL_RULE_FIELDS, *CALL_GRANT_FIELDS)
_MODEL_FIELDS = tuple(name for name in _FORM_FIELDS if name != "closing_day")
CALL_HELP = {
    "slug": _("Used in web addresses, for example 2026-round-1. Letters, digits and hyphens."),
    "opens_at": _("Date and time in Berlin time from which applications can be submitted."),
    "closing_day": _(
        "The last day on which applications are accepted: until 23:59:59 Berlin time. "
        "At midnight the call closes."
    ),
    "budget": _("Total funding available in this call."),
    "contact_email": _("Shown on the call's page, with the person and telephone if given."),
}


class CallForm(forms.Form):
    """A call's settings. Not a ModelForm, so that the instance stays untouched until
    grants.services.calls.save_call applies the changes (and logs what the rules were)."""

    # The service's closing time is entered here as a day (core.views.add_service_errors).
    service_error_fields = {"closes_at": "closing_day"}

    def __init__(self, *args, call: Call | None = None, rules_locked=False, is_admin=False, **kw):
        self.call = call
        self.rules_locked = rules_locked
        if call is not None and call.pk is not None:
            initial = model_to_dict(call, fields=_MODEL_FIELDS)
            initial["closing_day"] = call.closing_day
            kw.setdefault("initial", initial)
        else:
            kw.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kw)
        model_fields = fields_for_model(Call, fields=_MODEL_FIELDS)
        opens_at = model_fields["opens_at"]
        model_fields["opens_at"] = MinuteDateTimeField(
            label=opens_at.label,
            required=False,
            validators=[validate_call_date],
            widget=forms.DateTimeInput(
                attrs={
                    "type": "datetime-local",
                    "min": f"{CALL_DATES_FROM.isoformat()}T00:00",
                    "max": f"{CALL_DATES_UNTIL.isoformat()}T23:59",
                },
                format="%Y-%m-%dT%H:%M",
            ),
        )
        model_fields["closing_day"] = forms.DateField(
            label=_("Closing day"),
            required=False,
            validators=[validate_call_date],
            widget=forms.DateInput(
                attrs={
                    "type": "date",
                    "min": CALL_DATES_FROM.isoformat(),
                    "max": CALL_DATES_UNTIL.isoformat(),
                },
                format="%Y-%m-%d",
            ),
        )
        # A concept call links to a full-proposal call not linked from another concept.
        own = call.pk if call is not None else None
        model_fields["next_stage"].queryset = (
            Call.objects.filter(stage=CallStage.FULL)
            .filter(Q(previous_stage__isnull=True) | Q(previous_stage=own))
            .exclude(pk=own)
            .order_by("-year", "-round_number")
        )
        model_fields["stage"].required = False  # one stage unless chosen
        for name in ("title_de", "title_en"):
            model_fields[name].required = True
        for name in ("description_de", "description_en"):
            model_fields[name].widget = forms.Textarea(attrs={"rows": 5})
        ordered = {name: model_fields[name] for name in _FORM_FIELDS}
        for name, field in ordered.items():
            if name in CALL_HELP:
                field.help_text = CALL_HELP[name]
            if name in CALL_RULE_FIELDS and rules_locked and not is_admin:
                field.disabled = True
        if rules_locked and is_admin:
            ordered["reason"] = forms.CharField(
                label=_("Reason for changing the rules"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Applications have been submitted already. If you change dates, budget, caps "
                    "or rates, say why; the reason is kept in the call's log."
                ),
            )
        self.fields = ordered

    def text_fields(self):
        return [self[name] for name in CALL_TEXT_FIELDS]

    def contact_fields(self):
        return [self[name] for name in CALL_CONTACT_FIELDS]

    def rule_fields(self):
        return [self[name] for name in CALL_RULE_FIELDS]

    def grant_fields(self):
        return [self[name] for name in CALL_GRANT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if "stage" in cleaned and not cleaned["stage"]:
            cleaned["stage"] = CallStage.SINGLE
        opens_at, closing_day = cleaned.get("opens_at"), cleaned.get("closing_day")
        if opens_at and closing_day and opens_at >= closes_at_for(closing_day):
            self.add_error("closing_day", _("The closing day must be after the opening time."))
        return cleaned

    def changes(self) -> dict:
        """Field values for save_call: everything for a new call, only what changed otherwise
        (so that the seconds of a stored time are not mistaken for a change of the rules)."""
        names = self.fields if self.call is None or self.call.pk is None else self.changed_data
        changes = {}
        for name in names:
            if name == "reason" or self.fields[name].disabled:
                continue
            value = self.cleaned_data[name]
            if name == "closing_day":
                changes["closes_at"] = closes_at_for(value) if value else None
            else:
                changes[name] = value
        return changes


class CallTransitionForm(forms.Form):
    transition = forms.ChoiceField(choices=[(name, name) for name in CALL_TRANSITIONS])
    expected_state = forms.CharField(max_length=32)


# ---------------------------------------------------------------------------------------
# Application list


SORT_CHOICES = (
    ("reference", _("Reference")),
    ("-reference", _("Reference, descending")),
    ("title", _("Title")),
    ("-title", _("Title, descending")),
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("amount", _("Requested amount, lowest first")),
    ("-amount", _("Requested amount, highest first")),
    ("state", _("State")),
    ("-state", _("State, descending")),
)


class ApplicationFilterForm(forms.Form):
    """Filters of the staff list (GET). Invalid values are ignored, field by field."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Title, reference, applicant name or e-mail"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    track = forms.ChoiceField(label=_("Track"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, initial="reference"
    )

    def __init__(self, *args, topics=(), tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states"))] + [
            (value, ApplicationState(value).label)
            for value in ApplicationStateGroup.SUBMITTED_ONWARDS
        ]
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (topic.slug, topic.name) for topic in topics
        ]
        # Read only when shown or a track is filtered by (a page that only reads the
        # filters, e.g. the detail's place in the list, asks nothing more).
        self.fields["track"].choices = lambda: (
            [("", _("All tracks"))] + [(track.key, track.name) for track in tracks]
        )

    def filters(self) -> dict:
        """Keyword arguments for queries.staff_application_list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state") or "",
            "topic": data.get("topic") or "",
            "track": data.get("track") or "",
            "search": (data.get("q") or "").strip(),
            "sort": data.get("sort") or "reference",
        }


class BulkTransitionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action for the selected applications"))
    applications = IntegerListField(max_count=BULK_MAX_APPLICATIONS, required=False)
    # The list's query string, so that the user returns to the same filtered page.
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (name, transition_custom(Application, name)["verb"]) for name in BULK_TRANSITIONS
        ]


# ---------------------------------------------------------------------------------------
# Application detail


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("eligible", _("Eligible")), ("ineligible", _("Ineligible"))),
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons (if ineligible)"),
        choices=IneligibilityReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the result. Required when you choose “Other reason”."),
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=32)


def editable_section_choices(questions=()):
    """What a question may unlock: the core text sections, the answers to the call's
    questions (by key; not files), and the milestones, their hours (the budget) and the
    team."""
    return [
        *(
            (name, capfirst(Application._meta.get_field(name).verbose_name))
            for name in UNLOCKABLE_SECTIONS
        ),
        *((q.key, q.label) for q in questions if q.kind != QuestionKind.FILE),
        ("milestones", _("Milestones (all of their details)")),
        ("budget", _("Budget (the hours of each milestone)")),
        ("team", _("Team members")),
    ]


class InformationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the applicant"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    due_on = forms.DateField(
        label=_("Answer due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    editable_sections = forms.MultipleChoiceField(
        label=_("Sections the applicant may change with the answer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editable_sections"].choices = editable_section_choices(questions)
        today = timezone.localdate()
        self.fields["due_on"].widget.attrs["min"] = today.isoformat()
        self.fields["due_on"].widget.attrs["max"] = (
            today + dt.timedelta(days=ANSWER_DUE_WITHIN_DAYS)
        ).isoformat()

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if error := due_date_error(due_on):
            raise ValidationError(error)
        return due_on


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Internal comment"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only programme staff can read this; the applicant never sees it."),
    )
