"""Targets per indicator: staff set them for the fund or a call on their page (ministry
viewers and everyone else get 404), bad input changes nothing, every change is logged, and
the reports show each target against what was achieved."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.models import IndicatorTarget
from reporting.report import build_report
from reporting.services.targets import TARGETS_CHANGED, set_targets
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.reporting.helpers import ministry_client
from tests.reporting.world import TODAY
from workflow.models import TransitionLog


def staff_client(client):
    user = make_user(Role.STAFF, full_name="Jana Staff")
    sign_in(client, user)
    return client, user


def stored():
    return {
        (t.call_id, t.indicator): t.value
        for t in IndicatorTarget.objects.filter(value__isnull=False)
    }


def test_staff_set_the_funds_targets_on_their_page(world, client):
    _client, user = staff_client(client)

    page = client.get("/ministry/targets/").content.decode()
    response = client.post(
        "/ministry/targets/", {"repositories": "4", "committed": "200000.50", "datasets": ""}
    )

    assert 'name="repositories"' in page and "Targets of the whole fund" in page
    assert response.status_code == 302 and response.url == "/ministry/targets/"
    assert stored() == {
        (None, "repositories"): Decimal("4"),
        (None, "committed"): Decimal("200000.50"),
    }
    entry = TransitionLog.objects.get(action=TARGETS_CHANGED)
    assert (entry.object_id, entry.actor_id) == (world.fund.pk, user.pk)
    assert entry.data == {"changes": {"committed": [None, "200000.5"], "repositories": [None, "4"]}}


def test_a_calls_targets_are_its_own(world, client):
    staff_client(client)
    call_a = world.calls[0]

    response = client.post("/ministry/targets/?call=2025-1", {"repositories": "1"})

    assert response.url == "/ministry/targets/?call=2025-1"
    assert stored() == {(call_a.pk, "repositories"): Decimal("1")}
    page = client.get("/ministry/targets/?call=2025-1").content.decode()
    assert "Targets of Funding round 2025/1" in page and 'value="1"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "greater than or equal to 0"),
        ("²", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("1" * 30, "less than or equal to"),
        ("abc", "Enter a whole number."),
    ],
)
def test_bad_input_changes_nothing_and_says_why(world, client, value, message):
    staff_client(client)
    set_targets(actor=world.staff, fund=world.fund, values={"repositories": Decimal(3)})
    logged = TransitionLog.objects.filter(action=TARGETS_CHANGED).count()

    response = client.post("/ministry/targets/", {"repositories": value, "datasets": "2"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == {(None, "repositories"): Decimal("3")}
    assert TransitionLog.objects.filter(action=TARGETS_CHANGED).count() == logged


def test_clearing_a_target_keeps_its_row_and_logs_the_change(world):
    set_targets(actor=world.staff, fund=world.fund, values={"datasets": Decimal(5)})

    changes = set_targets(actor=world.staff, fund=world.fund, values={"datasets": None})
    again = set_targets(actor=world.staff, fund=world.fund, values={"datasets": None})

    assert changes == {"datasets": ["5", None]}
    assert again == {}
    assert IndicatorTarget.objects.get(indicator="datasets").value is None
    assert TransitionLog.objects.filter(action=TARGETS_CHANGED).count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"nonsense": Decimal(1)}, "There is no such indicator: nonsense."),
        ({"repositories": Decimal("1.5")}, "A target of a count is a whole number."),
        ({"committed": Decimal("-0.01")}, "A target lies between 0 and"),
        ({"committed": Decimal(10**12 + 1)}, "A target lies between 0 and"),
    ],
)
def test_the_service_refuses_impossible_targets(world, values, message):
    with pytest.raises(WorkflowError, match=message):
        set_targets(actor=world.staff, fund=world.fund, values=values)

    assert not IndicatorTarget.objects.exists()


def test_only_staff_may_set_targets(world):
    ministry = make_user(Role.MINISTRY)

    with pytest.raises(WorkflowError, match="You may not set targets."):
        set_targets(actor=ministry, fund=world.fund, values={"datasets": Decimal(1)})

    assert not IndicatorTarget.objects.exists()


def test_a_call_of_another_fund_is_refused(world):
    from tests.factories import CallFactory, FundFactory

    other = CallFactory(fund=FundFactory(name="Other fund", reference_prefix="OF"))

    with pytest.raises(WorkflowError, match="another fund"):
        set_targets(actor=world.staff, fund=world.fund, call=other, values={"datasets": Decimal(1)})


def test_ministry_viewers_read_targets_in_the_report_but_cannot_open_the_page(world, client):
    call_a = world.calls[0]
    set_targets(actor=world.staff, fund=world.fund, values={"repositories": Decimal(4),
                                                           "committed": Decimal("270000")})  # fmt: skip
    set_targets(actor=world.staff, fund=world.fund, call=call_a, values={"datasets": Decimal(2)})
    ministry_client(client)

    page = client.get("/ministry/").content.decode()

    assert client.get("/ministry/targets/").status_code == 404
    assert 'id="table-targets"' in page
    assert "Set the targets per indicator" not in page


def test_targets_against_what_was_achieved(world):
    call_a = world.calls[0]
    set_targets(actor=world.staff, fund=world.fund, values={"repositories": Decimal(4),
                                                           "committed": Decimal("270000")})  # fmt: skip
    set_targets(actor=world.staff, fund=world.fund, call=call_a, values={"datasets": Decimal(2)})
    data = report_data.load()

    def rows(selection):
        report = build_report(data, selection, language="en", today=TODAY,
                              made_at=timezone.now(), fund_name="CTF")  # fmt: skip
        return report.tables["targets"].rows

    assert rows(ReportFilter()) == [
        ["Committed", "The whole fund", Decimal("270000"), Decimal("135000.00"), 0.5],
        ["Code repositories under an open licence", "The whole fund", 4, 2, 0.5],
        ["Datasets opened", "Funding round 2025/1", 2, 1, 0.5],
    ]
    # A call's report shows that call's targets only, against that call.
    assert rows(ReportFilter(call="2025-1")) == [
        ["Datasets opened", "Funding round 2025/1", 2, 1, 0.5],
    ]
    assert rows(ReportFilter(call="2026-1")) == []


def test_the_executive_summary_counts_the_targets_reached(world):
    set_targets(actor=world.staff, fund=world.fund, values={
        "repositories": Decimal(2),  # 2 released: reached exactly
        "datasets": Decimal(1),  # 2 opened: more than reached
        "committed": Decimal("270000"),  # half
        "releases": Decimal(0),  # a target of nothing has no share and is not counted
    })  # fmt: skip
    set_targets(actor=world.staff, fund=world.fund, call=world.calls[0],
                values={"datasets": Decimal(1)})  # fmt: skip
    data = report_data.load()

    def summary(selection):
        report = build_report(data, selection, language="en", today=TODAY,
                              made_at=timezone.now(), fund_name="CTF")  # fmt: skip
        shares = [(row[0], row[1], row[-1]) for row in report.tables["targets"].rows]
        return shares, {p.heading: p.text for p in report.executive}["Targets"]

    shares, text = summary(ReportFilter())
    assert shares == [
        ("Committed", "The whole fund", 0.5),
        ("Datasets opened", "The whole fund", 2.0),
        ("Releases", "The whole fund", None),
        ("Code repositories under an open licence", "The whole fund", 1.0),
        ("Datasets opened", "Funding round 2025/1", 1.0),
    ]
    assert text == "3 of 5 targets set by the fund's staff are reached."
    assert summary(ReportFilter(call="2025-1")) == (
        [("Datasets opened", "Funding round 2025/1", 1.0)],
        "1 of 1 target set by the fund's staff is reached.",
    )
