"""The milestone report service's own bounds, whatever form calls it: texts of 20,000
characters, counts from 0 to 100,000,000, up to 20 links (web addresses only; code and
data with a licence) and 20 collaborations. A refused report saves nothing, not even a
draft; the longest accepted is kept whole."""

import pytest

from core.errors import WorkflowError
from grants.contracts.services.milestones import save_milestone_report
from grants.models import MilestoneReport
from tests.factories import make_grant
from tests.grants.contracts.helpers import COLLABORATIONS, LINKS, REPORT

pytestmark = pytest.mark.django_db

RELEASE = {"kind": "release", "url": "https://codeberg.org/example/toolkit/releases/1"}


def save(milestone, *, fields=None, links=LINKS, collaborations=COLLABORATIONS):
    return save_milestone_report(
        milestone=milestone,
        actor=milestone.grant.application.owner,
        draft_token="",
        fields={**REPORT, **(fields or {})},
        links=links,
        collaborations=collaborations,
    )


def refusal(milestone, **kwargs):
    with pytest.raises(WorkflowError) as refused:
        save(milestone, **kwargs)
    assert refused.value.message == ("The report was not saved: please correct the marked fields.")
    assert not MilestoneReport.objects.exists()
    return refused.value.field_errors


@pytest.fixture
def milestone():
    return make_grant().milestones.order_by("position").first()


@pytest.mark.parametrize("name", ["delivered", "problems"])
def test_a_text_of_20000_characters_is_kept_and_20001_refused(milestone, name):
    assert refusal(milestone, fields={name: "x" * 20_001}) == {name: ["At most 20000 characters."]}

    report = save(milestone, fields={name: "x" * 20_000})

    assert getattr(report, name) == "x" * 20_000


@pytest.mark.parametrize("value", [0, 100_000_000])
def test_a_count_from_0_to_100_million_is_kept(milestone, value):
    report = save(milestone, fields={"users_reached": value})

    assert MilestoneReport.objects.get(pk=report.pk).users_reached == value


@pytest.mark.parametrize("value", [-1, 100_000_001])
def test_a_count_beyond_its_bounds_is_refused(milestone, value):
    assert refusal(milestone, fields={"contributors": value}) == {
        "contributors": ["Enter a number between 0 and 100,000,000."]
    }


def test_20_links_are_kept_and_21_refused(milestone):
    assert refusal(milestone, links=[RELEASE] * 21) == {"links": ["At most 20 links."]}

    report = save(milestone, links=[RELEASE] * 20)

    assert report.links.count() == 20


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "codeberg.org"])
def test_a_link_that_is_not_a_web_address_is_refused(milestone, url):
    assert refusal(milestone, links=[RELEASE, {"kind": "other", "url": url}]) == {
        "links": ["Links must start with https:// or http://."]
    }


def test_a_web_address_in_capitals_is_a_web_address(milestone):
    report = save(milestone, links=[{"kind": "other", "url": "HTTP://EXAMPLE.ORG/Report"}])

    assert list(report.links.values_list("url", "licence")) == [("HTTP://EXAMPLE.ORG/Report", "")]


@pytest.mark.parametrize("kind", ["repository", "dataset"])
def test_code_and_data_need_a_licence_other_links_do_not(milestone, kind):
    url = "https://codeberg.org/example/other"

    assert refusal(milestone, links=[RELEASE, {"kind": kind, "url": url}]) == {
        "links": [
            f"Name the licence of {url}: code and data count as open only with an open licence."
        ]
    }


def test_20_collaborations_are_kept_and_21_refused(milestone):
    assert refusal(milestone, collaborations=COLLABORATIONS * 21) == {
        "collaborations": ["At most 20 entries."]
    }

    report = save(milestone, collaborations=COLLABORATIONS * 20)

    assert report.collaborations.count() == 20


def test_every_refusal_is_named_at_once(milestone):
    errors = refusal(
        milestone,
        fields={"delivered": "x" * 20_001, "releases": -1},
        links=[{"kind": "dataset", "url": "javascript:alert(1)"}] * 21,
        collaborations=COLLABORATIONS * 21,
    )

    assert sorted(errors) == ["collaborations", "delivered", "links", "releases"]
    assert errors["links"][0] == "At most 20 links."
    assert len(errors["links"]) == 1 + 2 * 21
