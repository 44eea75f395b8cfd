"""The funding line grouped by the call's tracks: per track its applications in rank
order, its cap, what the line proposes and the running totals in the track and overall
against the money available, with the tracks named in the reader's language."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from grants.models import Application, CallTrack
from review.models import Jury
from review.services.funding import draw_funding_line, move_on_line
from review.states import JuryPhase, LineMove, RankingBasis
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.review.test_query_counts import build

pytestmark = pytest.mark.django_db
D = Decimal
NBSP = "\N{NO-BREAK SPACE}"


class Tables(HTMLParser):
    """Caption → the table's rows of cell texts (spaces normalised)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows, self._caption, self._cell, self._in_caption = None, "", None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[" ".join(self._caption.split())] = self._rows
            self._rows = None

    def handle_data(self, data):
        data = data.replace(NBSP, " ")
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(response) -> dict:
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


@pytest.fixture
def tracked(staff, ranked):
    """The six ranked applications (30,000 € each, 100,000 € available: A, B and D are
    funded) in two tracks: A, D, E in "Team, 10 months", B, C, F in "Individual, 6 months"."""
    call, jury, apps = ranked
    tracks = {track.key: track for track in call.tracks.all()}
    for suffix, key in zip("ADEBCF", ["team_10"] * 3 + ["individual_6"] * 3, strict=True):
        Application.objects.filter(pk=apps[suffix].pk).update(track=tracks[key])
    Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    return call, tracks


def line_page(client, staff, call, language):
    sign_in(client, staff)
    return client.get(
        reverse("staff_line", kwargs={"slug": call.slug}), HTTP_ACCEPT_LANGUAGE=language
    )


def test_each_track_lists_its_applications_in_rank_order_with_running_totals(
    client, staff, tracked
):
    call, _tracks = tracked

    tables = tables_of(line_page(client, staff, call, "en"))

    assert tables["Individual, 6 months: cap €47,500.00 per application"] == [
        [
            "Rank",
            "Application",
            "Requested",
            "Line",
            "Proposed",
            "Running total in the track",
            "Running total overall",
        ],
        [
            "2",
            "CTF-2026-1-000B Project B",
            "€30,000.00",
            "funded",
            "€30,000.00",
            "€30,000.00",
            "€60,000.00",
        ],
        [
            "4",
            "CTF-2026-1-000C Project C",
            "€30,000.00",
            "the first that no longer fits: the line",
            "–",
            "€30,000.00",
            "€90,000.00",
        ],
        [
            "6",
            "CTF-2026-1-000F Project F",
            "€30,000.00",
            "below the line",
            "–",
            "€30,000.00",
            "€90,000.00",
        ],
    ]
    assert tables["Team, 10 months: cap €158,000.00 per application"][1:] == [
        [
            "1",
            "CTF-2026-1-000A Project A",
            "€30,000.00",
            "funded",
            "€30,000.00",
            "€30,000.00",
            "€30,000.00",
        ],
        [
            "3",
            "CTF-2026-1-000D Project D",
            "€30,000.00",
            "funded",
            "€30,000.00",
            "€60,000.00",
            "€90,000.00",
        ],
        [
            "5",
            "CTF-2026-1-000E Project E",
            "€30,000.00",
            "below the line",
            "–",
            "€60,000.00",
            "€90,000.00",
        ],
    ]
    assert tables["What the line proposes per track, against the money available"] == [
        ["Track", "Cap per application", "Applications", "Requested", "Proposed"],
        ["Individual, 6 months", "€47,500.00", "3", "€90,000.00", "€30,000.00"],
        ["Team, 10 months", "€158,000.00", "3", "€90,000.00", "€60,000.00"],
        ["All tracks", "", "6", "", "€90,000.00"],
        ["Money available", "", "", "", "€100,000.00"],
    ]


def test_the_tracks_are_named_in_german_never_by_their_key(client, staff, tracked):
    call, _tracks = tracked

    response = line_page(client, staff, call, "de")
    tables = tables_of(response)

    summary = tables["Was die Linie je Förderlinie vorschlägt, gemessen am verfügbaren Geld"]
    assert summary[1] == [
        "Einzelperson, 6 Monate",
        "47.500,00 €",
        "3",
        "90.000,00 €",
        "30.000,00 €",
    ]
    assert summary[2] == ["Team, 10 Monate", "158.000,00 €", "3", "90.000,00 €", "60.000,00 €"]
    assert "Team, 10 Monate: höchstens 158.000,00 € je Antrag" in tables
    page = response.content.decode()
    assert "team_10" not in page
    assert "individual_6" not in page


def test_an_application_above_its_tracks_cap_and_one_without_a_track_are_shown(
    client, staff, tracked
):
    call, tracks = tracked
    CallTrack.objects.filter(pk=tracks["team_10"].pk).update(cap=D("25000.00"))
    Application.objects.filter(call=call, reference="CTF-2026-1-000F").update(track=None)

    tables = tables_of(line_page(client, staff, call, "en"))

    team = tables["Team, 10 months: cap €25,000.00 per application"]
    assert [row[2] for row in team[1:]] == ["€30,000.00 above the cap"] * 3
    assert tables["No track"][1:] == [
        [
            "6",
            "CTF-2026-1-000F Project F",
            "€30,000.00",
            "below the line",
            "–",
            "€0.00",
            "€90,000.00",
        ],
    ]
    summary = tables["What the line proposes per track, against the money available"]
    assert [row[0] for row in summary[1:4]] == [
        "Individual, 6 months",
        "Team, 10 months",
        "No track",
    ]


def test_less_money_moves_the_line_and_the_running_totals_follow(client, staff, tracked):
    call, _tracks = tracked
    line = call.funding_lines.get()
    line.available = D("50000.00")
    line.save(update_fields=["available"])

    tables = tables_of(line_page(client, staff, call, "en"))

    team = tables["Team, 10 months: cap €158,000.00 per application"]
    # With 50,000 € only A is funded (B no longer fits): nothing else is proposed.
    assert [row[3:] for row in team[1:]] == [
        ["funded", "€30,000.00", "€30,000.00", "€30,000.00"],
        ["below the line", "–", "€30,000.00", "€30,000.00"],
        ["below the line", "–", "€30,000.00", "€30,000.00"],
    ]


def test_a_running_total_above_the_money_available_is_marked(client, staff, tracked):
    """Applications moved in by hand can spend more than is available."""
    call, _tracks = tracked
    line = call.funding_lines.get()
    line.available = D("50000.00")
    line.save(update_fields=["available"])
    for reference in ("CTF-2026-1-000C", "CTF-2026-1-000E"):
        move_on_line(
            line=line,
            actor=staff,
            application_id=Application.objects.get(reference=reference).pk,
            direction=LineMove.FUND,
            reason="Decided in the jury meeting.",
        )

    tables = tables_of(line_page(client, staff, call, "en"))

    individual = tables["Individual, 6 months: cap €47,500.00 per application"]
    team = tables["Team, 10 months: cap €158,000.00 per application"]
    # C and E, moved in, spend 60,000 € of 50,000 €: A no longer fits, nothing else does.
    above = "€60,000.00 above the money available"
    assert [row[3:] for row in individual[1:]] == [
        ["below the line", "–", "€0.00", "€0.00"],  # B
        ["moved above the line", "€30,000.00", "€30,000.00", "€30,000.00"],  # C
        ["below the line", "–", "€30,000.00", above],  # F
    ]
    assert [row[3:] for row in team[1:]] == [
        ["the first that no longer fits: the line", "–", "€0.00", "€0.00"],  # A
        ["below the line", "–", "€0.00", "€0.00"],  # D
        ["moved above the line", "€30,000.00", "€30,000.00", above],  # E
    ]


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("track_count", [1, 3])
def test_the_line_by_track_makes_a_fixed_number_of_queries(
    client, staff, django_assert_num_queries, rows, track_count
):
    jury, _jurors, applications = build(rows, staff)
    tracks = list(jury.call.active_tracks()[:track_count])
    for index, application in enumerate(applications):
        Application.objects.filter(pk=application.pk).update(track=tracks[index % track_count])
    Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)
    draw_funding_line(call=jury.call, actor=staff, basis=RankingBasis.CALIBRATED)
    sign_in(client, staff)
    url = reverse("staff_line", kwargs={"slug": jury.call.slug})
    client.get(url)  # the ranking's figures are computed once per input

    with django_assert_num_queries(13 + INBOX_COUNT):
        response = client.get(url)

    # build() scores every other application: the line holds the first and the third.
    on_line = applications[::2]
    groups = response.context["tracks"]
    expected = {tracks[index % track_count] for index in range(0, rows, 2)}
    assert [group.track for group in groups] == sorted(expected, key=lambda t: t.position)
    assert sorted(row["id"] for group in groups for row in group.rows) == [
        application.pk for application in on_line
    ]
