"""Access checks used by every view: role areas with enforced MFA, and 404 for objects a
user may not see (their existence is not revealed)."""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

import rules
from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class SecondFactorState:
    has_second_factor: bool  # the user holds an authenticator app or a security key
    session_confirmed: bool  # this session used one of the user's current authenticators


def second_factor_state(request) -> SecondFactorState:
    """What the gate needs to know, read with one query and kept for the request.

    A session counts as confirmed only while an authenticator it used still exists: if the
    user's second factor is removed (by an admin, or replaced), the next request stops at
    the gate. Recovery codes count as used authenticators; allauth deletes them together
    with the last authenticator app or security key."""
    cached = getattr(request, "_second_factor_state", None)
    if cached is not None:
        return cached
    authenticators = dict(
        Authenticator.objects.filter(user_id=request.user.pk).values_list("pk", "type")
    )
    has_second_factor = any(kind in SECOND_FACTOR_TYPES for kind in authenticators.values())
    used = {
        record.get("id")
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "mfa"
    }
    state = SecondFactorState(
        has_second_factor=has_second_factor,
        session_confirmed=has_second_factor and bool(used & authenticators.keys()),
    )
    request._second_factor_state = state
    return state


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def mfa_redirect(request):
    """Where a user of an MFA role goes before they may see their pages, or None: the page
    that explains how to set up a second factor, or how to sign in with it."""
    if second_factor_state(request).session_confirmed:
        return None
    return redirect(reverse("mfa_required") + "?" + urlencode({"next": request.get_full_path()}))


def role_required(*roles):
    """Let a user in who holds one of ``roles``; MFA roles need a session signed in with a
    second factor. Anyone else gets 404, so that role areas do not reveal themselves."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user.has_role(role) for role in roles):
                raise Http404
            if user.needs_mfa:
                response = mfa_redirect(request)
                if response is not None:
                    return response
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator


def reauthentication_before_changes(view):
    """allauth's re-authentication (the password, or the second factor for those who have
    one, within the last few minutes) before the page opens and before it takes a change.

    Unlike allauth's own decorator, a POST that comes too late is not kept for replay:
    allauth would store its data in the session table (here an IBAN) until the person has
    re-authenticated. The form opens again instead, after re-authentication."""
    guarded = reauthentication_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return guarded(request, *args, **kwargs)
        except ReauthenticationRequired:
            if request.method != "POST":
                raise  # allauth's middleware: to re-authentication, then back to this page
            messages.warning(
                request,
                _(
                    "For your security, please confirm that it is you, then enter the "
                    "details again: nothing was saved."
                ),
            )
            return redirect(request.get_full_path())

    return wrapper


def second_factor_gate(request, *, required: bool):
    """Pages that a setting (not a role) puts behind the second factor, such as the grant
    pages of a call whose grantees must use one: a redirect to the gate page, or None."""
    if not required:
        return None
    return mfa_redirect(request)


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
