"""HTML pages of deputies, by audience (URL lists live in ``deputies.urls``):

- ``staff``: the staff workspace: the deputy list, mandates and persons,
  qualification changes, groups, delegations, activities;
- ``roster``: roster import (upload → validation with progress → preview →
  commit), the roster template and the Excel export of the deputy list;
- ``deputy``: the deputy's own "我的履职";
- ``public``: the public directory (代表名录).

Thin, as STYLE.md asks: look up through a selector (out of scope → 404), check
the policy (in scope but not allowed → 403), validate a form, call one service,
redirect with a message.
"""
