from django.urls import path

from reporting.views import public

urlpatterns = [
    path("transparency/", public.transparency, name="transparency"),
    path("open-data/360giving.json", public.open_data_360giving, name="open_data_360giving"),
]
