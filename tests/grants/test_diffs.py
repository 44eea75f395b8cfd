"""The differences staff see after an answer (grants.diffs), as plain functions."""

import pytest

from grants.diffs import Piece, line_diff, text_diff


def side(pieces, kind):
    return "".join(p.text for p in pieces if p.kind in ("same", kind))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bonn and Leipzig test it.", "Bonn, Leipzig and Kassel test it."),
        ("", "A new text."),
        ("Old text only.", ""),
        ("Same.\n\nTwo paragraphs.", "Same.\n\nTwo paragraphs."),
        ("Umlaute: Größe", "Umlaute: Grüße  und mehr"),
    ],
)
def test_each_side_is_given_back_exactly(old, new):
    pieces = text_diff(old, new)

    assert side(pieces, "removed") == old
    assert side(pieces, "added") == new


def test_changed_words_are_marked_and_the_rest_is_kept():
    assert text_diff("Bonn and Leipzig test it.", "Bonn and Kassel test it.") == [
        Piece("same", "Bonn and "),
        Piece("removed", "Leipzig "),
        Piece("added", "Kassel "),
        Piece("same", "test it."),
    ]


def test_a_changed_phrase_is_one_change_not_fragments():
    assert text_diff(
        "A toolkit that turns timetable data into accessible open data.",
        "A toolkit that Bonn and Leipzig use for open data.",
    ) == [
        Piece("same", "A toolkit that "),
        Piece("removed", "turns timetable data into accessible "),
        Piece("added", "Bonn and Leipzig use for "),
        Piece("same", "open data."),
    ]


def test_an_unchanged_text_is_one_piece():
    assert text_diff("No change.", "No change.") == [Piece("same", "No change.")]


def test_lines_are_compared_as_a_whole():
    old = ["1. Converter (month 2, 300 h)", "2. Validator (month 4, 300 h)"]
    new = ["1. Converter (month 2, 300 h)", "2. Validator (month 5, 320 h)", "3. Release"]

    assert line_diff(old, new) == [
        Piece("same", "1. Converter (month 2, 300 h)"),
        Piece("removed", "2. Validator (month 4, 300 h)"),
        Piece("added", "2. Validator (month 5, 320 h)"),
        Piece("added", "3. Release"),
    ]
