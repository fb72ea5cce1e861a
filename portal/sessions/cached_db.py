from django.contrib.sessions.backends import cached_db

from . import WellFormedKeys


class SessionStore(WellFormedKeys, cached_db.SessionStore):
    """Cached database sessions whose keys are well formed (``portal.sessions``)."""
