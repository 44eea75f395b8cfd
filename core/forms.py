"""Form fields with the bounds this system needs, so that every page parses input the same
way: dates within 2000–2099, amounts within ten million euros, web addresses only, ids that
fit the database (Unicode digits such as "²" pass ``str.isdigit()`` but are no id)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# The largest primary key the database holds (bigint); larger numbers are an error there,
# not "not found".
LARGEST_ID = 2**63 - 1

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
MAX_AMOUNT = Decimal("10000000.00")


class BoundedDateField(forms.DateField):
    """A date within the years this system can mean (2000–2099): anything else is a typo."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(
            validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)], **kwargs
        )


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0.01"),
            max_value=MAX_AMOUNT,
            **kwargs,
        )


def safe_url(value: str) -> str:
    """Only web addresses: ``javascript:`` and friends never reach a page as a link."""
    if value and not value.lower().startswith(("https://", "http://")):
        raise forms.ValidationError(_("Enter an address starting with https:// or http://."))
    return value


class WebURLField(forms.URLField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def clean(self, value):
        return safe_url(super().clean(value))


class BoundedTextField(forms.CharField):
    """Text with a hard length, refused on the server with a message while the text stays
    in the form. The browser is not told the limit (no ``maxlength``): it would cut a
    pasted text short without a word, and the person would lose the rest."""

    def __init__(self, *, max_length, multiline=True, **kwargs):
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(max_length=max_length, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class MinuteDateTimeField(forms.DateTimeField):
    """A datetime-local input has minutes; a stored time with seconds is no change."""

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            value = self.to_python(data)
        except ValidationError:
            return True

        def minute(moment):
            return moment.replace(second=0, microsecond=0) if moment else None

        return minute(initial) != minute(value)


class AsciiIntegerField(forms.IntegerField):
    """A whole number in ASCII digits: Django's IntegerField, like int(), also reads "١٢"
    (Arabic-Indic digits) as 12, which no page of ours ever posts."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AsciiDecimalField(forms.DecimalField):
    """A decimal number in ASCII digits (Python's Decimal also reads "١٢" and "²")."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RecordIdField(AsciiIntegerField):
    """A primary key typed or posted by a person: a whole number from 1 to LARGEST_ID (a
    larger one would be a database error, not "not found")."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=LARGEST_ID, **kwargs)


class IntegerListField(forms.Field):
    """Primary keys of selected rows: positive 64-bit integers, at most ``max_count``."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("Select applications from the list."),
        "too_many": _("Select at most %(max)s applications at once."),
    }

    def __init__(self, *, max_count, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if len(value) > self.max_count:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_count}
            )
        item_field = RecordIdField()
        try:
            return [item_field.clean(item) for item in value]
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
