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
