from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

NAVIGATION = [
    (Role.APPLICANT, "applicant_dashboard", _("My applications")),
    (Role.JUROR, "jury_dashboard", _("Jury")),
    (Role.STAFF, "staff_dashboard", _("Programme staff")),
    (Role.MINISTRY, "ministry_dashboard", _("Ministry")),
]


def navigation(request):
    """The fund's name, and navigation entries for the roles the signed-in user holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_navigation": [], "fund_name": settings.FUND_NAME}
    current = request.path
    items = []
    for role, url_name, label in NAVIGATION:
        if user.has_role(role):
            url = reverse(url_name)
            items.append({"url": url, "label": label, "current": current.startswith(url)})
    return {"role_navigation": items, "fund_name": settings.FUND_NAME}
