"""How staff read what an answer changed (grants.presentation.answer_changes): a text
answer to a call's question word by word, any other answer whole, as the page shows it."""

from django.utils import translation

from grants.diffs import Piece
from grants.models import Question
from grants.presentation import answer_changes

LEGAL_FORM = Question(
    key="legal-form",
    kind="choice",
    label_en="Legal form",
    label_de="Rechtsform",
    options=[
        {"key": "association", "de": "Verein", "en": "Association"},
        {"key": "company", "de": "GmbH", "en": "Company"},
    ],
)
PARTNERS = Question(key="partners", kind="long_text", label_en="Partners", label_de="Partner")


def changes(part, old, new):
    return {"changes": {part: {"from": old, "to": new}}}


def test_a_changed_choice_is_shown_whole_by_its_options_names():
    with translation.override("en"):
        parts = answer_changes(changes("legal-form", "association", "company"), [LEGAL_FORM])

    assert parts == [
        {
            "part": "legal-form",
            "label": "Legal form",
            "kind": "lines",
            "pieces": [Piece("removed", "Association"), Piece("added", "Company")],
        }
    ]


def test_a_first_choice_is_one_added_line_in_german():
    with translation.override("de"):
        parts = answer_changes(changes("legal-form", None, "association"), [LEGAL_FORM])

    assert [(p["label"], p["kind"], p["pieces"]) for p in parts] == [
        ("Rechtsform", "lines", [Piece("added", "Verein")])
    ]


def test_a_changed_text_answer_is_compared_word_by_word():
    parts = answer_changes(
        changes("partners", "Bonn and Leipzig.", "Bonn and Kassel."), [PARTNERS, LEGAL_FORM]
    )

    assert [(p["part"], p["kind"]) for p in parts] == [("partners", "text")]
    assert parts[0]["pieces"] == [
        Piece("same", "Bonn and "),
        Piece("removed", "Leipzig."),
        Piece("added", "Kassel."),
    ]
