from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/security-required/", views.mfa_required, name="mfa_required"),
    path("imprint/", views.legal_page, {"page": "imprint"}, name="imprint"),
    path("privacy/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
]
