"""Supervision reports (DESIGN.md §8): the engine.

- ``periods``: year / session / date range;
- ``model``: the report as data (metrics with numerator and denominator, tables, charts);
- ``service``: who may report on what, building a report from the registered
  sections, and the background generation of files (``GeneratedReport``);
- ``charts``, ``html``, ``excel``, ``pdf``: the renderers.

The sections themselves live in the apps (``deputies/reports.py``,
``stations/reports.py``, ``proposals/reports.py``, ``livelihood_votes/reports.py``)
and are registered in each app's ``hooks.py`` (``portal.registry``).
"""

from __future__ import annotations
