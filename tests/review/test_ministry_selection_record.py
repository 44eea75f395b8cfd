"""The ministry's version of a decided call's selection record: it names funded projects
only (a signed agreement); every other application is an anonymous row with its rank,
interval and decision, without reference, title, amount or reason; no scores, no minutes
of the discussion, no names of people. Ministry viewers (and staff) reach it from the
ministry's pages for decided calls only; each download is logged with its hash."""

import hashlib
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from grants.states import ApplicationState as S
from grants.states import CallState
from review import events
from review.models import SelectionRecord
from review.services.decisions import decide_applications
from review.states import Decision
from tests.accounts.helpers import sign_in
from tests.factories import CallFactory, make_user, set_state
from tests.reporting.helpers import pdf_text
from tests.review.helpers import conflict
from tests.review.test_selection_record_pdf import SUMMARY_A, decided  # noqa: F401 (fixture)
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

UNNAMED = "not funded, not named"


@pytest.fixture
def ministry():
    return make_user(Role.MINISTRY)


@pytest.fixture
def funded_a(decided):  # noqa: F811 (the fixture imported above)
    """The decided call, A's agreement signed since (funded); B approved, not yet signed."""
    call, apps, juror = decided
    set_state(apps["A"], S.FUNDED)
    return call, apps, juror


def ministry_pdf(client, user, call, language="en"):
    sign_in(client, user)
    return client.get(reverse("ministry_selection_record_pdf", args=[call.slug, language]))


def test_the_ministry_version_names_only_funded_projects(client, ministry, funded_a):
    call, apps, juror = funded_a

    response = ministry_pdf(client, ministry, call)

    assert response["Content-Disposition"] == (
        f'attachment; filename="ctf-selection-record-{call.slug}-ministry-en.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    assert f"Selection record: {call.title_en}" in text
    assert "Version for the ministry: it names funded projects only." in text
    assert f"{apps['A'].reference} Project A" in text
    for suffix in "BCDEF":  # B approved but unsigned: not named either
        assert apps[suffix].reference not in text
        assert f"Project {suffix}" not in text
    # Six ranked rows, the first named; five anonymous ones in the ranking table.
    ranking = text[text.index("Applications by rank at decision time") : text.index("Funding line")]
    assert ranking.count(UNNAMED) == 5
    named = rf"1 1–\d+ [\d.]+ {apps['A'].reference} Project A €30,000.00 Approve"
    assert re.search(named, ranking)
    assert re.search(rf"2 1–\d+ [\d.]+ {UNNAMED} – Approve", ranking)  # B: rank, decision
    assert "Calibrated score" not in text and "Raw mean" not in text
    assert "3 jurors." in text and juror.full_name not in text
    assert "Who abstained where" not in text
    assert "1 conflict of interest kept a juror away from an application." in text
    assert "Minutes of the jury's discussion" not in text and "fund it in full" not in text
    assert "Funded by a state programme already." not in text  # B's move: unnamed
    # The bulk decision's reason is A's too (funded): shown once, not with B's decision.
    assert text.count("The jury asked for B after all.") == 1
    assert "Sam Staff" not in text and "programme staff" in text
    assert "Lotto 6 aus 49, 2 May 2026" in text and "3 14 22 31 40 45" in text
    assert SUMMARY_A.split(";")[0] not in text
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_data()


def test_the_german_ministry_version_and_its_logged_hash(client, ministry, funded_a):
    call, apps, _juror = funded_a

    content = ministry_pdf(client, ministry, call, "de").content

    text = " ".join(pdf_text(content).split())
    assert f"Auswahlprotokoll: {call.title_de}" in text
    assert "Fassung für das Ministerium" in text
    assert text.count("nicht gefördert, nicht genannt") >= 5
    assert PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "de"
    record = SelectionRecord.objects.get(call=call)
    assert list(
        TransitionLog.objects.filter(action=events.RECORD_PDF, object_id=record.pk).values_list(
            "actor", "data"
        )
    ) == [
        (
            ministry.pk,
            {
                "language": "de",
                "sha256": hashlib.sha256(content).hexdigest(),
                "version": "ministry",
            },
        )
    ]


def test_nothing_is_named_before_an_agreement_is_signed(client, ministry, decided):  # noqa: F811
    call, apps, _juror = decided

    text = pdf_text(ministry_pdf(client, ministry, call).content)

    assert not any(apps[suffix].reference in text for suffix in "ABCDEF")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ministry", 200),
        ("staff", 200),
        ("applicant", 404),
        ("juror", 404),
        ("conflicted staff", 404),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_who_downloads_the_ministry_version(client, funded_a, ministry, staff, who, status):
    call, apps, _juror = funded_a
    users = {
        "ministry": lambda: ministry,
        "staff": lambda: staff,
        "applicant": lambda: apps["A"].owner,
        "juror": lambda: make_user(Role.JUROR),
        "conflicted staff": lambda: conflict(make_user(Role.STAFF, Role.JUROR), apps["C"]).juror,
        "admin": lambda: make_user(Role.STAFF, is_superuser=True, is_staff=True),
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user is not None:
        sign_in(client, user)

    response = client.get(reverse("ministry_selection_record_pdf", args=[call.slug, "en"]))

    assert response.status_code == status
    assert TransitionLog.objects.filter(action=events.RECORD_PDF).count() == (status == 200)


def test_undecided_calls_have_no_ministry_version(client, ministry, ranked, staff):
    call, _jury, apps = ranked
    set_state(call, CallState.IN_REVIEW)
    decide_applications(call=call, decisions=[(apps["A"].pk, Decision.APPROVE)], actor=staff)
    sign_in(client, ministry)

    undecided = client.get(reverse("ministry_selection_record_pdf", args=[call.slug, "en"]))
    listed = client.get(reverse("ministry_selection_records")).content.decode()

    assert SelectionRecord.objects.filter(call=call).exists()  # taken, not sealed
    assert undecided.status_code == 404
    assert client.get(f"/ministry/selection-records/{call.slug}/ministry-fr.pdf").status_code == 404
    assert client.get("/ministry/selection-records/nope/ministry-en.pdf").status_code == 404
    assert "No call has been decided yet." in listed
    assert not TransitionLog.objects.filter(action=events.RECORD_PDF).exists()


def test_the_ministry_pages_link_the_records_of_decided_calls(client, ministry, funded_a):
    call, _apps, _juror = funded_a
    sign_in(client, ministry)

    dashboard = client.get(reverse("ministry_dashboard")).content.decode()
    listed = client.get(reverse("ministry_selection_records")).content.decode()

    assert f'href="{reverse("ministry_selection_records")}"' in dashboard
    links = re.findall(r'<a href="([^"]+)" hreflang="(de|en)" download>', listed)
    assert links == [
        (reverse("ministry_selection_record_pdf", args=[call.slug, "de"]), "de"),
        (reverse("ministry_selection_record_pdf", args=[call.slug, "en"]), "en"),
    ]
    assert call.title_en in listed


def test_staff_with_a_conflict_do_not_see_the_call_listed(client, funded_a):
    call, apps, _juror = funded_a
    staff_juror = conflict(make_user(Role.STAFF, Role.JUROR), apps["C"]).juror
    sign_in(client, staff_juror)

    listed = client.get(reverse("ministry_selection_records")).content.decode()

    assert call.title_en not in listed and "No call has been decided yet." in listed


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_makes_a_fixed_number_of_queries(
    client, ministry, funded_a, django_assert_num_queries, rows
):
    call, _apps, _juror = funded_a
    for _index in range(rows - 1):
        other = CallFactory(fund=call.fund, state=CallState.DECIDED)
        SelectionRecord.objects.create(call=other, basis="raw", taken_at=timezone.now())
    sign_in(client, ministry)

    # The session, the user, the roles and the second factor (4); the records (1).
    with django_assert_num_queries(5):
        response = client.get(reverse("ministry_selection_records"))

    assert response.content.decode().count('hreflang="en" download') == rows
