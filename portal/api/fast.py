"""List serialization planned once per response, not once per value (issue 14).

DRF serializes a list by asking every field of every row the general questions
again: is the source dotted, is the value a mapping, a simple callable (three
``inspect`` checks), a ``PKOnlyObject``? For 50 rows of a 30-field deputy that
is 1,500 times, and it was a third of the API lists' time at province scale
(docs/performance.md rule 15). ``FastListSerializer`` answers those questions
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


def _getter(field: fields.Field, model: Any) -> Callable[[Any], Any]:
    attrs = list(field.source_attrs)
    slow = field.get_attribute
    if field.source == "*":
        return lambda obj: obj
    if (
        type(field) is relations.PrimaryKeyRelatedField
        and field.pk_field is None
        and field.use_pk_only_optimization()
        and len(attrs) == 1
        and model is not None
    ):
        try:
            model_field = model._meta.get_field(attrs[0])
        except FieldDoesNotExist:
            return slow
        if model_field.concrete and model_field.many_to_one:
            attname = model_field.attname
            return lambda obj: getattr(obj, attname)
        return slow
    if isinstance(field, relations.RelatedField | serializers.BaseSerializer):
        return slow
    if not _column_path(model, attrs):
        return slow
    if len(attrs) == 1:
        name = attrs[0]
        return lambda obj: getattr(obj, name)

    last = len(attrs) - 1

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

    return walk


def _converter(field: fields.Field) -> Callable[[Any], Any]:
    kind = type(field)
    if kind is relations.PrimaryKeyRelatedField and field.pk_field is None:
        return lambda value: value  # the getter read the ``_id`` column
    if kind is fields.CharField:
        return str
    if kind is fields.IntegerField:
        return int
    return field.to_representation


class FastListSerializer(serializers.ListSerializer):
    def _plan(self) -> list[tuple[str, Callable, Callable]] | None:
        child = self.child
        if (
            type(child).to_representation
            is not serializers.Serializer.to_representation
        ):
            return None
        model = getattr(getattr(child, "Meta", None), "model", None)
        plan = []
        for field in child._readable_fields:
            if (
                type(field) is relations.PrimaryKeyRelatedField
                and _getter(field, model) is field.get_attribute
            ):
                plan.append((field.field_name, field.get_attribute, _pk_only(field)))
                continue
            plan.append((field.field_name, _getter(field, model), _converter(field)))
        return plan

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
