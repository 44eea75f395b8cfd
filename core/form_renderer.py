"""The form renderer (settings.FORM_RENDERER): Django's widget templates, written out in
Python for the common widgets.

Django renders every widget through its template engine, and its templates include one
another (input.html includes attrs.html; a select includes a template per option), so a
proposal form of a call with thirty questions spent most of its page's time in template
includes (benchmarks/proposal_form.py). The widgets below produce exactly the HTML of
Django's templates from the same context (tests/core/test_form_renderer.py compares them
for every kind), and an empty error list as the empty string; every other template (error
lists with errors, multi-widgets, a clearable file input, whole forms) is rendered by the
templates as before."""

import functools
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"
# Templates that are nothing but an include of input.html (Django's own widgets).
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
INPUT_OPTION = "django/forms/widgets/input_option.html"
OPTION_TEMPLATES = {
    INPUT_OPTION,
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
}
MULTIPLE_INPUT_TEMPLATES = {
    "django/forms/widgets/multiple_input.html",
    "django/forms/widgets/radio.html",
    "django/forms/widgets/checkbox_select.html",
}
SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
# An error list renders ul.html, which is empty without errors: a form's rows of milestones
# and team members each render their (empty) non-field errors on every page.
ERROR_LIST = "django/forms/errors/list/default.html"
ERROR_LIST_UL = "django/forms/errors/list/ul.html"


def _e(value) -> str:
    """{{ value }} with autoescaping (safe strings stay as they are)."""
    return conditional_escape(value)


def _s(value) -> str:
    """{{ value|stringformat:'s' }}: the value as text, escaped unless marked safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: `` name="value"``, a bare name for True, nothing
    for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_s(value)}"')
    return "".join(parts)


# Each function returns what its template gives, with the line break that ends the template
# file: an include keeps it (so options are followed by one), the renderer strips the whole.


def _input(widget) -> str:
    """input.html (and text.html, date.html, … which only include it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_s(value)}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option) -> str:
    """input_option.html."""
    if not option.get("wrap_label"):
        return _input(option) + "\n"
    id_ = option["attrs"].get("id")
    label_for = f' for="{_e(id_)}"' if id_ else ""
    return f"<label{label_for}>{_input(option)} {_e(option['label'])}</label>\n"


def _option(option) -> str | None:
    """An option's own template: select_option.html, or radio_option.html and
    checkbox_option.html (an include of input_option.html); None for any other."""
    template_name = option["template_name"]
    if template_name == SELECT_OPTION:
        return (
            f'<option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_e(option['label'])}</option>\n"
        )
    if template_name == INPUT_OPTION:
        return _input_option(option)
    if template_name in OPTION_TEMPLATES:
        return _input_option(option) + "\n"
    return None


def _select(widget) -> str | None:
    parts = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in options:
            html = _option(option)
            if html is None:
                return None  # a widget with its own option template: the templates do it
            parts.append(f"\n  {html}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget) -> str | None:
    attrs = widget["attrs"]
    id_, css = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{_e(id_)}"' if id_ else "",
        f' class="{_e(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_e(group)}</label>")
        for option in options:
            html = _option(option)
            if html is None:
                return None
            parts.append(f"<div>\n    {html}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_e(value) if value else ''}</textarea>\n"
    )


def widget_html(template_name: str, context) -> str | None:
    """The HTML Django's template ``template_name`` makes of ``context``, or None where
    this module does not write that template out."""
    widget = context.get("widget") if hasattr(context, "get") else None
    if not isinstance(widget, dict):
        return None
    if template_name in INPUT_TEMPLATES:
        return _input(widget)
    if template_name in OPTION_TEMPLATES or template_name == SELECT_OPTION:
        return _option(widget | {"template_name": template_name})
    if template_name == SELECT:
        return _select(widget)
    if template_name in MULTIPLE_INPUT_TEMPLATES:
        return _multiple_input(widget)
    if template_name == TEXTAREA:
        return _textarea(widget)
    return None


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the common widgets written out in Python (only
    while the template found is Django's own: an app that overrides it gets its own)."""

    def render(self, template_name, context, request=None):
        if self._empty_error_list(template_name, context):
            return ""
        html = widget_html(template_name, context) if self._djangos_own(template_name) else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html.strip()

    def _empty_error_list(self, template_name, context) -> bool:
        return (
            template_name in (ERROR_LIST, ERROR_LIST_UL)
            and hasattr(context, "get")
            and "errors" in context
            and not context["errors"]
            and self._djangos_own(template_name)
            and self._djangos_own(ERROR_LIST_UL)
        )

    @functools.cached_property
    def _own_templates(self) -> dict:
        return {}

    def _djangos_own(self, template_name: str) -> bool:
        own = self._own_templates.get(template_name)
        if own is None:
            origin = Path(self.get_template(template_name).origin.name)
            own = self._own_templates[template_name] = origin.is_relative_to(DJANGO_TEMPLATES)
        return own
