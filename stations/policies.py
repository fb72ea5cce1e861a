"""Who may do what in stations (see portal/policies.py)."""

from __future__ import annotations

from portal.policies import scope_for


# The scope is computed once per request, so these cost no query per page.
def works_with_stations(user) -> bool:
    """Station staff, congress staff, leaders and admins (not units alone)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.station_ids or scope.governed_paths)


def unit_only(user) -> bool:
    """Unit staff reach the same inbox, scoped to their unit's opinions."""
    scope = scope_for(user)
    return bool(scope.unit_ids) and not works_with_stations(user)
