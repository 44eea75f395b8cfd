"""Every transition declares its log action and label once, on itself; the lists of staff
actions and the log labels are derived from those declarations."""

import pytest
from django.utils import translation

from grants import events
from grants.forms.staff import BulkTransitionForm, CallTransitionForm
from grants.models import (
    Application,
    BankDetailsCheck,
    Call,
    ChangeRequest,
    FinalReport,
    Milestone,
    SepaBatch,
    StatementLine,
)
from grants.services.calls import CALL_TRANSITIONS
from grants.services.screening import BULK_TRANSITIONS
from privacy.models import ErasureRequest
from review.models import FundingLine, Jury, Review
from workflow.actions import (
    action_label,
    action_labels,
    event,
    transition_custom,
    transitions_of,
    workflow_models,
)


def test_the_workflow_models():
    assert set(workflow_models()) == {
        BankDetailsCheck,
        SepaBatch,
        Application,
        Call,
        ChangeRequest,
        FinalReport,
        Milestone,
        StatementLine,
        Jury,
        Review,
        FundingLine,
        ErasureRequest,
    }


def test_every_transition_of_every_workflow_model_declares_an_action_and_a_label():
    assert len(workflow_models()) >= 5  # the loop below checks something
    for model in workflow_models():
        for name in transitions_of(model):
            custom = transition_custom(model, name)
            assert custom["action"].startswith(f"{model._meta.label_lower}."), (model, name)
            assert str(custom["label"]), (model, name)
            assert set(custom) <= {"action", "label", "verb", "bulk", "visible_to_applicant"}


def test_the_team_sees_its_own_steps_in_its_history_and_none_of_the_funds_internal_ones():
    """Which transitions' log entries the applicant's team sees: every step of its own
    application, report and payment; never the review's internal steps, the jury's, the
    money office's or a call's."""
    visible = {
        model.__name__: {
            name
            for name in transitions_of(model)
            if transition_custom(model, name).get("visible_to_applicant", False)
        }
        for model in workflow_models()
    }

    # Which transitions each model has is pinned by test_transitions_come_in_workflow_order.
    review_internal = {"start_review", "close_review", "complete_reviews"}
    assert visible == {
        "Application": set(transitions_of(Application)) - review_internal,
        "Milestone": set(transitions_of(Milestone)),
        "ChangeRequest": {"approve", "refuse"},
        "FinalReport": {"submit", "accept", "request_changes"},
        "StatementLine": {"ask", "reply"},
        "Call": set(),
        "BankDetailsCheck": set(),
        "SepaBatch": set(),
        "FundingLine": set(),
        "Jury": set(),
        "Review": set(),
        "ErasureRequest": set(),
    }


def test_action_names_are_unique_across_transitions_and_events():
    names = [
        transition_custom(model, name)["action"]
        for model in workflow_models()
        for name in transitions_of(model)
    ]
    assert len(names) == len(set(names))
    assert not set(names) & {
        events.DRAFT_STARTED,
        events.INFORMATION_REQUESTED,
        events.INFORMATION_PROVIDED,
        events.CALL_CREATED,
        events.CALL_RULES_CHANGED,
    }


def test_transitions_come_in_workflow_order():
    assert list(transitions_of(Call)) == ["open", "close", "start_review", "decide", "archive"]
    assert list(transitions_of(Milestone)) == [
        "cancel",
        "submit_report",
        "accept",
        "request_changes",
        "resubmit_report",
        "mark_paid",
    ]
    assert list(transitions_of(Application)) == [
        "submit",
        "withdraw",
        "mark_eligible",
        "mark_ineligible",
        "start_review",
        "close_review",
        "complete_reviews",
        "approve",
        "invite",
        "not_invite",
        "reject",
        "waitlist",
        "decline_award",
        "sign_agreement",
        "request_final_report",
        "terminate",
        "complete_final_report",
    ]


def test_staff_action_lists_are_derived_from_the_declarations():
    assert CALL_TRANSITIONS == ("open", "close", "start_review", "decide", "archive")
    assert BULK_TRANSITIONS == ("mark_eligible", "start_review", "close_review")
    with translation.override("en"):
        assert [str(label) for _name, label in BulkTransitionForm().fields["action"].choices] == [
            "Mark as eligible",
            "Start the review",
            "Close the review",
        ]
    assert [name for name, _label in CallTransitionForm().fields["transition"].choices] == list(
        CALL_TRANSITIONS
    )


def test_labels_of_transitions_and_events_in_both_languages():
    with translation.override("en"):
        assert action_label("grants.application.submitted") == "Submitted"
        assert action_label("grants.application.waitlisted") == "Put on the waiting list"
        assert action_label("grants.call.opened") == "Call opened"
        assert action_label(events.DRAFT_STARTED) == "Draft started"
        assert action_label("grants.unknown.thing") == "grants.unknown.thing"
    with translation.override("de"):
        assert action_label("grants.application.submitted") == "Eingereicht"
        assert action_label(events.INFORMATION_REQUESTED) == "Rückfrage gestellt"


def test_every_label_is_translated_into_german():
    labels = action_labels()
    with translation.override("en"):
        english = {name: str(label) for name, label in labels.items()}
    with translation.override("de"):
        german = {name: str(label) for name, label in labels.items()}
    assert {name for name in labels if german[name] == english[name]} == set()


def test_an_event_cannot_be_registered_twice_with_another_label():
    assert event(events.CALL_CREATED, events._("Call created")) == events.CALL_CREATED
    with pytest.raises(Exception, match="registered twice"):
        event(events.CALL_CREATED, "Something else")
