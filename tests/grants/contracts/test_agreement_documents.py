"""The grant agreement as a PDF (Zuwendungsvertrag): made from the fund's versioned
conditions with the account masked, tagged PDF/UA-1 in German and English; the grantee
accepts that exact file (its SHA-256, time and user are stored); grantee and staff download
it, nobody else."""

import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from core.identity import fund_name
from core.storage import private_storage
from grants.contracts.services.agreements import (
    accept_agreement,
    offer_agreement,
    prepare_agreement,
)
from grants.contracts.services.documents import save_agreement_terms
from grants.models import AgreementDocument, AgreementTerms, Grant
from grants.states import ApplicationState as A
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import IBAN, make_user
from tests.grants.contracts.helpers import (
    TERMS_DE,
    TERMS_EN,
    approved_application,
    signing_copy,
    with_terms,
)
from tests.reporting.helpers import pdf_text
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def offered(staff, **kwargs):
    application = approved_application(**kwargs)
    grant = prepare_agreement(application=application, actor=staff)
    with_terms(application.call.fund, staff)
    return offer_agreement(grant=grant, actor=staff, expected_version=grant.version)


def stored_bytes(document) -> bytes:
    with private_storage().open(document.stored_name, "rb") as handle:
        return handle.read()


def test_the_pdf_names_parties_reference_period_amount_milestones_conditions_and_masked_account(
    staff,
):
    grant = offered(staff)
    document = signing_copy(grant, language="en")

    content = stored_bytes(document)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.size == len(content)
    text = pdf_text(content)
    application = grant.application
    assert f"Grant agreement (Zuwendungsvertrag) {grant.funding_reference}" in text
    assert fund_name() in text
    assert application.owner.full_name in text
    assert application.title in text
    assert "€44,887.50" in text
    for milestone in grant.milestones.all():
        assert milestone.title in text
    assert "The grant serves the project only." in text
    assert "The code is published under an open licence." in text
    assert "Version 1 of the fund's conditions" in text
    assert "DE89 •••• •••• •••• ••30 00" in text
    assert IBAN.replace(" ", "") not in text.replace(" ", "")  # never the clear IBAN
    assert "Ada Lovelace" in text  # the account holder
    assert "accepted electronically" in text


def test_the_pdf_is_tagged_pdf_ua_with_title_and_language_in_german(staff):
    grant = offered(staff)
    document = signing_copy(grant, language="de")

    reader = PdfReader(io.BytesIO(stored_bytes(document)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == f"Zuwendungsvertrag {grant.funding_reference}"
    assert b"pdfuaid:part" in root["/Metadata"].get_data()
    text = pdf_text(stored_bytes(document))
    assert "Die Zuwendung dient allein dem Projekt." in text
    assert "44.887,50 €" in text
    assert document.pages == len(reader.pages)


def test_grantee_text_stays_text_in_the_pdf(staff):
    grant = offered(staff, title='<img src="file:///etc/passwd"> Tool & <b>Co</b>')
    document = signing_copy(grant)

    text = pdf_text(stored_bytes(document))
    assert '<img src="file:///etc/passwd"> Tool & <b>Co</b>' in text


def test_accepting_stores_the_files_sha256_time_and_user(staff):
    grant = offered(staff)
    document = signing_copy(grant, consent=False)

    accepted = accept_agreement(
        application=grant.application,
        actor=grant.application.owner,
        document=document,
        sha256=document.sha256,
    )

    grant = Grant.objects.get(pk=accepted.pk)
    assert grant.accepted_document == document
    assert grant.accepted_sha256 == document.sha256
    assert grant.accepted_by == grant.application.owner
    assert grant.accepted_at is not None
    assert grant.iban_masked == "DE89 •••• •••• •••• ••30 00"
    assert grant.publication_consent is False
    assert grant.application.state == A.FUNDED
    assert grant.terms.version == 1
    made = TransitionLog.objects.get(action="grants.application.agreement_document_made")
    assert (made.data, made.visible_to_applicant) == (
        {"sha256": document.sha256, "version": document.grant_version},
        True,
    )


def _unchanged(grant):
    grant.refresh_from_db()
    grant.application.refresh_from_db()
    assert grant.application.state == A.APPROVED
    assert grant.accepted_at is None and grant.accepted_sha256 == ""
    assert not grant.has_bank_details


def test_another_checksum_an_older_version_or_someone_elses_copy_is_refused(staff):
    grant = offered(staff)
    document = signing_copy(grant)
    owner = grant.application.owner

    with pytest.raises(StaleObjectError):
        accept_agreement(
            application=grant.application, actor=owner, document=document, sha256="0" * 64
        )
    _unchanged(grant)
    # Staff change the agreement after the PDF was made: that PDF can no longer be accepted.
    Grant.objects.filter(pk=grant.pk).update(version=grant.version + 1)
    with pytest.raises(StaleObjectError):
        accept_agreement(
            application=grant.application, actor=owner, document=document, sha256=document.sha256
        )
    _unchanged(grant)
    Grant.objects.filter(pk=grant.pk).update(version=grant.version)
    stranger = make_user(Role.APPLICANT)
    with pytest.raises(WorkflowError):
        accept_agreement(
            application=grant.application,
            actor=stranger,
            document=document,
            sha256=document.sha256,
        )
    _unchanged(grant)


def test_only_the_grantee_makes_a_copy_and_only_while_the_agreement_is_open(staff):
    grant = offered(staff)
    stranger = make_user(Role.APPLICANT)
    with pytest.raises(WorkflowError):
        from grants.contracts.services.documents import make_agreement_document

        make_agreement_document(
            grant=grant,
            actor=stranger,
            expected_version=grant.version,
            account_holder="X",
            iban=IBAN,
            bic="",
            publication_consent=False,
            language="en",
        )
    assert not AgreementDocument.objects.exists()


def test_sending_needs_conditions_and_records_the_version_used(staff):
    application = approved_application()
    grant = prepare_agreement(application=application, actor=staff)
    with pytest.raises(WorkflowError, match="no agreement conditions yet"):
        offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    grant.refresh_from_db()
    assert grant.offered_at is None and grant.terms is None

    fund = application.call.fund
    first = save_agreement_terms(fund=fund, actor=staff, text_de=TERMS_DE, text_en=TERMS_EN)
    grant = offer_agreement(grant=grant, actor=staff, expected_version=grant.version)
    second = save_agreement_terms(
        fund=fund, actor=staff, text_de=TERMS_DE + "\n\nNeu.", text_en=TERMS_EN + "\n\nNew."
    )

    assert (first.version, second.version) == (1, 2)
    grant.refresh_from_db()
    assert grant.terms == first  # sent with version 1; later versions do not change it
    document = signing_copy(grant)
    assert document.terms == first
    assert "New." not in pdf_text(stored_bytes(document))
    assert list(AgreementTerms.objects.values_list("version", flat=True)) == [2, 1]


def test_terms_refuse_empty_unchanged_and_too_long_text_and_non_staff(staff):
    fund = approved_application().call.fund
    save_agreement_terms(fund=fund, actor=staff, text_de=TERMS_DE, text_en=TERMS_EN)
    with pytest.raises(WorkflowError, match="unchanged"):
        save_agreement_terms(fund=fund, actor=staff, text_de=TERMS_DE, text_en=TERMS_EN)
    with pytest.raises(WorkflowError) as refused:
        save_agreement_terms(fund=fund, actor=staff, text_de=" ", text_en="x" * 50_001)
    assert set(refused.value.field_errors) == {"text_de", "text_en"}
    with pytest.raises(WorkflowError):
        save_agreement_terms(
            fund=fund, actor=make_user(Role.APPLICANT), text_de="Neu", text_en="New"
        )
    assert AgreementTerms.objects.count() == 1
    longest = save_agreement_terms(fund=fund, actor=staff, text_de="d" * 50_000, text_en="New")
    assert (longest.version, len(longest.text_de)) == (2, 50_000)


def test_the_terms_page_saves_a_new_version_and_refuses_bad_input(client, staff):
    fund = approved_application().call.fund
    sign_in(client, staff)
    url = reverse("staff_agreement_terms")

    response = client.post(url, {"text_de": "", "text_en": "x" * 60_000})
    assert response.status_code == 200
    assert "The conditions were not saved" in response.content.decode()
    assert not AgreementTerms.objects.exists()
    response = client.post(url, {"text_de": "Erste Bedingung", "text_en": "First condition"})
    assert response.status_code == 302
    terms = AgreementTerms.objects.get()
    assert (terms.fund, terms.version, terms.created_by) == (fund, 1, staff)
    page = client.get(url).content.decode()
    assert "Version 1," in page and "Erste Bedingung" in page


def test_the_grantee_page_makes_the_pdf_and_accepts_it_in_two_steps(client, staff):
    grant = offered(staff)
    owner = grant.application.owner
    client.force_login(owner)
    url = reverse("grantee_agreement", args=[grant.pk])

    page = client.get(url).content.decode()
    assert "First give your account and consent above" in page
    response = client.post(
        url,
        {"make_copy": "1", "version": grant.version, "account_holder": "Ada Lovelace",
         "iban": IBAN, "bic": "", "language": "de", "publication_consent": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    page = client.get(url).content.decode()
    assert document.sha256 in page
    assert reverse("agreement_document", args=[document.pk]) in page
    # Without ticking the confirmation nothing is accepted.
    response = client.post(url, {"accept": "1", "document": document.pk, "sha256": document.sha256})
    assert response.status_code == 200
    _unchanged(grant)
    # Hostile ids and checksums: refused, never a 500.
    for bad in ({"document": "²"}, {"document": "99999999999"}, {"sha256": "g" * 64}):
        data = {"accept": "1", "document": document.pk, "sha256": document.sha256} | bad
        assert client.post(url, data | {"confirm": "on"}).status_code == 200
    _unchanged(grant)
    response = client.post(
        url, {"accept": "1", "document": document.pk, "sha256": document.sha256, "confirm": "on"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.accepted_sha256 == document.sha256
    assert grant.publication_consent is True


@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 200), ("applicant", 404), ("juror", 404), ("staff", 200), ("ministry", 404),
     ("admin", 200), ("anonymous", 302)],
)  # fmt: skip
def test_who_downloads_the_agreement_pdf(client, staff, who, expected):
    grant = offered(staff)
    document = signing_copy(grant)
    users = {
        "owner": grant.application.owner,
        "applicant": make_user(Role.APPLICANT),
        "staff": staff,
        "anonymous": None,
    }
    user = users[who] if who in users else make_role_user(who)
    if user is not None:
        sign_in(client, user)

    response = client.get(reverse("agreement_document", args=[document.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == stored_bytes(document)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="agreement-{grant.funding_reference}-v{document.grant_version}'
            f'-{document.language}-{document.pk}.pdf"'
        )
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


@pytest.mark.parametrize("count", [1, 3])
def test_the_staff_agreement_page_makes_a_fixed_number_of_queries(client, staff, count):
    grant = offered(staff)
    for _ in range(count):
        signing_copy(grant)
    sign_in(client, staff)
    url = reverse("staff_agreement", args=[grant.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.content.decode().count(reverse("agreement_document", args=[0])[:-11]) >= count
    assert len(queries) == 12, [q["sql"] for q in queries]  # with the inbox count


@pytest.mark.parametrize("count", [1, 3])
def test_the_terms_page_makes_a_fixed_number_of_queries(client, staff, count):
    fund = approved_application().call.fund
    for number in range(count):
        save_agreement_terms(fund=fund, actor=staff, text_de=f"D{number}", text_en=f"E{number}")
    sign_in(client, staff)
    url = reverse("staff_agreement_terms")
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.content.decode().count("<li>Version ") == count
    assert len(queries) == 8, [q["sql"] for q in queries]  # with the inbox count
