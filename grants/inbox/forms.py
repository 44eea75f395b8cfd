"""Forms of the inbox: the staff filters (GET) and taking over or releasing a line (POST)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LARGEST_ID
from grants.inbox.registry import Filters
from grants.models import Call
from grants.states import CallState

# The objects staff may take over, by the model name a line's form posts.
CLAIMABLE_MODELS = ("application", "milestone", "changerequest", "grant")


class InboxFilterForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.exclude(state=CallState.DRAFT).order_by("-year", "-round_number"),
        to_field_name="slug",
        required=False,
        empty_label=_("All calls"),
    )
    mine = forms.BooleanField(label=_("Only what I took over"), required=False)

    def filters(self) -> Filters:
        """The valid filters; an invalid value is ignored, field by field."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        call = data.get("call")
        return Filters(call_id=call.pk if call else None, mine=bool(data.get("mine")))

    def query(self) -> str:
        """The filters as a query string, rebuilt from valid values only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        parts = []
        if data.get("call"):
            parts.append(f"call={data['call'].slug}")
        if data.get("mine"):
            parts.append("mine=on")
        return "&".join(parts)


class ClaimForm(forms.Form):
    subject = forms.ChoiceField(choices=[(name, name) for name in CLAIMABLE_MODELS])
    pk = forms.IntegerField(min_value=1, max_value=LARGEST_ID)
    action = forms.ChoiceField(choices=[("take_over", "take_over"), ("release", "release")])
    # Back to the same filtered inbox: the filter values, checked again there.
    call = forms.SlugField(required=False, max_length=100)
    mine = forms.BooleanField(required=False)
