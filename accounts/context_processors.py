from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.identity import fund_name

NAVIGATION = [
    # The inbox comes first for everyone who has one; it shows how many items wait.
    (Role.STAFF, "inbox", _("To do")),
    (Role.JUROR, "inbox", _("To do")),
    (Role.APPLICANT, "inbox", _("To do")),
    (Role.APPLICANT, "applicant_dashboard", _("My applications")),
    (Role.JUROR, "jury_dashboard", _("Jury")),
    (Role.STAFF, "staff_dashboard", _("Programme staff")),
    (Role.STAFF, "staff_portfolio", _("Funded projects")),
    (Role.STAFF, "staff_finance", _("Finance")),
    (Role.STAFF, "staff_privacy", _("Data protection")),
    (Role.MINISTRY, "ministry_dashboard", _("Ministry")),
    (Role.STAFF, "ministry_dashboard", _("Reports")),
]


def navigation(request):
    """The fund's name, and navigation entries for the roles the signed-in user holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_navigation": [], "fund_name": fund_name()}
    items = []
    for role, url_name, label in NAVIGATION:
        url = reverse(url_name)
        # Pages of several roles (the reports) appear once, under the first role's name.
        if user.has_role(role) and all(item["url"] != url for item in items):
            items.append({"url": url, "name": url_name, "label": label, "current": False})
    # The most specific entry is the current one: /staff/grants/ is "Funded projects", not
    # also "Programme staff".
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"role_navigation": items, "fund_name": fund_name()}
