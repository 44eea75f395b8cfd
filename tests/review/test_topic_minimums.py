"""Per-topic minimum shares of the budget, set by staff on the jury page and respected by
the funding line: a topic's best applications are funded first until their awards reach
its share (awards made already count); a shortfall is shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.line import line_outcome
from review.models import TopicMinimum
from review.services.funding import draw_funding_line
from review.services.minimums import save_topic_minimums
from review.states import LineStatus, RankingBasis
from tests.accounts.helpers import sign_in
from tests.factories import FundFactory, TopicFactory
from tests.review.helpers import make_juror
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def topics(ranked):
    call, jury, apps = ranked
    security = TopicFactory(
        fund=call.fund, slug="data-security", name_de="Datensicherheit", name_en="Data security"
    )
    civic = TopicFactory(
        fund=call.fund, slug="civic-tech", name_de="Civic Tech", name_en="Civic tech"
    )
    return security, civic


def statuses(outcome):
    return {row["reference"][-1]: row["status"] for row in outcome.rows}


def test_the_line_funds_a_topics_best_applications_first(staff, ranked, topics):
    call, jury, apps = ranked
    security, _civic = topics
    Application.objects.filter(pk__in=[apps["E"].pk, apps["F"].pk]).update(topic=security)
    save_topic_minimums(jury=jury, actor=staff, shares={security: 20})

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    outcome = line_outcome(line)

    # 20 % of 100,000 €: E (rank 5, 30,000 €) reaches it; then A and B (10,000 € left), D out.
    assert line.minimums == {
        str(security.pk): {
            "name_de": "Datensicherheit",
            "name_en": "Data security",
            "share": 20,
            "need": "20000.00",
        }
    }
    assert statuses(outcome) == {
        "A": LineStatus.FUNDED,
        "B": LineStatus.FUNDED,
        "D": LineStatus.FIRST_OUT,
        "C": LineStatus.BELOW,
        "E": LineStatus.MINIMUM,
        "F": LineStatus.BELOW,
    }
    assert outcome.shortfall == {}
    assert apps["E"].pk not in outcome.grey_zone  # decided by the minimum, not by lot


def test_awards_made_already_count_toward_the_minimum(staff, ranked, topics):
    call, jury, apps = ranked
    security, _civic = topics
    Application.objects.filter(pk__in=[apps["E"].pk, apps["F"].pk]).update(topic=security)
    Application.objects.filter(pk=apps["F"].pk).update(state=S.APPROVED, awarded_amount="30000.00")
    save_topic_minimums(jury=jury, actor=staff, shares={security: 20})

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    assert line.minimums[str(security.pk)]["need"] == "0.00"
    assert statuses(line_outcome(line))["E"] == LineStatus.BELOW


def test_a_minimum_that_cannot_be_reached_shows_its_shortfall(client, staff, ranked, topics):
    call, jury, apps = ranked
    security, _civic = topics
    Application.objects.filter(pk=apps["F"].pk).update(topic=security)
    Application.objects.filter(pk=apps["F"].pk).update(requested_amount="120000.00")
    save_topic_minimums(jury=jury, actor=staff, shares={security: 40})
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    sign_in(client, staff)

    text = client.get(reverse("staff_line", kwargs={"slug": call.slug})).content.decode()

    assert "Minimum shares of topics when the line was drawn" in text
    assert "Data security" in text and "€40,000.00" in text  # still needed, and not reached by


def test_staff_set_the_minimums_on_the_jury_page(client, staff, ranked, topics):
    call, jury, _apps = ranked
    security, civic = topics
    sign_in(client, staff)
    url = reverse("staff_jury_minimums", kwargs={"slug": call.slug})
    fields = {f"topic_{security.pk}": "15", f"topic_{civic.pk}": "10"}

    page = client.get(reverse("staff_jury", kwargs={"slug": call.slug})).content.decode()
    saved = client.post(url, fields, follow=True).content.decode()
    cleared = client.post(url, {**fields, f"topic_{civic.pk}": ""}, follow=True)

    assert "Data security: minimum share of the budget (%)" in page
    assert "The minimum shares of the topics have been saved." in saved
    assert cleared.status_code == 200
    assert dict(TopicMinimum.objects.values_list("topic__slug", "share")) == {"data-security": 15}
    assert [
        entry.data
        for entry in TransitionLog.objects.filter(action="review.jury.topic_minimums_changed")
    ] == [
        {"from": {}, "to": {"data-security": 15, "civic-tech": 10}},
        {"from": {"civic-tech": 10, "data-security": 15}, "to": {"data-security": 15}},
    ]


@pytest.mark.parametrize(
    ("security", "civic", "message"),
    [
        ("60", "50", "The minimum shares add up to more than 100 %."),
        ("0", "", "Ensure this value is greater than or equal to 1."),
        ("101", "", "Ensure this value is less than or equal to 100."),
        ("²", "", "Enter a whole number."),
        ("9" * 40, "", "Ensure this value is less than or equal to 100."),
        ("ten", "", "Enter a whole number."),
    ],
)
def test_bad_minimums_are_refused_and_nothing_changes(
    client, staff, ranked, topics, security, civic, message
):
    call, jury, _apps = ranked
    topic_security, topic_civic = topics
    save_topic_minimums(jury=jury, actor=staff, shares={topic_security: 5})
    sign_in(client, staff)

    response = client.post(
        reverse("staff_jury_minimums", kwargs={"slug": call.slug}),
        {f"topic_{topic_security.pk}": security, f"topic_{topic_civic.pk}": civic},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert dict(TopicMinimum.objects.values_list("topic__slug", "share")) == {"data-security": 5}


def test_only_staff_set_minimums_and_only_for_the_funds_topics(staff, ranked, topics):
    call, jury, _apps = ranked
    security, _civic = topics
    foreign = TopicFactory(fund=FundFactory(name="Other fund", reference_prefix="OTH"), slug="y")

    with pytest.raises(WorkflowError, match="may not"):
        save_topic_minimums(jury=jury, actor=make_juror(jury), shares={security: 10})
    with pytest.raises(WorkflowError, match="Unknown topic"):
        save_topic_minimums(jury=jury, actor=staff, shares={foreign: 10})
    with pytest.raises(WorkflowError, match="more than 100"):
        save_topic_minimums(jury=jury, actor=staff, shares={security: 70, _civic: 31})

    assert not TopicMinimum.objects.exists()


@pytest.mark.parametrize(("share", "saved"), [(0, False), (1, True), (100, True), (101, False)])
def test_the_service_takes_a_share_from_1_to_100(staff, ranked, topics, share, saved):
    _call, jury, _apps = ranked
    security, _civic = topics

    if saved:
        save_topic_minimums(jury=jury, actor=staff, shares={security: share})
    else:
        with pytest.raises(WorkflowError, match="between 1 and 100"):
            save_topic_minimums(jury=jury, actor=staff, shares={security: share})

    expected = {"data-security": share} if saved else {}
    assert dict(TopicMinimum.objects.values_list("topic__slug", "share")) == expected


def test_shares_that_add_up_to_exactly_100_are_taken(staff, ranked, topics):
    _call, jury, _apps = ranked
    security, civic = topics

    save_topic_minimums(jury=jury, actor=staff, shares={security: 60, civic: 40})

    assert dict(TopicMinimum.objects.values_list("topic__slug", "share")) == {
        "data-security": 60, "civic-tech": 40,
    }  # fmt: skip
