from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import reauthentication_before_changes
from accounts.forms import SecondFactorResetForm
from accounts.models import Consent, User
from accounts.queries import second_factors_of
from accounts.services import SecondFactorResetRefused, reset_second_factor
from core.read_only_admin import ReadOnlyModelAdmin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_urls(self):
        reset = self.admin_site.admin_view(reauthentication_before_changes(self.reset_view))
        return [
            path("<int:pk>/reset-second-factor/", reset, name="accounts_user_reset_mfa"),
            *super().get_urls(),
        ]

    def reset_view(self, request, pk):
        """Remove a lost second factor (superusers only; never one's own)."""
        if not request.user.is_superuser:
            raise PermissionDenied
        person = get_object_or_404(User, pk=pk)
        form = SecondFactorResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reset_second_factor(
                    request=request,
                    user=person,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except SecondFactorResetRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("The second factor is removed; the person has been told by e-mail."),
                )
                return redirect(reverse("admin:accounts_user_change", args=[person.pk]))
        return TemplateResponse(
            request,
            "admin/accounts/user/reset_second_factor.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reset a lost second factor"),
                "person": person,
                "form": form,
                "opts": self.model._meta,
                "authenticators": second_factors_of(person),
            },
        )


# allauth's own admin shows and edits an authenticator's raw data (the encrypted TOTP
# secret, the recovery-code seed): replaced by a read-only list without it.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyModelAdmin):
    """Who has which second factor and when it was last used; never its secret. Nothing is
    added, changed or removed here: people manage their own authenticators on their
    account page, where the last one of a role that needs it cannot be removed."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consents with the wording agreed to: read-only, they are the proof (Art. 7(1) GDPR)."""

    list_display = ["user", "purpose", "version", "language", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "version"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
