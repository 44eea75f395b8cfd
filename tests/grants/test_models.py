"""Small model rules: states change only through transitions; names shown in the admin."""

import pytest
from django.utils import translation

from grants.models import (
    Application,
    Call,
    Fund,
    InformationRequest,
    InternalComment,
    PlannedMilestone,
    TeamMember,
    Topic,
    TransitionLog,
)
from grants.models.applications import Attachment
from grants.states import ApplicationState, CallState


@pytest.mark.parametrize(
    ("model", "state"), [(Application, ApplicationState.APPROVED), (Call, CallState.ARCHIVED)]
)
def test_state_is_set_only_by_transitions(model, state):
    instance = model()
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        instance.state = state


def test_names_shown_in_lists_and_the_admin():
    call = Call(title_de="Runde 2026/1", title_en="Round 2026/1")
    topic = Topic(name_de="Offene Daten", name_en="Open Data")
    with translation.override("en"):
        names = [str(call), str(topic), topic.name]
    with translation.override("de"):
        names += [str(call), str(topic)]
    assert names == ["Round 2026/1", "Open Data", "Open Data", "Runde 2026/1", "Offene Daten"]
    assert str(Fund(name="Civic Tech Fund")) == "Civic Tech Fund"
    assert str(Application(reference="CTF-2026-1-0001", title="Toolkit")) == (
        "CTF-2026-1-0001 Toolkit"
    )
    assert str(Application(reference="CTF-2026-1-0002")) == "CTF-2026-1-0002"
    assert str(TeamMember(name="Ada", email="ada@example.org")) == "Ada <ada@example.org>"
    assert str(PlannedMilestone(title="Beta release")) == "Beta release"
    assert str(Attachment(original_name="plan.pdf")) == "plan.pdf"
    assert str(TransitionLog(from_state="draft", to_state="submitted", action="x")) == (
        "x draft→submitted"
    )


def test_long_questions_and_comments_are_cut_to_60_characters():
    text = "".join(str(index % 10) for index in range(80))
    assert str(InformationRequest(question=text)) == text[:60]
    assert str(InternalComment(body=text)) == text[:60]
    assert str(InformationRequest(question=text[:59])) == text[:59]


@pytest.mark.parametrize(("language", "name"), [("en-gb", "Open Data"), ("de-at", "Offene Daten")])
def test_a_regional_variant_reads_its_language(language, name):
    with translation.override(language):
        assert Topic(name_de="Offene Daten", name_en="Open Data").name == name


def test_a_topic_falls_back_to_the_other_language():
    with translation.override("en"):
        assert Topic(name_de="Offene Daten", name_en="").name == "Offene Daten"
    with translation.override("de"):
        assert Topic(name_de="", name_en="Open Data").name == "Open Data"
