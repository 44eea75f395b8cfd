"""The form with which staff set a track of a call (grants.services.tracks writes it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AsciiDecimalField, AsciiIntegerField
from grants.models import CallTrack
from grants.models.calls import MONEY
from grants.models.tracks import HOURLY_RATE_MAX
from grants.services.tracks import FROZEN_FIELDS, TRACK_FIELDS
from grants.states import NOTE_MAX_CHARS, TRACK_MONTHS_MAX, TRACK_NAME_MAX_CHARS, TrackKind

AMOUNT = {"max_digits": MONEY["max_digits"], "decimal_places": MONEY["decimal_places"]}


def reason_field(help_text) -> forms.CharField:
    """The reason for changing a call's tracks, which the call needs once it has
    submissions (grants.services.tracks checks and logs it)."""
    return forms.CharField(
        label=_("Reason for changing the tracks"),
        max_length=NOTE_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class TrackForm(forms.Form):
    """A track as staff write it; the model checks it again (grants.models.CallTrack)."""

    name_de = forms.CharField(label=_("Name (German)"), max_length=TRACK_NAME_MAX_CHARS)
    name_en = forms.CharField(label=_("Name (English)"), max_length=TRACK_NAME_MAX_CHARS)
    key = forms.SlugField(
        label=_("Key"), max_length=50, help_text=CallTrack._meta.get_field("key").help_text
    )
    kind = forms.ChoiceField(label=_("Who applies"), choices=TrackKind.choices)
    months = AsciiIntegerField(
        label=_("Months of the funding period"), min_value=1, max_value=TRACK_MONTHS_MAX
    )
    cap = AsciiDecimalField(label=_("Maximum funding (€)"), min_value=1, **AMOUNT)
    hourly_rate = AsciiDecimalField(
        label=_("Hourly rate (€)"),
        required=False,
        min_value=1,
        max_value=HOURLY_RATE_MAX,
        help_text=_("Leave empty for the call's hourly rate."),
        **AMOUNT,
    )

    def __init__(self, *args, track=None, frozen=False, is_admin=False, **kw):
        """A frozen form (the call has submissions) is read-only unless the user is an
        admin, who gives a reason and still cannot change the key, kind or months."""
        if track is not None:
            kw.setdefault("initial", {name: getattr(track, name) for name in TRACK_FIELDS})
        else:
            kw.setdefault("initial", {"kind": TrackKind.INDIVIDUAL})
        super().__init__(*args, **kw)
        if frozen and is_admin:
            if track is not None:
                for name in FROZEN_FIELDS:
                    self.fields[name].disabled = True
            self.fields["reason"] = reason_field(
                _(
                    "Applications have been submitted already. Say why you change the "
                    "track; the reason is kept in the call's log."
                )
            )
        elif frozen:
            for field in self.fields.values():
                field.disabled = True

    def changes(self) -> dict:
        """Values for grants.services.tracks.save_track (what may change)."""
        return {
            name: self.cleaned_data[name] for name in TRACK_FIELDS if not self.fields[name].disabled
        }
