import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import Application, TransitionLog
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, TopicFactory, make_user
from tests.grants.staff.helpers import bulk_submit, submit

# Session, user, the user's groups, the user's authenticators (second-factor gate), the call
# (with its fund), the topics and the tracks of the filter, the state counts, the COUNT of the
# paginator and the page of applications, and the navigation's inbox count.
LIST_QUERIES = 12  # … with the call's questions (for the columns)


def list_url(call, **params):
    url = reverse("staff_application_list", kwargs={"slug": call.slug})
    if params:
        url += "?" + urlencode(params)
    return url


def references(response):
    return [application.reference for application in response.context["page"].object_list]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def varied(call):
    """Five applications that differ in everything the list filters and sorts by."""
    civic = TopicFactory(
        fund=call.fund, slug="civic-tech", name_en="Civic Tech", name_de="Civic Tech"
    )
    security = TopicFactory(
        fund=call.fund, slug="data-security", name_en="Data Security", name_de="Datensicherheit"
    )
    base = timezone.now() - dt.timedelta(days=5)
    rows = [
        (
            "CTF-2026-1-0003",
            "Accessible maps",
            ApplicationState.SUBMITTED,
            None,
            "individual_6",
            "Ada Lovelace",
            "ada@example.org",
            "30000.00",
            3,
        ),
        (
            "CTF-2026-1-0001",
            "Budget tracker",
            ApplicationState.ELIGIBLE,
            civic,
            "team_6",
            "Grace Hopper",
            "grace@example.org",
            "90000.00",
            1,
        ),
        (
            "CTF-2026-1-0005",
            "Cryptographic audit kit",
            ApplicationState.SUBMITTED,
            security,
            "team_10",
            "Alan Turing",
            "alan@example.org",
            "150000.00",
            5,
        ),
        (
            "CTF-2026-1-0002",
            "Data portal search",
            ApplicationState.INELIGIBLE,
            civic,
            "individual_10",
            "Katherine Johnson",
            "kj@example.org",
            "70000.00",
            2,
        ),
        (
            "CTF-2026-1-0004",
            "Election results feed",
            ApplicationState.WITHDRAWN,
            None,
            "individual_6",
            "Hedy Lamarr",
            "hedy@sec.example",
            "45000.00",
            4,
        ),
    ]
    created = {}
    for reference, title, state, topic, track, name, email, amount, day in rows:
        kwargs = {"topic": topic} if topic else {}
        created[reference] = submit(
            call,
            reference=reference,
            title=title,
            state=state,
            track=track,
            owner=make_user(Role.APPLICANT, full_name=name, email=email),
            requested_amount=Decimal(amount),
            submitted_at=base + dt.timedelta(days=day),
            **kwargs,
        )
    ApplicationFactory(call=call, reference="CTF-2026-1-0006", title="A draft")  # never listed
    return created


@pytest.mark.django_db
def test_lists_submitted_applications_sorted_by_reference(staff_client, call, varied):
    response = staff_client.get(list_url(call))
    assert response.status_code == 200
    assert references(response) == [
        "CTF-2026-1-0001",
        "CTF-2026-1-0002",
        "CTF-2026-1-0003",
        "CTF-2026-1-0004",
        "CTF-2026-1-0005",
    ]
    assert response.context["total"] == 5
    assert [(item["state"], item["count"]) for item in response.context["state_counts"]] == [
        ("submitted", 2),
        ("ineligible", 1),
        ("eligible", 1),
        ("withdrawn", 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "submitted"}, ["CTF-2026-1-0003", "CTF-2026-1-0005"]),
        ({"topic": "civic-tech"}, ["CTF-2026-1-0001", "CTF-2026-1-0002"]),
        ({"track": "individual_6"}, ["CTF-2026-1-0003", "CTF-2026-1-0004"]),
        ({"topic": "civic-tech", "state": "eligible"}, ["CTF-2026-1-0001"]),
        ({"q": "portal"}, ["CTF-2026-1-0002"]),
        ({"q": "0005"}, ["CTF-2026-1-0005"]),
        ({"q": "hopper"}, ["CTF-2026-1-0001"]),
        ({"q": "sec.example"}, ["CTF-2026-1-0004"]),
        ({"q": "draft"}, []),
        (
            {"state": "draft"},
            [
                "CTF-2026-1-0001",
                "CTF-2026-1-0002",
                "CTF-2026-1-0003",
                "CTF-2026-1-0004",
                "CTF-2026-1-0005",
            ],
        ),
        ({"topic": "unknown", "track": "team_6"}, ["CTF-2026-1-0001"]),
    ],
)
def test_filters_and_search(staff_client, call, varied, params, expected):
    response = staff_client.get(list_url(call, **params))
    assert references(response) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-reference", ["0005", "0004", "0003", "0002", "0001"]),
        ("title", ["0003", "0001", "0005", "0002", "0004"]),
        ("-title", ["0004", "0002", "0005", "0001", "0003"]),
        ("submitted", ["0001", "0002", "0003", "0004", "0005"]),
        ("-submitted", ["0005", "0004", "0003", "0002", "0001"]),
        ("amount", ["0003", "0004", "0002", "0001", "0005"]),
        ("-amount", ["0005", "0001", "0002", "0004", "0003"]),
        ("state", ["0001", "0002", "0003", "0005", "0004"]),
        ("nonsense", ["0001", "0002", "0003", "0004", "0005"]),
    ],
)
def test_sorting(staff_client, call, varied, sort, expected):
    response = staff_client.get(list_url(call, sort=sort))
    assert references(response) == [f"CTF-2026-1-{number}" for number in expected]


@pytest.mark.django_db
def test_column_headers_sort_with_aria_sort(staff_client, call, varied):
    response = staff_client.get(list_url(call, sort="-amount", state="submitted"))
    html = response.content.decode()
    assert '<th scope="col" aria-sort="descending" class="number">' in html
    base = list_url(call)
    assert f'<a href="{base}?sort=amount&amp;state=submitted">Requested' in html
    assert f'<a href="{base}?sort=title&amp;state=submitted">Title</a>' in html
    assert html.count("aria-sort=") == 1


@pytest.mark.django_db
def test_pagination_keeps_the_filters(staff_client, call):
    bulk_submit(call, 120)
    bulk_submit(call, 3, start=500, state=ApplicationState.ELIGIBLE)
    response = staff_client.get(list_url(call, state="submitted", sort="-reference", page=2))
    page = response.context["page"]
    assert page.paginator.count == 120
    assert page.paginator.num_pages == 3
    assert references(response)[0] == "CTF-2026-9-00070"
    assert references(response)[-1] == "CTF-2026-9-00021"
    assert len(references(response)) == 50
    html = response.content.decode()
    base = list_url(call) + "?state=submitted&amp;sort=-reference"
    assert f'<a href="{base}&amp;page=1" rel="prev">Previous</a>' in html
    assert f'<a href="{base}&amp;page=3" rel="next">Next</a>' in html
    assert f'<a href="{base}&amp;page=2" aria-current="page">2</a>' in html
    last = staff_client.get(list_url(call, state="submitted", sort="-reference", page=3))
    assert references(last)[-1] == "CTF-2026-9-00001"
    assert len(references(last)) == 20
    # A page number out of range shows the last page instead of an error.
    beyond = staff_client.get(list_url(call, state="submitted", page=99))
    assert beyond.context["page"].number == 3


@pytest.mark.django_db
def test_empty_states(staff_client, call):
    response = staff_client.get(list_url(call))
    assert "No application has been submitted yet" in response.content.decode()
    submit(call)
    response = staff_client.get(list_url(call, q="no such thing"))
    assert "No application matches these filters" in response.content.decode()


# Query counts: the same with 1 and 3, and with 10 and 1,000 applications.


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_1_and_3_rows(staff_client, call, django_assert_num_queries):
    submit(call)
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(list_url(call))
    assert len(references(response)) == 1
    submit(call)
    ApplicationFactory(call=call, state=ApplicationState.ELIGIBLE, submitted_at=timezone.now())
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(list_url(call))
    assert len(references(response)) == 3


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_10_and_1000_rows(
    staff_client, call, django_assert_num_queries
):
    bulk_submit(call, 10)
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(list_url(call, sort="-amount"))
    assert len(references(response)) == 10
    bulk_submit(call, 990, start=11)
    assert Application.objects.filter(call=call).count() == 1000
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(list_url(call, sort="-amount"))
    assert len(references(response)) == 50
    assert response.context["page"].paginator.count == 1000


# Bulk transitions.


def bulk_url(call):
    return reverse("staff_bulk_transition", kwargs={"slug": call.slug})


def transition_logs(applications):
    return TransitionLog.objects.filter(
        content_type__model="application", object_id__in=[a.pk for a in applications]
    ).exclude(from_state="")


@pytest.mark.django_db
def test_bulk_transition_moves_all_and_summarises(
    staff_client, staff, call, django_capture_on_commit_callbacks
):
    applications = [submit(call) for _ in range(3)]
    other = submit(call)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            bulk_url(call),
            {
                "action": "mark_eligible",
                "applications": [a.pk for a in applications],
                "query": "state=submitted&sort=-title&evil=1",
                "confirmed": "yes",
            },
        )
    assert response.status_code == 302
    assert response.url == list_url(call) + "?state=submitted&sort=-title"
    assert messages_of(response) == ["3 applications moved from Submitted to Eligible."]
    for application in applications:
        application.refresh_from_db()
        assert application.state == ApplicationState.ELIGIBLE
    other.refresh_from_db()
    assert other.state == ApplicationState.SUBMITTED
    logs = transition_logs(applications).order_by("object_id")
    assert [
        (log.object_id, log.action, log.from_state, log.to_state, log.actor_id) for log in logs
    ] == [
        (a.pk, "grants.application.screened_eligible", "submitted", "eligible", staff.pk)
        for a in applications
    ]
    # Each applicant is told once the change has been committed.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        (a.owner.email, f"[Civic Tech Fund] Application {a.reference} is eligible")
        for a in applications
    )


@pytest.mark.django_db
def test_bulk_transition_one_application(staff_client, call):
    application = ApplicationFactory(call=call, state=ApplicationState.ELIGIBLE)
    response = staff_client.post(
        bulk_url(call),
        {"action": "start_review", "applications": [application.pk], "confirmed": "yes"},
    )
    assert response.url == list_url(call)
    assert messages_of(response) == ["1 application moved from Eligible to In review."]


@pytest.mark.django_db
def test_bulk_transition_is_all_or_nothing(staff_client, call, django_capture_on_commit_callbacks):
    ready = [submit(call) for _ in range(2)]
    already = ApplicationFactory(
        call=call, reference="CTF-2026-1-0999", state=ApplicationState.ELIGIBLE
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(
            bulk_url(call),
            {
                "action": "mark_eligible",
                "applications": [*(a.pk for a in ready), already.pk],
                "confirmed": "yes",
            },
        )
    assert response.status_code == 200  # the list again, with the selection and the reason
    assert messages_of(response) == [
        "Nothing was changed: this step is not possible for 1 of the 3 selected "
        "applications. Deselect them or choose another step."
    ]
    assert response.context["refusals"] == {
        "CTF-2026-1-0999": "not possible while it is “Eligible”"
    }
    assert response.context["selected"] == {*(a.pk for a in ready), already.pk}
    assert [Application.objects.get(pk=a.pk).state for a in [*ready, already]] == [
        "submitted",
        "submitted",
        "eligible",
    ]
    assert not transition_logs([*ready, already]).exists()
    # Nobody is told about changes that were rolled back.
    assert (callbacks, mail.outbox) == ([], [])


@pytest.mark.django_db
def test_bulk_transition_refuses_applications_of_another_call(staff_client, call):
    foreign = submit(ApplicationFactory().call)
    response = staff_client.post(
        bulk_url(call), {"action": "mark_eligible", "applications": [foreign.pk]}
    )
    assert messages_of(response) == ["Some selected applications do not belong to this call."]
    foreign.refresh_from_db()
    assert foreign.state == ApplicationState.SUBMITTED


@pytest.mark.django_db
def test_bulk_transition_treats_a_draft_like_an_unknown_id(staff_client, call):
    """Security finding 7 (issue 6): a refusal named a draft's reference, so staff learnt of
    drafts they may not see. A draft's id now gets the same answer as an id that does not
    exist, and nothing changes."""
    ready = submit(call)
    draft = ApplicationFactory(call=call, reference="CTF-2026-1-0006")
    unknown = Application.objects.order_by("-pk").first().pk + 1000

    answers = []
    for pk in (draft.pk, unknown):
        staff_client.cookies.pop("messages", None)
        response = staff_client.post(
            bulk_url(call), {"action": "mark_eligible", "applications": [ready.pk, pk]}
        )
        answers.append(messages_of(response))

    assert answers == [["Some selected applications do not belong to this call."]] * 2
    assert [Application.objects.get(pk=a.pk).state for a in (ready, draft)] == [
        "submitted",
        "draft",
    ]
    assert not transition_logs([ready, draft]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "mark_eligible"}, "Select at least one application."),
        (
            {"action": "withdraw", "applications": ["1"]},
            "Choose an action and select applications from the list.",
        ),
        ({"action": "mark_eligible", "applications": ["x"]}, "Select applications from the list."),
    ],
)
def test_bulk_transition_needs_an_action_and_a_selection(staff_client, call, data, message):
    response = staff_client.post(bulk_url(call), data)
    assert response.status_code == 302
    assert response.url == list_url(call)
    assert messages_of(response) == [message]
