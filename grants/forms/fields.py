"""Form fields shared by the forms of several pages."""

from django import forms
from django.core.exceptions import ValidationError

from grants.services.screening import LARGEST_ID


class AsciiIntegerField(forms.IntegerField):
    """A whole number in ASCII digits: Django's IntegerField, like int(), also reads "١٢"
    (Arabic-Indic digits) as 12, which no page of ours ever posts."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RecordIdField(AsciiIntegerField):
    """A primary key typed or posted by a person: a whole number from 1 to the largest the
    database holds (a larger one would be a database error, not "not found")."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=LARGEST_ID, **kwargs)
