"""Hostile input on the jury pages (issue 15, item 6): ids are parsed with form fields, so
Unicode digits ("²" passes ``str.isdigit()``, and ``int()`` reads "١٢" as 12), numbers beyond the database (a 23-digit id
overflows SQLite) and other nonsense get a clear message, never a 500, and change nothing."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.forms.staff import BulkDecisionForm
from review.models import Assignment, ConflictOfInterest, FundingLine, JuryMember, Review
from review.services.decisions import decide_applications
from review.services.funding import draw_funding_line
from review.states import Decision, JuryPhase, RankingBasis
from tests.accounts.helpers import sign_in
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

HOSTILE_IDS = ["²", "1" * 23, str(2**63), "-1", "0", "abc", "", "١٢", "1e3", " " * 3]
UNKNOWN = (
    "Nothing was decided: the decisions name applications that are not on this list. "
    "Choose them again on the funding line page."
)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "awarded_amount")),
        list(Assignment.objects.order_by("pk").values()),
        list(Review.objects.order_by("pk").values()),
        list(ConflictOfInterest.objects.order_by("pk").values()),
        list(JuryMember.objects.order_by("pk").values()),
        list(FundingLine.objects.order_by("pk").values_list("pk", "state")),
        TransitionLog.objects.count(),
    )


@pytest.fixture
def world(staff):
    call = budget_call("100000.00")
    jury = make_jury(call, phase=JuryPhase.DISCUSSION)
    jurors = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(3)]
    applications = []
    for name in "AB":
        application = in_review(call, state=S.REVIEWED, reference=f"CTF-2026-1-000{name}")
        Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("30000"))
        for juror in jurors:
            scored(assign(juror, application), [7, 7, 3])
        applications.append(application)
    return call, jury, jurors, applications


@pytest.fixture
def staff_client(client, staff):
    return sign_in(client, staff)


def url(name, call):
    return reverse(name, kwargs={"slug": call.slug})


# The reported 500s ---------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_the_waiting_list_refuses_hostile_ids(staff_client, world, value):
    call, _jury, _jurors, (waiting, _other) = world
    Application.objects.filter(pk=waiting.pk).update(state=S.WAITLISTED)
    before = snapshot()

    response = staff_client.post(
        url("staff_waitlist", call), {"applications": [str(waiting.pk), value]}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Select applications from the list."]
    assert snapshot() == before


@pytest.mark.parametrize("confirm", [False, True], ids=["summary", "confirmed"])
@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_bulk_decisions_refuse_hostile_ids(staff_client, world, value, confirm):
    call, _jury, _jurors, (first, _second) = world
    data = {f"decision_{first.pk}": "approve", f"decision_{value}": "approve"}
    if confirm:
        data["confirm"] = "on"
    before = snapshot()

    response = staff_client.post(url("staff_decisions", call), data)

    assert response.status_code == 302
    assert response["Location"] == url("staff_line", call)
    assert messages_of(response) == [UNKNOWN]
    assert snapshot() == before


@pytest.mark.parametrize("value", ["delete", "APPROVE", "²", "x" * 10_000])
def test_bulk_decisions_refuse_unknown_decisions(staff_client, world, value):
    call, _jury, _jurors, (first, second) = world
    data = {f"decision_{first.pk}": "approve", f"decision_{second.pk}": value, "confirm": "on"}
    before = snapshot()

    response = staff_client.post(url("staff_decisions", call), data)

    assert messages_of(response) == ["Nothing was decided: choose approve, waiting list or reject."]
    assert snapshot() == before


def test_the_form_caps_the_number_of_decisions():
    data = {f"decision_{pk}": "reject" for pk in range(1, 2002)}

    form = BulkDecisionForm(data)

    assert not form.is_valid()
    assert form.non_field_errors() == ["Decide on at most 2000 applications at once."]


@pytest.mark.parametrize("pk", [10**23, 2**63, 0, -5])
def test_the_decision_service_refuses_ids_beyond_the_database(staff, world, pk):
    call, _jury, _jurors, (first, _second) = world
    before = snapshot()

    with pytest.raises(WorkflowError) as refusal:
        decide_applications(
            call=call, decisions=[(first.pk, Decision.APPROVE), (pk, Decision.APPROVE)], actor=staff
        )

    assert refusal.value.message == "Some selected applications do not belong to this call."
    assert snapshot() == before


# The other jury forms and URLs --------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_staff_jury_forms_refuse_hostile_ids(staff_client, staff, world, value):
    call, jury, jurors, (first, _second) = world
    member = JuryMember.objects.filter(jury=jury).first()
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    posts = [
        ("staff_assignment_change", {"application": value, "add": jurors[0].pk}),
        ("staff_assignment_change", {"application": first.pk, "add": value}),
        ("staff_assignment_change", {"application": first.pk, "remove": value}),
        ("staff_line_move", {"application": value, "direction": "fund", "reason": "r"}),
    ]
    before = snapshot()

    for name, data in posts:
        response = staff_client.post(url(name, call), data)
        assert response.status_code in (200, 302), (name, data, response.status_code)
    topics = staff_client.post(
        reverse("staff_jury_member_topics", kwargs={"slug": call.slug, "pk": member.pk}),
        {f"m{member.pk}-topics": [value]},
    )

    assert topics.status_code == 302
    assert messages_of(topics)[-1] == "Unknown topic."
    assert snapshot() == before


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_a_juror_declaring_a_conflict_with_a_hostile_id(client, world, value):
    call, _jury, jurors, _applications = world
    sign_in(client, jurors[0])
    before = snapshot()

    response = client.post(
        reverse("jury_conflict_declare", kwargs={"slug": call.slug}),
        {"application": value, "kind": "colleague"},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "role", "method"),
    [
        ("staff_application_jury", "staff", "get"),
        ("staff_application_decide", "staff", "post"),
        ("jury_review", "juror", "get"),
        ("jury_review_autosave", "juror", "post"),
        ("jury_review_discussion", "juror", "get"),
    ],
)
def test_a_23_digit_id_in_the_address_is_not_found(client, world, staff, name, role, method):
    _call, _jury, jurors, _applications = world
    sign_in(client, staff if role == "staff" else jurors[0])

    response = getattr(client, method)(reverse(name, kwargs={"pk": 10**23}))

    assert response.status_code == 404


def test_a_23_digit_conflict_id_to_dismiss_is_explained(client, world):
    call, _jury, jurors, _applications = world
    sign_in(client, jurors[0])
    before = snapshot()

    response = client.post(
        reverse("jury_conflict_dismiss", kwargs={"slug": call.slug, "pk": 10**23})
    )

    assert response.status_code == 302
    assert messages_of(response) == ["This suggestion has been decided already."]
    assert snapshot() == before
