"""Input fields that name rows: whole numbers the database can hold.

An id outside 1 … 2⁶³−1 is a 400 with the field's message, never a database
error: SQLite cannot bind a larger integer at all (``OverflowError``, a 500 —
and inside a transaction Django then refuses every further query of it,
``TransactionManagementError``), PostgreSQL compares it as ``numeric``.
The schema documents the bounds (``minimum``/``maximum``).
"""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

ID_MIN = 1
ID_MAX = 2**63 - 1  # bigint, the primary keys' type (BigAutoField)


class IdField(serializers.IntegerField):
    """The id of a row, in a request body."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdListField(serializers.ListField):
    """A list of row ids, in a request body."""

    child = IdField()


class IdFormField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """A query parameter that names a row: a whole number (``?parent=1.5`` or
    ``?parent=1e999`` is a 400, not a lookup by a rounded or overflowing number)."""

    field_class = IdFormField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "format": "int64"}
        schema |= {"minimum": ID_MIN, "maximum": ID_MAX}
        if kwargs.get("label"):
            schema["description"] = kwargs["label"]
        extend_schema_field(schema)(self)
