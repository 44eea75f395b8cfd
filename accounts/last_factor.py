"""Jurors, staff, ministry viewers and admins keep at least one second factor (an
authenticator app or a security key). The pages check it before they offer a removal
(accounts.adapters.MFAAdapter.can_delete_authenticator for allauth's pages,
accounts.views.remove_webauthn for security keys); this module also guards the model, so
that no other path (another HTTP method, a bulk delete, a script) removes the last one."""

from contextlib import contextmanager
from contextvars import ContextVar

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.access import SECOND_FACTOR_TYPES

# Users whose last second factor may go for a moment: replace_authenticator_app deletes
# the old app and adds the new one in the same transaction.
_replacing: ContextVar[frozenset] = ContextVar("replacing_second_factor", default=frozenset())


class LastSecondFactorError(PermissionDenied):
    """Refused: the removal would leave a role that needs a second factor without one."""


def is_last_required_second_factor(authenticator, *, going=None) -> bool:
    """Whether removing ``authenticator`` (together with the authenticators ``going``, a
    queryset or pks) leaves a user whose role needs a second factor without one."""
    user = authenticator.user
    if not user.needs_mfa or authenticator.type not in SECOND_FACTOR_TYPES:
        return False
    remaining = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES)
    remaining = remaining.exclude(pk=authenticator.pk)
    if going is not None:
        remaining = remaining.exclude(pk__in=going)
    return not remaining.exists()


@contextmanager
def replacing_second_factor(user):
    """Within this block, the user's last second factor may be deleted because a new one
    takes its place in the same transaction."""
    token = _replacing.set(_replacing.get() | {user.pk})
    try:
        yield
    finally:
        _replacing.reset(token)


def refuse_removing_the_last_second_factor(sender, instance, origin=None, **kwargs):
    """pre_delete of allauth's Authenticator: Django sends it for every row before deleting
    any of them, so a bulk delete is judged as a whole (``origin``, the queryset)."""
    if instance.user_id in _replacing.get():
        return
    if _deletes_the_person(origin):
        return  # the person is deleted, their authenticators with them
    going = None
    if isinstance(origin, QuerySet) and origin.model is Authenticator:
        going = origin.values("pk")
    if is_last_required_second_factor(instance, going=going):
        raise LastSecondFactorError(
            "The last second factor of a role that requires one cannot be removed."
        )


def _deletes_the_person(origin) -> bool:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if isinstance(origin, QuerySet):
        return origin.model is user_model
    return isinstance(origin, user_model)
