"""``makemessages`` that also extracts ``_t(...)``.

Selectors that build to-do titles import ``gettext as _t`` beside ``gettext_lazy as
_``; plain xgettext does not know that name, so those titles never reached the
catalogue and stayed Chinese on English pages (issue 18)."""

from django.core.management.commands import makemessages

# Every alias of a gettext function used in the code (tests/portal/test_i18n_english.py
# checks that no other one appears).
EXTRA_KEYWORDS = ("_t",)


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={keyword}" for keyword in EXTRA_KEYWORDS),
    ]
