from django.urls import path

from privacy.views import person, public, staff

urlpatterns = [
    path("privacy/", public.notice, name="privacy"),
    path("account/data/download/", person.download, name="privacy_download"),
    path("account/data/erasure/", person.erasure, name="privacy_erasure"),
    path("account/data/erasure/withdraw/", person.cancel, name="privacy_erasure_cancel"),
    path("staff/privacy/", staff.requests, name="staff_privacy"),
    path("staff/privacy/people/<int:pk>/", staff.person, name="staff_privacy_person"),
    path(
        "staff/privacy/people/<int:pk>/download/",
        staff.download,
        name="staff_privacy_download",
    ),
    path(
        "staff/privacy/requests/<int:pk>/carry-out/",
        staff.carry_out,
        name="staff_privacy_carry_out",
    ),
]
