"""The German catalogue: every text translated, none left fuzzy (gettext would ignore it and
show English), and every translation names the same placeholders as its English text (one
it does not know raises KeyError, a page error; one it drops leaves a gap in the sentence)."""

import re
from pathlib import Path

from tests.accounts.po import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfi]|(?<!\{)\{(\w*)\}(?!\})")


def placeholders(text: str) -> set:
    return set(PLACEHOLDER.findall(text))


def test_the_catalogue_is_read_whole():
    entries = read_po(CATALOGUE)
    assert len(entries) > 3000
    assert any(e.msgid == "The decision has not set an awarded amount." for e in entries)


def test_every_text_has_its_german_translation():
    untranslated = [e.msgid for e in read_po(CATALOGUE) if not all(e.translations)]
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert re.findall(r"^#,.*\bfuzzy\b", text, flags=re.MULTILINE) == []


def test_every_translation_names_the_placeholders_of_its_text():
    wrong = []
    for entry in read_po(CATALOGUE):
        known = placeholders(entry.msgid) | placeholders(entry.fields.get("msgid_plural", ""))
        for translation in entry.translations:
            named = placeholders(translation)
            # A singular may say "one" instead of its count; nothing else may be dropped.
            dropped_allowed = "msgid_plural" in entry.fields
            if named - known or (known - named and not dropped_allowed):
                wrong.append((entry.msgid, sorted(named ^ known)))
    assert wrong == []


def test_the_placeholder_check_sees_both_styles():
    assert placeholders("%(amount)s for {count} and %(n)d, not {{literal}}") == {
        ("amount", ""),
        ("", "count"),
        ("n", ""),
    }
