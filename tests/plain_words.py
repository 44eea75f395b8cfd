"""What a page must never show (issue 20, plain words): a workflow state's raw value instead
of its label, an English label of a state or choice on a German page, and words the fund
does not use (one term for the agreement, "e-mail" / "E-Mail", no space before a colon).

Only the visible text counts: text inside elements, not attributes (a ``value="in_review"``
of an option is fine) and not scripts or styles."""

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import models
from django.utils import translation

import accounts.roles
import grants.states
import review.states
from reporting.models import archive

# The workflows' states: their values must never be shown as words.
STATE_ENUMS = (
    grants.states.ApplicationState,
    grants.states.CallState,
    grants.states.MilestoneState,
    grants.states.ChangeRequestState,
    grants.states.FinalReportState,
    grants.states.PaymentKind,
    grants.states.BankCheckState,
    grants.states.SepaBatchState,
    review.states.JuryPhase,
    review.states.ConflictStatus,
    review.states.ReviewState,
    review.states.LineState,
    archive.ReportStatus,
)
STATE_VALUES = frozenset(value for enum in STATE_ENUMS for value in enum.values)


def _choice_enums():
    for module in (grants.states, review.states, archive, accounts.roles):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, models.TextChoices)
                and value.__module__ == module.__name__
            ):
                yield value


def english_labels() -> frozenset[str]:
    """The English labels of every state and choice that German says otherwise."""
    labels = set()
    for enum in _choice_enums():
        for _value, label in enum.choices:
            with translation.override("en"):
                english = str(label)
            with translation.override("de"):
                german = str(label)
            if english != german:
                labels.add(english)
    return frozenset(labels)


class PageText(HTMLParser):
    """The visible text of a page (block elements separated by a space), the text of every
    element on its own, and the page's links."""

    BLOCKS = frozenset(
        [
            "address",
            "article",
            "aside",
            "blockquote",
            "br",
            "caption",
            "dd",
            "details",
            "div",
            "dl",
            "dt",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "label",
            "legend",
            "li",
            "main",
            "nav",
            "ol",
            "option",
            "p",
            "pre",
            "section",
            "summary",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "tr",
            "ul",
            "button",
        ]
    )
    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )
    HIDDEN = frozenset(("script", "style", "template"))

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.elements: list[str] = []
        self.links: list[str] = []
        self._open: list[tuple[str, int]] = []
        self._hidden = 0
        self.feed(html)
        self.close()
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")
        if tag not in self.VOID:
            self._open.append((tag, len(self.parts)))

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        if tag in self.BLOCKS:
            self.parts.append(" ")
        while self._open:
            name, start = self._open.pop()
            self.elements.append(" ".join("".join(self.parts[start:]).split()))
            if name == tag:
                break

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


@dataclass(frozen=True)
class Problem:
    kind: str
    words: str

    def __str__(self):
        return f"{self.kind}: {self.words}"


def _word(value: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")


_COMPOSITE_VALUES = [(value, _word(value)) for value in sorted(STATE_VALUES) if "_" in value]
_FROM_TO = re.compile(r"\b(?:from|von) ([\w-]+) (?:to|nach) ([\w-]+)")
_SPACE_COLON = re.compile(r"\S :(?!\S)")
_ENGLISH_EMAIL = re.compile(r"(?<![\w@.-])emails?(?![\w@-])", re.IGNORECASE)
_GERMAN_WRONG = re.compile(
    r"(?<![\w@.-])(?:Email|EMail|eMail|email)(?![\w@])|E-Mailadresse|Fördervereinbarung"
    r"|Fördervertrag"
)


@functools.cache
def _values_read_as_english_labels() -> frozenset[str]:
    """State values that are, word for word, also the English label of a choice (the
    funding line's "funded"): an English page may show them as that label. The German
    crawl still catches them shown raw."""
    with translation.override("en"):
        labels = {str(label) for enum in _choice_enums() for _value, label in enum.choices}
    return STATE_VALUES & frozenset(labels)


def problems(html: str, language: str, labels: frozenset[str]) -> list[Problem]:
    """What is wrong with the words of one page in ``language``."""
    page = PageText(html)
    text, elements = page.text, set(page.elements)
    found = [Problem("raw state", value) for value, word in _COMPOSITE_VALUES if word.search(text)]
    raw = STATE_VALUES & elements
    if language == "en":
        raw -= _values_read_as_english_labels()
    found += [Problem("raw state", value) for value in sorted(raw)]
    found += [
        Problem("raw state", f"from {start} to {end}")
        for start, end in _FROM_TO.findall(text)
        if start in STATE_VALUES or end in STATE_VALUES
    ]
    found += [Problem("space before a colon", m.group(0)) for m in _SPACE_COLON.finditer(text)]
    if language == "en":
        found += [Problem("email", m.group(0)) for m in _ENGLISH_EMAIL.finditer(text)]
    else:
        found += [Problem("German term", m.group(0)) for m in _GERMAN_WRONG.finditer(text)]
        found += [
            Problem("English label", label)
            for label in sorted(labels)
            if label in elements or (" " in label and _word(label).search(text))
        ]
    return found
