"""The PDF layout checker (tests/reporting/layout.py) itself: it must find what it claims to
find, and accept what is right, or the layout test proves nothing."""

import pytest

from tests.reporting import layout
from tests.reporting.layout import Block, source_texts


def char(text, x0, bottom, *, width=5.0, size=9.0, mcid=0):
    return {"text": text, "x0": x0, "x1": x0 + width, "top": bottom - size, "bottom": bottom,
            "size": size, "mcid": mcid}  # fmt: skip


def word(text, x0, bottom, **kwargs):
    return [char(letter, x0 + 5 * index, bottom, **kwargs) for index, letter in enumerate(text)]


def cell(kind, chars, *, table=1, row=1, column=0, header=False, page=1):
    return Block(kind, page, chars, table, row, column, header)


@pytest.mark.parametrize(
    ("lines", "text", "verdict"),
    [
        (["Applications", "received"], "Applications received", ""),
        (
            ["Application", "s received"],
            "Applications received",
            "'Applications' as 'Application' / 's'",
        ),
        (["01CTF2600", "7"], "01CTF26007", "'01CTF26007' as '01CTF2600' / '7'"),
        (["Android-", "Geräte"], "Android-Geräte", ""),  # after a hyphen
        (["https://code.exa", "mple/x"], "see https://code.example/x", ""),  # an address
        (["Septembe", "r 2026"], "1 September 2026", "'September' as 'Septembe' / 'r'"),
        (["first", "second", "third"], "first second third", ""),
    ],
)
def test_breaks_are_allowed_at_spaces_hyphens_and_in_addresses_only(lines, text, verdict):
    assert layout._breaks(lines, text) == verdict


def test_a_split_cell_is_found_and_a_whole_one_is_not():
    split = cell("TD", word("Septembe", 10, 100) + word("r", 10, 110))
    whole = cell("TD", word("Funded", 10, 200), row=2)

    problems, matched = layout.split_words([split, whole], ["September", "Funded"])

    assert problems == ["page 1: split across lines: 'September' as 'Septembe' / 'r'"]
    assert matched == 2


def test_a_cell_text_the_html_does_not_hold_is_reported_a_part_of_one_is_no_split():
    problems, matched = layout.split_words([cell("TD", word("91.515,00", 10, 100))], ["991.515,00"])

    assert problems == []  # a part of a source text (a hidden digit is an overlap instead)
    problems, matched = layout.split_words([cell("TD", word("XYZ", 10, 100))], ["abc"])
    assert problems == ["page 1: cell text 'XYZ' is not in the HTML"] and matched == 0


def test_columns_that_run_into_each_other_are_found():
    rows = [
        cell("TH", word("Topic", 10, 100), column=0),
        cell("TD", word("13465751.25", 40, 100), column=1),  # ends at x=95
        cell("TD", word("526680.00", 96, 100), column=2),
        cell("TH", word("Civic", 10, 120), row=2, column=0),
        cell("TD", word("1", 80, 120), row=2, column=1),
        cell("TD", word("2", 150, 120), row=2, column=2),
    ]

    problems = layout.table_problems(rows, 4)

    assert problems == ["page 4: column 2 runs into column 3: '13465751.25' reaches '526680.00'"]


def test_a_value_that_slipped_off_its_labels_line_is_found():
    rows = [
        cell("TH", word("Releases", 10, 100), column=0),
        cell("TD", word("8", 150, 110), column=1),  # one line lower
    ]

    assert layout.table_problems(rows, 2) == ["page 2: '8' is not on the line of 'Releases'"]


def test_a_label_without_a_value_on_its_line_is_found_but_a_wrapped_one_is_fine():
    slipped = [cell("LBody", word("Releases", 10, 100), column=None, table=None),
               cell("LBody", word("8", 150, 112), column=None, table=None)]  # fmt: skip
    wrapped = [
        cell("TH", word("Code", 10, 100) + word("repositories", 40, 100) + word("under", 10, 110),
             column=0),
        cell("TD", word("1", 150, 100), column=1),
    ]  # fmt: skip
    labels = {"Releases", "Code repositories under an open licence"}

    assert layout.unlabelled_values(slipped, labels, 3) == [
        "page 3: the label 'Releases' has no value on its line"
    ]
    assert layout.unlabelled_values(wrapped, labels, 3) == []


def test_a_row_alone_on_its_page_is_found():
    header = cell("TH", word("Project", 10, 60), header=True)
    row = cell("TD", word("Lantern", 10, 80), row=2)
    other = cell("TD", word("Compass", 10, 100), row=3)
    paragraph = Block("P", 1, word("Text", 10, 120))

    assert layout.orphan_rows([header, row], 10) == [
        "page 10: a single row on its own page: 'Lantern'"
    ]
    assert layout.orphan_rows([header, row, other], 10) == []
    assert layout.orphan_rows([header, row, paragraph], 10) == []


def test_the_html_texts_of_blocks_with_their_edges_as_spaces():
    texts = source_texts(
        "<table><tr><th>Applications<br>received</th><td><span>464</span>Applications</td></tr>"
        "</table><p>One&nbsp;€ <b>two</b></p><li>A <a href='#'>link</a></li>"
    )

    assert texts == ["Applications received", "464 Applications", "One € two", "A link"]


def test_lines_are_read_by_their_baseline_and_spaces_by_the_gaps():
    block = Block("P", 1, word("ab", 10, 100) + word("cd", 30, 100) + word("ef", 10, 112))

    assert block.line_texts() == ["ab cd", "ef"]
    assert (block.x0, block.x1, block.first_baseline) == (10, 40, 100)
