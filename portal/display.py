"""``get_FOO_display()`` with its choices read once per field, not once per call
(issue 14, docs/performance.md rule 20).

Django's generated ``get_FOO_display`` rebuilds a dict of the field's choices on
every call: ``dict(make_hashable(field.flatchoices))`` hashes every label, and
hashing a lazy label translates it. A suggestion's status has 16 labels, so a
list of 50 suggestions translated 800 labels to show 50 of them (and a
deputy's 民族, 56 labels, cost ~1 ms a row of the roster).

:func:`install` replaces Django's generated method on every installed model
(``PortalConfig.ready``) with one that keeps the dict per field (rebuilt if
``field.choices`` is replaced) and translates only the label it returns. The
result is Django's, call for call: the stored lazy label is translated in the
language active at the call, a value outside the choices is returned as it is,
and a ``get_FOO_display`` a model defines itself is left alone. tests/portal/test_display.py compares both on every choice of every model
in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_DJANGOS = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def _display(self: models.Model, field: models.Field) -> Any:
    value = getattr(self, field.attname)
    cached = field.__dict__.get("_portal_display")
    if cached is None or cached[0] is not field.choices:
        cached = (field.choices, dict(make_hashable(field.flatchoices)))
        field.__dict__["_portal_display"] = cached
    # force_str() to coerce lazy strings, as Django does.
    return force_str(cached[1].get(make_hashable(value), value), strings_only=True)


def _is_djangos(method: Any) -> bool:
    return isinstance(method, partialmethod) and method.func is _DJANGOS


def install(model_classes: Iterable[type[models.Model]] | None = None) -> int:
    """Swap the generated method on every model (or on ``model_classes``); the
    number of methods swapped."""
    if model_classes is None:
        model_classes = apps.get_models(include_auto_created=True)
    swapped = 0
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            # Only the class's own method: a concrete parent's is swapped there.
            name = f"get_{field.name}_display"
            if _is_djangos(model.__dict__.get(name)):
                setattr(model, name, partialmethod(_display, field=field))
                swapped += 1
    return swapped
