"""The project's URLs plus an app in its own namespace whose page is named like a page the
second-factor gate leaves open ("home"): the gate must not take one for the other."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns


def namespaced_home(request):
    return HttpResponse("namespaced home")


urlpatterns = [
    *project_urlpatterns,
    path("plugin/", include(([path("", namespaced_home, name="home")], "plugin"))),
]
