"""Access checks used by every view: role areas with enforced MFA, and 404 for objects a
user may not see (their existence is not revealed)."""

from functools import wraps
from urllib.parse import urlencode

import rules
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import MFA_ROLES

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def session_used_second_factor(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def mfa_redirect(request):
    """Where a user of an MFA role goes before they may see their pages, or None."""
    if session_used_second_factor(request):
        return None
    if not has_second_factor(request.user):
        return redirect(
            reverse("mfa_required") + "?" + urlencode({"next": request.get_full_path()})
        )
    messages.info(
        request,
        _("Please confirm it is you with your authenticator app to continue."),
    )
    return redirect(
        reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()})
    )


def role_required(*roles):
    """Let a user in who holds one of ``roles``; MFA roles need a session signed in with a
    second factor. Anyone else gets 404, so that role areas do not reveal themselves."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = [role for role in roles if user.has_role(role)]
            if not held:
                raise Http404
            if any(role in MFA_ROLES for role in held) or user.is_superuser:
                response = mfa_redirect(request)
                if response is not None:
                    return response
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator


def may(user, permission, obj=None) -> bool:
    """Ask the project's rules only. Unlike ``user.has_perm`` this has no superuser
    shortcut: admins configure the fund, they do not act as applicants or jurors."""
    return rules.has_perm(permission, user, obj)


def get_permitted_object_or_404(user, permission, queryset, **lookup):
    """Fetch one object and check an object permission; a refusal looks like "not found"."""
    obj = get_object_or_404(queryset, **lookup)
    if not may(user, permission, obj):
        raise Http404
    return obj
