"""Forms of the proof of use's numerical statement (Verwendungsnachweis): people with their
actual hours and costs, receipts of other costs, the own contribution and the reasons for
differences from the plan; and the staff's line check. Types and bounds are checked here;
the service (grants.contracts.services.proof) checks them again and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField
from grants.contracts.models.proof import AMOUNT_MAX, HOURS_MAX, LINES_MAX
from grants.states import BudgetCategory

TEXT_MAX = 10_000


def money_field(label, **kwargs):
    """An amount of at least 0 (a person's costs may be nothing), at most AMOUNT_MAX."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=AMOUNT_MAX,
        max_digits=12,
        decimal_places=2,
        **kwargs,
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("Actual hours"),
        required=False,
        min_value=0,
        max_value=HOURS_MAX,
        max_digits=8,
        decimal_places=2,
    )
    amount = money_field(_("Actual costs (€)"))


class ReceiptForm(forms.Form):
    paid_on = BoundedDateField(label=_("Date"), required=False)
    payee = forms.CharField(label=_("Payee"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, required=False)
    amount = money_field(_("Amount (€)"))


PersonFormSet = forms.formset_factory(
    PersonForm, extra=1, max_num=LINES_MAX, validate_max=True, absolute_max=LINES_MAX
)
ReceiptFormSet = forms.formset_factory(
    ReceiptForm, extra=2, max_num=LINES_MAX, validate_max=True, absolute_max=LINES_MAX
)


class StatementForm(forms.Form):
    own_contribution = money_field(
        _("Own contribution (€)"),
        help_text=_("What you paid yourself towards the project's costs."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in BudgetCategory:
            self.fields[f"reason_{category.value}"] = forms.CharField(
                label=_("Reason for the difference: %(category)s") % {"category": category.label},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reason_fields(self):
        return [self[f"reason_{category.value}"] for category in BudgetCategory]


def statement_input(form: StatementForm, persons, receipts) -> dict:
    """The statement as the service takes it; rows left empty are skipped."""

    def filled(formset, names):
        return [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and any(f.cleaned_data.get(name) not in (None, "") for name in names)
        ]

    return {
        "persons": filled(persons, ("name", "hours", "amount")),
        "receipts": filled(receipts, ("paid_on", "payee", "purpose", "amount")),
        "own_contribution": form.cleaned_data.get("own_contribution"),
        "reasons": {
            category: form.cleaned_data.get(f"reason_{category}") or ""
            for category in BudgetCategory.values
        },
    }


def statement_initial(proof) -> tuple[dict, list, list]:
    if proof is None:
        return {}, [], []
    initial = {"own_contribution": proof.own_contribution}
    initial |= {f"reason_{key}": value for key, value in proof.variance_reasons.items()}
    persons, receipts = [], []
    for line in proof.lines.all():
        if line.kind == "person":
            persons.append(
                {"name": line.name, "role": line.role, "hours": line.hours, "amount": line.amount}
            )
        else:
            receipts.append(
                {
                    "paid_on": line.paid_on,
                    "payee": line.payee,
                    "purpose": line.purpose,
                    "amount": line.amount,
                }
            )
    return initial, persons, receipts


class LineCheckForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=20)
    decision = forms.ChoiceField(
        label=_("Check"),
        choices=[("accept", _("Accept the line")), ("query", _("Query the line"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Question to the grantee"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LineAnswerForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput, max_length=20)
    answer = forms.CharField(
        label=_("Your answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
