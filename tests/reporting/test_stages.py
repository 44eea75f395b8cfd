"""Reporting counts the applications of a two-stage call per stage: concepts received,
invited, not invited, full proposals submitted; the other figures count the full proposals
only, so that a project is never received twice."""

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import Application
from grants.services.stages import start_full_proposal
from grants.states import ApplicationState as S
from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.report import stages
from reporting.report.context import Context
from tests.factories import ApplicationFactory, TopicFactory, make_grant
from tests.two_stage import concept_in, two_stage_calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    concept_call, full_call = two_stage_calls()
    invited = concept_in(concept_call)
    concept_in(concept_call)  # invited, no full proposal yet
    concept_in(concept_call, state=S.NOT_INVITED)
    concept_in(concept_call, state=S.IN_REVIEW, topic=TopicFactory(slug="civic-tech"))
    full = start_full_proposal(concept=invited, actor=invited.owner)
    Application.objects.filter(pk=full.pk).update(state=S.SUBMITTED, submitted_at=timezone.now())
    single = ApplicationFactory(submitted_at=timezone.now(), state=S.SUBMITTED)
    return concept_call, full_call, full, single


def table(selection=None):
    ctx = Context(
        report_data.load(),
        selection or ReportFilter(),
        today=timezone.localdate(),
        language="en",
    )
    return stages.stage_table(ctx)


def test_concepts_are_counted_per_stage(world):
    concept_call, _full_call, _full, _single = world
    result = table()
    assert [column.key for column in result.columns] == [
        "call",
        "concepts",
        "invited",
        "not_invited",
        "full_submitted",
        "full_funded",
    ]
    assert result.columns[-1].label == "Funded (stage 2)"
    assert result.rows == [[concept_call.title_en, 4, 2, 1, 1, 0]]


def test_a_funded_full_proposal_is_counted_in_stage_two(world):
    concept_call, _full_call, full, _single = world
    make_grant(full)

    assert table().rows == [[concept_call.title_en, 4, 2, 1, 1, 1]]
    assert table(ReportFilter(topic="civic-tech")).rows == [[concept_call.title_en, 1, 0, 0, 0, 0]]


def test_the_other_figures_count_each_project_once(world):
    _concept_call, _full_call, full, single = world
    frame = report_data.load_applications()
    assert sorted(frame["app_id"]) == sorted([full.pk, single.pk])


def test_the_selection_applies(world):
    concept_call, full_call, _full, single = world
    assert table(ReportFilter(call=full_call.slug)).rows[0][1] == 4  # either stage names it
    assert table(ReportFilter(call=concept_call.slug)).rows[0][1] == 4
    assert table(ReportFilter(call=single.call.slug)).rows == []
    assert table(ReportFilter(call="no-such-call")).rows == []
    assert table(ReportFilter(topic="civic-tech")).rows == [[concept_call.title_en, 1, 0, 0, 0, 0]]
    assert table(ReportFilter(topic="no-such-topic")).rows == []
    today = timezone.localdate()
    assert table(ReportFilter(date_from=today)).rows[0][1] == 4  # submitted today: on
    assert table(ReportFilter(date_to=today)).rows[0][1] == 4  # up to today: on
    assert table(ReportFilter(date_to=today - dt.timedelta(days=1))).rows == []  # the day before
    assert table(ReportFilter(date_from=today + dt.timedelta(days=1))).rows == []  # after
