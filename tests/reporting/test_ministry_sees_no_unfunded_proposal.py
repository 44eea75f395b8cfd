"""Ministry viewers see aggregates and funded projects only: no unfunded proposal (title or
reference), no grantee name they did not agree to publish, no bank details, on any page,
in any export, in the PDF and in the open data."""

import io
import json
import zipfile

import pytest

from reporting.models import ArchivedReport
from tests.reporting.helpers import ministry_client, pdf_text
from tests.reporting.world import HIDDEN_NAME

EXPORTS = ("key_figures", "applications_by_call", "money_by_call", "milestones_by_call",
           "by_topic", "by_quarter", "outcomes_by_topic", "delays", "collaborations",
           "collaborations_by_level", "follow_up", "projects", "project_index")  # fmt: skip


def xlsx_text(content: bytes) -> str:
    """Every string in a workbook (its shared and inline strings)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        )


@pytest.fixture
def everything_the_ministry_sees(world, client, django_capture_on_commit_callbacks):
    ministry_client(client)
    texts = {}
    for query in ("", "?call=2025-1", "?call=2026-1&topic=open-data", "?date_from=2026-01-01"):
        texts[f"dashboard{query}"] = client.get(f"/ministry/{query}").content.decode()
    for key in EXPORTS:
        texts[f"{key}.csv"] = client.get(f"/ministry/export/{key}.csv").content.decode()
        texts[f"{key}.xlsx"] = xlsx_text(client.get(f"/ministry/export/{key}.xlsx").content)
    texts["all.xlsx"] = xlsx_text(client.get("/ministry/export/all.xlsx").content)
    for grant in world.grants:
        texts[f"project {grant.pk}"] = client.get(
            f"/ministry/projects/{grant.pk}/"
        ).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ministry/reports/", {"language": "en", "appendix": "on"})
    report = ArchivedReport.objects.get()
    texts["report page"] = client.get(f"/ministry/reports/{report.pk}/").content.decode()
    download = client.get(f"/ministry/reports/{report.pk}/download/")
    texts["pdf"] = pdf_text(b"".join(download.streaming_content))
    texts["archive"] = client.get("/ministry/reports/").content.decode()
    texts["transparency"] = client.get("/transparency/").content.decode()
    texts["360giving"] = json.dumps(
        json.loads(b"".join(client.get("/open-data/360giving.json").streaming_content)),
        ensure_ascii=False,
    )
    return texts


def test_funded_projects_only_and_published_names_only_everywhere(
    world, everything_the_ministry_sees
):
    # One collection, three checks: making every page, export and PDF is slow.
    texts = everything_the_ministry_sees
    assert len(world.unfunded) >= 3 and len(texts) >= 5  # the loops below check something
    for application in world.unfunded:
        for where, text in texts.items():
            assert application.title not in text, where
            assert application.reference not in text, where
    for where, text in texts.items():
        assert HIDDEN_NAME not in text, where
        assert "DE89" not in text and "IBAN" not in text, where
    for where in ("dashboard", "projects.csv", "pdf", "transparency", "360giving"):
        assert "Open Transit Toolkit" in texts[where], where
        assert "Anna Beispiel" in texts[where], where  # she agreed to publication


def test_the_ministry_cannot_open_unfunded_applications(world, client):
    ministry_client(client)

    statuses = {
        a.reference: client.get(f"/applications/{a.pk}/").status_code for a in world.unfunded
    }
    assert set(statuses.values()) == {404} and len(statuses) == len(world.unfunded) >= 3
