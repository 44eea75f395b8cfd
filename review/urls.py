from django.urls import path

from review import views

urlpatterns = [
    path("", views.jury_dashboard, name="jury_dashboard"),
]
