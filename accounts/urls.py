from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/", views.account, name="account"),
    path("account/security-required/", views.mfa_required, name="mfa_required"),
    path("account/sign-in-again/", views.sign_in_again, name="sign_in_again"),
    # Next to allauth's own pages (config/urls.py includes these first).
    path("accounts/2fa/totp/replace/", views.replace_totp, name="mfa_replace_totp"),
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        views.remove_webauthn,
        name="mfa_remove_webauthn_checked",
    ),
    path("imprint/", views.legal_page, {"page": "imprint"}, name="imprint"),
    path("accessibility/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
]
