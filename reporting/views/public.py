"""Public pages, no sign-in: the transparency page and the 360Giving open data."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.cached_stream import cached_pieces
from reporting.caches import OPEN_DATA, TRANSPARENCY
from reporting.opendata import stream_360giving
from reporting.queries import has_published_grants
from reporting.transparency import transparency as transparency_figures

PROJECTS_PER_PAGE = 100


@require_GET
def transparency(request):
    """The figures are the same for everyone and are kept PUBLIC_PAGES_CACHE_SECONDS per
    language (their labels are translated); the page around them (the menu, the CSRF token
    of the language switch) is made for each request, so it is not cached as a whole."""
    language = (get_language() or "de")[:2]
    figures = cache.get_or_set(
        TRANSPARENCY.format(language=language),
        transparency_figures,
        settings.PUBLIC_PAGES_CACHE_SECONDS,
    )
    page = Paginator(figures.projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/transparency.html", {"figures": figures, "page": page})


@require_GET
def open_data_360giving(request):
    """Every published grant as a 360Giving data package, streamed; kept in the cache for
    PUBLIC_PAGES_CACHE_SECONDS (the same for everyone, in no language in particular)."""
    pieces = cached_pieces(
        OPEN_DATA,
        lambda: stream_360giving() if has_published_grants() else None,
        timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
    )
    if pieces is None:
        return render(request, "reporting/no_open_data.html", status=404)
    response = StreamingHttpResponse(pieces, content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="grants.json"'
    # Open data: any site may read it, and any cache keep it as long as we do.
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGES_CACHE_SECONDS)
    return response
