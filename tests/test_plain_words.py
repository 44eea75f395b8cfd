"""Plain words on every page (issue 20): a crawler signs in as each role on the demo's
world (``seed_demo --size small``), follows the links of every page it reaches, in English
and in German, and fails on a raw state value, an English label on a German page, or a word
the fund does not use (tests/plain_words.py says what counts)."""

import collections
import re
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from grants.models import TeamMember
from grants.states import ApplicationState, ApplicationStateGroup
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.plain_words import STATE_ENUMS, PageText, english_labels, problems

PAGES_PER_NAME = 3  # distinct addresses of one URL pattern (objects, filters) per role
PAGES_PER_ROLE = 160
NOT_PAGES = re.compile(
    r"^/(admin|static|i18n)/|/logout/|/download/|\.(csv|xlsx|pdf|ics|json)$|^/healthz"
)

# Pages each role must reach, so that the crawl provably covers the pages that show states.
MUST_REACH = {
    "anonymous": {"home", "call_detail", "transparency", "account_login", "account_signup"},
    "applicant": {
        "applicant_dashboard",
        "application_detail",
        "application_edit",
        "grantee_dashboard",
        "grantee_grant",
        "grantee_milestone_report",
        "account",
    },
    "team_member": {"applicant_dashboard", "application_detail"},
    "juror": {"jury_dashboard", "jury_queue", "jury_review", "jury_conflicts"},
    "staff": {
        "staff_dashboard",
        "staff_application_list",
        "staff_application_detail",
        "staff_application_jury",
        "staff_grant",
        "staff_milestone",
        "staff_finance",
        "staff_overdue",
        "staff_ranking",
        "staff_line",
        "staff_assignment",
        "staff_email_texts",
        "staff_email_text",
        "ministry_dashboard",
    },
    "ministry": {"ministry_dashboard", "ministry_project", "ministry_reports", "transparency"},
    "admin": {"staff_dashboard", "staff_application_detail", "staff_grant"},
}


def _team_member():
    """The demo has no account for a team member: one confirms the address named on a
    submitted application (as a person invited by e-mail would)."""
    member = (
        TeamMember.objects.filter(application__state__in=ApplicationStateGroup.SUBMITTED_ONWARDS)
        .exclude(application__state=ApplicationState.WITHDRAWN)
        .select_related("application")
        .order_by("pk")
        .first()
    )
    user = make_user(Role.APPLICANT, email=member.email, full_name=member.name, verified=False)
    EmailAddress.objects.create(user=user, email=member.email, verified=True, primary=True)
    return user


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's world, seeded once for the module inside a transaction rolled back at
    the end."""
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("private_media")
    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", size="small", stdout=open("/dev/null", "w"))  # noqa: SIM115
            users = {
                "anonymous": None,
                "applicant": User.objects.get(email="applicant@demo.example"),
                "team_member": _team_member(),
                "juror": User.objects.get(email="juror1@demo.example"),
                "staff": User.objects.get(email="staff@demo.example"),
                "ministry": User.objects.get(email="ministry@demo.example"),
                "admin": User.objects.get(email="admin@demo.example"),
            }
            yield users
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def crawl(user, language):
    """Every page the user reaches by following links from the start pages; returns the
    URL names reached and the problems found, by page."""
    client = Client()
    if user is not None:
        sign_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    labels = english_labels()
    queue = collections.deque(
        ["/", "/dashboard/", "/accounts/login/", "/accounts/signup/", "/transparency/"]
    )
    seen, per_name, reached, found = set(), collections.Counter(), set(), {}
    while queue and sum(per_name.values()) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        if NOT_PAGES.search(path) or per_name[name] >= PAGES_PER_NAME:
            continue
        per_name[name] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        reached.add(name)
        html = response.content.decode()
        page_problems = problems(html, language, labels)
        if page_problems:
            found[url] = [str(problem) for problem in page_problems]
        for link in _links(html, url):
            queue.append(link)
    return reached, found


def _links(html, base):
    for href in PageText(html).links:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("role", list(MUST_REACH))
def test_every_page_of_every_role_says_states_and_terms_in_plain_words(demo_world, role, language):
    reached, found = crawl(demo_world[role], language)

    assert MUST_REACH[role] - reached == set()
    assert found == {}


# ---------------------------------------------------------------------------------------
# The checks themselves catch what they are meant to


LABELS = english_labels()


@pytest.mark.parametrize(
    ("html", "language", "expected"),
    [
        (
            "<p>Milestone 2 (from planned to report_submitted)</p>",
            "en",
            ["raw state: report_submitted", "raw state: from planned to report_submitted"],
        ),
        (
            "<p>Meilenstein 2 (von planned nach Bericht eingereicht)</p>",
            "de",
            ["raw state: from planned to Bericht"],
        ),
        ("<td>pending</td>", "en", ["raw state: pending"]),
        ("<td>funded</td>", "de", ["raw state: funded", "English label: funded"]),
        ("<p>Status: <span class=badge>In review</span></p>", "de", ["English label: In review"]),
        ("<p>Der Antrag ist Final report due.</p>", "de", ["English label: Final report due"]),
        ("<p>9 December 2026 : report</p>", "en", ["space before a colon: 6 :"]),
        ("<label>Your email</label>", "en", ["email: email"]),
        (
            "<p>Die Fördervereinbarung und die Email</p>",
            "de",
            ["German term: Fördervereinbarung", "German term: Email"],
        ),
    ],
)
def test_the_checks_find_what_reads_wrong(html, language, expected):
    assert [str(problem) for problem in problems(html, language, LABELS)] == expected


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<option value="in_review">In review</option>', "en"),
        ('<div class="state-in_review">Eingereicht</div>', "de"),
        ("<p>The e-mail to person@email.example at 15:02: sent.</p>", "en"),
        ("<p>Die E-Mail-Adresse und der Zuwendungsvertrag</p>", "de"),
        ("<script>var state = 'final_report_due';</script><p>Abschlussbericht fällig</p>", "de"),
        ("<p>An open call, a draft, submitted on time.</p>", "en"),
        # The funding line's label "funded" is also a state's value: English only.
        ("<td>funded</td>", "en"),
    ],
)
def test_the_checks_leave_right_words_alone(html, language):
    assert problems(html, language, LABELS) == []


def test_every_state_of_every_workflow_has_a_label_in_both_languages():
    missing = []
    for enum in STATE_ENUMS:
        for value, label in enum.choices:
            with translation.override("en"):
                english = str(label)
            with translation.override("de"):
                german = str(label)
            if english == value or german == english:
                missing.append(f"{enum.__name__}.{value}")

    assert len(STATE_ENUMS) == 13
    assert missing == []
