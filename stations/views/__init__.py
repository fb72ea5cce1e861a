"""HTML pages of stations, by audience (URL lists in ``stations/urls.py``):

- ``public``: the station finder, a station's page, "我要反映" and "进度查询";
- ``station``: the station workspace (members, roster, duty days, receptions)
  for the station's staff and the congress staff above it;
- ``inbox``: the opinion inbox and detail with the closed-loop actions, one set
  of pages for station staff, congress staff and handling units (each sees and
  may do what ``stations.policies`` says).

Thin, as STYLE.md asks: look up through a queryset or selector (out of scope →
404), ask the policy (→ 403), validate a form, call one service, redirect with
a message. An invalid form is shown again with status 400 and its Chinese
errors, nothing the user typed lost.
"""
