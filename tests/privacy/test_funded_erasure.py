"""A funded project, told through the services (agreement with bank details and consent,
milestone reports with links and public bodies, a change request, the account confirmed by
calling back, payments in a transfer file, the final report), leaves no trace of its texts,
links, bank details or files once its retention periods have ended; the figures, the
payments and the transfer file's record keep counting it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from core.storage import private_storage
from grants.contracts.services.batches import batch_file
from grants.contracts.services.changes import request_change
from grants.contracts.services.closing import review_final_report, save_final_report
from grants.contracts.services.milestones import submit_milestone_report
from grants.models import AgreementDocument, Grant, Payment, ProofOfUse, SepaBatch
from grants.money import add_months
from privacy.services.retention import apply_retention
from reporting.data import load
from reporting.figures import figures, prepare
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.grants.contracts.helpers import (
    REPORT,
    accept,
    accept_every_line,
    confirm_account,
    pay,
    signed_grant,
    statement,
)
from tests.privacy.helpers import noon
from tests.privacy.search import cache_mentions, database_mentions

pytestmark = pytest.mark.django_db

TEXT = "Quokka ledger synthesis"
LINK = "https://codeberg.org/quokka-ledger/tool"
PUBLIC_BODY_USE = "Runs the quokka ledger for its parks"
HOLDER = "Ada Lovelace"  # the account holder signed_grant names
CALL_BACK = "Called Grete back on +49 30 5550199"
GRANTEE = "Grete Grantee"
PAYEE = "Quokka Hosting GmbH"  # a receipt in the proof of use


def public_pages(client) -> str:
    """The transparency page and the 360Giving data as anyone reads them (and the cache keeps
    them)."""
    open_data = b"".join(client.get("/open-data/360giving.json").streaming_content)
    return client.get("/transparency/").content.decode() + open_data.decode()


def funded_and_completed(staff):
    grant = signed_grant(staff, owner=make_user(Role.APPLICANT, full_name=GRANTEE))
    request_change(
        grant=grant,
        actor=grant.application.owner,
        kind="end_date",
        new_date=grant.ends_on + dt.timedelta(days=30),
        reason=f"{TEXT} needs a month more.",
    )
    for milestone in grant.milestones.order_by("position"):
        submit_milestone_report(
            milestone=milestone,
            actor=grant.application.owner,
            draft_token="",
            fields={**REPORT, "delivered": f"{TEXT}, part {milestone.position}."},
            links=[{"kind": "repository", "url": LINK, "licence": "MIT"}],
            collaborations=[
                {
                    "body": "Stadt Ulm",
                    "level": "municipal",
                    "kind": "adopts",
                    "description": PUBLIC_BODY_USE,
                }
            ],
        )
        accept(milestone, staff)
    confirm_account(grant, staff, note=CALL_BACK)
    pay(grant.milestones.all(), exporter=make_user(Role.STAFF))
    grant.refresh_from_db()
    save_final_report(
        grant=grant,
        actor=grant.application.owner,
        fields={"summary": f"{TEXT} is done.", "contribution": "", "next_steps": ""},
        milestone_results=[
            {"milestone": m.pk, "achieved": True, "explanation": f"{TEXT} shipped."}
            for m in grant.milestones.all()
        ],
        public_links=[LINK],
        statement=statement(
            grant,
            receipts=[(grant.starts_on, PAYEE, f"{TEXT} hosting", "120.00")],
            reasons={"other": f"{TEXT} needed a server."},
        ),
        submit=True,
    )
    accept_every_line(grant, staff)
    review_final_report(
        grant=grant, actor=staff, accept=True, comment="", expected_state="submitted"
    )
    return Grant.objects.get(pk=grant.pk)


def test_a_funded_project_leaves_no_trace_after_its_periods(
    client, django_capture_on_commit_callbacks
):
    staff = make_user(Role.STAFF)
    grant = funded_and_completed(staff)
    assert grant.application.state == "completed"
    masked_tail = grant.iban_masked[-5:]
    before = figures(prepare(load().frames, today=dt.date(2030, 1, 1)))
    needles = (TEXT, LINK, PUBLIC_BODY_USE, HOLDER, CALL_BACK, masked_tail, PAYEE)
    files = [
        *AgreementDocument.objects.filter(grant=grant).values_list("stored_name", flat=True),
        ProofOfUse.objects.get(final_report__grant=grant).stored_name,
    ]
    assert all(files) and all(private_storage().exists(name) for name in files)
    assert [needle for needle in (*needles, GRANTEE) if not database_mentions(needle)] == []
    batch = SepaBatch.objects.get()
    payments = list(Payment.objects.order_by("pk").values_list("kind", "amount", "paid_on"))
    assert batch_file(batch=batch, actor=batch.created_by)  # the file is there to download

    assert GRANTEE in public_pages(Client())  # published with consent...
    assert len(cache_mentions(GRANTEE)) == 2  # ...and cached: the page and the open data

    due = add_months(timezone.localdate(), 120)
    apply_retention(now=noon(due - dt.timedelta(days=1)))
    assert database_mentions(TEXT)  # not the day before
    with django_capture_on_commit_callbacks(execute=True):  # the cached copies are dropped
        apply_retention(now=noon(due))

    assert database_mentions(*needles) == []
    # The agreement and the proof of use leave the storage; their checksums stay.
    assert [name for name in files if private_storage().exists(name)] == []
    assert set(AgreementDocument.objects.values_list("stored_name", flat=True)) == {""}
    assert ProofOfUse.objects.get().stored_name == ""
    assert ProofOfUse.objects.get().sha256 != ""
    # The account itself follows the rule for inactive accounts; nothing else names her.
    assert database_mentions(GRANTEE) == [f"accounts_user.full_name: {GRANTEE}"]
    assert cache_mentions(*needles, GRANTEE) == []
    assert [n for n in (*needles, GRANTEE) if n in public_pages(Client())] == []
    # The payments stay for the audit, and the transfer file's record without the file.
    assert list(Payment.objects.order_by("pk").values_list("kind", "amount", "paid_on")) == payments
    kept = SepaBatch.objects.get()
    assert (kept.sha256, kept.total, kept.state, kept.file_encrypted) == (
        batch.sha256,
        batch.total,
        "paid",
        "",
    )
    with pytest.raises(WorkflowError, match="deleted after its retention period"):
        batch_file(batch=kept, actor=batch.created_by)
    sign_in(client, batch.created_by)  # staff sign in with a second factor
    html = client.get(reverse("staff_sepa_batch", args=[batch.pk])).content.decode()
    assert "deleted after its retention period" in html
    assert reverse("staff_sepa_batch_file", args=[batch.pk]) not in html
    assert figures(prepare(load().frames, today=dt.date(2030, 1, 1))).equals(before)
    assert before.loc["all", "repositories"] == 1
