from django.urls import path

from ops.views import public

urlpatterns = [path("healthz", public.healthz, name="healthz")]
