"""The kinds of personal data the fund holds and the legal bases it holds them on, named
once (GDPR Art. 30: categories of data and the lawfulness of each processing)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKind(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    PROPOSAL = "proposal", _("Proposal content")
    REVIEW = "review", _("Reviews")
    BANK = "bank", _("Bank details")
    TECHNICAL = "technical", _("Technical data")


KIND_DESCRIPTIONS = {
    DataKind.IDENTITY: _(
        "Who you are: your name, your account and which applications, grants and reviews are yours."
    ),
    DataKind.CONTACT: _("How we reach you and your team: e-mail addresses."),
    DataKind.PROPOSAL: _(
        "What you wrote and uploaded: proposals, attachments, answers to questions, "
        "milestone and final reports, change requests."
    ),
    DataKind.REVIEW: _(
        "What jurors and staff wrote about proposals: scores, comments, conflicts of "
        "interest, notes on the funding line."
    ),
    DataKind.BANK: _("The account grants are paid to: account holder, IBAN and BIC (encrypted)."),
    DataKind.TECHNICAL: _(
        "What running the service needs: sign-in sessions, second factors, the e-mail queue, "
        "request logs and the audit log of who did what."
    ),
}


class LegalBasis(models.TextChoices):
    """GDPR Art. 6(1)."""

    CONSENT = "consent", _("Consent, Art. 6(1)(a) GDPR")
    CONTRACT = (
        "contract",
        _("Steps at your request before a grant, and the grant agreement, Art. 6(1)(b) GDPR"),
    )
    LEGAL_OBLIGATION = (
        "legal_obligation",
        _("Legal obligations (budget law and audits of public funding), Art. 6(1)(c) GDPR"),
    )
    PUBLIC_TASK = (
        "public_task",
        _("A task in the public interest: a publicly funded programme, Art. 6(1)(e) GDPR"),
    )
    LEGITIMATE_INTEREST = (
        "legitimate_interest",
        _("Legitimate interests: a secure and working service, Art. 6(1)(f) GDPR"),
    )
