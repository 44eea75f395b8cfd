"""The public pages' cached copies (reporting/views/public.py), dropped when what they show
changes in a way that must show at once: a grantee's consent to publication withdrawn, or
personal data erased."""

from django.conf import settings
from django.core.cache import cache

from core.cached_stream import forget

TRANSPARENCY = "reporting:transparency:{language}"
OPEN_DATA = "reporting:open-data:360giving"


def forget_public_pages(**_signal) -> None:
    forget(OPEN_DATA)
    cache.delete_many([TRANSPARENCY.format(language=code) for code, _name in settings.LANGUAGES])
