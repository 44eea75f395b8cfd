from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.ministry_dashboard, name="ministry_dashboard"),
]
