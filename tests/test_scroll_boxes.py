"""Every sideways-scrolling table box is a named tab stop in the template itself.

axe-core (scrollable-region-focusable) and WCAG 2.1.1 ask that a keyboard can scroll it. The
script used to add the tab stop only once it measured the box scrolling; a table that widened
after that measurement (a phone turned, a page under load) was left without one."""

import pathlib
import re

TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"
SCROLL_BOX = re.compile(r"<div\b[^>]*\bclass=\"table-scroll\"[^>]*>")


def scroll_boxes():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in SCROLL_BOX.findall(path.read_text(encoding="utf-8")):
            yield path.relative_to(TEMPLATES).as_posix(), tag


def test_the_templates_have_scroll_boxes_to_check():
    assert len(list(scroll_boxes())) >= 30


def test_every_scroll_box_is_a_named_tab_stop():
    missing = [
        (path, tag)
        for path, tag in scroll_boxes()
        if 'tabindex="0"' not in tag
        or not re.search(r'\brole="(group|region)"', tag)
        or not re.search(r'\baria-label(ledby)?="[^"]+"', tag)
    ]
    assert missing == []
