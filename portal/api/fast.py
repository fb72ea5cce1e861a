"""List serialization planned once per response, not once per value (issue 14).

DRF serializes a list by asking every field of every row the general questions
again: is the source dotted, is the value a mapping, a simple callable (three
``inspect`` checks), a ``PKOnlyObject``? For 50 rows of a 30-field deputy that
is 1,500 times, and it was a third of the API lists' time at province scale
(docs/performance.md rule 17). ``FastListSerializer`` answers those questions
once per field from the model's metadata and then reads each row with plain
attribute access:

- a field whose source walks only the model's own columns and forward foreign
  keys (``person.name``, ``congress_id``) is read with ``getattr``; a missing
  link on the way (``None``) or anything else unusual goes through DRF's own
  ``field.get_attribute``, so defaults, ``allow_null`` and skipped fields are
  DRF's;
- a primary-key relation with DRF's pk-only optimisation reads the ``_id``
  column, as DRF does;
- ``CharField`` and ``IntegerField`` (exactly those classes) convert with
  ``str`` and ``int``, as their ``to_representation`` do; every other field
  keeps its own ``to_representation``.

A serializer that overrides ``to_representation`` is serialized row by row as
DRF would. The output is DRF's, key for key: tests/portal/test_fast_lists.py
renders every list endpoint both ways and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField

# Switched off by the equivalence test to render DRF's way.
ENABLED = True


def _column_path(model: Any, attrs: list[str]) -> bool:
    """Whether ``attrs`` walks forward foreign keys of ``model`` to a column."""
    for position, attr in enumerate(attrs):
        if model is None:
            return False
        try:
            field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        last = position == len(attrs) - 1
        if last:
            return bool(field.concrete) and not field.many_to_many
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            return False
        model = field.related_model
    return True


def _reader(
    field: fields.Field, model: Any
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How to read ``field`` from a row and how to convert what was read."""
    attrs = list(field.source_attrs)
    drf = (field.get_attribute, field.to_representation)
    if field.source == "*":
        return (lambda obj: obj), field.to_representation
    if type(field) is relations.PrimaryKeyRelatedField:
        if (
            field.pk_field is None
            and field.use_pk_only_optimization()
            and len(attrs) == 1
            and _column_path(model, attrs)
            and model._meta.get_field(attrs[0]).many_to_one
        ):
            attname = model._meta.get_field(attrs[0]).attname
            return (lambda obj: getattr(obj, attname)), (lambda value: value)
        return field.get_attribute, _pk_only(field)
    if isinstance(field, relations.RelatedField | serializers.BaseSerializer):
        return drf
    if not _column_path(model, attrs):
        return drf
    convert = _CONVERTERS.get(type(field), field.to_representation)
    if len(attrs) == 1:
        name = attrs[0]
        return (lambda obj: getattr(obj, name)), convert
    slow, last = field.get_attribute, len(attrs) - 1

    def walk(obj: Any) -> Any:
        value = obj
        try:
            for position, attr in enumerate(attrs):
                value = getattr(value, attr)
                if value is None:
                    if position != last:
                        return slow(obj)  # a missing link: DRF's default/null/skip
                    return None
        except ObjectDoesNotExist:
            return None
        return value

    return walk, convert


# Exactly these classes: their ``to_representation`` is ``str`` / ``int``.
_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    fields.CharField: str,
    fields.IntegerField: int,
}


class FastListSerializer(serializers.ListSerializer):
    def _plan(self) -> list[tuple[str, Callable, Callable]] | None:
        child = self.child
        if (
            type(child).to_representation
            is not serializers.Serializer.to_representation
        ):
            return None
        model = getattr(getattr(child, "Meta", None), "model", None)
        return [
            (field.field_name, *_reader(field, model))
            for field in child._readable_fields
        ]

    def to_representation(self, data: Any) -> list[Any]:
        if not ENABLED:
            return super().to_representation(data)
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        plan = self._plan()
        if plan is None:
            return [self.child.to_representation(item) for item in iterable]
        rows = []
        for item in iterable:
            row: dict[str, Any] = {}
            for name, get, convert in plan:
                try:
                    value = get(item)
                except SkipField:
                    continue
                row[name] = None if value is None else convert(value)
            rows.append(row)
        return rows


def _pk_only(field: fields.Field) -> Callable[[Any], Any]:
    """A pk relation read DRF's way: its ``PKOnlyObject`` may carry a null pk."""

    def convert(value: Any) -> Any:
        if isinstance(value, relations.PKOnlyObject) and value.pk is None:
            return None
        return field.to_representation(value)

    return convert
