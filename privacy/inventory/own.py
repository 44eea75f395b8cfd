"""The inventory of the privacy app's own records."""

from django.utils.translation import gettext_lazy as _

from privacy.inventory.registry import not_personal, personal
from privacy.kinds import DataKind as K
from privacy.kinds import LegalBasis as B
from privacy.models import Erasure, ErasureRequest, InactivityWarning
from privacy.retention import Rule as R

personal(
    ErasureRequest,
    "user",
    "handled_by",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("To prove that a request to erase data was handled (Art. 5(2) and 17 GDPR)"),
    retention=(R.ACCOUNTS,),
)
not_personal(ErasureRequest, "erased", "kept", reason=_("Kinds of records, counts and dates"))
not_personal(Erasure, "scope", reason=_("Numbers of records, never their content"))
personal(
    InactivityWarning,
    "user",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("Whom we warned that an unused account will be anonymised"),
    retention=(R.ACCOUNTS,),
)
