"""The lottery's seed is fixed before the freeze: staff name its public source and the moment
after which it is published; a seed is accepted only in the form that source publishes and
only after that moment (server time). The command shown to recompute the tickets is safe
for any seed."""

import datetime as dt
import html
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import WorkflowError
from review.maths.lottery import lottery_order, recompute_command
from review.models import FundingLine
from review.services.funding import draw_funding_line, draw_lottery, freeze_grey_zone
from review.states import LineState, RankingBasis, SeedSource
from tests.accounts.helpers import sign_in
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
MOMENT = dt.datetime(2026, 6, 13, 19, 0, tzinfo=dt.UTC)  # a Saturday evening's draw
DRAND = "9a1f0c" + "e" * 58  # 64 hexadecimal digits, like a drand round's randomness


@pytest.fixture
def line(staff, ranked, time_machine):
    time_machine.move_to(MOMENT - dt.timedelta(days=2), tick=False)
    call, _jury, _apps = ranked
    return draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)


def freeze(line, staff, *, source=SeedSource.LOTTERY_DRAW, moment=MOMENT):
    return freeze_grey_zone(
        line=line,
        actor=staff,
        source=source,
        reference="drand quicknet round 12345678" if source == SeedSource.DRAND else "Lotto",
        published_after=moment,
    )


@pytest.mark.parametrize("offset", [dt.timedelta(seconds=-1), dt.timedelta(0)])
def test_the_moment_named_at_freezing_must_lie_ahead(staff, line, offset):
    with pytest.raises(WorkflowError, match="Name a moment still to come"):
        freeze(line, staff, moment=timezone.now() + offset)

    line.refresh_from_db()
    assert (line.state, line.grey_zone, line.seed_source, line.seed_published_after) == (
        LineState.OPEN,
        [],
        "",
        None,
    )
    assert not TransitionLog.objects.filter(action="review.fundingline.frozen").exists()


@pytest.mark.parametrize(
    ("source", "reference", "message"),
    [("coin", "x", "Choose where the seed will come from"), ("other", "  ", "Name the draw")],
)
def test_the_source_must_be_named(staff, line, source, reference, message):
    with pytest.raises(WorkflowError, match=message):
        freeze_grey_zone(
            line=line, actor=staff, source=source, reference=reference, published_after=MOMENT
        )

    line.refresh_from_db()
    assert line.state == LineState.OPEN


def test_freezing_stores_the_source_with_the_frozen_list(staff, line):
    freeze(line, staff, source=SeedSource.DRAND)

    line.refresh_from_db()
    assert line.state == LineState.FROZEN
    assert (line.seed_source, line.seed_reference, line.seed_published_after) == (
        SeedSource.DRAND,
        "drand quicknet round 12345678",
        MOMENT,
    )
    entry = TransitionLog.objects.get(action="review.fundingline.frozen")
    assert entry.data["seed_published_after"] == "2026-06-13T19:00:00+00:00"
    assert entry.data["grey_zone"] == line.grey_zone


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (MOMENT - dt.timedelta(seconds=1), False),
        (MOMENT, False),
        (MOMENT + dt.timedelta(seconds=1), True),
    ],
    ids=["before", "at", "after"],
)
def test_the_seed_is_accepted_only_after_the_moment(staff, line, time_machine, now, accepted):
    freeze(line, staff)
    line.refresh_from_db()
    time_machine.move_to(now, tick=False)

    if accepted:
        draw_lottery(line=line, actor=staff, seed="3 14 22 31 40 45")
    else:
        with pytest.raises(WorkflowError, match="accepted only after"):
            draw_lottery(line=line, actor=staff, seed="3 14 22 31 40 45")

    line.refresh_from_db()
    assert line.state == (LineState.DRAWN if accepted else LineState.FROZEN)
    assert line.seed == ("3 14 22 31 40 45" if accepted else "")
    assert TransitionLog.objects.filter(action="review.fundingline.drawn").count() == accepted


@pytest.mark.parametrize(
    ("source", "seed", "stored"),
    [
        (SeedSource.DRAND, DRAND.upper(), DRAND),
        (SeedSource.DRAND, "3 14 22 31 40 45", None),
        (SeedSource.DRAND, DRAND[:-1], None),
        (SeedSource.NIST_BEACON, DRAND, None),
        (SeedSource.NIST_BEACON, DRAND + DRAND, DRAND + DRAND),
        (SeedSource.LOTTERY_DRAW, "no numbers at all", None),
        (SeedSource.LOTTERY_DRAW, " 3  14 22 ", "3 14 22"),
        (SeedSource.OTHER, "anything published", "anything published"),
    ],
)
def test_the_seed_must_be_what_the_source_publishes(
    staff, line, time_machine, source, seed, stored
):
    freeze(line, staff, source=source)
    line.refresh_from_db()
    time_machine.move_to(MOMENT + dt.timedelta(minutes=5), tick=False)

    if stored is None:
        with pytest.raises(WorkflowError, match="This is not what"):
            draw_lottery(line=line, actor=staff, seed=seed)
    else:
        draw_lottery(line=line, actor=staff, seed=seed)

    line.refresh_from_db()
    assert line.seed == (stored or "")
    assert line.lottery.get("seed") == stored


HOSTILE = "`touch pwned-backtick`' \" \\ $HOME $(touch pwned-dollar) ; touch pwned-semicolon ä €"


def test_the_command_shown_recomputes_the_tickets_of_a_hostile_seed(
    client, staff, line, time_machine, tmp_path
):
    freeze(line, staff, source=SeedSource.OTHER)
    line.refresh_from_db()
    time_machine.move_to(MOMENT + dt.timedelta(minutes=5), tick=False)
    drawn = draw_lottery(line=line, actor=staff, seed=HOSTILE)
    sign_in(client, staff)

    page = client.get(reverse("staff_line", kwargs={"slug": drawn.call.slug})).content.decode()

    command = html.unescape(re.search(r'<pre class="ticket" id="recompute-command">(.*?)</pre>',
                                      page, re.S).group(1))  # fmt: skip
    result = subprocess.run(  # noqa: S603 (the very command under test, in a scratch folder)
        ["/bin/bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    expected = lottery_order(HOSTILE, drawn.grey_zone)
    assert expected and drawn.seed == " ".join(HOSTILE.split())
    assert result.stdout.splitlines() == [f"{ticket} {reference}" for reference, ticket in expected]
    assert [entry["ticket"] for entry in drawn.lottery["order"]] == [t for _r, t in expected]
    assert list(tmp_path.iterdir()) == []  # nothing in the seed ran


def test_the_command_also_runs_under_sh_with_a_plain_locale(tmp_path):
    command = recompute_command(HOSTILE, ["CTF-2026-1-0001", "CTF-2026-1-0002"])

    result = subprocess.run(  # noqa: S603 (the very command under test, in a scratch folder)
        ["/bin/sh", "-c", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
    )

    expected = lottery_order(HOSTILE, ["CTF-2026-1-0001", "CTF-2026-1-0002"])
    assert result.stdout.splitlines() == [f"{ticket} {reference}" for reference, ticket in expected]
    assert list(tmp_path.iterdir()) == []


def test_a_line_frozen_before_the_seed_is_known_keeps_its_list(staff, line, time_machine):
    freeze(line, staff)
    frozen = FundingLine.objects.get(pk=line.pk)
    time_machine.move_to(MOMENT + dt.timedelta(hours=1), tick=False)

    drawn = draw_lottery(line=frozen, actor=staff, seed="1 2 3")

    assert drawn.lottery["grey_zone"] == frozen.grey_zone
    assert drawn.lottery["published_after"] == "2026-06-13T19:00:00+00:00"


def test_a_reference_and_a_seed_of_200_characters_are_kept_and_one_more_is_refused(
    staff, line, time_machine
):
    def freeze_with(reference):
        return freeze_grey_zone(
            line=line,
            actor=staff,
            source=SeedSource.OTHER,
            reference=reference,
            published_after=MOMENT,
        )

    with pytest.raises(WorkflowError, match="Name the draw or round"):
        freeze_with("r" * 201)
    frozen = freeze_with("r" * 200)
    assert FundingLine.objects.get(pk=line.pk).seed_reference == "r" * 200

    time_machine.move_to(MOMENT + dt.timedelta(minutes=5), tick=False)
    frozen.refresh_from_db()
    with pytest.raises(WorkflowError, match="The seed is too long"):
        draw_lottery(line=frozen, actor=staff, seed="s" * 201)
    assert FundingLine.objects.get(pk=line.pk).seed == ""
    drawn = draw_lottery(line=frozen, actor=staff, seed="s" * 200)
    assert drawn.seed == "s" * 200
