"""The ministry's pages follow the jury's conflict rule: a reader who is also a juror with a
declared (or a suggested, not dismissed) conflict of interest with a funded project finds
it named nowhere: not on the dashboard, in no export (CSV, XLSX), not in the PDF they
request, and its project page is 404. The totals still count it (they name nobody), so
every reader sees the same figures. In the world, G1 is "Open Transit Toolkit" (Anna
Beispiel, who consented to publication); the staff juror declared a conflict with it."""

import pytest

from accounts.roles import Role
from grants.models import Grant
from reporting.filters import ReportFilter
from reporting.models import ArchivedReport
from reporting.queries import archived_reports_for, funded_projects_for
from reporting.services.reports import archive_report
from review.states import ConflictStatus
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.reporting.helpers import pdf_text
from tests.reporting.test_ministry_sees_no_unfunded_proposal import EXPORTS, xlsx_text
from tests.review.helpers import conflict

TITLE = "Open Transit Toolkit"
NAME = "Anna Beispiel"
PUBLIC_BODY = "Land Berlin"  # reported by G1 only
HEADLINE_COMMITTED = '<span class="figure-value">€135,000.00</span>'


@pytest.fixture
def staff_juror(world):
    user = make_user(Role.STAFF, Role.JUROR)
    conflict(user, world.applications[0])
    return user


def texts_of(client, world, reader, capture):
    sign_in(client, reader)
    texts = {"dashboard": client.get("/ministry/").content.decode()}
    for key in EXPORTS:
        texts[f"{key}.csv"] = client.get(f"/ministry/export/{key}.csv").content.decode()
        texts[f"{key}.xlsx"] = xlsx_text(client.get(f"/ministry/export/{key}.xlsx").content)
    texts["all.xlsx"] = xlsx_text(client.get("/ministry/export/all.xlsx").content)
    with capture(execute=True):
        client.post("/ministry/reports/", {"language": "en", "appendix": "on"})
    report = ArchivedReport.objects.filter(requested_by=reader).get()
    download = client.get(f"/ministry/reports/{report.pk}/download/")
    texts["pdf"] = pdf_text(b"".join(download.streaming_content))
    return texts


def test_the_conflicted_project_is_named_nowhere(
    world, client, staff_juror, django_capture_on_commit_callbacks
):
    g1 = world.grants[0]

    texts = texts_of(client, world, staff_juror, django_capture_on_commit_callbacks)

    for where, text in texts.items():
        assert TITLE not in text, where
        assert g1.funding_reference not in text, where
        assert NAME not in text, where
        assert PUBLIC_BODY not in text, where
    assert "Secure Whistleblower Box" in texts["projects.csv"]  # the others are listed
    assert "Civic Petition Tracker" in texts["pdf"]
    assert HEADLINE_COMMITTED in texts["dashboard"]  # the totals still count G1


def test_its_project_page_is_not_found(world, client, staff_juror):
    g1, g2, _g3 = world.grants
    sign_in(client, staff_juror)

    assert client.get(f"/ministry/projects/{g1.pk}/").status_code == 404
    assert client.get(f"/ministry/projects/{g2.pk}/").status_code == 200


def test_a_suggested_conflict_hides_it_too_and_a_dismissed_one_does_not(world, client):
    g1 = world.grants[0]
    reader = make_user(Role.STAFF, Role.JUROR)
    suggestion = conflict(reader, world.applications[0], status=ConflictStatus.SUGGESTED)
    sign_in(client, reader)

    assert client.get(f"/ministry/projects/{g1.pk}/").status_code == 404
    assert TITLE not in client.get("/ministry/export/projects.csv").content.decode()
    suggestion.status = ConflictStatus.DISMISSED
    suggestion.save(update_fields=["status"])
    assert client.get(f"/ministry/projects/{g1.pk}/").status_code == 200
    assert TITLE in client.get("/ministry/export/projects.csv").content.decode()


def test_other_readers_see_it(world, client, staff_juror, django_capture_on_commit_callbacks):
    other = make_user(Role.STAFF)

    texts = texts_of(client, world, other, django_capture_on_commit_callbacks)

    for where in ("dashboard", "projects.csv", "projects.xlsx", "pdf"):
        assert TITLE in texts[where], where
    assert HEADLINE_COMMITTED in texts["dashboard"]


def test_a_report_that_names_it_does_not_open_for_them(
    world, client, staff_juror, django_capture_on_commit_callbacks
):
    other = make_user(Role.STAFF)
    sign_in(client, other)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ministry/reports/", {"language": "en", "appendix": "on"})
    naming = ArchivedReport.objects.get(requested_by=other)
    assert world.grants[0].pk in set(naming.named_grants.values_list("pk", flat=True))
    sign_in(client, staff_juror)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ministry/reports/", {"language": "en", "appendix": "on"})
    own = ArchivedReport.objects.get(requested_by=staff_juror)

    archive = client.get("/ministry/reports/").content.decode()

    assert f'href="/ministry/reports/{own.pk}/"' in archive
    assert f'href="/ministry/reports/{naming.pk}/"' not in archive
    for suffix in ("", "status/", "download/"):
        assert client.get(f"/ministry/reports/{naming.pk}/{suffix}").status_code == 404
        assert client.get(f"/ministry/reports/{own.pk}/{suffix}").status_code == 200
    sign_in(client, other)
    assert client.get(f"/ministry/reports/{own.pk}/download/").status_code == 200
    assert client.get(f"/ministry/reports/{naming.pk}/download/").status_code == 200


def test_the_selectors_and_the_rules_agree(world, staff_juror):
    """For every kind of reader, over two archived reports (the German one does not name
    G1); the reports are made once for all readers, as each takes seconds."""
    readers = {
        "ministry": make_user(Role.MINISTRY),
        "staff": make_user(Role.STAFF),
        "staff_juror": staff_juror,
        "juror": make_user(Role.JUROR),
        "applicant": world.applications[0].owner,
    }
    for language in ("en", "de"):
        archive_report(
            actor=None, origin="command", selection=ReportFilter(), language=language,
            appendix=language == "en",
        )  # fmt: skip
    ArchivedReport.objects.filter(language="de").get().named_grants.remove(world.grants[0])
    grants, reports = list(Grant.objects.all()), list(ArchivedReport.objects.all())

    projects_by_rule = {
        who: {g.pk for g in grants if user.has_perm("reporting.view_project", g)}
        for who, user in readers.items()
    }
    reports_by_rule = {
        who: {r.pk for r in reports if user.has_perm("reporting.view_archived_report", r)}
        for who, user in readers.items()
    }
    projects_by_selector = {
        who: set(funded_projects_for(user).values_list("pk", flat=True))
        for who, user in readers.items()
    }
    reports_by_selector = {
        who: set(archived_reports_for(user).values_list("pk", flat=True))
        for who, user in readers.items()
    }

    assert projects_by_selector == projects_by_rule
    assert reports_by_selector == reports_by_rule
    everything = {g.pk for g in world.grants}
    assert projects_by_rule == {
        "ministry": everything,
        "staff": everything,
        "staff_juror": everything - {world.grants[0].pk},
        "juror": set(),
        "applicant": set(),
    }
    assert {who: len(pks) for who, pks in reports_by_rule.items()} == {
        "ministry": 2,
        "staff": 2,
        "staff_juror": 1,
        "juror": 0,
        "applicant": 0,
    }
