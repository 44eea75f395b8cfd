"""The selection record of a decided call as a PDF (reporting.selection_record), German and
English, tagged PDF/UA: jury, conflicts, method, ranking, the minutes of the discussion,
line, lottery, decisions and deviations with their reasons; each download logged with its
SHA-256; staff only."""

import datetime as dt
import hashlib
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from grants.services.calls import transition_call
from grants.states import CallState
from review import events
from review.models import DiscussionComment, DiscussionSummary, SelectionRecord
from review.services.decisions import decide_applications
from review.services.funding import draw_funding_line, draw_lottery, freeze_grey_zone, move_on_line
from review.states import (
    SUMMARY_MAX_CHARS,
    ConflictKind,
    Decision,
    LineMove,
    RankingBasis,
    SeedSource,
)
from tests.accounts.helpers import sign_in
from tests.factories import make_user, set_state
from tests.reporting.helpers import pdf_text
from tests.review.helpers import conflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

# The session, user, roles and second factor (4); the record with its call and fund; the
# rule's look for the user's conflicts in the call; the jury members; the conflicts; the
# discussion's comment counts and summaries; the log entry.
QUERIES = 11
SUMMARY_A = "The panel found A's plan sound;\nfund it in full."


@pytest.fixture
def decided(ranked, staff, time_machine):
    """A decided call: a raw line with B moved out, a lottery from a named draw, decisions
    (one against the line, with its reason); a juror abstained from F."""
    call, jury, apps = ranked
    set_state(call, CallState.IN_REVIEW)
    juror = jury.members.order_by("pk").first().user
    conflict(juror, apps["F"], kind=ConflictKind.COLLEAGUE)
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    move_on_line(
        line=line,
        actor=staff,
        application_id=apps["B"].pk,
        direction=LineMove.DO_NOT_FUND,
        reason="Funded by a state programme already.",
    )
    moment = timezone.now() + dt.timedelta(hours=1)
    line = freeze_grey_zone(
        line=line,
        actor=staff,
        source=SeedSource.LOTTERY_DRAW,
        reference="Lotto 6 aus 49, 2 May 2026",
        published_after=moment,
    )
    time_machine.move_to(moment + dt.timedelta(minutes=1))
    draw_lottery(line=line, actor=staff, seed="3 14 22 31 40 45")
    decide_applications(
        call=call,
        decisions=[(apps["A"].pk, Decision.APPROVE), (apps["B"].pk, Decision.APPROVE)],
        actor=staff,
        reason="The jury asked for B after all.",
    )
    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )
    discuss(apps, juror, staff)
    return call, apps, juror


def discuss(apps, juror, staff):
    """The minutes: A has a rapporteur with a summary and two comments (a third withdrawn),
    C a comment only; the others were not discussed."""
    DiscussionSummary.objects.create(
        application=apps["A"], rapporteur=juror, named_by=staff, text=SUMMARY_A
    )
    for author, body in ((juror, "Sound."), (staff, "Agreed."), (staff, "")):
        DiscussionComment.objects.create(
            application=apps["A"],
            author=author,
            body=body,
            withdrawn_at=None if body else timezone.now(),
        )
    DiscussionComment.objects.create(application=apps["C"], author=staff, body="Risky.")


def structure_tags(content: bytes) -> list[str]:
    """The structure types of the PDF's tag tree, in document order."""
    reader = PdfReader(io.BytesIO(content))
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append(str(node["/S"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def download(client, user, call, language):
    sign_in(client, user)
    return client.get(reverse("selection_record_pdf", args=[call.slug, language]))


def test_the_english_record_holds_jury_conflicts_method_line_lottery_and_decisions(
    client, staff, decided
):
    call, apps, juror = decided

    response = download(client, staff, call, "en")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ctf-selection-record-{call.slug}-en.pdf"'
    )
    text = pdf_text(response.content)
    assert f"Selection record: {call.title_en}" in text
    assert "3 jurors:" in text and juror.full_name in text
    assert "1 conflict of interest kept a juror away from an application." in text
    assert f"{juror.full_name} {apps['F'].reference}" in text  # who abstained where
    assert "Ranked by: Raw weighted mean." in text
    assert "additive model" in text
    for suffix in "ABCDEF":
        assert f"{apps[suffix].reference} Project {suffix}" in text
    assert "Lotto 6 aus 49, 2 May 2026" in text and "3 14 22 31 40 45" in text
    assert "Funded by a state programme already." in text  # the move's reason
    assert "The jury asked for B after all." in text  # the decision against the line
    assert text.count("departs from the line") == 2  # in the decisions and the deviations
    # The minutes: A (rank first) with its rapporteur, summary and count, then C.
    minutes = text[text.index("Minutes of the jury's discussion") : text.index("Funding line and")]
    assert minutes.index(apps["A"].reference) < minutes.index(apps["C"].reference)
    assert f"Rapporteur: {juror.full_name} · 2 comments" in minutes
    assert "The panel found A's plan sound; fund it in full." in " ".join(minutes.split())
    assert "1 comment No summary was written." in " ".join(minutes.split())
    assert "Sound." not in text and "Risky." not in text  # the comments stay with the jury
    assert apps["D"].reference not in minutes
    tags = structure_tags(response.content)
    assert tags.count("/H2") == 6  # jury, method, ranking, minutes, line, decisions
    assert tags.count("/H3") >= 2 + 2  # conflicts, a line, and one per discussed application
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_data()
    assert reader.metadata.title == f"Selection record: {call.title_en}"


def test_the_german_record_and_its_hash_in_the_log(client, staff, decided):
    call, _apps, _juror = decided

    first = download(client, staff, call, "de").content
    again = download(client, staff, call, "de").content

    text = pdf_text(first)
    assert f"Auswahlprotokoll: {call.title_de}" in text
    assert "Protokoll der Diskussion der Jury" in text
    assert "2 Kommentare" in text and "Keine Zusammenfassung geschrieben." in text
    assert "Jede Entscheidung in der Reihenfolge, in der sie getroffen wurde" in text
    assert PdfReader(io.BytesIO(first)).trailer["/Root"]["/Lang"] == "de"
    # The same record gives the same document; each download is logged with its hash.
    assert first == again
    record = SelectionRecord.objects.get(call=call)
    logged = TransitionLog.objects.filter(action=events.RECORD_PDF, object_id=record.pk)
    assert (
        list(logged.values_list("actor", "data"))
        == [(staff.pk, {"language": "de", "sha256": hashlib.sha256(first).hexdigest()})] * 2
    )


@pytest.mark.parametrize("who", ["applicant", "juror", "ministry", "conflicted staff", "anonymous"])
def test_only_staff_without_a_conflict_download_the_record(client, decided, who):
    call, apps, _juror = decided
    users = {
        "applicant": lambda: apps["A"].owner,
        "juror": lambda: make_user(Role.JUROR),
        "ministry": lambda: make_user(Role.MINISTRY),
        "conflicted staff": lambda: conflict(make_user(Role.STAFF, Role.JUROR), apps["C"]).juror,
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user is not None:
        sign_in(client, user)

    response = client.get(reverse("selection_record_pdf", args=[call.slug, "en"]))

    assert response.status_code == (302 if user is None else 404)  # anonymous: to sign in
    assert not TransitionLog.objects.filter(action=events.RECORD_PDF).exists()


def test_no_record_before_the_call_is_decided(client, staff, ranked):
    call, _jury, apps = ranked
    set_state(call, CallState.IN_REVIEW)
    decide_applications(call=call, decisions=[(apps["A"].pk, Decision.APPROVE)], actor=staff)

    assert download(client, staff, call, "en").status_code == 404
    assert client.get(f"/ministry/selection-records/{call.slug}/fr.pdf").status_code == 404
    assert client.get("/ministry/selection-records/no-such-call/en.pdf").status_code == 404


def test_the_line_page_of_a_decided_call_links_both_languages(client, staff, decided):
    call, _apps, _juror = decided
    sign_in(client, staff)

    text = client.get(reverse("staff_line", kwargs={"slug": call.slug})).content.decode()

    links = re.findall(r'<a href="(/ministry/selection-records/[^"]+)" hreflang="(de|en)"', text)
    assert links == [
        (reverse("selection_record_pdf", args=[call.slug, "de"]), "de"),
        (reverse("selection_record_pdf", args=[call.slug, "en"]), "en"),
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_download_makes_a_fixed_number_of_queries(
    client, staff, decided, django_assert_num_queries, rows
):
    call, apps, _juror = decided
    for suffix in "ABC"[:rows]:
        conflict(make_user(Role.JUROR), apps[suffix], kind=ConflictKind.PERSONAL)
    for suffix in "DEF"[:rows]:  # more discussed applications
        DiscussionComment.objects.create(application=apps[suffix], author=staff, body="x")
    sign_in(client, staff)
    url = reverse("selection_record_pdf", args=[call.slug, "en"])

    with django_assert_num_queries(QUERIES):
        response = client.get(url)

    assert response.status_code == 200


def test_the_longest_summary_and_its_special_characters_fit_the_record(client, staff, decided):
    call, apps, _juror = decided
    longest = ("Budget < plan & risks > gains; " * 400)[:SUMMARY_MAX_CHARS]
    DiscussionSummary.objects.filter(application=apps["A"]).update(text=longest)

    response = download(client, staff, call, "en")

    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert text.count("Budget < plan & risks > gains;") == longest.count("Budget")
