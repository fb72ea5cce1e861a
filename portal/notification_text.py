"""Notification text kept as its source, translated when shown (issue 18).

A notification's title and body are stored rendered in the site language
(Chinese: what the e-mail, the SMS and the audit say), and beside them the
untranslated sentence (its msgid) and its parameters. Pages and the API render
the sentence again in the reader's language (``Notification.display_title``).

A caller builds a :class:`Message` instead of ``_("…%(title)s…") % values``::

    Message(gettext_noop("“%(title)s”已答复，请评价"), {"title": suggestion.title})

``gettext_noop`` marks the sentence for makemessages without translating it.
A Message *is* the text in the site language (a ``str``: what the reminder said
before), carrying ``msgid`` and ``params``; any string operation on it gives
plain text, which is stored and shown as it is.
Parameters are kept JSON-safe: ``str`` and ``int`` as they are, dates as ISO
strings; a parameter that is itself a translatable word (a choice label, a
``gettext_lazy`` string, another :class:`Message`) is kept as its msgid and
translated with the sentence. Data (a suggestion's title, a station's name)
stays as it was written: only the sentence around it is translated.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

logger = logging.getLogger("portal.notifications")

Params = dict[str, Any]


def _msgid_of(value: Promise) -> str:
    """The untranslated source of a lazy translation (``gettext_lazy``, a
    choice label): with translation deactivated gettext returns the msgid."""
    with translation.override(None):
        return str(value)


def _stored_value(value: Any) -> Any:
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": value.stored_params()}
    if isinstance(value, Promise):
        return {"msgid": _msgid_of(value)}
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


class Message(str):
    """An untranslated sentence and its parameters (see the module docstring):
    the text in the site language, with ``msgid`` and ``params``."""

    msgid: str
    params: Params

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Message:
        source = _msgid_of(msgid) if isinstance(msgid, Promise) else str(msgid)
        with translation.override(settings.LANGUAGE_CODE):
            # Any other object is kept as its text in the site language.
            stored = {str(k): _stored_value(v) for k, v in (params or {}).items()}
            text = _render(source, stored)
        message = super().__new__(cls, text)
        message.msgid = source
        message.params = stored
        return message

    def stored_params(self) -> Params:
        """The parameters as stored in ``Notification.params`` (JSON-safe)."""
        return dict(self.params)

    def stored_text(self) -> str:
        """The sentence in the site language, as stored in title/body."""
        return str.__str__(self)

    def __reduce__(self) -> Any:
        return (_rebuild, (str.__str__(self), self.msgid, self.params))


def _rebuild(text: str, msgid: str, params: Params) -> Message:
    message = str.__new__(Message, text)
    message.msgid = msgid
    message.params = params
    return message


def choice_label(instance: Any, field_name: str) -> Any:
    """The (lazy, translatable) label of a model instance's choice field, for a
    :class:`Message` parameter (``get_FOO_display()`` would fix one language)."""
    value = getattr(instance, field_name)
    choices = dict(instance._meta.get_field(field_name).flatchoices)
    return choices.get(value, value)


def _resolve(value: Any) -> Any:
    """A stored parameter as shown: a nested sentence translated, plain values
    as they are; anything else is a broken row (raises, the caller falls back)."""
    if isinstance(value, dict):
        if not isinstance(value.get("msgid"), str):
            raise ValueError("a nested parameter without msgid")
        return _render(value["msgid"], value.get("params") or {})
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    raise TypeError(f"parameter of type {type(value).__name__}")


def _render(msgid: str, params: Params) -> str:
    """``gettext(msgid) % params`` in the active language (may raise)."""
    if not msgid:  # gettext("") is the catalogue's header
        raise ValueError("an empty msgid")
    text = translation.gettext(msgid)
    if not params and "%(" not in msgid:
        return text
    return text % {key: _resolve(value) for key, value in params.items()}


def render_text(msgid: str, params: Any, *, fallback: str) -> str:
    """The sentence ``msgid`` with ``params`` in the active language, or
    ``fallback`` (the stored text) without a msgid or when the parameters do not
    fit the sentence (a broken row never breaks a page)."""
    if not msgid:
        return fallback
    if not isinstance(params, dict):
        return fallback or msgid
    try:
        return _render(msgid, params)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        logger.warning("notification text %r does not fit its params", msgid)
        return fallback or msgid


__all__ = ["Message", "choice_label", "render_text"]
