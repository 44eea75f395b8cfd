from allauth.account.decorators import reauthentication_required
from allauth.account.forms import ChangePasswordForm
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import clear_totp_secret
from allauth.mfa.webauthn import views as webauthn_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import queries
from accounts.access import second_factor_state
from accounts.forms import ProfileForm
from accounts.last_factor import is_last_required_second_factor
from accounts.roles import Role
from accounts.services import replace_authenticator_app, update_profile
from privacy.queries import open_erasure_request

DASHBOARD_BY_ROLE = [
    # Staff and jurors land on their inbox: what waits for them.
    (Role.STAFF, "inbox"),
    (Role.JUROR, "inbox"),
    (Role.MINISTRY, "ministry_dashboard"),
    (Role.APPLICANT, "applicant_dashboard"),
]


def home(request):
    from grants.queries import announced_calls

    calls = announced_calls()
    return render(
        request,
        "pages/home.html",
        {"open_calls": calls["open"], "upcoming_calls": calls["upcoming"]},
    )


@login_required
def dashboard(request):
    """Send each user to the dashboard of their most demanding role."""
    for role, url_name in DASHBOARD_BY_ROLE:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "accounts/no_role.html")


@login_required
def account(request):
    """One page for the person's own account: name and language (pages and e-mails), the
    password, the second factor and the e-mail address. For roles that need a second factor
    it opens only after the session has used it (accounts.middleware)."""
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        update_profile(user=user, full_name=form.cleaned_data["full_name"], language=language)
        translation.activate(language)
        messages.success(request, _("Your name and language have been saved."))
        response = redirect("account")
        set_language_cookie(response, language)
        return response
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "password_form": ChangePasswordForm(user=user),
            "email_addresses": queries.email_addresses(user),
            "second_factor": queries.second_factor_summary(user),
            "roles": [Role(name).label for name in sorted(user.role_names) if name in Role.values],
            "privacy_url": reverse("privacy"),
            "erasure_request": open_erasure_request(user),
        },
    )


def set_language_cookie(response, language):
    """What django.views.i18n.set_language does, so that the pages follow at once."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""


@login_required
def mfa_required(request):
    """The second-factor gate: how to set one up, or how to sign in with it."""
    state = second_factor_state(request)
    return render(
        request,
        "accounts/mfa_required.html",
        {
            "next_url": _safe_next(request, request.GET.get("next", "")),
            "has_second_factor": state.has_second_factor,
            "session_confirmed": state.session_confirmed,
        },
    )


@require_POST
@login_required
def sign_in_again(request):
    """A session signed in without the second factor the user holds (for example one that
    began before the authenticator was added) ends here; the user signs in again through
    allauth's login, whose second-factor step confirms the new session."""
    next_url = _safe_next(request, request.POST.get("next", ""))
    logout(request)
    messages.info(
        request,
        _("Please sign in with your password and a code from your authenticator app."),
    )
    login_url = reverse("account_login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


@login_required
@reauthentication_required(app="allauth.mfa")
def replace_totp(request):
    """Move the authenticator app to a new phone: the new app replaces the old one in one
    step, so that a role that must keep a second factor can still change it."""
    if not Authenticator.objects.filter(
        user_id=request.user.pk, type=Authenticator.Type.TOTP
    ).exists():
        return redirect("mfa_activate_totp")
    form = ActivateTOTPForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        replace_authenticator_app(request=request, user=request.user, secret=form.secret)
        clear_totp_secret(request)
        messages.success(
            request,
            _("Your new authenticator app is active; codes from the old one no longer work."),
        )
        return redirect("mfa_index")
    adapter = get_mfa_adapter()
    totp_url = adapter.build_totp_url(request.user, form.secret)
    return render(
        request,
        "accounts/replace_totp.html",
        {"form": form, "totp_url": totp_url, "totp_svg": adapter.build_totp_svg(totp_url)},
    )


@require_http_methods(["GET", "POST"])
def remove_webauthn(request, pk):
    """allauth's "remove security key", refused for the last second factor of a role that
    requires one (allauth asks its adapter only before deactivating an authenticator app).
    GET shows the confirmation, POST removes; other methods are refused, because allauth's
    view (a DeleteView) would delete on an HTTP DELETE without asking anyone."""
    if request.method == "POST" and request.user.is_authenticated:
        key = get_object_or_404(
            Authenticator, pk=pk, user_id=request.user.pk, type=Authenticator.Type.WEBAUTHN
        )
        if is_last_required_second_factor(key):
            messages.error(request, get_mfa_adapter().error_messages["cannot_delete_authenticator"])
            return redirect("mfa_list_webauthn")
    return webauthn_views.remove_webauthn(request, pk=pk)


def legal_page(request, page):
    """Legal texts are whole documents, written per language rather than string by string."""
    language = "en" if (get_language() or "de").startswith("en") else "de"
    return render(request, f"pages/{page}.{language}.html")
