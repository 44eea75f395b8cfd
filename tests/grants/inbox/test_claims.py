"""Taking over staff work and releasing it: logged on the object, anyone of the staff may
take over (also from a colleague), only the holder releases; a refusal changes nothing;
hostile posts get a message, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from core.errors import WorkflowError
from grants.inbox.services import release, take_over
from grants.models import Claim
from tests.accounts.helpers import sign_in
from tests.factories import CallFactory, make_grant, make_user
from tests.grants.inbox.world import _submitted
from tests.review.helpers import conflict
from workflow.models import TransitionLog
from workflow.queries import log_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


@pytest.fixture
def colleague():
    return make_user(Role.STAFF, full_name="Mara Klein")


@pytest.fixture
def application():
    return _submitted(CallFactory())


def holders(subject):
    return list(
        Claim.objects.filter(
            content_type__model=subject._meta.model_name,
            object_id=subject.pk,
            released_at__isnull=True,
        ).values_list("claimed_by__full_name", flat=True)
    )


def actions(subject):
    return [(entry.action, entry.actor.full_name) for entry in log_of(subject)]


def test_taking_over_is_logged_for_staff_only(staff, application):
    take_over(subject=application, actor=staff)

    assert holders(application) == ["Sam Staff"]
    entry = log_of(application).get(action="grants.work.taken_over")
    assert (entry.actor, entry.visible_to_applicant, entry.data) == (staff, False, {})


def test_taking_over_twice_changes_nothing(staff, application):
    first = take_over(subject=application, actor=staff)
    again = take_over(subject=application, actor=staff)

    assert again == first
    assert actions(application) == [("grants.work.taken_over", "Sam Staff")]


def test_a_colleague_takes_over_from_the_holder(staff, colleague, application):
    take_over(subject=application, actor=staff)
    take_over(subject=application, actor=colleague)

    assert holders(application) == ["Mara Klein"]
    assert Claim.objects.filter(object_id=application.pk).count() == 2
    latest = log_of(application).filter(action="grants.work.taken_over").last()
    assert latest.data == {"previous": staff.pk}


def test_the_holder_releases(staff, application):
    take_over(subject=application, actor=staff)
    release(subject=application, actor=staff)

    assert holders(application) == []
    assert actions(application) == [
        ("grants.work.taken_over", "Sam Staff"),
        ("grants.work.released", "Sam Staff"),
    ]


def test_only_the_holder_releases_and_a_refusal_changes_nothing(staff, colleague, application):
    take_over(subject=application, actor=staff)

    with pytest.raises(WorkflowError) as refused:
        release(subject=application, actor=colleague)

    assert refused.value.message == "Sam Staff has taken this over; only they can release it."
    assert holders(application) == ["Sam Staff"]
    assert actions(application) == [("grants.work.taken_over", "Sam Staff")]


def test_releasing_what_nobody_holds_changes_nothing(staff, application):
    release(subject=application, actor=staff)

    assert not TransitionLog.objects.filter(action="grants.work.released").exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.JUROR, Role.MINISTRY])
def test_nobody_but_staff_takes_over(role, application):
    with pytest.raises(WorkflowError):
        take_over(subject=application, actor=make_user(role))

    assert not Claim.objects.exists()


def test_a_conflicted_staff_juror_cannot_take_over(application):
    reader = make_user(Role.STAFF, Role.JUROR)
    conflict(reader, application)

    with pytest.raises(WorkflowError):
        take_over(subject=application, actor=reader)

    assert not Claim.objects.exists()


def test_milestones_change_requests_and_grants_are_taken_over_too(staff):
    grant = make_grant()
    milestone = grant.milestones.first()

    for subject in (milestone, grant):
        take_over(subject=subject, actor=staff)

    assert holders(milestone) == holders(grant) == ["Sam Staff"]
    assert {claim.application_id for claim in Claim.objects.all()} == {grant.application_id}


# The page's POST.


def post(client, **data):
    return client.post(reverse("inbox_claim"), data)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_line_button_takes_over_and_returns_to_the_filtered_inbox(client, staff, application):
    sign_in(client, staff)

    response = post(
        client,
        subject="application",
        pk=application.pk,
        action="take_over",
        call=application.call.slug,
        mine="on",
    )

    assert response.status_code == 302
    assert response["Location"] == f"/inbox/?call={application.call.slug}&mine=on"
    assert messages_of(response) == ["You have taken this over."]
    assert holders(application) == ["Sam Staff"]


def test_the_release_button(client, staff, application):
    take_over(subject=application, actor=staff)
    sign_in(client, staff)

    response = post(client, subject="application", pk=application.pk, action="release")

    assert response["Location"] == "/inbox/"
    assert messages_of(response) == ["You have released it: it is everyone's again."]
    assert holders(application) == []


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "call", "pk": "1", "action": "take_over"},
        {"subject": "application", "pk": "²", "action": "take_over"},
        {"subject": "application", "pk": str(2**64), "action": "take_over"},
        {"subject": "application", "pk": "-1", "action": "take_over"},
        {"subject": "application", "pk": "1", "action": "delete"},
        {},
    ],
    ids=["unknown-model", "unicode-digit", "beyond-bigint", "negative", "unknown-action", "none"],
)
def test_hostile_posts_get_a_message(client, staff, application, data):
    sign_in(client, staff)

    response = post(client, **data)

    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    assert messages_of(response) == ["Choose a line of the inbox."]
    assert not Claim.objects.exists()


def test_an_unknown_object_is_not_found(client, staff):
    sign_in(client, staff)

    response = post(client, subject="milestone", pk="987654", action="take_over")

    assert response.status_code == 404


def test_a_forged_call_in_the_return_address_is_dropped(client, staff, application):
    sign_in(client, staff)

    response = post(
        client,
        subject="application",
        pk=application.pk,
        action="take_over",
        call="javascript-alert-1",
    )

    assert response["Location"] == "/inbox/"
