from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField
from reporting.filters import ReportFilter
from reporting.models.targets import TARGET_MAX


class ReportFilterForm(forms.Form):
    """The selection of the dashboard, its exports and its reports (GET or POST)."""

    call = forms.ChoiceField(label=_("Call"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)

    def __init__(self, *args, calls, topics, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("All calls"))] + [
            (call.slug, call.title(language)) for call in calls
        ]
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (topic.slug, topic.name(language)) for topic in topics
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return cleaned

    def selection(self) -> ReportFilter:
        """The valid selection, or everything if the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return ReportFilter()
        data = self.cleaned_data
        return ReportFilter(
            call=data.get("call") or "",
            topic=data.get("topic") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class LanguageSelect(forms.Select):
    """Each language named in itself, and marked as such (lang) for screen readers."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


def language_choices():
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ReportRequestForm(ReportFilterForm):
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=language_choices, widget=LanguageSelect
    )
    appendix = forms.BooleanField(
        label=_("With one page per funded project (appendix)"), required=False, initial=True
    )


class SubscriptionForm(forms.Form):
    action = forms.ChoiceField(choices=[("subscribe", "subscribe"), ("unsubscribe", "unsubscribe")])
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=language_choices, required=False
    )


class TargetScopeForm(forms.Form):
    """Whose targets: the fund's (empty) or one call's (GET ?call=slug)."""

    call = forms.ChoiceField(label=_("Targets of"), required=False)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = {call.slug: call for call in calls}
        self.fields["call"].choices = [("", _("The whole fund"))] + [
            (call.slug, call.title) for call in calls
        ]

    def chosen_slug(self) -> str:
        return self.cleaned_data["call"] if self.is_bound and self.is_valid() else ""


class TargetsForm(forms.Form):
    """One optional field per indicator: whole numbers for counts, euros for money."""

    def __init__(self, *args, indicators, labels, euro_indicators, **kwargs):
        super().__init__(*args, **kwargs)
        for name in indicators:
            field_class = forms.DecimalField if name in euro_indicators else forms.IntegerField
            options = {"max_digits": 15, "decimal_places": 2} if name in euro_indicators else {}
            self.fields[name] = field_class(
                label=labels[name], required=False, min_value=0, max_value=TARGET_MAX, **options
            )

    def values(self) -> dict:
        return {
            name: None if value is None else Decimal(value)
            for name, value in self.cleaned_data.items()
        }
