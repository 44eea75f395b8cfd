from accounts.access import mfa_redirect, second_factor_state


class SecondFactorMiddleware:
    """People whose role needs a second factor (jurors, staff, ministry, admins) reach no
    page but the ones named here until this session has used their second factor. This
    covers every view, the admin site and allauth's account pages included: a session
    signed in with the password alone cannot re-authenticate, see recovery codes, remove
    an authenticator or change the e-mail address or password.

    Pages are named by URL name, so that a new page is closed until it is listed here."""

    # Signing in and out, the login's second-factor step, this gate's own pages, the
    # e-mail confirmation link, the language switch and public pages.
    ALWAYS_OPEN = frozenset(
        {
            "account_login",
            "account_logout",
            "mfa_authenticate",
            "account_confirm_email",
            "account_email_verification_sent",
            "mfa_required",
            "sign_in_again",
            "set_language",
            "healthz",
            "home",
            "imprint",
            "privacy",
            "accessibility",
            "call_detail",
            "transparency",
            "open_data_360giving",
        }
    )
    # Setting up the first second factor. allauth asks for the password again before it
    # adds an authenticator, so its re-authentication page belongs to enrolment here. Once
    # the user holds a second factor, all of these wait until the session has used it.
    ENROLMENT = frozenset(
        {"mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "account_reauthenticate"}
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.needs_mfa:
            return None
        match = request.resolver_match
        url_name = match.url_name if match is not None and not match.namespace else None
        if url_name in self.ALWAYS_OPEN:
            return None
        if url_name in self.ENROLMENT and not second_factor_state(request).has_second_factor:
            return None
        return mfa_redirect(request)
