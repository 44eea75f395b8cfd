"""The application's URLs plus the baseline of the deadline-rush benchmark: a bare Django
view that does one INSERT (through the same middleware, settings and gunicorn)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as application_urls


@csrf_exempt
@require_POST
def insert_one_row(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO rush_baseline (created_at) VALUES (now())")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("rush/baseline/", insert_one_row), *application_urls]
