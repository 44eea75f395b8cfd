"""A data set at the limits the forms allow, for the PDF's layout test: every name as long as
its field takes (project and milestone titles, calls, topics, public bodies, funders,
grantees, funding references, web addresses) and the largest amounts (awards at the
€10,000,000 cap of the amount fields, budgets and follow-up funding at the twelve digits the
money fields hold). The texts are made of ordinary words (none longer than a column of the
narrowest table can hold), so that a word split across lines is a layout defect."""

import datetime as dt
from decimal import Decimal
from itertools import cycle

from accounts.roles import Role
from grants.models import Application, Call, FinalReport, Grant, Topic
from tests.factories import CallFactory, FundFactory, make_user
from tests.reporting.world import _application, _grant, _milestone, _payments, _report, d

WORDS_EN = ("municipal", "transparency", "infrastructure", "open", "data", "platform",
            "accessible", "neighbourhood", "participation", "budget", "visualisation",
            "interoperable", "registry", "civic", "security", "audit")  # fmt: skip
WORDS_DE = ("kommunale", "Transparenz", "Infrastruktur", "offene", "Daten", "Plattform",
            "barrierefreie", "Nachbarschaft", "Beteiligung", "Haushalt", "Visualisierung",
            "Schnittstellen", "Register", "Sicherheit", "Prüfung", "Verwaltung")  # fmt: skip
LARGEST_AMOUNT = Decimal("10000000.00")  # core.forms.MAX_AMOUNT: awards and milestones
LARGEST_MONEY = Decimal("9999999999.99")  # twelve digits: budgets, follow-up funding
LARGEST_COUNT = 100_000_000  # the report form's bound of users, releases …


def long_text(length: int, words=WORDS_EN, start: int = 0) -> str:
    """Ordinary words up to exactly ``length`` characters (the last word cut to fit)."""
    parts, size = [], 0
    source = cycle(words[start:] + words[:start])
    while size < length:
        word = next(source)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:length].rstrip()


def build_extremes(*, grants: int = 4):
    fund = FundFactory()
    topics = [
        Topic.objects.create(
            fund=fund,
            slug=slug,
            name_de=long_text(100, WORDS_DE, index),
            name_en=long_text(100, WORDS_EN, index),
        )
        for index, slug in enumerate(("open-data", "civic-tech", "data-security"))
    ]
    staff = make_user(Role.STAFF, full_name=long_text(200, start=3))
    calls = []
    for number in (1, 2):
        call = CallFactory(
            fund=fund, slug=f"2025-{number}", year=2025, round_number=number,
            title_de=long_text(200, WORDS_DE, number), title_en=long_text(200, WORDS_EN, number),
        )  # fmt: skip
        Call.objects.filter(pk=call.pk).update(state="decided", budget=LARGEST_MONEY)
        calls.append(call)
    made = []
    for index in range(grants):
        call, topic = calls[index % 2], topics[index % 3]
        owner = make_user(Role.APPLICANT, full_name=f"Grantee {index}")
        application = _application(
            call, topic, long_text(200, start=index + 5), LARGEST_AMOUNT, d("2025-02-10"),
            "funded" if index % 2 else "completed", owner,
        )  # fmt: skip
        Application.objects.filter(pk=application.pk).update(
            repository_url="https://code.example/" + "a" * 470 + f"/{index}"
        )
        grant = _grant(
            application, amounts=("2000000.00",) * 5, starts="2025-04-01", ends="2026-09-30",
            signed="2025-04-01", consent=True,
        )  # fmt: skip
        Grant.objects.filter(pk=grant.pk).update(funding_reference=f"01CTF2025{index:011d}")
        # The longest name after the bank details (whose account holder has 70 characters).
        type(owner).objects.filter(pk=owner.pk).update(full_name=long_text(200, start=index))
        grant.refresh_from_db()
        for position in range(1, 6):
            due = dt.date(2025, 4 + position, 28)
            milestone = _milestone(
                grant, position, due=due.isoformat(), amount="2000000.00",
                reported=(due + dt.timedelta(days=9 * (position % 2))).isoformat(),
                accepted=(due + dt.timedelta(days=12)).isoformat(), state="paid",
            )  # fmt: skip
            _retitle(milestone, long_text(200, start=position))
            _report(
                milestone, 1, submitted=milestone.first_reported_at.date().isoformat(),
                problems=long_text(10_000, start=position), releases=LARGEST_COUNT,
                security_audits=LARGEST_COUNT, vulnerabilities_fixed=LARGEST_COUNT,
                users_reached=LARGEST_COUNT, organisations_reached=LARGEST_COUNT,
                contributors=LARGEST_COUNT,
                links=[("repository", f"https://code.example/{index}/{position}/" + "r" * 460, "MIT"),
                       ("dataset", f"https://data.example/{index}/{position}/" + "d" * 460, "CC-BY-4.0")],
                bodies=[(long_text(200, WORDS_DE, position + index), "municipal", "adopts"),
                        (long_text(200, WORDS_DE, position + index + 7), "european", "reuses")],
            )  # fmt: skip
            _payments(grant, milestone, staff, released=milestone.accepted_at.date().isoformat(),
                      paid=(milestone.accepted_at.date() + dt.timedelta(days=3)).isoformat())  # fmt: skip
        FinalReport.objects.create(
            grant=grant, state="accepted", summary=long_text(600), submitted_at=grant.accepted_at,
            follow_up_funding=LARGEST_MONEY, follow_up_funder=long_text(200, WORDS_DE, index),
        )  # fmt: skip
        made.append(grant)
    return made


def _retitle(milestone, title):
    type(milestone).objects.filter(pk=milestone.pk).update(title=title, deliverable=title)
