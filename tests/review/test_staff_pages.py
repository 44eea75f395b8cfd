"""The staff's jury pages, clicked through as staff would: set-up, settings, criteria,
jurors, assignment, ranking, funding line with lottery, decisions with confirmation, the
waiting list and one application's reviews."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Application
from grants.states import ApplicationState as S
from review.models import Assignment, Criterion, FundingLine, Jury, JuryMember, SelectionRecord
from review.states import JuryPhase, LineState
from tests.accounts.helpers import sign_in
from tests.factories import CallFactory, make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff_client(client, staff):
    return sign_in(client, staff)


def url(name, call):
    return reverse(name, kwargs={"slug": call.slug})


def follow(client, response):
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def test_set_up_a_jury_from_its_page(staff_client):
    call = CallFactory()

    empty = staff_client.get(url("staff_jury", call)).content.decode()
    text = follow(staff_client, staff_client.post(url("staff_jury_set_up", call)))

    assert "This call has no jury yet" in empty
    assert "The jury is set up." in text
    assert "Relevance (40 %), Feasibility (30 %), Innovation (30 %)" in text
    assert Jury.objects.get().call == call


def test_settings_and_phase(staff_client):
    jury = make_jury(phase=JuryPhase.SCORING)
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()

    text = follow(
        staff_client,
        staff_client.post(
            url("staff_jury_settings", jury.call),
            {"blind": "on", "max_per_juror": "12", "due_on": due},
        ),
    )
    assert "The jury settings have been saved." in text
    bad = staff_client.post(
        url("staff_jury_settings", jury.call), {"max_per_juror": "0", "due_on": "31.02.2026"}
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    text = follow(
        staff_client,
        staff_client.post(
            url("staff_jury_transition", jury.call),
            {"transition": "start_discussion", "expected_state": "scoring"},
        ),
    )

    jury.refresh_from_db()
    assert (jury.blind, jury.max_per_juror, jury.due_on.isoformat(), jury.phase) == (
        True,
        12,
        due,
        JuryPhase.DISCUSSION,
    )
    assert "The jury is now in the phase “Discussion”." in text
    unknown = follow(
        staff_client,
        staff_client.post(
            url("staff_jury_transition", jury.call), {"transition": "delete", "expected_state": "x"}
        ),
    )
    assert "Unknown action." in unknown


def criteria_post(rows):
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "12",
    }
    for index, (name, weight) in enumerate(rows):
        data |= {
            f"criteria-{index}-name_de": name,
            f"criteria-{index}-name_en": name,
            f"criteria-{index}-weight": str(weight),
            f"criteria-{index}-scale": "0-10",
        }
    return data


def test_criteria_form(staff_client):
    jury = make_jury(phase=JuryPhase.PREPARATION)

    wrong = staff_client.post(
        url("staff_jury_criteria", jury.call), criteria_post([("A", 50), ("B", 40)])
    )
    right = staff_client.post(
        url("staff_jury_criteria", jury.call), criteria_post([("A", 60), ("B", 40)])
    )
    huge = staff_client.post(
        url("staff_jury_criteria", jury.call), criteria_post([("A" * 500, 100)])
    )

    assert "The weights add up to 90 %; they must add up to 100 %." in wrong.content.decode()
    assert right.status_code == 302
    assert huge.status_code == 200 and "errorlist" in huge.content.decode()
    assert list(Criterion.objects.values_list("name_en", "weight")) == [("A", 60), ("B", 40)]


def test_jurors_page_adds_and_sets_topics(staff_client):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(email="ada@uni.example", full_name="Ada Lovelace")

    text = follow(
        staff_client,
        staff_client.post(url("staff_jury_members", jury.call), {"email": "ada@uni.example"}),
    )
    invalid = staff_client.post(
        url("staff_jury_members", jury.call), {"email": "javascript:alert(1)"}
    )
    member = JuryMember.objects.get()
    topic = jury.call.fund.topics.create(
        slug="civic-tech", name_de="Civic Tech", name_en="Civic Tech"
    )
    staff_client.post(
        reverse("staff_jury_member_topics", kwargs={"slug": jury.call.slug, "pk": member.pk}),
        {f"m{member.pk}-topics": [topic.pk]},
    )

    assert "ada@uni.example is now a juror of this call" in text
    assert "Ada Lovelace" in text
    assert "Enter a valid email address." in invalid.content.decode()
    assert member.user == person and list(member.topics.all()) == [topic]


def test_assignment_page_propose_change_confirm(staff_client):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    jurors = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(4)]
    applications = [
        in_review(jury.call, owner=make_user(full_name=f"Owner Person{n}")) for n in range(3)
    ]

    text = follow(staff_client, staff_client.post(url("staff_assignment_propose", jury.call)))
    assert "The solver proposes 9 assignments." in text
    assert "Confirm 9 assignments" in text
    target = applications[0]
    on = set(Assignment.objects.filter(application=target).values_list("juror_id", flat=True))
    off = next(j for j in jurors if j.pk not in on)
    text = follow(
        staff_client,
        staff_client.post(
            url("staff_assignment_change", jury.call),
            {"application": target.pk, "remove": sorted(on)[0], "add": off.pk},
        ),
    )
    assert "The assignment has been changed." in text
    bad = staff_client.post(
        url("staff_assignment_change", jury.call), {"application": "999999", "add": off.pk}
    )
    assert bad.status_code == 200 and "Choose an application and a juror." in bad.content.decode()
    text = follow(staff_client, staff_client.post(url("staff_assignment_confirm", jury.call)))

    assert "9 assignments confirmed." in text
    assert Assignment.objects.filter(confirmed_at__isnull=False).count() == 9
    assert Jury.objects.get().phase == JuryPhase.SCORING


@pytest.fixture
def decided_world():
    call = budget_call("100000.00")
    jury = make_jury(call)
    jurors = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(3)]
    applications = {}
    for name, scores in (
        ("A", (9, 9, 9)),
        ("B", (8, 8, 8)),
        ("C", (10, 6, 5)),
        ("D", (8, 7, 7)),
        ("E", (9, 4, 6)),
    ):
        application = in_review(
            call, state=S.REVIEWED, reference=f"CTF-2026-1-000{name}", title=f"Project {name}"
        )
        Application.objects.filter(pk=application.pk).update(requested_amount=D("30000.00"))
        for juror, score in zip(jurors, scores, strict=True):
            scored(
                assign(juror, application),
                [score, score, None],
                for_applicant=f"Feedback on {name}",
            )
        applications[name] = application
    return call, jury, applications


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_leniency_table_shows_the_models_offsets_rounded(
    staff_client, staff, decided_world, language
):
    """Juror Number0 scored 9, 8, 10, 8, 9: the most lenient; every figure is the data
    layer's, rounded to two decimals in the page's language."""
    from django.conf import settings
    from django.utils import translation

    from review.ranking import build_ranking
    from review.templatetags.review_tags import number, signed

    call, jury, _apps = decided_world
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    leniency = build_ranking(jury, staff).leniency

    text = staff_client.get(url("staff_ranking", call)).content.decode()

    assert [item["juror"] for item in leniency][0] == "Juror Number0"
    with translation.override(language):
        for item in leniency:
            cells = (
                f'<tr><th scope="row">{item["juror"]}</th><td class="number">{item["count"]}'
                f'</td><td class="number">{signed(item["offset"])}</td><td class="number">'
                f'{number(item["offset_se"])}</td><td class="number">{number(item["mean"])}</td>'
            )
            assert cells in text


def test_ranking_page_explains_and_sorts(staff_client, decided_world):
    call, _jury, apps = decided_world

    text = staff_client.get(url("staff_ranking", call) + "?basis=raw&sort=spread").content.decode()

    assert "How to read this ranking" in text
    assert "Calibrated score: some jurors score everything high" in text
    assert "the Swiss National Science Foundation ranks with (Heyard et al. 2022)" in text
    assert "its intervals come from the same model without juror offsets" in text
    assert "Applications by rank (Raw weighted mean)" in text
    assert "Expected rank" in text and "Spread after offsets" in text
    assert text.index("CTF-2026-1-000C") < text.index("CTF-2026-1-000A")  # largest spread first
    assert "Disagreement queue" in text and "Juror leniency" in text
    assert "In this jury, applications differ by about" in text
    assert "Krippendorff" in text
    nonsense = staff_client.get(url("staff_ranking", call) + "?basis=%3Cscript%3E&sort=%22%3E")
    assert nonsense.status_code == 200 and "<script>" not in nonsense.content.decode()


def test_line_lottery_and_decisions_through_the_pages(
    staff_client, decided_world, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    call, _jury, apps = decided_world
    now = timezone.localtime().replace(second=0, microsecond=0)
    time_machine.move_to(now, tick=False)

    text = follow(staff_client, staff_client.post(url("staff_line_draw", call), {"basis": "raw"}))
    assert "The funding line has been drawn from the current ranking." in text
    assert "grey zone" in text
    text = follow(
        staff_client,
        staff_client.post(
            url("staff_line_move", call),
            {
                "application": apps["E"].pk,
                "direction": "do_not_fund",
                "reason": "Duplicate of an earlier grant.",
            },
        ),
    )
    assert "Duplicate of an earlier grant." in text
    missing_reason = staff_client.post(
        url("staff_line_move", call),
        {"application": apps["E"].pk, "direction": "fund", "reason": ""},
    )
    assert missing_reason.status_code == 200 and "errorlist" in missing_reason.content.decode()
    source = {"source": "lottery_draw", "reference": "Lotto 6 aus 49, draw of 2 May 2026"}
    past = staff_client.post(
        url("staff_line_freeze", call),
        {**source, "published_after": (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert "Name a moment still to come" in past.content.decode()
    assert FundingLine.objects.get().state == LineState.OPEN
    moment = now + dt.timedelta(hours=2)
    text = follow(
        staff_client,
        staff_client.post(
            url("staff_line_freeze", call),
            {**source, "published_after": moment.strftime("%Y-%m-%dT%H:%M")},
        ),
    )
    assert "The grey zone is frozen with the source of its seed." in text
    assert "Lotto 6 aus 49, draw of 2 May 2026" in text
    assert "The seed is accepted after" in text and 'name="seed"' not in text
    seed = {"seed": "Lotto 2026-05-02: 3 14 22 31 40 45", "from_named_source": "on"}
    too_early = staff_client.post(url("staff_line_lottery", call), seed)
    assert "The seed is accepted only after" in too_early.content.decode()
    time_machine.move_to(moment + dt.timedelta(minutes=1), tick=False)
    unconfirmed = staff_client.post(url("staff_line_lottery", call), {"seed": seed["seed"]})
    assert unconfirmed.status_code == 200 and "errorlist" in unconfirmed.content.decode()
    empty_seed = staff_client.post(url("staff_line_lottery", call), {**seed, "seed": "   "})
    assert empty_seed.status_code == 200
    assert FundingLine.objects.get().state == LineState.FROZEN
    text = follow(staff_client, staff_client.post(url("staff_line_lottery", call), seed))
    line = FundingLine.objects.get()
    assert line.state == LineState.DRAWN
    assert "Lotto 2026-05-02: 3 14 22 31 40 45" in text and line.lottery["code_version"] in text
    for entry in line.lottery["order"]:
        assert entry["ticket"] in text

    # The decisions: a summary first, nothing decided yet.
    chosen = {
        f"decision_{apps[name].pk}": decision
        for name, decision in (
            ("A", "approve"),
            ("B", "approve"),
            ("C", "waitlist"),
            ("E", "reject"),
        )
    }
    summary = staff_client.post(url("staff_decisions", call), chosen)
    text = summary.content.decode()
    assert summary.status_code == 200
    assert "You are about to decide on 4 applications." in text
    assert "€60,000.00" in text  # awarded by these approvals
    assert set(Application.objects.values_list("state", flat=True)) == {S.REVIEWED}
    reason = "As the jury recommended on 12 May."
    with django_capture_on_commit_callbacks(execute=True):
        text = follow(
            staff_client,
            staff_client.post(
                url("staff_decisions", call), {**chosen, "confirm": "on", "reason": reason}
            ),
        )

    assert "Decided: 2 approved, 1 on the waiting list, 1 rejected." in text
    assert {item["reason"] for item in SelectionRecord.objects.get().decisions} == {reason}
    assert dict(Application.objects.values_list("reference", "state")) == {
        "CTF-2026-1-000A": S.APPROVED,
        "CTF-2026-1-000B": S.APPROVED,
        "CTF-2026-1-000C": S.WAITLISTED,
        "CTF-2026-1-000D": S.REVIEWED,
        "CTF-2026-1-000E": S.REJECTED,
    }
    assert len(mailoutbox) == 4
    rejected = next(m for m in mailoutbox if apps["E"].reference in m.subject)
    assert "Feedback on E" in rejected.body


def test_decisions_without_a_choice_or_with_nonsense(staff_client, decided_world):
    call, _jury, apps = decided_world

    nothing = follow(staff_client, staff_client.post(url("staff_decisions", call), {}))
    nonsense = follow(
        staff_client,
        staff_client.post(url("staff_decisions", call), {f"decision_{apps['A'].pk}": "delete"}),
    )
    no_id = follow(
        staff_client, staff_client.post(url("staff_decisions", call), {"decision_abc": "approve"})
    )

    assert "Choose a decision for at least one application." in nothing
    assert "Nothing was decided: choose approve, waiting list or reject." in nonsense
    assert "Nothing was decided: the decisions name applications that are not on this" in no_id
    assert set(Application.objects.values_list("state", flat=True)) == {S.REVIEWED}


def test_waiting_list_moves_up_in_ranking_order(staff_client, decided_world):
    call, _jury, apps = decided_world
    Application.objects.filter(pk__in=[apps["A"].pk, apps["B"].pk]).update(
        state=S.APPROVED, awarded_amount=D("30000.00")
    )
    Application.objects.filter(pk__in=[apps["C"].pk, apps["D"].pk, apps["E"].pk]).update(
        state=S.WAITLISTED
    )
    page = staff_client.get(url("staff_waitlist", call)).content.decode()
    assert "Approve 1 application for €30,000.00" in page

    stale = follow(
        staff_client,
        staff_client.post(url("staff_waitlist", call), {"applications": [apps["C"].pk]}),
    )
    assert "changed meanwhile" in stale
    text = follow(
        staff_client,
        staff_client.post(url("staff_waitlist", call), {"applications": [apps["D"].pk]}),
    )

    assert "1 application moved up from the waiting list and approved." in text
    # Every juror scored every application, so the offsets cannot change the order: D (mean
    # 7.33) ranks above C (7.0) and E (6.33); with 40,000 € left only one fits.
    assert Application.objects.get(pk=apps["D"].pk).state == S.APPROVED
    assert Application.objects.get(pk=apps["C"].pk).state == S.WAITLISTED
    assert Application.objects.get(pk=apps["E"].pk).state == S.WAITLISTED


def test_waiting_list_with_nothing_that_fits_approves_nothing(staff_client, decided_world):
    call, _jury, apps = decided_world
    Application.objects.filter(pk__in=[apps["A"].pk, apps["B"].pk, apps["C"].pk]).update(
        state=S.APPROVED, awarded_amount=D("30000.00")
    )
    Application.objects.filter(pk__in=[apps["D"].pk, apps["E"].pk]).update(state=S.WAITLISTED)
    before = sorted(Application.objects.values_list("pk", "state"))

    # 10,000 € are left; each waiting application asks for 30,000 €.
    text = follow(staff_client, staff_client.post(url("staff_waitlist", call), {}))

    assert "No application on the waiting list fits into the money left." in text
    assert sorted(Application.objects.values_list("pk", "state")) == before


def test_one_applications_reviews_and_decision(staff_client, decided_world):
    call, _jury, apps = decided_world
    page_url = reverse("staff_application_jury", kwargs={"pk": apps["A"].pk})

    text = staff_client.get(page_url).content.decode()
    too_much = staff_client.post(
        reverse("staff_application_decide", kwargs={"pk": apps["A"].pk}),
        {"decision": "approve", "awarded_amount": "30000.01", "expected_state": "reviewed"},
    )
    done = staff_client.post(
        reverse("staff_application_decide", kwargs={"pk": apps["A"].pk}),
        {"decision": "approve", "awarded_amount": "25000", "expected_state": "reviewed"},
    )

    assert "Review by Juror Number0" in text and "Feedback on A" in text
    assert "Record the decision" in text
    assert "at most the requested €30,000.00" in too_much.content.decode()
    assert done.status_code == 302
    application = Application.objects.get(pk=apps["A"].pk)
    assert (application.state, application.awarded_amount) == (S.APPROVED, D("25000.00"))
    assert TransitionLog.objects.filter(action="grants.application.approved").count() == 1
