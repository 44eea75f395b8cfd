from django import template

from reporting.tables import format_cell

register = template.Library()


@register.filter
def report_cell(value, kind):
    """A report's cell in the active language: {{ value|report_cell:kind }}."""
    return format_cell(value, kind)


@register.filter
def css_string(value):
    """Text inside a CSS string in double quotes (the PDF's page margins)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return "".join(ch if ch.isprintable() else " " for ch in text)


@register.filter
def first_rows(table, count):
    """{{ table|first_rows:30 }}: the table shortened for the PDF (it says how many more)."""
    return table.first(int(count))
