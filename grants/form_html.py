"""One field of a form as the applicant's and grantee's pages show it (label, help, errors,
the widget, a live word count), in Python: the proposal form of a call with thirty
questions has about seventy fields, and a template include per field was most of the page's
time. ``{% form_field field %}`` (grants_tags) renders it; grants/includes/field.html calls
it for the pages that still include that template.

A field that asks a question of the call (``field.field.question``, set by
grants.forms.questions) also says whether it is required, groups its options in a fieldset,
says when it applies (a question shown only after a given answer to another: the script
hides it until then; without the script the hint stays), and shows the file given."""

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from grants.wordcount import count_words


def _e(value) -> str:
    return conditional_escape(value if isinstance(value, str) else str(value))


def word_count_html(field, limit) -> str:
    value = field.value()
    count = count_words(value if isinstance(value, str) else "")
    template = _("%(count)s of at most %(limit)s words")
    over = " over" if count > limit else ""
    return (
        f'<span class="word-count{over}" id="{_e(field.auto_id)}-count" '
        f'data-template="{_e(template)}">'
        f"{_e(template % {'count': count, 'limit': limit})}</span>"
    )


def _label(field, required) -> str:
    star = ' <span aria-hidden="true">*</span>' if required else ""
    if field.field.widget.use_fieldset and hasattr(field.field, "question"):
        # A group of options has no aria-required: its legend says it in words.
        said = f' <span class="visually-hidden">({_e(_("required"))})</span>' if required else ""
        return f"<legend>{_e(field.label)}{star}{said}</legend>"
    return f'<label for="{_e(field.id_for_label)}">{_e(field.label)}{star}</label>'


def _file_part(field, question) -> str:
    """The file given so far, with a button that removes it (the form saves first)."""
    attachment = field.initial
    if attachment is None:
        return ""
    url = reverse("attachment_download", args=[attachment.pk])
    button = _("Remove %(name)s") % {"name": attachment.original_name}
    return (
        f'<p class="answer-file"><a href="{url}">{_e(attachment.original_name)}</a> '
        f'<button type="submit" name="remove_answer_file" value="{_e(question.key)}" '
        f'class="button-small button-secondary">{_e(button)}</button></p>'
    )


def field_html(field, *, word_limits=None) -> str:
    """The HTML of one bound field. ``word_limits``: field name → limit, for core text
    fields; a question brings its own (and its condition: grants.forms.questions)."""
    question = getattr(field.field, "question", None)
    required = question.required if question is not None else field.field.required
    errors = field.errors
    classes = "field field-error" if errors else "field"
    wrapper = f'<div class="{classes}"'
    condition = getattr(field.field, "condition", None)
    if condition is not None:
        wrapper += (
            f' data-show-if="{_e(condition.field_name)}" data-show-value="{_e(condition.value)}"'
        )
    parts = [wrapper + ">"]
    fieldset = question is not None and field.field.widget.use_fieldset
    if fieldset:
        described = f' aria-describedby="{_e(field.auto_id)}_helptext"' if field.help_text else ""
        parts.append(f"<fieldset{described}>")
    checkbox = field.widget_type == "checkbox"
    if checkbox:
        parts.append(
            f'<div class="checkbox-row">{field} <label for="{_e(field.id_for_label)}">'
            f"{_e(field.label)}</label></div>"
        )
    else:
        parts.append(_label(field, required))
    if condition is not None:
        parts.append(f'<p class="help condition">{_e(condition.hint)}</p>')
    if field.help_text:
        parts.append(
            f'<div class="help" id="{_e(field.auto_id)}_helptext">{_e(field.help_text)}</div>'
        )
    if errors:
        parts.append(str(errors))
    if question is not None and question.kind == "file":
        parts.append(_file_part(field, question))
    if not checkbox:
        parts.append(str(field))
    limit = question.word_limit if question is not None else (word_limits or {}).get(field.name)
    if limit:
        parts.append(word_count_html(field, limit))
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
