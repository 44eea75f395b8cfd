"""Secrets in addresses never reach a log line or an error mail. Some addresses are
themselves the key (the calendar feed, /calendar/<token>.ics: calendar apps cannot sign in);
``LOG_REDACTED_PATHS`` (settings) lists them as regular expressions whose group "secret"
is replaced by [redacted]."""

import functools
import logging
import re

from django.conf import settings
from django.http import HttpRequest

REDACTED = "[redacted]"


@functools.cache
def _patterns(sources: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(source) for source in sources)


def redact(text: str) -> str:
    """``text`` (a path, a request line, a message) with every secret part replaced."""
    for pattern in _patterns(tuple(settings.LOG_REDACTED_PATHS)):
        text = pattern.sub(_replace_secret, text)
    return text


def _replace_secret(match: re.Match) -> str:
    start, end = match.span("secret")
    offset = match.start()
    whole = match.group(0)
    return whole[: start - offset] + REDACTED + whole[end - offset :]


class RedactSecretPaths(logging.Filter):
    """On every handler (LOGGING): the message, its arguments and the ``path`` of a record
    are redacted; a request whose address holds a secret is dropped from the record (the
    JSON line would print its repr, the error mail its address and headers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(getattr(record, "path", None), str):
            record.path = redact(record.path)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and redact(request.path) != request.path:
            record.request = None
        return True
