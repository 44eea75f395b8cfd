from allauth.mfa.models import Authenticator
from django import template

register = template.Library()


@register.filter
def has_security_key(user) -> bool:
    """Whether ``user`` has registered a security key (WebAuthn): the second-factor step
    offers one only to those who have one."""
    if user is None or user.pk is None:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()
