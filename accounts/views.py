from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from accounts.access import has_second_factor
from accounts.roles import Role

DASHBOARD_BY_ROLE = [
    (Role.STAFF, "staff_dashboard"),
    (Role.JUROR, "jury_dashboard"),
    (Role.MINISTRY, "ministry_dashboard"),
    (Role.APPLICANT, "applicant_dashboard"),
]


def home(request):
    from grants.queries import open_calls

    return render(request, "pages/home.html", {"open_calls": open_calls()})


@login_required
def dashboard(request):
    """Send each user to the dashboard of their most demanding role."""
    for role, url_name in DASHBOARD_BY_ROLE:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "accounts/no_role.html")


@login_required
def mfa_required(request):
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(
        request,
        "accounts/mfa_required.html",
        {"next_url": next_url, "has_second_factor": has_second_factor(request.user)},
    )


def legal_page(request, page):
    """Legal texts are whole documents, written per language rather than string by string."""
    language = "en" if (get_language() or "de").startswith("en") else "de"
    return render(request, f"pages/{page}.{language}.html")
