"""Marking Chinese user content on pages in another language (issue 18).

Names, titles and texts people typed stay Chinese on an English page; screen
readers and fonts need ``lang="zh-hans"`` on them. On Chinese pages both helpers
add nothing (the page's own ``<html lang>`` already says it).

    <h1{% content_lang %}>{{ s.title }}</h1>
    <h1>{{ person.name|zh }} {% include "components/badge.html" ... %}</h1>
"""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

CONTENT_LANGUAGE = settings.LANGUAGE_CODE  # what people type: zh-hans


def _foreign_page() -> bool:
    return not (get_language() or CONTENT_LANGUAGE).startswith("zh")


@register.simple_tag
def content_lang() -> str:
    """`` lang="zh-hans"`` for an element holding user content, on a non-Chinese page."""
    if _foreign_page():
        return format_html(' lang="{}"', CONTENT_LANGUAGE)
    return ""


@register.filter(needs_autoescape=True)
def zh(value, autoescape=True):
    """The value in a ``<span lang="zh-hans">`` on a non-Chinese page."""
    text = conditional_escape(value) if autoescape else value
    if value in (None, "") or not _foreign_page():
        return text
    return mark_safe(f'<span lang="{CONTENT_LANGUAGE}">{text}</span>')  # noqa: S308


@register.filter
def rule_text(value):
    """A rule set's default wording in the page's language (marked with
    ``gettext_noop`` in ``portal.rules``); an edited value has no translation and
    shows as typed."""
    if not value:
        return value
    return gettext(str(value))
