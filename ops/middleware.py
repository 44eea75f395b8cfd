import logging
import time

from ops.logs import redact

logger = logging.getLogger("ops.requests")


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration and user id.
    The request id is added by the log filter (django-guid)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        path = redact(request.path)  # a secret address (calendar feed) is never logged
        logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
