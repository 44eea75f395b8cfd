"""The form renderer writes the common widgets out in Python: each must give exactly the
HTML of Django's own templates, for every kind of widget, value and attribute (hostile ones
included), and leave the widgets it does not know to the templates."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.test import override_settings
from django.test.signals import template_rendered
from django.utils.safestring import mark_safe

from core.form_renderer import ERROR_LIST, FastWidgetRenderer, widget_html

HOSTILE = '"><script>alert(1)</script>&amp;'
CHOICES = [("", "---"), ("a", "Option <A>"), ("b", HOSTILE), (3, "Three")]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help")
    optional = forms.CharField(required=False)
    url = forms.URLField(assume_scheme="https")
    email = forms.EmailField()
    number = forms.IntegerField(min_value=1, max_value=9)
    amount = forms.DecimalField(max_digits=8, decimal_places=2)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    file = forms.FileField(widget=forms.FileInput(attrs={"accept": ".pdf"}))
    agree = forms.BooleanField()
    maybe = forms.BooleanField(required=False)
    long = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "data-x": HOSTILE}))
    empty_long = forms.CharField(widget=forms.Textarea, required=False)
    one = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=CHOICES[1:])
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=GROUPED, widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"})
    )
    disabled = forms.CharField(disabled=True, widget=forms.TextInput(attrs={"readonly": True}))


DATA = {
    "text": HOSTILE,
    "url": "javascript:alert(1)",
    "email": "a@example.org",
    "number": "²",
    "amount": "12.50",
    "date": "2027-03-01",
    "hidden": "<h>",
    "password": "p<a>ss",
    "agree": "on",
    "long": f"line one\n{HOSTILE}\n",
    "one": "b",
    "grouped": "y",
    "several": ["a", "3"],
    "radio": "3",
    "boxes": ["x", "z"],
}
INITIAL = {
    "text": mark_safe("<b>safe</b>"),  # noqa: S308 - a value marked safe stays unescaped
    "number": 4,
    "amount": 12.5,
    "date": dt.date(2027, 3, 1),
    "maybe": True,
    "one": 3,
    "several": ["b"],
    "boxes": ["y"],
    "long": "",
}


def both_ways(form):
    """Each field's HTML with Django's templates and with the Python widgets."""
    templates, fast = DjangoTemplates(), FastWidgetRenderer()
    by_templates, by_python = [], []
    for name in form.fields:
        form.renderer = templates
        by_templates.append(str(form[name]))
        form.renderer = fast
        by_python.append(str(form[name]))
    return by_templates, by_python


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(EveryWidget(), id="unbound"),
        pytest.param(EveryWidget(initial=INITIAL), id="initial"),
        pytest.param(EveryWidget(data=DATA), id="bound"),
        pytest.param(EveryWidget(data={}, auto_id=False), id="bound-empty-no-ids"),
        pytest.param(EveryWidget(initial=INITIAL, prefix="p", auto_id="f_%s"), id="prefixed"),
    ],
)
def test_every_widget_gives_djangos_own_html(form):
    form.is_valid()  # errors and cleaned values as on a refused page

    by_templates, by_python = both_ways(form)

    assert len(by_templates) == len(EveryWidget.base_fields)
    assert by_python == by_templates
    assert "<script>" not in "".join(by_python)


def test_widgets_it_does_not_know_are_left_to_the_templates():
    class Other(forms.Form):
        when = forms.SplitDateTimeField()
        upload = forms.FileField(widget=forms.ClearableFileInput, required=False)
        day = forms.DateField(widget=forms.SelectDateWidget(years=[2026, 2027]))

    form = Other(initial={"when": dt.datetime(2027, 3, 1, 9, 30), "day": dt.date(2027, 3, 1)})

    by_templates, by_python = both_ways(form)

    assert by_python == by_templates
    assert 'name="when_0"' in by_python[0]
    assert widget_html("django/forms/widgets/clearable_file_input.html", {"widget": {}}) is None
    assert widget_html("django/forms/widgets/splitdatetime.html", {"widget": {}}) is None
    assert widget_html("django/forms/widgets/text.html", {}) is None


def test_the_project_renders_its_forms_with_it():
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FastWidgetRenderer)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            get_default_renderer.cache_clear()
            assert not isinstance(get_default_renderer(), FastWidgetRenderer)
    finally:
        get_default_renderer.cache_clear()


def test_a_template_an_app_overrides_is_rendered_from_the_override(tmp_path):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "text.html").write_text('<input class="mine" name="{{ widget.name }}">')
    renderer = FastWidgetRenderer()
    renderer.engine.engine.dirs = [tmp_path, *renderer.engine.engine.dirs]
    renderer.engine.engine.template_loaders[0].reset()

    class One(forms.Form):
        name = forms.CharField()
        long = forms.CharField(widget=forms.Textarea)

    form = One(renderer=renderer)

    assert str(form["name"]) == '<input class="mine" name="name">'
    assert str(form["long"]).startswith('<textarea name="long" cols="40" rows="10" required')


def test_error_lists_give_djangos_own_html_without_a_template_when_empty():
    templates, fast = DjangoTemplates(), FastWidgetRenderer()
    empty = ErrorList()
    full = ErrorList(["<b>Too long</b>"], field_id="id_title")
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        assert fast.render(ERROR_LIST, empty.get_context()) == ""
        assert rendered == []
        fast.render(ERROR_LIST, full.get_context())
        assert rendered == [ERROR_LIST, "django/forms/errors/list/ul.html"]
    finally:
        template_rendered.disconnect(record)
    assert templates.render(ERROR_LIST, empty.get_context()) == ""
    assert fast.render(ERROR_LIST, full.get_context()) == templates.render(
        ERROR_LIST, full.get_context()
    )
    assert '<ul class="errorlist" id="id_title_error"><li>&lt;b&gt;' in fast.render(
        ERROR_LIST, full.get_context()
    )
    form = forms.Form(data={}, renderer=fast)
    assert str(form.non_field_errors()) == ""
