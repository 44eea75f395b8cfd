from django.urls import path

from review.views import juror

urlpatterns = [
    path("jury/", juror.dashboard, name="jury_dashboard"),
]
