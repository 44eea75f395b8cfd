from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path


def _signed_in_admin_login(request, extra_context=None):
    """What allauth's secure_admin_login hands a signed-in admin: the admin site itself.
    Django's own login form never runs, so it cannot sign anyone in with a password alone."""
    return redirect("admin:index")


# One login for everyone, allauth's, with its second-factor step and rate limits: the
# admin site's login page sends people there.
admin.site.login = secure_admin_login(_signed_in_admin_login)

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("grants.urls")),
    path("", include("review.urls")),
    path("ministry/", include("reporting.urls")),
    path("", include("reporting.public_urls")),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
]

handler500 = "ops.views.public.server_error"
