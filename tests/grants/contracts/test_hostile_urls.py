"""Out-of-range ids in the documents' addresses answer 404, never a 500."""

import pytest

from accounts.roles import Role
from tests.accounts.helpers import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/grants/agreements/{HUGE}/download/",
        f"/grants/proofs-of-use/{HUGE}/download/",
        f"/drawdowns/{HUGE}/download.pdf",
        "/drawdowns/1/download.exe",
    ],
)
def test_huge_ids_and_unknown_formats_are_not_found(client, url):
    sign_in(client, make_user(Role.STAFF))

    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", [f"/staff/statement-lines/{HUGE}/check/", f"/grantee/statement-lines/{HUGE}/answer/"]
)
def test_huge_line_ids_are_not_found(client, url):
    sign_in(client, make_user(Role.STAFF))
    staff_answer = client.post(url, {"expected_state": "open", "decision": "accept"})
    client.force_login(make_user(Role.APPLICANT))
    applicant_answer = client.post(url, {"expected_state": "queried", "answer": "A"})

    assert (staff_answer.status_code, applicant_answer.status_code) == (404, 404)
