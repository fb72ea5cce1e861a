"""The form renderer of every page (``FORM_RENDERER``).

Django's own, except for ``<select>``: Django renders every ``<option>`` through
an included template (about 40 µs each), so a filter form with a few hundred
options cost 20–30 ms of a list page at province scale (issue 14). Here the
select is written in Python, byte for byte what Django's templates
``django/forms/widgets/select.html``/``select_option.html``/``attrs.html``
write, with the same escaping. Widgets with their own option template go through
the templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
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


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            widget = context["widget"]
            if all(
                option.get("template_name") == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return render_select(widget)
        return super().render(template_name, context, request=request)
