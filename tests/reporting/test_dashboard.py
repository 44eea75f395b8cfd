"""The ministry's dashboard, exports and project pages: what they show, with filters and
bad input, and a fixed number of queries however many rows there are."""

import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from reporting.tables import format_cell
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.reporting.helpers import ministry_client
from tests.reporting.world import HIDDEN_NAME, UNFUNDED_TITLES


def cells(value, kind):
    with translation.override("en"):
        return format_cell(value, kind)


def test_the_dashboard_shows_the_headline_figures_tables_and_charts(world, client):
    ministry_client(client)

    page = client.get("/ministry/").content.decode()

    assert "<h1>Reports for the ministry</h1>" in page
    for value, kind in (
        (8, "count"),
        (0.4, "percent"),
        (135000, "euro"),
        (85000, "euro"),
        (50000, "euro"),
    ):
        assert f'<span class="figure-value">{cells(value, kind)}</span>' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 4
    assert (
        '<desc id="chart-money-desc">Committed and disbursed by call. Funding round 2025/1: Committed'
        in page
    )
    for key in ("key_figures", "money_by_call", "applications_by_call", "by_topic", "by_quarter",
                "milestones_by_call", "delays", "outcomes_by_topic", "collaborations_by_level",
                "collaborations", "follow_up", "projects"):  # fmt: skip
        assert f'id="table-{key}"' in page
        assert f'href="/ministry/export/{key}.csv"' in page
        assert f'href="/ministry/export/{key}.xlsx"' in page
    assert "A team member was ill." in page
    assert f'<a href="/ministry/projects/{world.grants[0].pk}/">' in page


def test_filters_narrow_the_figures_and_the_download_links(world, client):
    ministry_client(client)

    page = client.get(
        "/ministry/", {"call": "2026-1", "topic": "data-security", "date_from": "2026-01-01"}
    ).content.decode()

    query = "call=2026-1&amp;topic=data-security&amp;date_from=2026-01-01"
    assert f'href="/ministry/export/key_figures.csv?{query}"' in page
    assert (
        '<span class="figure-value">1</span> <span class="figure-label">Applications received'
        in page
    )
    assert "Open Transit Toolkit" not in page and "Secure Whistleblower Box" in page
    assert '<input type="hidden" name="call" value="2026-1">' in page


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-99-01"},
        {"date_from": "0001-01-01"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"call": "no-such-call"},
        {"topic": "x" * 10_000},
        {"call": "javascript:alert(1)"},
    ],
)
def test_bad_filters_are_explained_and_show_everything(world, client, params):
    ministry_client(client)

    response = client.get("/ministry/", params)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The selection was not applied" in page
    assert f'<span class="figure-value">{cells(8, "count")}</span>' in page
    assert "javascript:alert" not in page.split("<main")[1].split("</form>")[1]


def test_csv_export_with_the_filters(world, client):
    ministry_client(client)

    response = client.get("/ministry/export/money_by_call.csv", {"call": "2025-1"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ctf-money_by_call-call-2025-1-2026-06-15.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        'Call,Grant agreements signed,Committed,Disbursed,"Committed, not yet disbursed",'
        "Spent according to proof of use",
        "Funding round 2025/1,2,85000.00,85000.00,0.00,0.00",
    ]


def test_xlsx_export_has_a_header_row_and_typed_cells(world, client):
    ministry_client(client)

    response = client.get("/ministry/export/delays.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["About this export", "Delays and their reasons"]
    sheet = workbook["Delays and their reasons"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Funding reference", "Project", "Milestone", "Due on", "Reported on",
                       "Days late", "Reasons given by the grantee")  # fmt: skip
    first = sheet[2]
    assert first[3].is_date and first[3].value.date().isoformat() == "2026-06-01"
    assert first[4].value is None
    assert (first[5].value, first[5].number_format) == (14, "#,##0")
    assert sheet.freeze_panes == "A2"
    assert rows[1][6] == "A team member was ill."


def test_the_workbook_of_all_tables_types_euros_and_shares(world, client):
    ministry_client(client)

    response = client.get("/ministry/export/all.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 1 + 21  # the tables, the applications per stage and
    # the two calls' tables by track among them
    assert {"Funding round 2025 1", "Funding round 2026 1"} <= set(workbook.sheetnames)
    # Every sheet name whole or cut at a word, none a copy of another.
    assert [name for name in workbook.sheetnames if re.search(r" \(\d+\)$", name)] == []
    assert "Collaborations by level of…" in workbook.sheetnames
    assert workbook.sheetnames.count("Funded projects") == 1
    key = workbook["Key figures"]
    rows = {row[0].value: row[1] for row in key.iter_rows(min_row=2)}
    assert (rows["Committed"].value, rows["Committed"].number_format) == (135000, '"€"#,##0.00')
    rate = rows["Acceptance rate (decided calls)"]
    assert (rate.value, rate.number_format) == (0.4, "0.0%")
    assert rows["Applications received"].value == 8


@pytest.mark.parametrize("url", ["/ministry/export/nothing.csv", "/ministry/export/all.csv"])
def test_unknown_exports_are_not_found(world, client, url):
    ministry_client(client)

    assert client.get(url).status_code == 404


def test_exports_refuse_bad_filters(world, client):
    ministry_client(client)

    assert (
        client.get("/ministry/export/key_figures.csv", {"date_to": "9999-99-99"}).status_code == 404
    )


def test_the_project_page_is_the_one_page_summary(world, client):
    ministry_client(client)
    g1, _g2, g3 = world.grants

    page = client.get(f"/ministry/projects/{g1.pk}/").content.decode()
    hidden = client.get(f"/ministry/projects/{g3.pk}/").content.decode()

    assert "Open Transit Toolkit" in page and "Anna Beispiel" in page
    assert (
        "Public bodies working with it: Land Berlin (Partners with the project), "
        "Stadt Ulm (Uses the result in operation)." in page
    )
    assert "Follow-up funding:" in page and "Land NRW" in page
    assert HIDDEN_NAME not in hidden
    assert "Not published (the grantee has not agreed to publication)" in hidden


def test_unfunded_applications_have_no_project_page(world, client):
    ministry_client(client)
    approved = world.applications[6]
    from tests.factories import make_grant

    grant = make_grant(approved, state="approved")

    assert client.get(f"/ministry/projects/{grant.pk}/").status_code == 404
    assert client.get("/ministry/projects/999999/").status_code == 404


def test_staff_see_the_same_dashboard(world, client):
    sign_in(client, make_user(Role.STAFF))

    page = client.get("/ministry/").content.decode()

    assert f'<span class="figure-value">{cells(8, "count")}</span>' in page
    for title in UNFUNDED_TITLES:
        assert title not in page
