"""Documents of a grant's file: the fund's agreement conditions (versioned, every version
kept) and the PDF copies of the grant agreement (Zuwendungsvertrag) that a grantee was
asked to accept. The grantee accepts one exact file: its SHA-256 is stored with the grant."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.contracts import bank
from grants.contracts.models.agreements import Grant
from grants.models.funds import Fund

TERMS_MAX_CHARS = 50_000


class AgreementTerms(models.Model):
    """The conditions of the fund's grant agreements in German and English. Editing them
    makes a new version; earlier versions stay, because signed agreements refer to them."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="agreement_terms")
    version = models.PositiveIntegerField(_("version"))
    text_de = models.TextField(_("conditions (German)"), max_length=TERMS_MAX_CHARS)
    text_en = models.TextField(_("conditions (English)"), max_length=TERMS_MAX_CHARS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement conditions")
        verbose_name_plural = _("agreement conditions")
        ordering = ["fund", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "version"], name="terms_unique_version")
        ]

    def __str__(self):
        return f"{self.fund} v{self.version}"

    def text(self, language: str) -> str:
        return self.text_de if language.startswith("de") else self.text_en

    def paragraphs(self, language: str) -> list[str]:
        return [part.strip() for part in self.text(language).split("\n\n") if part.strip()]


class AgreementDocument(models.Model):
    """One PDF of a grant's agreement, made for the grantee to accept: this version of the
    agreement, these conditions, the account the grantee named (encrypted; the PDF shows it
    masked) and their publication consent. Kept whether it was accepted or not."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="agreement_documents")
    grant_version = models.PositiveIntegerField(_("agreement version"))
    terms = models.ForeignKey(
        AgreementTerms, on_delete=models.PROTECT, related_name="+", verbose_name=_("conditions")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    stored_name = models.CharField(max_length=120, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveIntegerField(_("pages"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban_encrypted = models.TextField(editable=False)
    bic_encrypted = models.TextField(editable=False)
    iban_masked = models.CharField(_("IBAN"), max_length=50, editable=False)
    publication_consent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.grant} v{self.grant_version} {self.language}"

    @property
    def file_name(self) -> str:
        return f"agreement-{self.grant.funding_reference}-v{self.grant_version}-{self.language}-{self.pk}.pdf"

    def store_bank_details(self, details: bank.BankDetails) -> None:
        self.account_holder = details.holder
        self.iban_encrypted = bank.encrypt(details.iban)
        self.bic_encrypted = bank.encrypt(details.bic)
        self.iban_masked = bank.mask_iban(details.iban)

    def decrypted_bank_details(self) -> bank.BankDetails:
        """Only for grants.contracts.services.agreements, at acceptance."""
        return bank.BankDetails(
            holder=self.account_holder,
            iban=bank.decrypt(self.iban_encrypted),
            bic=bank.decrypt(self.bic_encrypted),
        )
