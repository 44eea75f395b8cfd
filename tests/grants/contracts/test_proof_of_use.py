"""The proof of use (Verwendungsnachweis): the numerical statement against the plan
(hand-built figures), its checks and hostile input, the line-by-line check by staff (each
transition allowed and forbidden, a refusal changes nothing), the archived PDF and who may
download it."""

import datetime as dt
import hashlib
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from core.errors import StaleObjectError, TransitionRefused, WorkflowError
from core.storage import private_storage
from grants.contracts.services.closing import review_final_report, save_final_report
from grants.contracts.services.proof import (
    answer_statement_query,
    check_statement_line,
)
from grants.contracts.statement import build_statement
from grants.models import FinalReport, ProofOfUse, StatementLine
from grants.states import FinalReportState
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept_every_line, statement
from tests.reporting.helpers import pdf_text
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
D = Decimal
# The factory's plan: 900 hours at €50 = €45,000 personnel, 5 % overhead €2,250, total
# €47,250, of which the fund pays 95 % (€44,887.50) and the grantee €2,362.50.
PLAN = {
    "hours": 900,
    "personnel": D("45000.00"),
    "overhead": D("2250.00"),
    "own_share": D("2362.50"),
}


def person(amount, hours=100):
    return SimpleNamespace(kind="person", amount=D(amount), hours=D(hours))


def receipt(amount):
    return SimpleNamespace(kind="receipt", amount=D(amount), hours=None)


def built(lines, *, own="0", reasons=None, tolerance=20):
    return build_statement(
        budget=PLAN,
        overhead_percent=D("5"),
        award=D("44887.50"),
        lines=lines,
        own_contribution=D(own),
        reasons=reasons or {},
        tolerance_percent=tolerance,
    )


def test_the_statement_against_the_plan_from_hand_built_figures():
    result = built(
        [person("30000.00", 600), person("12000.00", 240), receipt("480.00")], own="2000"
    )

    rows = {row.category: row for row in result.rows}
    assert (rows["personnel"].planned, rows["personnel"].actual) == (D("45000.00"), D("42000.00"))
    assert rows["personnel"].difference == D("-3000.00")
    assert rows["personnel"].difference_percent == D("-6.7")
    assert rows["overhead"].actual == D("2100.00")  # 5 % of the actual personnel costs
    assert (rows["other"].planned, rows["other"].actual) == (D("0.00"), D("480.00"))
    assert rows["other"].difference_percent is None
    assert result.actual_total == D("44580.00")
    assert result.planned_total == D("47250.00")
    assert result.actual_hours == D("840")
    assert result.grant_spent == D("42580.00")  # costs less the own contribution
    assert result.unused == D("2307.50")
    # Other costs were not planned: any amount needs a reason; the rest is within 20 %.
    assert [row.category for row in result.rows if row.needs_reason] == ["other"]
    assert result.reasons_missing == ["other"]
    assert (
        built(
            [person("42000.00"), receipt("480.00")], reasons={"other": "Servers."}
        ).reasons_missing
        == []
    )


@pytest.mark.parametrize(
    ("personnel", "needs_reason"),
    [("36000.00", False), ("35999.99", True), ("54000.00", False), ("54000.01", True)],
)
def test_the_tolerance_is_a_share_of_the_plan_on_and_beyond_its_edge(personnel, needs_reason):
    row = built([person(personnel)]).rows[0]  # plan €45,000, tolerance 20 %: €36,000–€54,000

    assert row.needs_reason is needs_reason


def test_the_grant_spent_never_exceeds_the_award_nor_goes_below_nothing():
    assert built([person("90000.00")]).grant_spent == D("44887.50")
    assert built([person("1000.00")], own="5000").grant_spent == D("0.00")


# Writing the statement --------------------------------------------------------------------


@pytest.fixture
def due(staff):
    grant = make_grant(state="final_report_due")
    grant.milestones.update(state="paid")
    FinalReport.objects.create(grant=grant)
    return grant


def write(grant, *, submit=False, **kwargs):
    return save_final_report(
        grant=grant,
        actor=grant.application.owner,
        fields={"summary": "Done.", "contribution": "", "next_steps": ""},
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": ""} for m in grant.milestones.all()
        ],
        public_links=[],
        statement=statement(grant, **kwargs),
        submit=submit,
    )


def test_a_difference_over_the_tolerance_keeps_the_report_from_being_handed_in(due):
    day = due.starts_on + dt.timedelta(days=10)
    with pytest.raises(WorkflowError) as refused:
        write(due, submit=True, receipts=[(day, "Hetzner", "Servers", "480.00")])
    assert set(refused.value.field_errors) == {"reason_other"}
    report = FinalReport.objects.get(grant=due)
    assert report.state == FinalReportState.DRAFT
    assert ProofOfUse.objects.get().lines.count() == 2  # saved, not handed in

    write(due, submit=True, receipts=[(day, "Hetzner", "Servers", "480.00")],
          reasons={"other": "Servers were not planned."})  # fmt: skip

    report.refresh_from_db()
    assert report.state == FinalReportState.SUBMITTED
    proof = ProofOfUse.objects.get()
    assert proof.variance_reasons == {"other": "Servers were not planned."}
    assert [(line.kind, line.position, line.amount) for line in proof.lines.all()] == [
        ("person", 1, D("42000.00")),
        ("receipt", 1, D("480.00")),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "-1"},
        {"amount": "99999999999999"},
        {"hours": "0"},
        {"hours": "100001"},
        {"own": "-5"},
        {"own": "1e400"},
        {"receipts": [(dt.date(2099, 1, 1), "Far", "Future", "10.00")]},
        {"receipts": [(dt.date(2000, 1, 1), "Long", "Ago", "10.00")]},
        {"receipts": [(None, "No", "Date", "10.00")]},
        {"reasons": {"other": "x" * 10_001}},
    ],
)
def test_hostile_statements_are_refused_and_change_nothing(due, bad):
    write(due)  # a saved statement that must survive the refusal
    before = list(StatementLine.objects.values_list("kind", "amount", "hours"))
    kwargs = {"receipts": bad.get("receipts", ())} | {
        key: value for key, value in bad.items() if key != "receipts"
    }

    with pytest.raises(WorkflowError):
        write(due, **kwargs)

    assert list(StatementLine.objects.values_list("kind", "amount", "hours")) == before
    assert ProofOfUse.objects.get().own_contribution == D("0.00")


def test_the_statement_form_refuses_unicode_digits_and_huge_numbers(client, due):
    client.force_login(due.application.owner)
    url = reverse("grantee_final_report", args=[due.pk])
    data = {
        "summary": "Done.", "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0",
        "receipts-TOTAL_FORMS": "1", "receipts-INITIAL_FORMS": "0",
        "persons-0-name": "Ada", "persons-0-hours": "²", "persons-0-amount": "1" * 40,
        "receipts-0-paid_on": "31.02.2026", "receipts-0-payee": "X", "receipts-0-purpose": "Y",
        "receipts-0-amount": "-3", "own_contribution": "٣",
    }  # fmt: skip

    response = client.post(url, data | {"save": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your report was not saved: please correct the marked fields." in page
    assert not ProofOfUse.objects.exists()


def test_a_statement_refused_for_a_missing_reason_keeps_its_lines_when_sent_again(client, due):
    """The page shows the saved rows again; sending them unchanged must not drop them (an
    extra form equal to its initial would count as empty)."""
    client.force_login(due.application.owner)
    url = reverse("grantee_final_report", args=[due.pk])
    data = {
        "summary": "Done.", "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0",
        "receipts-TOTAL_FORMS": "1", "receipts-INITIAL_FORMS": "0",
        "persons-0-name": "Ada", "persons-0-hours": "880", "persons-0-amount": "44000",
        "receipts-0-paid_on": due.starts_on.isoformat(), "receipts-0-payee": "Hetzner",
        "receipts-0-purpose": "Servers", "receipts-0-amount": "480",
    } | {f"achieved_{m.pk}": "yes" for m in due.milestones.all()}  # fmt: skip

    response = client.post(url, data | {"submit": "1"})
    assert "please give the reason" in response.content.decode()
    response = client.post(url, data | {"submit": "1", "reason_other": "Not planned."})

    assert response.status_code == 302
    assert FinalReport.objects.get(grant=due).state == "submitted"
    assert list(StatementLine.objects.values_list("kind", "amount")) == [
        ("person", D("44000.00")),
        ("receipt", D("480.00")),
    ]


# The check, line by line -------------------------------------------------------------------


@pytest.fixture
def submitted(due):
    day = due.starts_on + dt.timedelta(days=10)
    write(due, submit=True, receipts=[(day, "Hetzner", "Servers", "480.00")],
          reasons={"other": "Servers were not planned."})  # fmt: skip
    return due


def lines_of(grant):
    person_line = StatementLine.objects.get(proof__final_report__grant=grant, kind="person")
    receipt_line = StatementLine.objects.get(proof__final_report__grant=grant, kind="receipt")
    return person_line, receipt_line


def snapshot():
    return list(StatementLine.objects.order_by("pk").values_list("state", "query", "answer"))


def test_staff_accept_a_line_and_query_another_which_the_grantee_answers(submitted, staff):
    person_line, receipt_line = lines_of(submitted)
    check_statement_line(
        line=person_line, actor=staff, accept=True, comment="", expected_state="open"
    )
    check_statement_line(line=receipt_line, actor=staff, accept=False,
                         comment="Which servers?", expected_state="open")  # fmt: skip
    answer_statement_query(line=receipt_line, actor=submitted.application.owner,
                           answer="Two test servers.", expected_state="queried")  # fmt: skip
    check_statement_line(
        line=receipt_line, actor=staff, accept=True, comment="", expected_state="answered"
    )

    assert snapshot() == [
        ("accepted", "", ""),
        ("accepted", "Which servers?", "Two test servers."),
    ]
    actions = list(
        TransitionLog.objects.filter(action__startswith="grants.statementline").values_list(
            "action", "from_state", "to_state", "visible_to_applicant"
        )
    )
    # The grantee sees the questions and their answers; staff's acceptances stay internal.
    assert actions == [
        ("grants.statementline.accepted", "open", "accepted", False),
        ("grants.statementline.queried", "open", "queried", True),
        ("grants.statementline.answered", "queried", "answered", True),
        ("grants.statementline.accepted", "answered", "accepted", False),
    ]


def test_an_accepted_line_can_be_queried_again(submitted, staff):
    person_line, _receipt = lines_of(submitted)
    check_statement_line(
        line=person_line, actor=staff, accept=True, comment="", expected_state="open"
    )
    check_statement_line(
        line=person_line, actor=staff, accept=False, comment="Hours?", expected_state="accepted"
    )
    person_line.refresh_from_db()
    assert person_line.state == "queried"


def test_forbidden_checks_and_answers_change_nothing(submitted, staff):
    person_line, receipt_line = lines_of(submitted)
    owner, stranger = submitted.application.owner, make_user(Role.APPLICANT)
    ministry = make_role_user("ministry")
    before = snapshot()
    refusals = [
        # The grantee cannot check, nor answer an unqueried line; strangers and the
        # ministry can do neither; staff cannot answer for the grantee.
        lambda: check_statement_line(line=person_line, actor=owner, accept=True, comment="", expected_state="open"),
        lambda: answer_statement_query(line=person_line, actor=owner, answer="A", expected_state="open"),
        lambda: check_statement_line(line=person_line, actor=stranger, accept=True, comment="", expected_state="open"),
        lambda: check_statement_line(line=person_line, actor=ministry, accept=True, comment="", expected_state="open"),
        lambda: check_statement_line(line=receipt_line, actor=staff, accept=False, comment="", expected_state="open"),
        lambda: check_statement_line(line=receipt_line, actor=staff, accept=True, comment="", expected_state="queried"),
    ]  # fmt: skip
    for refusal in refusals:
        with pytest.raises(WorkflowError):
            refusal()
        assert snapshot() == before
    check_statement_line(
        line=receipt_line, actor=staff, accept=False, comment="Why?", expected_state="open"
    )
    before = snapshot()
    for refusal in (
        lambda: answer_statement_query(line=receipt_line, actor=staff, answer="A", expected_state="queried"),
        lambda: answer_statement_query(line=receipt_line, actor=stranger, answer="A", expected_state="queried"),
        lambda: answer_statement_query(line=receipt_line, actor=owner, answer="", expected_state="queried"),
        lambda: answer_statement_query(line=receipt_line, actor=owner, answer="x" * 10_001, expected_state="queried"),
    ):  # fmt: skip
        with pytest.raises(WorkflowError):
            refusal()
        assert snapshot() == before


def test_a_stale_check_is_refused(submitted, staff):
    person_line, _receipt = lines_of(submitted)
    check_statement_line(
        line=person_line, actor=staff, accept=True, comment="", expected_state="open"
    )
    with pytest.raises(StaleObjectError):
        check_statement_line(
            line=person_line, actor=staff, accept=False, comment="?", expected_state="open"
        )


def test_lines_cannot_be_checked_before_the_report_is_handed_in(due, staff):
    write(due)  # a draft
    person_line = StatementLine.objects.get(kind="person")
    with pytest.raises(TransitionRefused):
        check_statement_line(
            line=person_line, actor=staff, accept=True, comment="", expected_state="open"
        )
    person_line.refresh_from_db()
    assert person_line.state == "open"


def test_accepting_the_report_needs_every_line_accepted_then_archives_the_pdf(submitted, staff):
    with pytest.raises(WorkflowError, match="Check every line"):
        review_final_report(
            grant=submitted, actor=staff, accept=True, comment="", expected_state="submitted"
        )
    report = FinalReport.objects.get(grant=submitted)
    assert report.state == "submitted"
    assert ProofOfUse.objects.get().sha256 == ""

    accept_every_line(submitted, staff)
    review_final_report(
        grant=submitted, actor=staff, accept=True, comment="", expected_state="submitted"
    )

    proof = ProofOfUse.objects.get()
    with private_storage().open(proof.stored_name, "rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == proof.sha256
    assert (proof.accepted_by, proof.accepted_total) == (staff, D("44580.00"))
    assert proof.accepted_grant_spent == D("44580.00")
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_data()
    text = pdf_text(content)
    assert f"Proof of use (Verwendungsnachweis) {submitted.funding_reference}" in text
    assert "Servers were not planned." in text
    assert "€42,000.00" in text and "€480.00" in text and "Hetzner" in text


@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 200), ("applicant", 404), ("juror", 404), ("staff", 200), ("ministry", 404),
     ("admin", 200), ("anonymous", 302)],
)  # fmt: skip
def test_who_downloads_the_archived_proof(client, submitted, staff, who, expected):
    accept_every_line(submitted, staff)
    review_final_report(
        grant=submitted, actor=staff, accept=True, comment="", expected_state="submitted"
    )
    proof = ProofOfUse.objects.get()
    users = {"owner": submitted.application.owner, "applicant": make_user(Role.APPLICANT),
             "staff": staff, "anonymous": None}  # fmt: skip
    user = users[who] if who in users else make_role_user(who)
    if user is not None:
        sign_in(client, user)

    response = client.get(reverse("proof_of_use_document", args=[proof.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == proof.sha256
        reference = submitted.funding_reference
        assert response["Content-Disposition"] == (
            f'attachment; filename="proof-of-use-{reference}-{proof.language}.pdf"'
        )


def test_a_proof_not_yet_archived_is_not_found(client, submitted, staff):
    sign_in(client, staff)
    proof = ProofOfUse.objects.get()
    assert client.get(reverse("proof_of_use_document", args=[proof.pk])).status_code == 404


def test_the_pages_check_and_answer_a_line(client, submitted, staff):
    person_line, receipt_line = lines_of(submitted)
    sign_in(client, staff)
    check = reverse("staff_statement_line_check", args=[receipt_line.pk])
    response = client.post(check, {"expected_state": "open", "decision": "query", "comment": ""})
    assert response.status_code == 302
    assert snapshot()[1] == ("open", "", "")  # a query needs its question
    client.post(check, {"expected_state": "open", "decision": "query", "comment": "Which servers?"})
    page = client.get(reverse("staff_final_report", args=[submitted.pk])).content.decode()
    assert "Which servers?" in page and "Queried" in page

    client.force_login(submitted.application.owner)
    page = client.get(reverse("grantee_final_report", args=[submitted.pk])).content.decode()
    answer = reverse("grantee_statement_answer", args=[receipt_line.pk])
    assert answer in page
    response = client.post(answer, {"expected_state": "queried", "answer": "Two test servers."})
    assert response.status_code == 302
    receipt_line.refresh_from_db()
    assert (receipt_line.state, receipt_line.answer) == ("answered", "Two test servers.")
    # The grantee cannot check, nor answer a line nobody queried.
    response = client.post(reverse("staff_statement_line_check", args=[person_line.pk]),
                           {"expected_state": "open", "decision": "accept"})  # fmt: skip
    assert response.status_code == 404
    response = client.post(reverse("grantee_statement_answer", args=[person_line.pk]),
                           {"expected_state": "open", "answer": "A"})  # fmt: skip
    assert response.status_code == 302
    person_line.refresh_from_db()
    assert (person_line.state, person_line.answer) == ("open", "")


@pytest.mark.parametrize("receipts", [1, 3])
def test_the_staff_final_report_page_makes_a_fixed_number_of_queries(client, due, staff, receipts):
    day = due.starts_on + dt.timedelta(days=10)
    write(due, submit=True, receipts=[(day, "P", "Q", "10.00")] * receipts,
          reasons={"other": "Unplanned."})  # fmt: skip
    sign_in(client, staff)
    url = reverse("staff_final_report", args=[due.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.content.decode().count('id="line-') == receipts + 1
    # With the inbox count; the proof of use comes with its grant, application, call and track.
    assert len(queries) == 13, [q["sql"] for q in queries]


@pytest.mark.parametrize("receipts", [1, 3])
def test_the_grantee_final_report_page_makes_a_fixed_number_of_queries(client, due, receipts):
    day = due.starts_on + dt.timedelta(days=10)
    write(due, submit=True, receipts=[(day, "P", "Q", "10.00")] * receipts,
          reasons={"other": "Unplanned."})  # fmt: skip
    client.force_login(due.application.owner)
    url = reverse("grantee_final_report", args=[due.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.content.decode().count('id="line-') == receipts + 1
    # With the inbox count; the proof of use comes with its grant, application, call and track.
    assert len(queries) == 12, [q["sql"] for q in queries]


def test_receipt_files_go_through_the_upload_service_and_only_the_grantee_sees_drafts(
    client, due, staff
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grants.models import Attachment

    client.force_login(due.application.owner)
    url = reverse("grantee_final_report", args=[due.pk])
    data = {
        "summary": "Done.", "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0",
        "receipts-TOTAL_FORMS": "0", "receipts-INITIAL_FORMS": "0",
        "persons-0-name": "Ada", "persons-0-hours": "880", "persons-0-amount": "44000",
        "save": "1",
    }  # fmt: skip
    pdf = SimpleUploadedFile("hetzner.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = client.post(url, data | {"receipt_files": [pdf, fake]}, follow=True)

    page = response.content.decode()
    assert "“hetzner.pdf” was added." in page or "hetzner.pdf" in page
    files = list(Attachment.objects.filter(proof_of_use__isnull=False))
    assert [f.original_name for f in files] == ["hetzner.pdf"]  # the fake one refused
    download = reverse("attachment_download", args=[files[0].pk])
    assert download in client.get(url).content.decode()
    assert client.get(download).status_code == 200
    sign_in(client, staff)
    assert client.get(download).status_code == 404  # a draft's receipt is the grantee's
    FinalReport.objects.filter(grant=due).update(state="submitted")
    assert client.get(download).status_code == 200
    assert download in client.get(reverse("staff_final_report", args=[due.pk])).content.decode()
    sign_in(client, make_role_user("ministry"))
    assert client.get(download).status_code == 404


def test_a_query_is_mailed_to_the_grantee_in_their_language(
    submitted, staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    _person, receipt_line = lines_of(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        check_statement_line(line=receipt_line, actor=staff, accept=False,
                             comment="Which servers?", expected_state="open")  # fmt: skip

    assert [m.to for m in mail.outbox] == [[submitted.application.owner.email]]
    assert "Which servers?" in mail.outbox[0].body
    assert f"/grantee/grants/{submitted.pk}/final-report/" in mail.outbox[0].body


@pytest.mark.parametrize("permission", ["grants.check_proof_of_use", "grants.answer_proof_query"])
def test_the_check_is_granted_on_a_statement_line_only(submitted, staff, permission):
    person_line, _receipt = lines_of(submitted)
    who = staff if permission == "grants.check_proof_of_use" else submitted.application.owner
    report = person_line.proof.final_report

    assert who.has_perm(permission, person_line) is True
    assert who.has_perm(permission, report) is False
    assert who.has_perm(permission, person_line.proof) is False
    assert who.has_perm(permission, submitted) is False
    assert who.has_perm(permission, None) is False
