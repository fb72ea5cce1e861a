"""Template helpers of the deputies' pages."""

from django import template
from django.utils.translation import gettext as _

from portal.chinese import localized_numeral

register = template.Library()


@register.filter
def term_label(number) -> str:
    """19 → 第十九届 (Term 19 in English; the congress is shown beside it)."""
    if number in (None, ""):
        return ""
    return _("第%(number)s届") % {"number": localized_numeral(int(number))}


@register.filter
def basename(value) -> str:
    """The file name of a stored file, without its folders."""
    return str(value).rsplit("/", 1)[-1]
