from django import forms
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from grants.models import Application, Topic
from grants.services.applications import EDITABLE_FIELDS
from grants.states import MILESTONES_MAX, NOTE_MAX_CHARS, TEAM_SIZE_MAX, WORD_LIMITS

HELP = {
    "title": _("A short, descriptive name of your project."),
    "summary": _("What will you build, for whom, and what will be different afterwards?"),
    "societal_challenge": _(
        "Which problem of society does the project address, and why does it matter?"
    ),
    "technical_approach": _(
        "How will you build it? Name technologies, architecture and open standards."
    ),
    "prior_work": _("What exists already: your own code, research or earlier versions."),
    "similar_approaches": _("Which similar projects exist, and how does yours differ?"),
    "target_group": _("Who will use the result, and how will you reach them?"),
    "team_experience": _("Why are you the right people to do this?"),
    "repository_url": _(
        "Optional: where the code is or will be published, for example https://codeberg.org/…"
    ),
}


def configure_section_field(name: str, field: forms.Field) -> forms.Field:
    """How a field of the proposal looks and validates, in the draft form and in the answer
    to a question alike: optional while typing, limited in length, with help and live word
    counts. Completeness (required sections, word limits, a web address) is checked on
    submission and after an answer (grants.services.completeness)."""
    field.required = False
    if name in WORD_LIMITS:
        field.widget = forms.Textarea(attrs={"rows": 6, "data-word-limit": WORD_LIMITS[name]})
        field.widget.attrs["aria-describedby"] = f"id_{name}_helptext id_{name}-count"
    elif name == "repository_url":
        field.widget = forms.URLInput(attrs={"inputmode": "url", "maxlength": field.max_length})
    if name in HELP:
        field.help_text = HELP[name]
    return field


class ApplicationDraftForm(forms.ModelForm):
    """The proposal as typed. Word limits are not enforced here (a draft may be long or
    incomplete); they are shown live and checked on submission. Lengths are: a text over
    its limit is not saved, and the form comes back with the input and a message."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(fund_id=call.fund_id)
        self.fields["topic"].empty_label = _("– choose a topic –")
        for name, field in self.fields.items():
            configure_section_field(name, field)
        self.fields["track"].choices = [
            ("", _("– choose a track –")),
            *self.fields["track"].choices[1:],
        ]
        self.fields["licence"].choices = [
            ("", _("– choose a licence –")),
            *self.fields["licence"].choices[1:],
        ]
        self.fields["version"].initial = self.instance.version

    def _get_validation_exclusions(self):
        # The topic field has read the chosen topic from the call's fund already; the
        # model's check that the topic exists would read it a second time.
        return {*super()._get_validation_exclusions(), "topic"}

    def draft_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ("" if name != "topic" else None)
            for name in EDITABLE_FIELDS
        }


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    deliverable = forms.CharField(
        label=_("Deliverable"),
        max_length=500,
        required=False,
        help_text=_("What can be seen or used when it is done?"),
    )
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=10,
        required=False,
        help_text=_("Month of the funding period in which it is done."),
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=5000, required=False)

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("name")) != bool(data.get("email")) and not self.errors:
            raise forms.ValidationError(_("Give both the name and the e-mail address, or neither."))
        return data


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=MILESTONES_MAX, max_num=MILESTONES_MAX, absolute_max=MILESTONES_MAX
)
TeamMemberFormSet = forms.formset_factory(
    TeamMemberForm,
    extra=TEAM_SIZE_MAX - 1,
    max_num=TEAM_SIZE_MAX - 1,
    absolute_max=TEAM_SIZE_MAX - 1,
)


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
        if form.cleaned_data.get("email")
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

    def __init__(self, *args, application, information_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = application.version
        sections = [
            name for name in information_request.editable_sections if name in EDITABLE_FIELDS
        ]
        for name, field in fields_for_model(Application, fields=sections).items():
            field = configure_section_field(name, field)
            field.label = capfirst(field.label)
            field.initial = getattr(application, name)
            self.fields[f"section_{name}"] = field

    def section_values(self) -> dict:
        return {
            name.removeprefix("section_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }
