"""The data protection pages: a person's download and erasure request on the account page,
the staff's list of requests, a person's page, their download on request and carrying out a
request; bad input; fixed query counts."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.states import ApplicationState, CallState
from privacy.events import DATA_EXPORTED, ERASURE_REQUESTED
from privacy.export import collect
from privacy.kinds import DataKind
from privacy.models import ErasureRequest
from privacy.states import RequestState
from tests.accounts.helpers import INBOX_COUNT, make_role_user, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_user
from tests.grants.contracts.helpers import confirm_account, signed_grant
from tests.privacy.helpers import submitted
from tests.privacy.world import EMAIL, FILE_TEXT, NAME, OLD_EMAIL, TEXT, World
from tests.review.helpers import assign, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

SESSION_USER_GROUPS = 3
SECOND_FACTOR_GATE = 1


@pytest.fixture
def staff_client(client):
    staff = make_role_user("staff")
    sign_in(client, staff)
    client.staff = staff
    return client


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# The person's download.


def test_the_download_holds_every_kind_a_summary_and_the_files(client):
    world = World()
    client.force_login(world.person)

    response = client.post(reverse("privacy_download"))

    archive = unzip(response)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="ctf-personal-data-')
    names = set(archive.namelist())
    assert {
        "README.html",
        "data/identity.json",
        "data/contact.json",
        "data/proposal.json",
        "data/review.json",
        "data/bank.json",
        "data/technical.json",
    } <= names
    files = sorted(name for name in names if name.startswith("files/"))
    assert [archive.read(name) for name in files] == [FILE_TEXT, FILE_TEXT]
    identity = json.loads(archive.read("data/identity.json"))
    contact = json.loads(archive.read("data/contact.json"))
    proposals = json.loads(archive.read("data/proposal.json"))["applications"]
    assert identity["name"] == NAME
    assert {address["email"] for address in contact["email_addresses"]} >= {EMAIL}
    assert contact["replaced_addresses"] == [OLD_EMAIL]
    assert {p["reference"] for p in proposals} == {world.draft.reference, world.rejected.reference}
    rejected = next(p for p in proposals if p["reference"] == world.rejected.reference)
    assert rejected["title"] == f"{TEXT} toolkit"
    assert rejected["questions"][0]["answer"] == f"I do. {TEXT} is my field."
    # The thread, without the names of the staff who wrote in it.
    assert [(m["from"], m["message"]) for m in rejected["messages"]] == [
        ("you", f"Our {TEXT} plan changed: we start in May."),
        ("the programme staff", f"Thank you, {NAME}."),
    ]
    assert world.staff.full_name not in json.dumps(rejected)
    assert identity["named_on_team_of"] == [{"application": world.others.reference, "name": NAME}]
    summary = archive.read("README.html").decode()
    assert "<h1>Your data at the Civic Tech Fund</h1>" in summary
    assert f"{TEXT} toolkit" in summary
    entry = TransitionLog.objects.get(action=DATA_EXPORTED)
    assert (entry.object_id, entry.actor_id, entry.data) == (
        world.person.pk,
        world.person.pk,
        {"on_request": False},
    )


def test_reviews_of_a_decided_call_come_without_the_jurors():
    world = World()
    review = json.loads(_download_json(world.person, "review"))

    (about,) = review["about_your_proposals"]
    assert about["review"] == 1
    assert about["comment_for_you"] == f"Dear {NAME}, the {TEXT} part is vague."
    assert [score["score"] for score in about["scores"]] == [6, 5, 3]
    jurors = world.rejected.review_assignments.values_list("juror__email", "juror__full_name")
    text = json.dumps(review)
    assert [value for pair in jurors for value in pair if value in text] == []


def test_reviews_of_a_call_not_yet_decided_are_left_out():
    person = make_user(Role.APPLICANT)
    jury = make_jury(CallFactory(state=CallState.IN_REVIEW))
    application = submitted(jury.call, ApplicationState.REVIEWED, owner=person)
    scored(assign(make_juror(jury), application), (6, 5, 3), for_applicant="Fine work.")

    review = json.loads(_download_json(person, "review"))

    assert review["about_your_proposals"] == []


def test_the_summary_is_in_the_persons_language(settings):
    person = make_user(Role.APPLICANT, language="de")

    archive = _download(person)

    assert "<h1>Ihre Daten beim Civic Tech Fund</h1>" in archive.read("README.html").decode()


def _download(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return unzip(client.post(reverse("privacy_download")))


def _download_json(person, kind):
    return _download(person).read(f"data/{kind}.json")


def test_staff_download_a_persons_data_on_request_and_it_is_logged(staff_client):
    person = make_user(Role.APPLICANT, full_name="Ada Example")

    response = staff_client.post(reverse("staff_privacy_download", kwargs={"pk": person.pk}))

    assert json.loads(unzip(response).read("data/identity.json"))["name"] == "Ada Example"
    entry = TransitionLog.objects.get(action=DATA_EXPORTED)
    assert (entry.object_id, entry.actor_id, entry.data) == (
        person.pk,
        staff_client.staff.pk,
        {"on_request": True},
    )


# Asking for erasure.


def test_the_erasure_page_shows_what_would_go_and_what_stays(client):
    person = make_user(Role.APPLICANT)
    ApplicationFactory(owner=person)  # a draft
    submitted(CallFactory(), ApplicationState.IN_REVIEW, owner=person)
    client.force_login(person)

    html = client.get(reverse("privacy_erasure")).content.decode()

    assert '<li>Applications you never submitted <span class="badge">1</span></li>' in html
    assert (
        '<tr><th scope="row">Applications still being assessed</th><td class="number">1</td>'
        "<td>as long as the reason lasts</td><td>It is still being assessed. You can withdraw "
        "it; then it can be erased.</td></tr>"
    ) in html
    assert ErasureRequest.objects.count() == 0


def test_asking_records_one_request_and_the_page_says_so(client):
    person = make_user(Role.APPLICANT)
    client.force_login(person)

    first = client.post(reverse("privacy_erasure"))
    second = client.post(reverse("privacy_erasure"), follow=True)

    assert first["Location"] == reverse("privacy_erasure")
    assert ErasureRequest.objects.filter(user=person, state=RequestState.OPEN).count() == 1
    assert TransitionLog.objects.filter(action=ERASURE_REQUESTED).count() == 1
    assert "You asked us on" in second.content.decode()
    account = client.get(reverse("account")).content.decode()
    assert "to erase your data; the programme staff will tell you by e-mail" in account


def test_the_person_withdraws_the_request(client):
    person = make_user(Role.APPLICANT)
    client.force_login(person)
    client.post(reverse("privacy_erasure"))

    response = client.post(reverse("privacy_erasure_cancel"), follow=True)

    assert ErasureRequest.objects.get().state == RequestState.CANCELLED
    assert "You have withdrawn your request to erase your data." in response.content.decode()
    assert client.post(reverse("privacy_erasure_cancel")).status_code == 404


# The staff's pages.


def test_the_staff_list_shows_open_requests_and_finds_people(staff_client):
    person = make_user(Role.APPLICANT, full_name="Ada Example", email="ada@example.org")
    ErasureRequest.objects.create(user=person)

    html = staff_client.get(reverse("staff_privacy")).content.decode()
    found = staff_client.get(reverse("staff_privacy"), {"email": "ADA@example.org"})
    missing = staff_client.get(reverse("staff_privacy"), {"email": "nobody@example.org"})
    invalid = staff_client.get(reverse("staff_privacy"), {"email": "javascript:alert(1)"})

    assert "Ada Example &lt;ada@example.org&gt;" in html
    assert found["Location"] == reverse("staff_privacy_person", kwargs={"pk": person.pk})
    assert "No account has this address." in missing.content.decode()
    assert "Enter a valid email address." in invalid.content.decode()


def test_staff_carry_out_a_request_from_the_persons_page(
    staff_client, django_capture_on_commit_callbacks
):
    person = make_user(Role.APPLICANT, full_name="Ada Example")
    request = ErasureRequest.objects.create(user=person)
    page = staff_client.get(reverse("staff_privacy_person", kwargs={"pk": person.pk}))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("staff_privacy_carry_out", kwargs={"pk": request.pk}), follow=True
        )

    assert (
        '<h2 id="request-heading">Their request to erase their data</h2>' in page.content.decode()
    )
    assert "The data has been erased and the person has been told what remains." in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == ("", False)
    assert (
        staff_client.post(reverse("staff_privacy_carry_out", kwargs={"pk": request.pk})).status_code
        == 404
    )


def test_staff_cannot_carry_out_their_own_request(client):
    staff = make_role_user("staff")
    sign_in(client, staff)
    request = ErasureRequest.objects.create(user=staff)

    response = client.post(
        reverse("staff_privacy_carry_out", kwargs={"pk": request.pk}), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "staff_privacy_person", kwargs={"pk": staff.pk}
    )
    assert "You may not do this now." in response.content.decode()
    assert ErasureRequest.objects.get(pk=request.pk).state == RequestState.OPEN


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "²"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("staff_privacy_person", "get"),
        ("staff_privacy_download", "post"),
        ("staff_privacy_carry_out", "post"),
    ],
)
def test_unknown_people_and_requests_are_not_found(staff_client, pk, name, method):
    url = reverse(name, kwargs={"pk": 1}).replace("/1/", f"/{pk}/")

    response = getattr(staff_client, method)(url)

    assert response.status_code == 404


# The privacy notice, generated.


def test_the_notice_is_generated_from_the_inventory_and_the_retention_settings(client, settings):
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "drafts_months": 9}

    html = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Privacy notice</h1>" in html
    assert settings.PRIVACY_CONTROLLER in html
    assert '<a href="mailto:privacy@fund.example">privacy@fund.example</a>' in html
    assert '<th scope="row">Grant: IBAN</th>' in html
    assert (
        "<dd>Deleted 9 months after the call&#x27;s deadline, with their attachments.</dd>" in html
    )
    assert "Consent, Art. 6(1)(a) GDPR" not in html or "publication" in html


def test_the_notice_in_german(client):
    html = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "<h1>Datenschutzerklärung</h1>" in html
    assert "Gelöscht 6 Monate nach dem Einsendeschluss der Förderrunde" in html


def test_every_page_and_the_sign_up_form_link_the_notice(client):
    for url in ("/", reverse("account_signup"), reverse("account_login")):
        html = client.get(url).content.decode()
        assert 'href="/privacy/"' in html, url
    signup = client.get(reverse("account_signup")).content.decode()
    assert 'our <a href="/privacy/">privacy notice</a> explains' in signup


# Query counts.


@pytest.mark.parametrize("count", [1, 3])
def test_the_staff_list_costs_the_same_with_more_requests(
    staff_client, django_assert_num_queries, count
):
    for _number in range(count):
        ErasureRequest.objects.create(user=make_user(Role.APPLICANT))
        handled = ErasureRequest.objects.create(
            user=make_user(Role.APPLICANT), state=RequestState.CANCELLED
        )
        handled.handled_at = handled.requested_at
        handled.save(update_fields=["handled_at"])

    # the open requests with their people, the handled ones with theirs
    with django_assert_num_queries(SESSION_USER_GROUPS + SECOND_FACTOR_GATE + 2 + INBOX_COUNT):
        response = staff_client.get(reverse("staff_privacy"))

    assert response.content.decode().count("Review and carry out") == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_persons_page_costs_the_same_with_more_applications(
    staff_client, django_assert_num_queries, count
):
    person = make_user(Role.APPLICANT)
    ErasureRequest.objects.create(user=person)
    for _number in range(count):
        ApplicationFactory(owner=person)
        submitted(CallFactory(), ApplicationState.SUBMITTED, owner=person)
    url = reverse("staff_privacy_person", kwargs={"pk": person.pk})

    # the person, their open request and the plan's 17 reads (their roles among them; the
    # open application ends the account's checks early)
    with django_assert_num_queries(SESSION_USER_GROUPS + SECOND_FACTOR_GATE + 2 + 17 + INBOX_COUNT):
        response = staff_client.get(url)

    assert f'<span class="badge">{count}</span>' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_erasure_page_costs_the_same_with_more_applications(
    client, django_assert_num_queries, count
):
    person = make_user(Role.APPLICANT)
    for _number in range(count):
        ApplicationFactory(owner=person)
    client.force_login(person)

    # the open request and the plan's 18 reads (counts and ids per kind of record: a fixed
    # number however many records there are)
    with django_assert_num_queries(SESSION_USER_GROUPS + 1 + 18 + INBOX_COUNT):
        response = client.get(reverse("privacy_erasure"))

    assert f'<span class="badge">{count}</span>' in response.content.decode()


def test_the_download_holds_the_accounts_named_and_how_they_were_confirmed():
    staff = make_user(Role.STAFF)
    grant = signed_grant(staff)
    confirm_account(grant, staff, note="Called back on the number in the application.")
    check = grant.bank_checks.get()

    bank = collect(grant.application.owner)[DataKind.BANK]

    assert bank["grants"][0]["accounts_named"] == [
        {
            "account_holder": "Ada Lovelace",
            "iban": grant.iban_masked,
            "named": check.requested_at.isoformat(),
            "status": "Confirmed",
            "confirmed": check.confirmed_at.isoformat(),
            "how_confirmed": "Called back on the number in the application.",
        }
    ]
