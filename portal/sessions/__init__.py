"""Session engines that take only the session keys Django issues (issue 15).

A session cookie is looked up in the database. Django accepts any key of eight
characters or more, and unquotes the cookie first, so ``sessionid="…\\000…"``
(printable on the wire, past any proxy) became a key with a NUL in it, which
PostgreSQL refuses in a query: a 500 on every page and API operation, for
anyone. Keys are 32 characters of ``VALID_KEY_CHARS``; a cookie of any other
shape is no session, as an unknown key is.

``portal.sessions.db`` replaces ``django.contrib.sessions.backends.db`` and
``portal.sessions.cached_db`` replaces ``…backends.cached_db`` (settings).
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS

_KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)


class WellFormedKeys:
    """Mixed into a session store: a malformed key is no key."""

    def _validate_session_key(self, key):
        return bool(
            super()._validate_session_key(key)  # type: ignore[misc]
            and _KEY_CHARACTERS.issuperset(key)
        )
