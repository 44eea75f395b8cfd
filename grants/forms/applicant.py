from django import forms
from django.forms.boundfield import BoundField
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import AsciiIntegerField
from grants.forms.questions import add_answer_fields, cleaned_answers
from grants.models import Application, Topic
from grants.questions import values_of
from grants.services.applications import EDITABLE_FIELDS
from grants.states import (
    HOURS_PER_MILESTONE_MAX,
    MILESTONES_MAX,
    NOTE_MAX_CHARS,
    TEAM_SIZE_MAX,
    TRACK_MONTHS_MAX,
    UNLOCKABLE_SECTIONS,
    WORD_LIMITS,
)

HELP = {
    "title": _("A short, descriptive name of your project."),
    "summary": _("What will you build, for whom, and what will be different afterwards?"),
    "repository_url": _(
        "Optional: where the code is or will be published, for example https://codeberg.org/…"
    ),
}


class WordCountBoundField(BoundField):
    """A text section is described by its help, its errors (Django's own ids) and its live
    word count (grants/includes/field.html renders it with this id)."""

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.auto_id:
            return described
        return f"{described} {self.auto_id}-count".strip()


def configure_section_field(name: str, field: forms.Field) -> forms.Field:
    """How a field of the proposal looks and validates, in the draft form and in the answer
    to a question alike: optional while typing, limited in length, with help and live word
    counts. Completeness (required sections, word limits, a web address) is checked on
    submission and after an answer (grants.completeness)."""
    field.required = False
    if name in WORD_LIMITS:
        field.widget = forms.Textarea(attrs={"rows": 6, "data-word-limit": WORD_LIMITS[name]})
        field.bound_field_class = WordCountBoundField
    elif name == "repository_url":
        field.widget = forms.URLInput(attrs={"inputmode": "url", "maxlength": field.max_length})
    if name in HELP:
        field.help_text = HELP[name]
    return field


class ApplicationDraftForm(forms.ModelForm):
    """The proposal as typed: its core fields and the answers to the call's questions
    (``questions``, with the answers so far in ``values``: question id → value). Word
    limits are not enforced here (a draft may be long or incomplete); they are shown live
    and checked on submission. Lengths are: a text over its limit is not saved, and the
    form comes back with the input and a message."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, call, tracks=(), questions=(), values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"] = TrackField(tracks=tracks)
        self.questions = list(questions)
        add_answer_fields(self, self.questions, values or {})
        self.fields["topic"].queryset = Topic.objects.filter(fund_id=call.fund_id)
        self.fields["topic"].empty_label = _("– choose a topic –")
        for name, field in self.fields.items():
            configure_section_field(name, field)
        self.fields["licence"].choices = [
            ("", _("– choose a licence –")),
            *self.fields["licence"].choices[1:],
        ]
        self.fields["version"].initial = self.instance.version

    def _get_validation_exclusions(self):
        # The topic and track fields have read the chosen one from the call already; the
        # model's check that it exists would read it a second time.
        return {*super()._get_validation_exclusions(), "topic", "track"}

    def draft_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or (None if name in ("topic", "track") else "")
            for name in EDITABLE_FIELDS
        }

    def draft_answers(self) -> dict:
        return cleaned_answers(self, self.questions)

    def question_fields(self) -> list:
        return [self[q.field_name] for q in self.questions]

    def file_questions(self) -> list:
        return [q for q in self.questions if q.kind == "file"]


class TrackField(forms.TypedChoiceField):
    """One of the call's tracks (loaded once by the view), offered by name; the cleaned
    value is the track itself, or None."""

    def __init__(self, *, tracks, **kwargs):
        self.tracks = {str(track.pk): track for track in tracks}
        super().__init__(
            label=_("Track"),
            choices=[("", _("– choose a track –")), *((k, t.name) for k, t in self.tracks.items())],
            coerce=self.tracks.get,
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        return str(getattr(value, "pk", value) or "")


def chosen_track(tracks, value):
    """The track a POST chose (its id as typed), or None."""
    return next((track for track in tracks if str(track.pk) == str(value or "")), None)


MONTHS_MAX = TRACK_MONTHS_MAX


class MilestoneForm(forms.Form):
    """One planned milestone as typed. Only the storage bounds are checked here (lengths,
    a month of the longest track, a whole number of hours); whether it fits the chosen
    track is a rule, shown at preview and submission (grants.completeness)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    deliverable = forms.CharField(
        label=_("Deliverable"),
        max_length=500,
        required=False,
        help_text=_("What can be seen or used when it is done?"),
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Month of the funding period in which it is done."),
    )
    hours = forms.IntegerField(
        label=_("Hours"), min_value=0, max_value=HOURS_PER_MILESTONE_MAX, required=False
    )

    def __init__(self, *args, months=MONTHS_MAX, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        field.choices = [("", "–"), *((m, str(m)) for m in range(1, MONTHS_MAX + 1))]
        # Offered: the months of the chosen track, and a month typed for a longer track
        # (so that it is shown, marked, instead of silently dropped).
        current = self._current_month()
        offered = [("", "–"), *((m, str(m)) for m in range(1, months + 1))]
        if current and current > months:
            offered.append((current, _("%(month)s – beyond this track") % {"month": current}))
        field.widget.choices = offered

    def _current_month(self):
        value = self["month"].value()
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)


class TeamMemberForm(forms.Form):
    """A further team member as typed: a name, an address or both. Whether the address is
    valid and both are given is checked at preview and submission."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or self.cleaned_data.get("email"))


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=MILESTONES_MAX, max_num=MILESTONES_MAX, absolute_max=MILESTONES_MAX
)
TeamMemberFormSet = forms.formset_factory(
    TeamMemberForm,
    extra=TEAM_SIZE_MAX - 1,
    max_num=TEAM_SIZE_MAX - 1,
    absolute_max=TEAM_SIZE_MAX - 1,
)


def track_months(track, tracks=()) -> int:
    """Months a milestone may be planned in: the track's, or before one is chosen the
    longest of the call's ``tracks``."""
    if track is not None:
        return track.months
    return max((t.months for t in tracks), default=MONTHS_MAX)


def milestone_initial(application):
    return [
        {"title": m.title, "deliverable": m.deliverable, "month": m.month, "hours": m.hours}
        for m in application.planned_milestones.all()
    ]


def team_initial(application):
    return [{"name": m.name, "email": m.email} for m in application.team_members.all()]


def cleaned_milestones(formset) -> list[dict]:
    return [form.cleaned_data for form in formset if form.cleaned_data and not form.is_blank()]


def cleaned_team(formset) -> list[dict]:
    return [
        {"name": form.cleaned_data["name"], "email": form.cleaned_data["email"]}
        for form in formset
        if form.cleaned_data and not form.is_blank()
    ]


class WithdrawForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Helps us improve the programme; staff see it."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, I want to withdraw this application. This cannot be undone.")
    )


class AnswerForm(forms.Form):
    """The answer to staff's question, with the sections staff unlocked: the same fields and
    validation as in the draft form, so that an answer cannot store what a draft could not."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, application, information_request, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = application.version
        unlocked = information_request.editable_sections
        sections = [name for name in unlocked if name in UNLOCKABLE_SECTIONS]
        for name, field in fields_for_model(Application, fields=sections).items():
            field = configure_section_field(name, field)
            field.label = capfirst(field.label)
            field.initial = getattr(application, name)
            self.fields[f"section_{name}"] = field
        # The questions of the call it unlocked (files are not answered here).
        self.questions = [q for q in questions if q.key in unlocked and q.kind != "file"]
        add_answer_fields(self, self.questions, values_of(self.questions, application))

    def section_values(self) -> dict:
        return {
            name.removeprefix("section_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }

    def answer_values(self) -> dict:
        return cleaned_answers(self, self.questions)


class MilestoneHoursForm(forms.Form):
    """The hours of one planned milestone, when a question unlocked the budget only."""

    hours = forms.IntegerField(
        label=_("Hours"), min_value=0, max_value=HOURS_PER_MILESTONE_MAX, required=False
    )


class AnswerForms:
    """The answer with everything the question unlocked: text sections (AnswerForm), and the
    milestones, their hours alone, or the team, as rows like in the draft form."""

    def __init__(self, data, *, application, information_request, questions=()):
        unlocked = set(information_request.editable_sections)
        self.form = AnswerForm(
            data,
            application=application,
            information_request=information_request,
            questions=questions,
        )
        planned = list(application.planned_milestones.all())
        self.milestones = self.hours = self.team = None
        if "milestones" in unlocked:
            self.milestones = MilestoneFormSet(
                data,
                prefix="milestones",
                form_kwargs={"months": track_months(application.track)},
                initial=None if data is not None else milestone_initial(application),
            )
        elif "budget" in unlocked:
            hours_formset = forms.formset_factory(
                MilestoneHoursForm,
                extra=0,
                min_num=len(planned),
                max_num=len(planned),
                absolute_max=len(planned),
                validate_min=True,
                validate_max=True,
            )
            self.hours = hours_formset(
                data, prefix="hours", initial=[{"hours": m.hours} for m in planned]
            )
            for form, milestone in zip(self.hours, planned, strict=False):
                form.fields["hours"].label = _("Hours of milestone %(number)s: %(title)s") % {
                    "number": milestone.position,
                    "title": milestone.title,
                }
        if "team" in unlocked:
            self.team = TeamMemberFormSet(
                data,
                prefix="team",
                initial=None if data is not None else team_initial(application),
            )

    def parts(self):
        return [part for part in (self.milestones, self.hours, self.team) if part is not None]

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), *(part.is_valid() for part in self.parts())])

    def service_arguments(self) -> dict:
        arguments = {
            "answer": self.form.cleaned_data["answer"],
            "section_values": self.form.section_values(),
            "answers": self.form.answer_values(),
            "expected_version": self.form.cleaned_data["version"],
        }
        if self.milestones is not None:
            arguments["milestones"] = cleaned_milestones(self.milestones)
        if self.hours is not None:
            arguments["milestone_hours"] = [form.cleaned_data.get("hours") for form in self.hours]
        if self.team is not None:
            arguments["team_members"] = cleaned_team(self.team)
        return arguments

    def add_service_errors(self, error) -> dict:
        """A refusal's field errors: a section's or a question's on its field of the answer
        form (the rest on the whole form); those of the milestones, budget and team are returned by part, to be
        shown above their rows."""
        part_errors = {}
        for field, errors in error.field_errors.items():
            if field in ("milestones", "budget", "team"):
                part_errors.setdefault(field, []).extend(errors)
                continue
            target = field if field == "answer" else f"section_{field}"
            if target not in self.form.fields:
                target = f"q_{field}"  # an answer to one of the call's questions
            for message in errors:
                self.form.add_error(target if target in self.form.fields else None, message)
        return part_errors


class SubmitForm(forms.Form):
    """The submit button of the preview: the version of the draft the applicant read."""

    version = AsciiIntegerField(min_value=1, max_value=2**31 - 1)
