from django.contrib.sessions.backends import db

from . import WellFormedKeys


class SessionStore(WellFormedKeys, db.SessionStore):
    """Database sessions whose keys are well formed (``portal.sessions``)."""
