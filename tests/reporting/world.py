"""A hand-built data set for the ministry's figures, with every expected figure worked out
by hand (see EXPECTED below). "Today" is 15 June 2026 (TODAY); tests travel there.

Two calls (2025/1 and 2026/1), eight submitted applications and a draft; three signed
grants: G1 completed (open code and data, a public body reported twice under two spellings,
a late second milestone, follow-up funding), G2 terminated (half released and paid, the
rest cancelled, code without a licence), G3 running (one milestone accepted, one overdue
with a change request, one not due yet). A7 is approved but its agreement is not signed:
an unfunded proposal that only counts, never shows."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

from accounts.roles import Role
from grants.models import (
    Application,
    Call,
    ChangeRequest,
    FinalReport,
    GovernmentCollaboration,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
    ReportLink,
)
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    FundFactory,
    TopicFactory,
    make_grant,
    make_user,
)
from workflow.audit import log_event

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=BERLIN)
UNFUNDED_TITLES = (
    "Rejected Secret Rainbow Parser",
    "Ineligible Hidden Onion Router",
    "Withdrawn Quiet Ledger",
    "Approved But Unsigned Lantern",
    "Reviewing Unseen Compass",
    "Draft Private Notebook",
)
HIDDEN_NAME = "Bernd Geheimname"  # G3's grantee did not consent to publication


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


EXPECTED = {
    # No window: everything until TODAY.
    "all": {
        "received": 8,
        "eligible": 7,
        "approved": 4,  # A1, A2, A6 and A7 (approved, not signed)
        "funded": 3,
        "decided_received": 5,  # the 2026 call is still in review
        "decided_approved": 2,
        "acceptance_rate": 0.4,
        "requested": 32_500_000,  # cents
        "grants_signed": 3,
        "committed": 13_500_000,  # 40,000 + 45,000 released of G2's 90,000 + 50,000
        "disbursed": 8_500_000,
        "gap": 5_000_000,
        "spent": 0,  # no proof of use accepted (tests/reporting/test_proof_of_use_figure.py)
        "milestones_due": 5,  # G3's third is due on 31 August 2026
        "on_time": 2,
        "late": 3,
        "pending": 1,
        "accepted": 4,
        "repositories": 2,
        "datasets": 2,
        "releases": 5,
        "security_audits": 3,
        "vulnerabilities_fixed": 8,
        "users_reached": 300,
        "organisations_reached": 3,
        "contributors": 8,
        "collaborations": 3,
        "collaborating_projects": 2,
        "public_bodies": 3,
        "follow_up_projects": 1,
        "follow_up_funding": 2_500_000,
    },
    # The year 2025.
    "2025": {
        "received": 5,
        "eligible": 4,
        "approved": 2,
        "funded": 2,
        "decided_received": 5,
        "decided_approved": 2,
        "acceptance_rate": 0.4,
        "requested": 20_500_000,
        "grants_signed": 2,
        "committed": 8_500_000,
        "disbursed": 8_500_000,
        "gap": 0,
        "spent": 0,
        "milestones_due": 3,
        "on_time": 1,
        "late": 2,
        "pending": 0,
        "accepted": 3,
        "repositories": 1,
        "datasets": 1,
        "releases": 4,
        "security_audits": 1,
        "vulnerabilities_fixed": 3,
        "users_reached": 260,
        "organisations_reached": 2,
        "contributors": 6,
        "collaborations": 2,
        "collaborating_projects": 1,
        "public_bodies": 2,
        "follow_up_projects": 1,
        "follow_up_funding": 2_500_000,
    },
}


def _application(call, topic, title, requested, submitted_on, state, owner=None):
    application = ApplicationFactory(
        call=call,
        topic=topic,
        title=title,
        requested_amount=Decimal(requested),
        **({"owner": owner} if owner else {}),
    )
    Application.objects.filter(pk=application.pk).update(
        state=state, submitted_at=at(submitted_on) if submitted_on else None
    )
    application.refresh_from_db()
    return application


def _milestone(grant, position, *, due, amount, reported=None, accepted=None, state="planned"):
    milestone = Milestone.objects.get(grant=grant, position=position)
    Milestone.objects.filter(pk=milestone.pk).update(
        due_on=d(due),
        amount=Decimal(amount),
        state=state,
        first_reported_at=at(d(reported)) if reported else None,
        accepted_at=at(d(accepted)) if accepted else None,
    )
    milestone.refresh_from_db()
    return milestone


def _report(milestone, version, *, submitted, problems="", links=(), bodies=(), **indicators):
    report = MilestoneReport.objects.create(
        milestone=milestone,
        version=version,
        delivered="Delivered as planned.",
        problems=problems,
        submitted_at=at(d(submitted)) if submitted else None,
        **indicators,
    )
    for kind, url, licence in links:
        ReportLink.objects.create(report=report, kind=kind, url=url, licence=licence)
    for body, level, kind in bodies:
        GovernmentCollaboration.objects.create(report=report, body=body, level=level, kind=kind)
    return report


def _payments(grant, milestone, staff, *, released, paid=None):
    with time_machine.travel(at(d(released)), tick=False):
        Payment.objects.create(
            grant=grant, milestone=milestone, kind="released", amount=milestone.amount,
            created_by=staff,
        )  # fmt: skip
    if paid:
        Payment.objects.create(
            grant=grant, milestone=milestone, kind="paid", amount=milestone.amount,
            created_by=staff, paid_on=d(paid), bank_reference=f"SEPA-{milestone.pk}",
        )  # fmt: skip


def _grant(application, *, amounts, starts, ends, signed, consent):
    submitted_at = application.submitted_at
    grant = make_grant(application, state=application.state, amounts=amounts, starts_on=d(starts))
    Grant.objects.filter(pk=grant.pk).update(
        ends_on=d(ends), accepted_at=at(d(signed)), publication_consent=consent
    )
    Application.objects.filter(pk=application.pk).update(
        submitted_at=submitted_at, decided_at=at(d(signed)) - dt.timedelta(days=20)
    )
    grant.refresh_from_db()
    return grant


def build_world() -> SimpleNamespace:
    fund = FundFactory()
    topics = {
        "open-data": TopicFactory(fund=fund, slug="open-data", name_de="Offene Daten", name_en="Open Data"),
        "civic-tech": TopicFactory(fund=fund, slug="civic-tech", name_de="Civic Tech", name_en="Civic Tech"),
        "data-security": TopicFactory(fund=fund, slug="data-security", name_de="Datensicherheit", name_en="Data Security"),
    }  # fmt: skip
    od, ct, ds = topics["open-data"], topics["civic-tech"], topics["data-security"]
    staff = make_user(Role.STAFF, full_name="Jonas Becker")
    call_a = CallFactory(fund=fund, slug="2025-1", year=2025, round_number=1,
                         title_en="Funding round 2025/1", title_de="Förderrunde 2025/1")  # fmt: skip
    call_b = CallFactory(fund=fund, slug="2026-1", year=2026, round_number=1,
                         title_en="Funding round 2026/1", title_de="Förderrunde 2026/1")  # fmt: skip
    # The 2025 call has been decided (budget €200,000); the 2026 call is still in review.
    Call.objects.filter(pk=call_a.pk).update(state="decided", budget=Decimal("200000"))
    Call.objects.filter(pk=call_b.pk).update(state="in_review", budget=Decimal("150000"))
    anna = make_user(Role.APPLICANT, full_name="Anna Beispiel")
    bernd = make_user(Role.APPLICANT, full_name=HIDDEN_NAME)
    a1 = _application(
        call_a, od, "Open Transit Toolkit", "40000", d("2025-02-10"), "completed", anna
    )
    a2 = _application(call_a, ct, "Civic Petition Tracker", "90000", d("2025-02-11"), "terminated")
    a3 = _application(call_a, od, UNFUNDED_TITLES[0], "30000", d("2025-02-12"), "rejected")
    a4 = _application(call_a, ds, UNFUNDED_TITLES[1], "20000", d("2025-02-13"), "ineligible")
    a5 = _application(call_a, ct, UNFUNDED_TITLES[2], "25000", d("2025-02-14"), "withdrawn")
    a6 = _application(
        call_b, ds, "Secure Whistleblower Box", "50000", d("2026-01-20"), "funded", bernd
    )
    a7 = _application(call_b, od, UNFUNDED_TITLES[3], "60000", d("2026-01-21"), "approved")
    a8 = _application(call_b, ct, UNFUNDED_TITLES[4], "10000", d("2026-01-22"), "in_review")
    a9 = _application(call_b, od, UNFUNDED_TITLES[5], "15000", None, "draft")  # fmt: skip
    with time_machine.travel(at(d("2025-03-01")), tick=False):
        log_event(subject=a5, action="grants.application.screened_eligible", actor=staff,
                  from_state="submitted", to_state="eligible")  # fmt: skip
    Application.objects.filter(pk=a7.pk).update(awarded_amount=Decimal("60000"))

    g1 = _grant(a1, amounts=("20000.00", "20000.00"), starts="2025-04-01", ends="2025-09-30",
                signed="2025-04-01", consent=True)  # fmt: skip
    g1m1 = _milestone(g1, 1, due="2025-05-31", amount="20000.00", reported="2025-05-30",
                      accepted="2025-06-05", state="paid")  # fmt: skip
    g1m2 = _milestone(g1, 2, due="2025-09-30", amount="20000.00", reported="2025-10-10",
                      accepted="2025-10-15", state="paid")  # fmt: skip
    _report(g1m1, 1, submitted="2025-05-30", releases=2, users_reached=100, contributors=3,
            organisations_reached=1,
            links=[("repository", "https://code.example/g1", "MIT"),
                   ("dataset", "https://data.example/d1", "CC-BY-4.0"),
                   ("documentation", "https://docs.example/g1", "")],
            bodies=[("Stadt Ulm", "municipal", "adopts")])  # fmt: skip
    _report(g1m2, 1, submitted="2025-10-10", releases=5, users_reached=900, contributors=9,
            organisations_reached=9)  # superseded by version 2  # fmt: skip
    _report(g1m2, 2, submitted="2025-10-12", problems="The partner city delivered data late.",
            releases=1, users_reached=250, contributors=4, organisations_reached=2,
            links=[("repository", "https://code.example/g1/", "MIT")],
            bodies=[(" stadt  ulm ", "municipal", "adopts"), ("Land Berlin", "state", "partner")])  # fmt: skip
    _payments(g1, g1m1, staff, released="2025-06-05", paid="2025-06-10")
    _payments(g1, g1m2, staff, released="2025-10-15", paid="2025-10-20")
    FinalReport.objects.create(grant=g1, state="accepted", summary="It works in three cities.",
                               submitted_at=at(d("2025-11-01")), follow_up_funding=Decimal("25000"),
                               follow_up_funder="Land NRW")  # fmt: skip

    g2 = _grant(a2, amounts=("45000.00", "45000.00"), starts="2025-04-01", ends="2026-01-31",
                signed="2025-04-02", consent=True)  # fmt: skip
    g2m1 = _milestone(g2, 1, due="2025-06-30", amount="45000.00", reported="2025-07-15",
                      accepted="2025-07-20", state="paid")  # fmt: skip
    _milestone(g2, 2, due="2025-10-31", amount="45000.00", state="cancelled")
    _report(g2m1, 1, submitted="2025-07-15", releases=1, security_audits=1,
            vulnerabilities_fixed=3, users_reached=10, contributors=2,
            links=[("repository", "https://code.example/g2", "")])  # fmt: skip
    _payments(g2, g2m1, staff, released="2025-07-20", paid="2025-07-25")
    with time_machine.travel(at(d("2025-11-15")), tick=False):
        log_event(subject=a2, action="grants.application.terminated", actor=staff,
                  from_state="funded", to_state="terminated")  # fmt: skip

    g3 = _grant(a6, amounts=("25000.00", "15000.00", "10000.00"), starts="2026-03-01",
                ends="2026-08-31", signed="2026-03-01", consent=False)  # fmt: skip
    g3m1 = _milestone(g3, 1, due="2026-04-30", amount="25000.00", reported="2026-04-28",
                      accepted="2026-05-02", state="accepted")  # fmt: skip
    g3m2 = _milestone(g3, 2, due="2026-06-01", amount="15000.00")
    _milestone(g3, 3, due="2026-08-31", amount="10000.00")
    _report(g3m1, 1, submitted="2026-04-28", releases=1, security_audits=2,
            vulnerabilities_fixed=5, users_reached=40, contributors=2, organisations_reached=1,
            links=[("dataset", "https://data.example/d3", "DL-DE-BY-2.0"),
                   ("repository", "https://code.example/g3", "GPL-3.0-or-later")],
            bodies=[("BSI", "federal", "partner")])  # fmt: skip
    _payments(g3, g3m1, staff, released="2026-05-02")
    with time_machine.travel(at(d("2026-05-25")), tick=False):
        ChangeRequest.objects.create(grant=g3, kind="milestone_date", milestone=g3m2,
                                     old_date=d("2026-06-01"), new_date=d("2026-06-22"),
                                     reason="A team member was ill.", requested_by=bernd)  # fmt: skip
    return SimpleNamespace(
        fund=fund, topics=topics, staff=staff, calls=(call_a, call_b),
        applications=(a1, a2, a3, a4, a5, a6, a7, a8, a9), grants=(g1, g2, g3),
        unfunded=(a3, a4, a5, a7, a8, a9),
    )  # fmt: skip
