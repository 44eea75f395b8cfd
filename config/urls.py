from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("grants.urls")),
    path("", include("review.urls")),
    path("ministry/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
