"""Regression tests of the security review (issue 6, finding 8): no caching of signed-in
pages and exports, a truthful 500 page with error reports, read-only workflow objects in
the admin site, and public call pages that users with a second factor can open."""

import io
import json
import logging
import uuid

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import path

from accounts.roles import Role
from core.storage import private_storage
from grants.models import Application, Attachment, InformationRequest, InternalComment
from grants.states import ApplicationState
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def broken_view(request):
    raise RuntimeError("the database fell over")


urlpatterns = [path("broken/", broken_view)]
handler500 = "ops.views.public.server_error"


# Cache-Control ------------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored(client):
    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(owner=owner)
    sign_in(client, owner)

    urls = ("/applicant/", f"/applications/{application.pk}/edit/", "/accounts/email/")
    headers = {url: client.get(url)["Cache-Control"] for url in urls}
    assert [url for url, value in headers.items() if "no-store" not in value] == []
    assert [url for url, value in headers.items() if "private" not in value] == []
    assert len(headers) == 3


def test_exports_and_attachments_are_not_stored(client):
    call = CallFactory()
    application = set_state(ApplicationFactory(call=call), ApplicationState.SUBMITTED)
    stored_name = f"{uuid.uuid4().hex}.pdf"
    private_storage().save(stored_name, ContentFile(PDF))
    attachment = Attachment.objects.create(
        application=application,
        original_name="plan.pdf",
        stored_name=stored_name,
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=application.owner,
    )
    sign_in(client, make_role_user("staff"))

    export = client.get(f"/staff/calls/{call.slug}/applications.csv")
    download = client.get(f"/attachments/{attachment.pk}/download/")

    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    assert not client.get("/").has_header("Cache-Control")


# The 500 page -------------------------------------------------------------------------------


@pytest.fixture
def broken(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_500_page_names_the_log_reference_and_claims_no_mail_without_admins(broken, settings):
    settings.ADMINS = []

    response = broken.get("/broken/", HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")

    html = response.content.decode()
    assert response.status_code == 500
    assert "0f1e2d3c4b5a69788796a5b4c3d2e1f0" in html
    assert "recorded in the server's log" in html
    assert "notified" not in html
    assert "benachrichtigt" not in html
    assert mail.outbox == []


def test_500_mails_the_admins_when_they_are_configured(broken, settings):
    settings.ADMINS = [("Ops", "ops@fund.example")]

    response = broken.get("/broken/")

    assert "The administrators have been notified by e-mail." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["ops@fund.example"]]
    assert "RuntimeError" in mail.outbox[0].body


def test_admins_come_from_the_environment(monkeypatch):
    import importlib

    from config.settings import base

    monkeypatch.setenv("DJANGO_ADMINS", "Ops Team <ops@fund.example>, oncall@fund.example")
    try:
        admins = importlib.reload(base).ADMINS
    finally:
        monkeypatch.undo()
        importlib.reload(base)

    assert admins == [("Ops Team", "ops@fund.example"), ("", "oncall@fund.example")]


@pytest.fixture
def log_lines():
    """What the configured console handler writes, parsed: a copy of the handler (same
    formatter and filters) writes into a buffer."""
    console = next(
        handler
        for handler in logging.getLogger("django.request").handlers
        if isinstance(handler, logging.StreamHandler)
    )
    buffer = io.StringIO()
    copy = logging.StreamHandler(buffer)
    copy.setFormatter(console.formatter)
    for log_filter in console.filters:
        copy.addFilter(log_filter)
    loggers = [logging.getLogger(name) for name in ("django.request", "ops.requests")]
    for logger in loggers:
        logger.addHandler(copy)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(copy)


def test_the_error_is_logged_as_json_with_the_request_id(broken, log_lines):
    response = broken.get("/broken/", HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")

    lines = log_lines()
    error = next(line for line in lines if line["logger"] == "django.request")
    request = next(line for line in lines if line["logger"] == "ops.requests")
    assert response["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert error["level"] == "ERROR"
    assert error["request_id"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert "RuntimeError: the database fell over" in error["exc_info"]
    assert request["request_id"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert (request["method"], request["path"], request["status"]) == ("GET", "/broken/", 500)


# Read-only workflow objects in the admin site -------------------------------------------------


@pytest.fixture
def admin_client(client):
    sign_in(client, make_role_user("admin"))
    return client


@pytest.fixture
def workflow_objects():
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    staff = make_role_user("staff")
    return {
        "application": application,
        "attachment": Attachment.objects.create(
            application=application,
            original_name="plan.pdf",
            stored_name=f"{uuid.uuid4().hex}.pdf",
            content_type="application/pdf",
            size=4,
            uploaded_by=application.owner,
        ),
        "informationrequest": InformationRequest.objects.create(
            application=application, question="Why?", due_on="2026-05-01", asked_by=staff
        ),
        "internalcomment": InternalComment.objects.create(
            application=application, author=staff, body="Looks fine."
        ),
    }


@pytest.mark.parametrize(
    "model", ["application", "attachment", "informationrequest", "internalcomment"]
)
def test_workflow_objects_are_read_only_in_the_admin(admin_client, workflow_objects, model):
    obj = workflow_objects[model]
    base = f"/admin/grants/{model}/"

    listing = admin_client.get(base)
    view = admin_client.get(f"{base}{obj.pk}/change/")
    change = admin_client.post(f"{base}{obj.pk}/change/", {"title": "Changed", "body": "x"})
    add = admin_client.get(f"{base}add/")
    delete = admin_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert change.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_application_content_stays_unchanged_after_an_admin_post(admin_client, workflow_objects):
    """The admin form's own data, with a changed title, as a browser would send it."""
    application = workflow_objects["application"]
    url = f"/admin/grants/application/{application.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        data[name] = "" if value is None else value
    data["title"] = "Changed behind the services' back"

    response = admin_client.post(url, data)

    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).title == application.title


# Public call pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["juror", "staff", "ministry", "admin"])
def test_users_of_mfa_roles_can_open_public_call_pages(client, role):
    call = CallFactory(title_en="Round for everyone")
    # Signed in with the password alone, and signed in with the second factor.
    client.force_login(make_role_user(role))
    before = client.get(f"/calls/{call.slug}/")
    sign_in(client, make_role_user(role))
    after = client.get(f"/calls/{call.slug}/")

    assert (before.status_code, after.status_code) == (200, 200)
    assert "Round for everyone" in before.content.decode()
    assert "Round for everyone" in after.content.decode()
