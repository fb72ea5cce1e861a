"""``get_FOO_display`` keeps each field's choices (portal/display.py): the same
answer as Django's on every choice of every model, in Chinese and English, one
translation a call, and a model's own method left alone."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from deputies.models import Person
from portal import display
from proposals.models import Suggestion


def _choice_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_generated_method_is_swapped():
    fields = list(_choice_fields())
    assert len(fields) > 50
    for model, field in fields:
        # A bound method of an instance calls portal.display._display.
        bound = getattr(model(), f"get_{field.name}_display")
        assert bound.func.__func__ is display._display, (model, field.name)
    assert display.install() == 0  # already swapped: nothing left to swap


def test_the_answers_are_djangos_in_both_languages():
    checked = 0
    for model, field in _choice_fields():
        values = [value for value, _label in field.flatchoices]
        for value in [*values, "不在选项里", None]:
            instance = model()
            setattr(instance, field.attname, value)
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    ours = getattr(instance, f"get_{field.name}_display")()
                    djangos = models.Model._get_FIELD_display(instance, field)
                    assert ours == djangos, (model, field.name, value, language)
                    assert type(ours) is type(djangos)
                    checked += 1
    assert checked > 500


def test_a_label_follows_the_language_of_the_call():
    s = Suggestion(status=Suggestion.Status.CLOSED)
    assert s.get_status_display() == "已办结"
    with translation.override("en"):
        english = s.get_status_display()
    assert english != "已办结" and english
    assert s.get_status_display() == "已办结"


def test_one_translation_per_call(monkeypatch):
    calls = []
    real = translation._trans.gettext  # what a lazy label calls when it is read

    def counting(message):
        calls.append(message)
        return real(message)

    s = Suggestion(status=Suggestion.Status.CLOSED)
    s.get_status_display()  # the field's dict is built once
    monkeypatch.setattr(translation._trans, "gettext", counting)
    assert s.get_status_display() == "已办结"
    assert calls == ["已办结"]
    calls.clear()  # Django's own method translates every label of the field
    field = Suggestion._meta.get_field("status")
    assert models.Model._get_FIELD_display(s, field) == "已办结"
    assert len(calls) >= len(Suggestion.Status.choices)


def test_replaced_choices_are_read_again():
    field = Suggestion._meta.get_field("status")
    s = Suggestion(status="closed")
    assert s.get_status_display() == "已办结"
    original = field.choices
    try:
        field.choices = [("closed", "结束")]
        assert s.get_status_display() == "结束"
    finally:
        field.choices = original
    assert s.get_status_display() == "已办结"


def test_a_deputys_ethnicity_is_its_gb_name_translated():
    person = Person(ethnicity="蒙古族")
    assert person.get_ethnicity_display() == "蒙古族"
    with translation.override("en"):
        assert person.get_ethnicity_display() == translation.gettext("蒙古族")
    assert Person(ethnicity="").get_ethnicity_display() == ""


@isolate_apps("portal")
def test_a_models_own_method_is_left_alone():
    class Card(models.Model):
        colour = models.CharField(max_length=5, choices=[("r", "红"), ("g", "绿")])
        size = models.CharField(max_length=5, choices=[("s", "小"), ("l", "大")])

        class Meta:
            app_label = "portal"

        def __str__(self):
            return self.colour

        def get_colour_display(self):
            return f"颜色 {self.colour}"

    assert display.install([Card]) == 1
    card = Card(colour="r", size="l")
    assert card.get_colour_display() == "颜色 r"
    assert card.get_size_display() == "大"
    assert card.get_size_display.func.__func__ is display._display
