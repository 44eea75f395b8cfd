"""Pages for machines and for errors: the health check and the 500 page."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_guid import get_guid

from core.identity import fund_name
from ops.queries import health

logger = logging.getLogger("ops.health")


@never_cache
@require_GET
def healthz(request):
    """For the reverse proxy and monitoring: 200 when the database answers and the
    background worker was seen recently, 503 otherwise. No session, no login."""
    status = health()
    if status["ok"]:
        return JsonResponse(status)
    # A 503 here is the answer the monitor asked for, not a failure of this request: it is
    # logged as a warning, and django.request does not log it again as an ERROR, which
    # would mail the admins on every poll (360 mails an hour at one poll every 10 s).
    logger.warning("Unhealthy: %s", status["worker"], extra={"health": status})
    response = JsonResponse(status, status=503)
    response._has_been_logged = True  # read by django.utils.log.log_response
    return response


def server_error(request):
    """The 500 page. Rendered without context processors or database access (whatever
    failed may fail again), and it says only what is true: the error is in the log under
    this reference, and the admins get a mail only if ADMINS is configured."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render(
            {
                "reference": get_guid() or "",
                "admins_notified": bool(settings.ADMINS),
                "fund_name": fund_name(),
            }
        )
    )
