"""HTML pages of bills and suggestions (DESIGN.md §5), one module per audience:
``deputy``, ``staff`` (congress staff and leaders), ``unit`` (handling units),
``leader`` (key supervision), ``public``, and ``common`` for the detail page
every audience opens. The URLs are in ``proposals.urls``.

Thin, as STYLE.md asks: look up through a selector or ``visible_to`` (out of
scope → 404), check ``proposals.policies`` (in scope but not allowed → 403),
validate a form, call one service, redirect with a message. A refused action is
shown on its form (status 400) next to the field the service names; a
transition the state does not allow comes back as an error message.
"""
