"""Permissions of the privacy app. Deny by default."""

import rules

from accounts.rules import is_programme_staff


@rules.predicate
def is_requester(user, request):
    return request is not None and user.is_authenticated and request.user_id == user.pk


@rules.predicate
def is_not_requester(user, request):
    """Nobody carries out their own erasure request."""
    return request is not None and request.user_id != user.pk


rules.add_perm("privacy.handle_requests", is_programme_staff)
rules.add_perm("privacy.carry_out_erasure", is_programme_staff & is_not_requester)
rules.add_perm("privacy.cancel_erasure_request", is_requester)
