"""What reporting.data reads from the database, and how: calls with their state and budget,
approvals (a declined award included), money in cents, local days, links only when safe
and consented, the texts of the appendix; and the plain helpers it uses."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from grants.models import Application, Grant
from reporting import data
from reporting.data import CallInfo, ReportData, TopicInfo
from reporting.figures import Frames
from reporting.project_texts import load_project_texts
from tests.reporting.world import d


def test_calls_carry_their_state_budget_and_year(world):
    loaded = data.load()
    call_a, call_b = world.calls

    assert loaded.calls[call_a.pk].decided is True
    assert loaded.calls[call_b.pk].decided is False
    assert (loaded.calls[call_a.pk].budget, loaded.calls[call_b.pk].budget) == (
        20_000_000, 15_000_000,
    )  # fmt: skip
    frame = loaded.frames.calls.set_index("call_id")
    assert frame.loc[call_a.pk].tolist() == [2025, True, 20_000_000]
    assert frame.loc[call_b.pk].tolist() == [2026, False, 15_000_000]


def test_approved_are_the_decisions_to_fund_a_declined_award_included(world):
    a7 = world.applications[6]  # approved, agreement not signed
    a8 = world.applications[7]  # in review
    # A7's grantee declines: the application is withdrawn, the decision stays an approval.
    from tests.factories import make_grant

    make_grant(a7, state="approved", amounts=("60000.00",))
    Grant.objects.filter(application=a7).update(declined_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    Application.objects.filter(pk=a7.pk).update(state="withdrawn")

    applications = data.load().frames.applications.set_index("app_id")

    assert bool(applications.loc[a7.pk, "approved"]) is True
    assert bool(applications.loc[a7.pk, "funded"]) is False
    assert bool(applications.loc[a8.pk, "approved"]) is False
    assert int(applications["approved"].sum()) == 4


def test_the_texts_of_the_appendix_only_for_published_grants(world):
    g1, _g2, g3 = world.grants
    unfunded = world.applications[6]

    texts = load_project_texts([g1.pk, g3.pk, 10**9])

    assert set(texts) == {g1.pk, g3.pk}
    assert texts[g1.pk]["final_summary"] == "It works in three cities."
    assert texts[g3.pk]["final_summary"] == ""  # no accepted final report
    assert texts[g1.pk]["description"] == g1.application.summary
    assert unfunded.pk not in texts


def test_a_grants_code_link_needs_consent_and_a_web_address(world):
    grants = data.load().frames.grants.set_index("grant_id")
    g1, _g2, g3 = world.grants

    assert grants.loc[g1.pk, "code_url"] == "https://codeberg.org/example/toolkit"
    assert grants.loc[g3.pk, "code_url"] == ""  # no consent to publication
    assert grants.loc[g3.pk, "recipient"] == ""


def test_collaborations_carry_what_the_public_body_does(world):
    from grants.models import GovernmentCollaboration

    GovernmentCollaboration.objects.filter(body="BSI").update(description="Runs it for tips.")

    collaborations = data.load().frames.collaborations

    assert collaborations.loc[collaborations["body"] == "BSI", "description"].tolist() == [
        "Runs it for tips."
    ]
    assert set(collaborations["description"]) == {"", "Runs it for tips."}


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://code.example/x", "https://code.example/x"),
        ("  http://code.example/x  ", "http://code.example/x"),
        ("HTTPS://CODE.EXAMPLE", "HTTPS://CODE.EXAMPLE"),
        ("javascript:alert(1)", ""),
        ("ftp://files.example", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_web_addresses_become_links(url, safe):
    assert data.safe_url(url) == safe


def test_consented_links_lose_their_trailing_slash_and_need_consent():
    assert data.consented_link(True, " https://code.example/x/ ") == "https://code.example/x"
    assert data.consented_link(False, "https://code.example/x") == ""
    assert data.consented_link(True, "javascript:alert(1)") == ""


def test_cents_are_exact():
    assert data.cents(Decimal("47500.50")) == 4_750_050
    assert data.cents(Decimal("0.01")) == 1
    assert data.cents(None) == 0


def test_moments_become_berlin_days():
    berlin = ZoneInfo("Europe/Berlin")
    moments = [
        dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),  # 00:30 on 1 April in Berlin
        dt.datetime(2026, 1, 1, 0, 0, tzinfo=berlin),
        None,
    ]

    days = data.local_days(moments)

    assert days.iloc[0] == pd.Timestamp("2026-04-01")
    assert days.iloc[1] == pd.Timestamp("2026-01-01")
    assert pd.isna(days.iloc[2])
    assert str(days.dtype) == "datetime64[s]"
    assert data.days([d("2026-02-28"), None]).iloc[0] == pd.Timestamp("2026-02-28")


def test_calls_and_topics_in_their_order_and_language():
    calls = {
        1: CallInfo(1, "2025-2", "Runde 2025/2", "Round 2025/2", 2025, 2, "decided", 100),
        2: CallInfo(2, "2026-1", "Runde 2026/1", "Round 2026/1", 2026, 1, "open", 0),
        3: CallInfo(3, "2025-1", "Runde 2025/1", "Round 2025/1", 2025, 1, "archived", 0),
    }
    topics = {1: TopicInfo(1, "open-data", "Offene Daten", "Open Data"),
              2: TopicInfo(2, "civic-tech", "Civic Tech", "Civic Tech")}  # fmt: skip
    loaded = ReportData(frames=Frames(), calls=calls, topics=topics)

    assert [c.slug for c in loaded.ordered_calls()] == ["2026-1", "2025-2", "2025-1"]
    assert [t.slug for t in loaded.ordered_topics()] == ["civic-tech", "open-data"]
    assert (calls[1].title("de"), calls[1].title("en")) == ("Runde 2025/2", "Round 2025/2")
    assert (topics[1].name("de"), topics[1].name("en")) == ("Offene Daten", "Open Data")
    assert [c.decided for c in calls.values()] == [True, False, True]
    frame = data.calls_frame(calls.values())
    assert frame["decided"].tolist() == [True, False, True]
    assert frame["budget"].tolist() == [100, 0, 0]
    assert str(frame["budget"].dtype) == "int64"
