"""Permission matrix (pretix style): every page × every role → the exact expected answer.

Roles: anonymous; ``applicant`` (an applicant who does not own the objects); ``owner`` (the
applicant who owns them); juror, staff, ministry (signed in with a second factor); admin (a
superuser, also with a second factor).

Rules encoded here: applicants see only their own applications (anyone else's is 404);
staff see every non-draft application; ministry viewers see funded ones; jurors and ministry viewers get 404 on staff and
applicant pages; the home page, the public call pages and the legal pages answer 200 for
everyone; drafts are editable only by their owner; GET on a POST-only view is 405.
"""

import re
import uuid

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse
from django.utils import timezone

import accounts.urls
import grants.urls
import ops.urls
import reporting.urls
import review.urls
from accounts.roles import Role
from grants.models import Attachment, InformationRequest
from grants.services.attachments import private_storage
from grants.states import ApplicationState, CallState
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

ROLES = ("anonymous", "applicant", "owner", "juror", "staff", "ministry", "admin")
LOGIN = "login"  # 302 to the login page with ?next=<this page>
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class Redirect:
    """302 to a fixed URL; ``{name}`` is replaced by the primary key of that world object."""

    def __init__(self, url):
        self.url = url

    def __repr__(self):
        return f"→{self.url}"


class RedirectMatching:
    def __init__(self, pattern):
        self.pattern = pattern

    def __repr__(self):
        return f"→/{self.pattern}/"


def row(url_name, obj, anonymous, applicant, owner, juror, staff, ministry, admin, marks=()):
    """One page: the object its URL names (or None) and the expected answer per role.
    ``marks`` maps a role (or "*") to pytest marks for that cell."""
    return (
        url_name,
        obj,
        dict(zip(ROLES, (anonymous, applicant, owner, juror, staff, ministry, admin), strict=True)),
        dict(marks),
    )


R = Redirect
# Columns:   anonymous, applicant, owner, juror, staff, ministry, admin
STAFF_ONLY = (LOGIN, 404, 404, 404, 200, 404, 200)
STAFF_ONLY_POST = (LOGIN, 404, 404, 404, 405, 404, 405)  # GET on a POST-only staff view
OWNER_ONLY = (LOGIN, 404, 200, 404, 404, 404, 404)
NOBODY = (LOGIN, 404, 404, 404, 404, 404, 404)
EVERYONE = (200,) * 7
POST_ONLY = (405,) * 7  # require_POST comes before the login check

REAUTH_REPLACE = Redirect("/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Freplace%2F")
REAUTH_REMOVE = Redirect(
    "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Fwebauthn%2Fkeys%2F{security_key}%2Fremove%2F"
)

GET_MATRIX = [
    # accounts/urls.py
    row("home", None, *EVERYONE),
    row(
        "dashboard",
        None,
        LOGIN,
        R("/applicant/"),
        R("/applicant/"),
        R("/jury/"),
        R("/staff/"),
        R("/ministry/"),
        R("/staff/"),
    ),
    row("mfa_required", None, LOGIN, 200, 200, 200, 200, 200, 200),
    # Everyone's own account page; MFA roles only after the second factor (tested below).
    row("account", None, LOGIN, 200, 200, 200, 200, 200, 200),
    row("sign_in_again", None, *POST_ONLY),
    # allauth asks for the password (or a second factor) again before any change of the
    # second factor; without an authenticator app there is nothing to replace.
    row("mfa_replace_totp", None, LOGIN, *(REAUTH_REPLACE,) * 6),
    # Only the staff member's own key; allauth's re-authentication comes first.
    row(
        "mfa_remove_webauthn_checked",
        "security_key",
        Redirect(
            "/accounts/login/?next=%2Faccounts%2F2fa%2Fwebauthn%2Fkeys%2F{security_key}%2Fremove%2F"
        ),
        *(REAUTH_REMOVE,) * 6,
    ),
    row("imprint", None, *EVERYONE),
    row("privacy", None, *EVERYONE),
    row("accessibility", None, *EVERYONE),
    # grants/urls.py: public and applicant pages
    row("call_detail", "open_call", *EVERYONE),
    row("call_detail", "closed_call", *EVERYONE),
    row("call_detail", "draft_call", *(404,) * 7),
    row("application_start", "open_call", *POST_ONLY),
    row("applicant_dashboard", None, LOGIN, 200, 200, 404, 404, 404, 404),
    row("application_detail", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row(
        "application_detail",
        "draft",
        LOGIN,
        404,
        200,
        404,
        404,
        404,
        404,
    ),
    # Ministry viewers see funded projects (grants.visibility), never unfunded proposals.
    row("application_detail", "funded", LOGIN, 404, 200, 404, 200, 200, 200),
    row("application_edit", "draft", *OWNER_ONLY),
    # Whoever may read a submitted application is told it can no longer be changed.
    row("application_edit", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_preview", "draft", *OWNER_ONLY),
    row("application_preview", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_submit", "draft", *POST_ONLY),
    row("application_withdraw", "submitted", *OWNER_ONLY),
    row("application_withdraw", "draft", *OWNER_ONLY),
    row("application_withdraw", "withdrawn", *NOBODY),
    row("application_answer", "questioned", *OWNER_ONLY),
    row("application_answer", "submitted", *NOBODY),
    row("attachment_upload", "draft", *POST_ONLY),
    row("attachment_remove", "draft_attachment", *POST_ONLY),
    row("attachment_download", "attachment", LOGIN, 404, 200, 404, 200, 404, 200),
    row(
        "attachment_download",
        "draft_attachment",
        LOGIN,
        404,
        200,
        404,
        404,
        404,
        404,
    ),
    row("attachment_download", "removed_attachment", *NOBODY),
    # grants/urls.py: programme staff
    row("staff_dashboard", None, *STAFF_ONLY),
    row("staff_call_create", None, *STAFF_ONLY),
    row("staff_call_edit", "open_call", *STAFF_ONLY),
    row("staff_call_transition", "open_call", *STAFF_ONLY_POST),
    row("staff_application_list", "open_call", *STAFF_ONLY),
    row("staff_application_export", "open_call", *STAFF_ONLY),
    row("staff_application_export_xlsx", "open_call", *STAFF_ONLY),
    row("staff_bulk_transition", "open_call", *STAFF_ONLY_POST),
    row("staff_application_detail", "submitted", *STAFF_ONLY),
    row("staff_application_detail", "draft", *NOBODY),
    row("staff_application_screen", "submitted", *STAFF_ONLY_POST),
    row("staff_request_information", "submitted", *STAFF_ONLY_POST),
    row("staff_application_comment", "submitted", *STAFF_ONLY_POST),
    # review/urls.py
    row("jury_dashboard", None, LOGIN, 404, 404, 200, 404, 404, 404),
    # reporting/urls.py
    row("ministry_dashboard", None, LOGIN, 404, 404, 404, 404, 200, 404),
    # ops/urls.py: for machines, the same for everyone (here: no worker has been seen).
    row("healthz", None, *(503,) * 7),
]

# POST on the applicant's POST-only views: who gets through the permission check. The
# permitted cells end in the service's redirect; refusals have no side effect.
POST_MATRIX = [
    row(
        "application_start",
        "open_call",
        LOGIN,
        RedirectMatching(r"applications/\d+/edit"),
        RedirectMatching(r"applications/\d+/edit"),
        404,
        404,
        404,
        404,
    ),
    row(
        "application_submit",
        "draft",
        LOGIN,
        404,
        R("/applications/{draft}/"),
        404,
        404,
        404,
        404,
    ),
    row(
        "attachment_upload",
        "draft",
        LOGIN,
        404,
        R("/applications/{draft}/edit/"),
        404,
        404,
        404,
        404,
    ),
    row("attachment_upload", "submitted", *NOBODY),
    row(
        "attachment_remove",
        "draft_attachment",
        LOGIN,
        404,
        R("/applications/{draft}/edit/"),
        404,
        404,
        404,
        404,
    ),
    row("attachment_remove", "attachment", *NOBODY),
    # Staff POST views refuse everyone but staff before looking at the data.
    row("staff_call_transition", "open_call", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_bulk_transition", "open_call", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_application_screen", "submitted", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_request_information", "submitted", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_application_comment", "submitted", LOGIN, 404, 404, 404, None, 404, None),
]


def cases(matrix):
    for url_name, obj, expected, marks in matrix:
        for role in ROLES:
            if expected[role] is None:
                continue
            cell_marks = [*marks.get("*", []), *marks.get(role, [])]
            yield pytest.param(
                url_name,
                obj,
                role,
                expected[role],
                marks=cell_marks,
                id=f"{url_name}[{obj or '-'}]-{role}",
            )


class World:
    """Objects and users the matrix refers to by name."""

    def __init__(self):
        self.users = {"anonymous": None}
        for role in ("juror", "staff", "ministry", "admin"):
            self.users[role] = make_role_user(role)
        self.users["applicant"] = make_user(Role.APPLICANT, email="other@example.org")
        owner = self.users["owner"] = make_user(Role.APPLICANT, email="owner@example.org")

        self.open_call = CallFactory()
        self.closed_call = CallFactory(state=CallState.CLOSED)
        self.draft_call = CallFactory(state=CallState.DRAFT)
        self.draft = ApplicationFactory(call=self.open_call, owner=owner)
        self.submitted = self._submitted(owner)
        self.questioned = self._submitted(owner)
        InformationRequest.objects.create(
            application=self.questioned,
            question="Which municipalities have agreed to test the toolkit?",
            editable_sections=["target_group"],
            due_on=timezone.localdate() + timezone.timedelta(days=14),
            asked_by=self.users["staff"],
        )
        self.withdrawn = set_state(
            ApplicationFactory(call=self.open_call, owner=owner), ApplicationState.WITHDRAWN
        )
        self.funded = set_state(self._submitted(owner), ApplicationState.FUNDED)
        self.attachment = self._attachment(self.submitted, "work-plan.pdf")
        self.draft_attachment = self._attachment(self.draft, "draft-plan.pdf")
        self.removed_attachment = self._attachment(self.submitted, "old-plan.pdf")
        self.removed_attachment.removed_at = timezone.now()
        self.removed_attachment.save(update_fields=["removed_at"])
        self.security_key = Authenticator.objects.create(
            user=self.users["staff"], type=Authenticator.Type.WEBAUTHN, data={"name": "Key"}
        )

    def _submitted(self, owner):
        application = ApplicationFactory(call=self.open_call, owner=owner)
        application = set_state(application, ApplicationState.SUBMITTED)
        type(application).objects.filter(pk=application.pk).update(submitted_at=timezone.now())
        application.refresh_from_db()
        return application

    def _attachment(self, application, name):
        stored_name = f"{uuid.uuid4().hex}.pdf"
        private_storage().save(stored_name, ContentFile(PDF_BYTES))
        return Attachment.objects.create(
            application=application,
            original_name=name,
            stored_name=stored_name,
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=application.owner,
        )

    def url(self, url_name, obj):
        if obj is None:
            return reverse(url_name)
        target = getattr(self, obj)
        if obj.endswith("call"):
            return reverse(url_name, kwargs={"slug": target.slug})
        return reverse(url_name, kwargs={"pk": target.pk})

    def post_data(self, url_name, obj):
        if url_name == "application_submit":
            return {"version": str(getattr(self, obj).version)}
        return {}

    def pks(self):
        return {
            name: getattr(self, name).pk
            for name in ("draft", "submitted", "questioned", "withdrawn", "security_key")
        }


@pytest.fixture
def world(db):
    return World()


def check(response, expected, url, world):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    elif isinstance(expected, Redirect):
        assert response.status_code == 302
        assert response["Location"] == expected.url.format(**world.pks())
    elif isinstance(expected, RedirectMatching):
        assert response.status_code == 302
        assert re.fullmatch(f"/{expected.pattern}/", response["Location"])
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("url_name", "obj", "role", "expected"), list(cases(GET_MATRIX)))
def test_get(client, world, url_name, obj, role, expected):
    url = world.url(url_name, obj)
    if world.users[role] is not None:
        sign_in(client, world.users[role])

    response = client.get(url)

    check(response, expected, url, world)


@pytest.mark.parametrize(("url_name", "obj", "role", "expected"), list(cases(POST_MATRIX)))
def test_post(client, world, url_name, obj, role, expected):
    url = world.url(url_name, obj)
    if world.users[role] is not None:
        sign_in(client, world.users[role])

    response = client.post(url, world.post_data(url_name, obj))

    check(response, expected, url, world)


def test_matrix_covers_every_page():
    names = {
        pattern.name
        for module in (accounts.urls, grants.urls, review.urls, reporting.urls, ops.urls)
        for pattern in module.urlpatterns
        if isinstance(pattern, URLPattern)
    }

    assert names == {url_name for url_name, *_ in GET_MATRIX}


def test_a_refused_post_changes_nothing(client, world):
    sign_in(client, world.users["applicant"])

    client.post(
        reverse("application_submit", kwargs={"pk": world.draft.pk}),
        {"version": str(world.draft.version)},
    )
    client.post(reverse("attachment_remove", kwargs={"pk": world.draft_attachment.pk}))

    world.draft.refresh_from_db()
    world.draft_attachment.refresh_from_db()
    assert world.draft.state == ApplicationState.DRAFT
    assert world.draft_attachment.removed_at is None


def test_admin_cannot_remove_an_applicants_attachment(client, world):
    sign_in(client, world.users["admin"])

    client.post(reverse("attachment_remove", kwargs={"pk": world.draft_attachment.pk}))
    client.post(reverse("attachment_remove", kwargs={"pk": world.attachment.pk}))

    assert Attachment.objects.filter(removed_at__isnull=False).get() == world.removed_attachment


def test_the_download_serves_the_stored_file(client, world):
    sign_in(client, world.users["owner"])

    response = client.get(reverse("attachment_download", kwargs={"pk": world.attachment.pk}))

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="work-plan.pdf"'


# Staff must pass the second factor for every page that shows them other people's data,
# including the application and attachment pages they reach through the applicant URLs.
@pytest.mark.parametrize(
    ("url_name", "obj"),
    [
        pytest.param("staff_dashboard", None, id="staff_dashboard"),
        pytest.param("staff_application_detail", "submitted", id="staff_application_detail"),
        pytest.param(
            "application_detail",
            "submitted",
            id="application_detail",
        ),
        pytest.param(
            "attachment_download",
            "attachment",
            id="attachment_download",
        ),
        pytest.param("account", None, id="account"),
    ],
)
def test_staff_without_second_factor_session_see_no_application(client, world, url_name, obj):
    client.force_login(world.users["staff"])  # password session, no second factor
    url = world.url(url_name, obj)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/security-required/?next=")
