"""Forms of funded projects. They validate and shape input; every write goes through the
grants services (agreements, milestones, finance, changes, closing)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField, BoundedDateField, WebURLField, safe_url
from grants.consents import PUBLICATION
from grants.contracts.models.documents import TERMS_MAX_CHARS
from grants.contracts.models.reports import INDICATOR_FIELDS
from grants.states import (
    MILESTONES_MAX,
    ApplicationState,
    ChangeRequestKind,
    CollaborationKind,
    DataLicence,
    GovernmentLevel,
    Licence,
    LinkKind,
)

# Staff: agreement ------------------------------------------------------------------------


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    starts_on = BoundedDateField(label=_("Start of the funding period"))


class AgreementMilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    deliverable = forms.CharField(label=_("Deliverable"), max_length=500)
    due_on = BoundedDateField(label=_("Due on"))
    amount = AmountField(label=_("Amount (€)"))


AgreementMilestoneFormSet = forms.formset_factory(
    AgreementMilestoneForm,
    extra=0,
    min_num=1,
    max_num=MILESTONES_MAX,
    absolute_max=MILESTONES_MAX,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


# Grantee: agreement ----------------------------------------------------------------------


class AcceptAgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    account_holder = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        help_text=_("Optional for German accounts: it is derived from the IBAN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    publication_consent = forms.BooleanField(
        label=PUBLICATION.text, required=False, help_text=PUBLICATION.details
    )
    confirm = forms.BooleanField(
        label=_("I have read the terms above and accept the grant agreement.")
    )


class SigningCopyForm(AcceptAgreementForm):
    """Step one of accepting: the account and consent that the agreement's PDF will name."""

    language = forms.ChoiceField(label=_("Language of the agreement"), choices=settings.LANGUAGES)
    confirm = None  # the grantee confirms the PDF itself (AcceptDocumentForm)


class AcceptDocumentForm(forms.Form):
    """Step two: the grantee accepts the exact file they were shown."""

    document = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have read the grant agreement in this PDF and accept it.")
    )


class AgreementTermsForm(forms.Form):
    text_de = forms.CharField(
        label=_("Conditions (German)"),
        max_length=TERMS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("One condition per paragraph: separate them by an empty line."),
    )
    text_en = forms.CharField(
        label=_("Conditions (English)"),
        max_length=TERMS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("One condition per paragraph: separate them by an empty line."),
    )


class BankDetailsForm(forms.Form):
    account_holder = AcceptAgreementForm.base_fields["account_holder"]
    iban = AcceptAgreementForm.base_fields["iban"]
    bic = AcceptAgreementForm.base_fields["bic"]


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_decline = forms.BooleanField(
        label=_("Yes, I decline the award. This cannot be undone.")
    )


# Grantee: milestone report ---------------------------------------------------------------


class MilestoneReportForm(forms.Form):
    draft_token = forms.CharField(widget=forms.HiddenInput, required=False)
    delivered = forms.CharField(
        label=_("What was delivered"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What can be seen or used now? Name the features, documents or data."),
    )
    problems = forms.CharField(
        label=_("Problems and changes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What did not go as planned, and what did you change?"),
    )
    releases = forms.IntegerField(
        label=_("Releases published"), min_value=0, max_value=100_000_000, initial=0
    )
    security_audits = forms.IntegerField(
        label=_("Security audits done"), min_value=0, max_value=100_000_000, initial=0
    )
    vulnerabilities_fixed = forms.IntegerField(
        label=_("Vulnerabilities fixed"), min_value=0, max_value=100_000_000, initial=0
    )
    users_reached = forms.IntegerField(
        label=_("Users reached"), min_value=0, max_value=100_000_000, initial=0
    )
    organisations_reached = forms.IntegerField(
        label=_("Organisations reached"), min_value=0, max_value=100_000_000, initial=0
    )
    contributors = forms.IntegerField(
        label=_("Contributors"),
        min_value=0,
        max_value=100_000_000,
        initial=0,
        help_text=_("People who contributed code, data or documentation, your team included."),
    )

    def report_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or (0 if name in INDICATOR_FIELDS else "")
            for name in ("delivered", "problems", *INDICATOR_FIELDS)
        }


LICENCE_CHOICES = [
    ("", _("– no licence / not applicable –")),
    (_("Software licences"), Licence.choices),
    (_("Data licences"), DataLicence.choices),
]


class ReportLinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "–"), *LinkKind.choices], required=False
    )
    url = WebURLField(label=_("Address"), required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=LICENCE_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("kind")) != bool(data.get("url")) and not self.errors:
            raise forms.ValidationError(_("Give both the kind and the address, or neither."))
        return data


class CollaborationForm(forms.Form):
    body = forms.CharField(label=_("Public body"), max_length=200, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "–"), *GovernmentLevel.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Collaboration"), choices=[("", "–"), *CollaborationKind.choices], required=False
    )
    description = forms.CharField(label=_("What they do with it"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        given = [bool(data.get(name)) for name in ("body", "level", "kind")]
        if any(given) and not all(given) and not self.errors:
            raise forms.ValidationError(
                _("Give the public body, its level and the kind of collaboration.")
            )
        return data


ReportLinkFormSet = forms.formset_factory(ReportLinkForm, extra=2, max_num=20, absolute_max=20)
CollaborationFormSet = forms.formset_factory(
    CollaborationForm, extra=1, max_num=20, absolute_max=20
)


def filled(formset, key) -> list[dict]:
    return [form.cleaned_data for form in formset if form.cleaned_data.get(key)]


class ReviewForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("changes", _("Request changes"))],
    )
    comment = forms.CharField(
        label=_("Comment to the grantee"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes."),
    )


class MilestoneReviewForm(ReviewForm):
    early_reason = forms.CharField(
        label=_("Reason for paying before the funding period starts"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you accept before the funding period starts."),
    )


# Change requests -------------------------------------------------------------------------


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What should change?"), choices=ChangeRequestKind.choices, widget=forms.RadioSelect
    )
    milestone = forms.TypedChoiceField(
        label=_("Milestone"), required=False, coerce=int, empty_value=None
    )
    new_date = BoundedDateField(label=_("New date"), required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = {m.pk: m for m in milestones}
        self.fields["milestone"].choices = [("", "–")] + [(m.pk, str(m)) for m in milestones]
        for milestone in milestones:
            self.fields[f"amount_{milestone.pk}"] = AmountField(
                label=_("New amount of %(milestone)s (€)") % {"milestone": milestone},
                required=False,
                initial=milestone.amount,
            )

    def new_amounts(self) -> dict:
        return {
            str(pk): str(self.cleaned_data[f"amount_{pk}"])
            for pk in self.milestones
            if self.cleaned_data.get(f"amount_{pk}") is not None
        }


class DecisionForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(
        label=_("Comment to the grantee"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse."),
    )


# Final report ----------------------------------------------------------------------------


class FinalReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contribution = forms.CharField(
        label=_("Contribution to open data, civic tech or data security"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    next_steps = forms.CharField(
        label=_("What happens next"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Further development, users, maintenance, follow-up funding."),
    )
    follow_up_funding = forms.DecimalField(
        label=_("Follow-up funding (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=Decimal("999999999.99"),
    )
    follow_up_funder = forms.CharField(
        label=_("Follow-up funding from"), required=False, max_length=200
    )
    public_links = forms.CharField(
        label=_("Public links"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line: website, repository, documentation, data."),
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        for milestone in self.milestones:
            self.fields[f"achieved_{milestone.pk}"] = forms.ChoiceField(
                label=_("Achieved?"),
                choices=[("", "–"), ("yes", _("Achieved")), ("no", _("Not achieved"))],
                required=False,
            )
            self.fields[f"explanation_{milestone.pk}"] = forms.CharField(
                label=_("Why, or what instead?"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_public_links(self):
        lines = [
            line.strip() for line in self.cleaned_data["public_links"].splitlines() if line.strip()
        ]
        for line in lines:
            safe_url(line)
        return lines

    def milestone_rows(self):
        return [(m, self[f"achieved_{m.pk}"], self[f"explanation_{m.pk}"]) for m in self.milestones]

    def milestone_results(self) -> list[dict]:
        return [
            {
                "milestone": m.pk,
                "achieved": self.cleaned_data[f"achieved_{m.pk}"] == "yes",
                "explanation": self.cleaned_data[f"explanation_{m.pk}"],
            }
            for m in self.milestones
            if self.cleaned_data.get(f"achieved_{m.pk}")
        ]


class TerminateForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the termination"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The grantee reads it. Milestones without an accepted report are cancelled."),
    )
    confirm = forms.BooleanField(label=_("Yes, terminate this grant. This cannot be undone."))


# Portfolio and finance -------------------------------------------------------------------

GRANT_STATES = [
    ("", _("All states")),
    (ApplicationState.APPROVED, ApplicationState.APPROVED.label),
    (ApplicationState.FUNDED, ApplicationState.FUNDED.label),
    (ApplicationState.FINAL_REPORT_DUE, ApplicationState.FINAL_REPORT_DUE.label),
    (ApplicationState.COMPLETED, ApplicationState.COMPLETED.label),
    (ApplicationState.TERMINATED, ApplicationState.TERMINATED.label),
    (ApplicationState.WITHDRAWN, _("Declined")),
]


class PortfolioFilterForm(forms.Form):
    call = forms.ChoiceField(label=_("Call"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=GRANT_STATES)

    def __init__(self, *args, calls, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("All calls"))] + [(c.slug, c.title) for c in calls]
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.name) for t in topics]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"call": "", "topic": "", "state": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("call", "topic", "state")}


class SepaExportForm(forms.Form):
    """Payments for a transfer file and its execution date; ``payment_ids`` are those the
    page offered (a forged id is refused here, the service checks the rest)."""

    payments = forms.TypedMultipleChoiceField(coerce=int, label=_("Payments"))
    execution_date = BoundedDateField(label=_("Execution date"))

    def __init__(self, *args, payment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payments"].choices = [(pk, pk) for pk in payment_ids]


class BatchPaidForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    paid_on = BoundedDateField(label=_("Payment date (bank statement)"))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)


class BatchCancelForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the bank rejected the file, or it was never uploaded. Its payments can "
            "then go into a new file. Cancel only a file the bank will not execute."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Yes, the bank has not executed this file and will not execute it.")
    )


class DrawdownForm(forms.Form):
    period_start = BoundedDateField(label=_("Period from"))
    period_end = BoundedDateField(label=_("Period to"))
    language = forms.ChoiceField(label=_("Language of the files"), choices=settings.LANGUAGES)


class ConfirmBankDetailsForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("How the account was confirmed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Call the grantee on a telephone number the fund already had before this change, "
            "never one given with it, and let them read the IBAN back to you. Note whom you "
            "called, the number's source and when."
        ),
    )
