"""The <select> renderer writes what Django's templates write (issue 14)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portal.web.renderer import PortalFormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "全部"), ("a", "甲 & <乙>"), (3, mark_safe("<b>丙</b>"))]
    )
    grouped = forms.ChoiceField(
        choices=[("一组", [("x", "X"), ("y", 'Y "引号"')]), ("z", "Z")],
        widget=forms.Select(attrs={"class": "wide", "data-x": 'a"b', "disabled": True}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二")], required=False)
    radio = forms.ChoiceField(choices=[("r", "R")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data", [None, {"plain": "a", "grouped": "y", "many": ["1", "2"]}]
)
@pytest.mark.parametrize("name", ["plain", "grouped", "many", "radio"])
def test_same_html_as_django_templates(name, data):
    django_html = str(Sample(data, renderer=DjangoTemplates())[name])
    ours = str(Sample(data, renderer=PortalFormRenderer())[name])
    assert ours == django_html
    assert "<select" in ours or name == "radio"


def test_settings_use_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)


class Everything(forms.Form):
    """Every kind of field the pages use, with help, errors and odd labels."""

    name = forms.CharField(
        label='名 & <称> "甲"', max_length=5, help_text="最多 <5> 个字"
    )
    count = forms.IntegerField(label="数量", min_value=1, required=False)
    mail = forms.EmailField(label="邮箱", required=False)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h<1>", required=False)
    search = forms.CharField(
        label="",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": '搜"索"', "autofocus": True}
        ),
    )
    note = forms.CharField(widget=forms.Textarea, required=False, help_text="说明")
    agree = forms.BooleanField(label="同意", required=False)
    kind = forms.ChoiceField(
        choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect, help_text="选一"
    )
    pick = forms.MultipleChoiceField(
        choices=[(1, "一"), (2, "二")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    upload = forms.FileField(required=False)
    shown_initial = forms.CharField(required=False, show_hidden_initial=True)
    plain = forms.ChoiceField(choices=[("", "全部"), ("x", "X")], required=False)

    def clean(self):
        raise forms.ValidationError("整体错误 <不对>")


EVERYTHING_DATA = [
    None,
    {"name": "太长的名字啊啊", "count": "0", "mail": "不是邮箱", "day": "明天"},
    {"name": "甲", "count": "3", "day": "2026-12-01", "kind": "a", "pick": ["1"]},
]


@pytest.mark.parametrize("data", EVERYTHING_DATA)
def test_whole_forms_render_as_django_templates_do(data):
    """Field groups, labels, error lists and inputs written in Python are the
    same bytes as Django's templates, whatever the field, valid or not."""
    django_form = Everything(data, renderer=DjangoTemplates())
    ours = Everything(data, renderer=PortalFormRenderer())
    assert ours.as_div() == django_form.as_div()
    for name in Everything.base_fields:
        assert ours[name].as_field_group() == django_form[name].as_field_group()
        assert ours[name].label_tag() == django_form[name].label_tag()
        assert str(ours[name].errors) == str(django_form[name].errors)
    assert str(ours.non_field_errors()) == str(django_form.non_field_errors())
    if data and "count" in data and data["count"] == "0":
        assert 'class="errorlist" id="id_count_error"' in ours.as_div()


def test_the_input_templates_are_only_the_input_include():
    """The widgets rendered as plain ``<input>`` are those whose Django
    template is nothing but the include (checked against Django's files)."""
    from pathlib import Path

    import django

    from portal.web.renderer import INPUT_TEMPLATES

    root = Path(django.__file__).parent / "forms" / "templates"
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        text = (root / name).read_text(encoding="utf-8").strip()
        assert text == '{% include "django/forms/widgets/input.html" %}', name
