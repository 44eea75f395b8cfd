"""The consents the grants app asks for, with the version of their wording
(accounts.consents): a new wording needs a new version."""

from django.utils.translation import gettext_lazy as _

from accounts.consents import register_wording

PUBLICATION = register_wording(
    "grants.publication",
    version="1",
    text=_("The fund may publish my name with the project in its open data."),
    details=_(
        "Without consent, individual grantees are published anonymously. You can withdraw "
        "your consent at any time on your grant's page."
    ),
)
