"""Who may do what in livelihood_votes (see portal/policies.py)."""

from __future__ import annotations

from portal.policies import scope_for


def township_gov_only(user) -> bool:
    """Township government staff reach their projects (staff go by programme)."""
    from portal.models import Role

    scope = scope_for(user)
    return Role.TOWNSHIP_GOV in scope.roles and not scope.governs_any
