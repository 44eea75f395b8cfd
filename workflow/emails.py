"""The e-mails whose words staff may change, per language, and how every one of them is
written: greeting, message, sign-off and the reason the recipient gets it.

Each app registers the e-mails it sends (grants/emails.py, review/emails.py,
reporting/emails.py): a key (the template name given to ``notify``; the notices of a grant
and the reminders add their kind, ``grant_notice.milestone_accepted``), who receives it,
the shipped subject and text (translated, with ``$name`` placeholders), each placeholder
with a description and a sample value for the preview, and the function that gives the
placeholders' values from the notification's context.

What staff write is never a Django template: it is filled in with Python's
``string.Template`` from the listed placeholders only (no attribute lookups, tags or
filters), and in the HTML part the text and every value are escaped; only the link
placeholders become links. Staff's text for a key and language replaces the shipped one
(workflow.models.EmailText); without it, the shipped text is used."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from string import Template

from django.conf import settings
from django.utils import formats
from django.utils.functional import Promise
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

SUBJECT_MAX_CHARS = 200
BODY_MAX_CHARS = 10_000


class Audience:
    """Who receives an e-mail: it decides the footer ("You receive this e-mail because …")."""

    APPLICANT = "applicant"
    TEAM_MEMBER = "team_member"
    JUROR = "juror"
    STAFF = "staff"
    SUBSCRIBER = "subscriber"
    ACCOUNT = "account"  # everyone with an account (notices about the account itself)

    LABELS = {
        APPLICANT: gettext_lazy("Applicants and grantees"),
        TEAM_MEMBER: gettext_lazy("Team members named on an application"),
        JUROR: gettext_lazy("Jurors"),
        STAFF: gettext_lazy("Programme staff"),
        SUBSCRIBER: gettext_lazy("Subscribers of the quarterly report"),
        ACCOUNT: gettext_lazy("Everyone with an account"),
    }


@dataclass(frozen=True)
class Placeholder:
    name: str
    help: str | Promise
    # The value shown in the preview: a text, or a function of nothing (e.g. a URL).
    sample: str | Promise | Callable[[], str]
    # Link placeholders hold an address and become a link in the HTML part.
    link: bool = False

    def sample_value(self) -> str:
        return str(self.sample() if callable(self.sample) else self.sample)


def absolute_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def link_placeholder(help_text, sample_path: str, name: str = "link") -> Placeholder:
    """A placeholder holding an address of this site (a link in the HTML part)."""
    return Placeholder(name, help_text, lambda: absolute_url(sample_path), link=True)


SIGN_UP_LINK = link_placeholder(
    gettext_lazy("the address of the sign-up page"), "/accounts/signup/"
)

# Every e-mail may use these; the task fills them in for every recipient.
COMMON_PLACEHOLDERS = (
    Placeholder("name", gettext_lazy("the recipient's full name"), "Dr. Miriam Albrecht"),
    Placeholder("fund", gettext_lazy("the fund's name"), lambda: _fund_name()),
)


def _fund_name() -> str:
    from core.identity import fund_name

    return fund_name()


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: str | Promise
    audience: str
    subject: str | Promise
    body: str | Promise
    placeholders: tuple[Placeholder, ...]
    # The values of this kind's own placeholders, from the notification's context (called
    # in the recipient's language).
    values: Callable[[dict], dict[str, str]]

    @property
    def all_placeholders(self) -> tuple[Placeholder, ...]:
        return (*self.placeholders, *COMMON_PLACEHOLDERS)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(placeholder.name for placeholder in self.all_placeholders)

    @property
    def links(self) -> frozenset[str]:
        return frozenset(p.name for p in self.all_placeholders if p.link)

    def samples(self) -> dict[str, str]:
        return {p.name: p.sample_value() for p in self.all_placeholders}


_REGISTRY: dict[str, EmailKind] = {}


def register(*kinds: EmailKind) -> None:
    for kind in kinds:
        _REGISTRY[kind.key] = kind


def kinds() -> list[EmailKind]:
    """Every registered e-mail, in the order the apps registered them."""
    return list(_REGISTRY.values())


def kind_by_key(key: str) -> EmailKind | None:
    return _REGISTRY.get(key)


def kind_for(template: str, context: dict) -> EmailKind | None:
    """The registered kind a notification is, if any: ``<template>.<kind>`` for the ones
    with kinds, else ``<template>``. Unregistered templates are rendered from their files."""
    kind = context.get("kind")
    if isinstance(kind, str) and f"{template}.{kind}" in _REGISTRY:
        return _REGISTRY[f"{template}.{kind}"]
    return _REGISTRY.get(template)


# ---------------------------------------------------------------------------------------
# Checking and filling in a text


def template_errors(text: str, allowed) -> list[str]:
    """Why ``text`` cannot be used with the placeholders ``allowed`` (empty if it can)."""
    template = Template(text)
    if not template.is_valid():
        return [
            _(
                "A $ sign must start a placeholder such as $reference; write $$ for a "
                "dollar sign itself."
            )
        ]
    unknown = sorted(set(template.get_identifiers()) - set(allowed))
    if not unknown:
        return []
    return [
        ngettext(
            "This e-mail has no placeholder %(names)s. It may use: %(allowed)s.",
            "This e-mail has no placeholders %(names)s. It may use: %(allowed)s.",
            len(unknown),
        )
        % {
            "names": ", ".join(f"${name}" for name in unknown),
            "allowed": ", ".join(f"${name}" for name in sorted(allowed)),
        }
    ]


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _tidy(text: str) -> str:
    """Paragraphs separated by one blank line, whatever empty placeholders left behind."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fill_text(text: str, values: dict[str, str], allowed) -> str:
    """The plain text: placeholders replaced by their values. Anything that is not one of
    ``allowed`` stays as written."""
    mapping = {name: values.get(name, "") for name in allowed}
    return _tidy(Template(text).safe_substitute(mapping))


def fill_html(text: str, values: dict[str, str], allowed, links) -> str:
    """The HTML: the text and every value escaped, link placeholders as links, paragraphs
    and line breaks kept."""
    mapping = {}
    for name in allowed:
        value = values.get(name, "")
        if name in links and value:
            mapping[name] = format_html('<a href="{0}">{0}</a>', value)
        else:
            mapping[name] = escape(value)
    filled = Template(str(escape(_tidy(text)))).safe_substitute(mapping)
    return mark_safe(linebreaks(_tidy(filled)))  # noqa: S308 (everything escaped above)


def fill_subject(text: str, values: dict[str, str], allowed) -> str:
    return " ".join(fill_text(text, values, allowed).split())[:SUBJECT_MAX_CHARS]


# ---------------------------------------------------------------------------------------
# Values that several apps' e-mails share


def date_text(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "–"


def bullet_list(items) -> str:
    return "\n".join(f"– {item}" for item in items)


# ---------------------------------------------------------------------------------------
# The whole e-mail


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def compose(
    kind: EmailKind,
    *,
    values: dict[str, str],
    language: str,
    subject: str | None = None,
    body: str | None = None,
    frame: dict | None = None,
) -> Composed:
    """Subject, plain text and HTML of one e-mail in ``language``: ``subject`` and ``body``
    are staff's wording (None: the shipped one), ``values`` the placeholders' values;
    ``frame`` adds what the greeting and footer read (the recipient)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        subject_text = str(kind.subject) if subject is None else subject
        body_text = str(kind.body) if body is None else body
        context = {
            **(frame or {}),
            "LANGUAGE_CODE": language,
            "fund_name": values.get("fund", ""),
            "site_url": settings.SITE_URL,
            "greeting_name": values.get("name", ""),
            "audience": kind.audience,
            "message_text": fill_text(body_text, values, kind.names),
            "message_html": fill_html(body_text, values, kind.names, kind.links),
        }
        return Composed(
            subject=fill_subject(subject_text, values, kind.names),
            text=render_to_string("emails/_message.txt", context),
            html=render_to_string("emails/_message.html", context),
        )
