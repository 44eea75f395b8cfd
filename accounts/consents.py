"""The wordings people consent to, each with its version, declared once by the app that asks
(grants: publication of a grantee's name). The form shows the wording from here, and the
consent is stored with its version and the text as shown (accounts.services.record_consent).
A changed wording needs a new version: ``fingerprint`` lets a test notice a change."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation


@dataclass(frozen=True)
class Wording:
    purpose: str
    version: str
    text: object  # lazy: the sentence the person agrees to
    details: object = ""  # lazy: what it means, shown with it

    def shown(self, language: str) -> str:
        """The text as the person read it, in ``language``."""
        with translation.override(language):
            details = str(self.details)
            return f"{self.text} {details}".strip() if details else str(self.text)

    def fingerprint(self) -> str:
        """SHA-256 of the wording in every language (a change needs a new version)."""
        texts = "\n".join(self.shown(code) for code, _name in settings.LANGUAGES)
        return hashlib.sha256(texts.encode()).hexdigest()


WORDINGS: dict[str, Wording] = {}


def register_wording(purpose: str, *, version: str, text, details="") -> Wording:
    wording = Wording(purpose, version, text, details)
    if WORDINGS.get(purpose, wording) != wording:
        raise ImproperlyConfigured(f"The consent {purpose} is declared twice.")
    WORDINGS[purpose] = wording
    return wording
