"""Public pages, no sign-in: the transparency page and the 360Giving open data."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reporting.opendata import stream_360giving
from reporting.queries import has_published_grants
from reporting.transparency import transparency as transparency_figures

PROJECTS_PER_PAGE = 100


@require_GET
def transparency(request):
    figures = transparency_figures()
    page = Paginator(figures.projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/transparency.html", {"figures": figures, "page": page})


@require_GET
def open_data_360giving(request):
    """Every published grant as a 360Giving data package, streamed."""
    if not has_published_grants():
        return render(request, "reporting/no_open_data.html", status=404)
    response = StreamingHttpResponse(stream_360giving(), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="grants.json"'
    # Open data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response
