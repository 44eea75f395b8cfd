import re

import pytest
from django.conf import settings

from grants.wordcount import WHITE_SPACE, count_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("one", 1),
        ("open data  for\neveryone", 4),
        ("non\u00a0breaking space", 3),  # NBSP separates words, as in the browser
        ("ideographic\u3000space", 2),
        ("zero\u200bwidth", 1),  # U+200B is not white space in either language
        ("e-mail, co-operation – fine.", 4),
        ("file\x1cseparator", 1),  # Python's \s would split here; JavaScript's does not
    ],
)
def test_count_words(text, expected):
    assert count_words(text) == expected


def test_browser_uses_the_same_white_space_class():
    script = (settings.BASE_DIR / "static" / "js" / "fund.js").read_text()
    js_class = re.search(r"var WORD = /\[\^(.+?)\]\+/g;", script).group(1)
    # Decode the JavaScript escapes (\t, \x0b, \u00a0 …) into the characters they stand for.
    decoded = js_class.encode().decode("unicode_escape")
    assert decoded == WHITE_SPACE
