"""The form renderer of every page (``FORM_RENDERER``).

Django's own, except for the few templates every form field goes through:
``<select>`` (Django renders every ``<option>`` through an included template,
about 40 µs each, so a filter form with a few hundred options cost 20–30 ms of
a list page at province scale), and the field group, its label, its error list
and the plain ``<input>`` widgets (about 1.3 ms a field through four templates:
17 ms of the roster's 13 filter fields, issue 14). These are written in Python,
byte for byte what Django's templates (``django/forms/field.html``,
``label.html``, ``attrs.html``, ``errors/list/ul.html``, ``widgets/input.html``,
``widgets/select.html``, ``select_option.html``) write, with the same escaping;
``tests/portal/test_form_renderer.py`` renders fields both ways. Anything else
(radio buttons, checkboxes, file inputs, a project template) goes through the
templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERRORS_TEMPLATE = "django/forms/errors/list/default.html"
# The widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``
# (the test reads Django's files to keep this list true).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
)


def _attrs(attrs: dict[str, Any] | None) -> str:
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def render_select(widget: dict[str, Any]) -> SafeString:
    out = [
        f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    ]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            # select_option.html ends with a newline, kept by the include.
            out.append("\n  " + _option(option) + "\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


def render_input(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return mark_safe(  # noqa: S308 - every part escaped
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def render_label(context: dict[str, Any]) -> SafeString:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return mark_safe(label)  # noqa: S308 - escaped
    tag = conditional_escape(context["tag"])
    return mark_safe(f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>")  # noqa: S308


def render_errors(context: dict[str, Any]) -> SafeString:
    errors = context["errors"]
    if not errors:
        return mark_safe("")
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return mark_safe(  # noqa: S308 - every part escaped
        f'<ul class="{conditional_escape(context["error_class"])}"{shown_id}>'
        f"{items}</ul>"
    )


def render_field(field) -> SafeString:
    """``django/forms/field.html`` (its text, newlines included, then stripped
    as Django's renderer strips every template's output)."""
    fieldset = field.use_fieldset
    out = []
    if fieldset:
        described = field.aria_describedby
        shown = (
            f' aria-describedby="{conditional_escape(described)}"' if described else ""
        )
        out.append(f"\n  <fieldset{shown}>\n  ")
        if field.label:
            out.append(conditional_escape(field.legend_tag()))
        out.append("\n")
    else:
        out.append("\n  ")
        if field.label:
            out.append(conditional_escape(field.label_tag()))
        out.append("\n")
    out.append("\n")
    if field.help_text:
        shown_id = (
            f' id="{conditional_escape(field.auto_id)}_helptext"'
            if field.auto_id
            else ""
        )
        out.append(f'<div class="helptext"{shown_id}>{field.help_text}</div>')
    out.append("\n")
    out.append(conditional_escape(field.errors))
    out.append("\n")
    out.append(conditional_escape(field))
    if fieldset:
        out.append("</fieldset>")
    return mark_safe("".join(out).strip())  # noqa: S308 - every part escaped


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == FIELD_TEMPLATE and set(context) == {"field"}:
            return render_field(context["field"])
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name == LABEL_TEMPLATE:
            return render_label(context)
        if template_name == ERRORS_TEMPLATE:
            return render_errors(context)
        if template_name == SELECT_TEMPLATE:
            widget = context["widget"]
            if all(
                option.get("template_name") == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return render_select(widget)
        return super().render(template_name, context, request=request)
