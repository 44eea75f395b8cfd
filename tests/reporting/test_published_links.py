"""A project's links can name its grantee (a code repository under a personal account:
github.com/<name>/…): the transparency page, the 360Giving export (URL and command) and
the ministry's pages show them only when the grantee consented to publication, like the
name itself. In the world, G1's grantee consented and G3's did not."""

import io
import json

import pytest
from django.core.management import call_command

from grants.models import Application, Grant, ReportLink
from tests.reporting.helpers import ministry_client

PERSONAL_REPOSITORY = "https://github.com/bernd-geheimname/whistleblower-box"
PERSONAL_PROPOSAL_REPOSITORY = "https://gitlab.com/bgeheimname/whistleblower-box"
CONSENTED_REPOSITORY = "https://code.example/g1"


@pytest.fixture
def personal_links(world):
    """G3 (no consent) reported a repository under the grantee's own account, and named
    another one in the proposal."""
    g3 = world.grants[2]
    ReportLink.objects.filter(report__milestone__grant=g3, kind="repository").update(
        url=PERSONAL_REPOSITORY
    )
    Application.objects.filter(pk=g3.application_id).update(
        repository_url=PERSONAL_PROPOSAL_REPOSITORY
    )
    return g3


def command_export(tmp_path) -> dict:
    target = tmp_path / "grants.json"
    call_command("export_360giving", "--output", str(target), stdout=io.StringIO())
    return json.loads(target.read_text())


def served_export(client) -> dict:
    response = client.get("/open-data/360giving.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def related_documents(document, grant) -> list:
    (record,) = [g for g in document["grants"] if g["id"].endswith(grant.funding_reference)]
    return record.get("relatedDocument", [])


def test_360giving_links_code_only_of_grantees_who_consented(
    world, personal_links, client, tmp_path
):
    g1 = world.grants[0]

    documents = [command_export(tmp_path), served_export(client)]
    assert all(document["grants"] for document in documents)  # the loop checks something
    for document in documents:
        text = json.dumps(document)
        assert PERSONAL_REPOSITORY not in text
        assert PERSONAL_PROPOSAL_REPOSITORY not in text
        assert related_documents(document, personal_links) == []
        assert [d["url"] for d in related_documents(document, g1)] == [CONSENTED_REPOSITORY]


def test_the_transparency_page_links_code_only_of_grantees_who_consented(
    world, personal_links, client
):
    page = client.get("/transparency/").content.decode()

    assert PERSONAL_REPOSITORY not in page
    assert PERSONAL_PROPOSAL_REPOSITORY not in page
    assert f'<a href="{CONSENTED_REPOSITORY}">' in page


def test_with_consent_the_same_links_are_published(world, personal_links, client, tmp_path):
    Grant.objects.filter(pk=personal_links.pk).update(publication_consent=True)

    page = client.get("/transparency/").content.decode()
    document = command_export(tmp_path)

    assert f'<a href="{PERSONAL_REPOSITORY}">' in page
    assert [d["url"] for d in related_documents(document, personal_links)] == [PERSONAL_REPOSITORY]


def test_the_ministry_pages_show_the_code_link_only_with_consent(world, personal_links, client):
    ministry_client(client)
    g1 = world.grants[0]

    hidden = client.get(f"/ministry/projects/{personal_links.pk}/").content.decode()
    shown = client.get(f"/ministry/projects/{g1.pk}/").content.decode()
    projects_csv = client.get("/ministry/export/projects.csv").content.decode()

    assert PERSONAL_PROPOSAL_REPOSITORY not in hidden
    assert PERSONAL_PROPOSAL_REPOSITORY not in projects_csv
    assert personal_links.funding_reference in projects_csv
    assert 'class="url" href="https://codeberg.org/example/toolkit"' in shown
