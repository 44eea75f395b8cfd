from io import StringIO

from django.core.management import call_command

REQUIRED_STATES = [
    "draft",
    "submitted",
    "ineligible",
    "eligible",
    "in_review",
    "reviewed",
    "approved",
    "waitlisted",
    "rejected",
    "funded",
    "final_report_due",
    "completed",
    "withdrawn",
    "terminated",
]


def test_graph_transitions_prints_every_required_state():
    output = StringIO()
    call_command("graph_transitions", "grants.Application", stdout=output)
    dot = output.getvalue()
    # Node names are "<app>.<verbose name>.state.<value>"; the verbose name is translated.
    for state in REQUIRED_STATES:
        assert f'.state.{state}"' in dot
    assert '.state.draft" -> "grants.' in dot
