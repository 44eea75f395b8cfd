from django.urls import reverse

from accounts.access import mfa_redirect


class SecondFactorMiddleware:
    """People whose role needs a second factor (jurors, staff, ministry, admins) reach no
    page but the account pages and public texts until this session has used it. This
    covers every view, the admin site included, not only the role areas."""

    ALWAYS_OPEN = ("/accounts/", "/account/", "/i18n/", "/static/")
    PUBLIC_PAGES = ("home", "imprint", "privacy", "accessibility")

    def __init__(self, get_response):
        self.get_response = get_response
        self._public_paths = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_mfa
            and not self._is_open(request.path_info)
        ):
            response = mfa_redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _is_open(self, path):
        if self._public_paths is None:
            self._public_paths = {reverse(name) for name in self.PUBLIC_PAGES}
        return path.startswith(self.ALWAYS_OPEN) or path in self._public_paths
