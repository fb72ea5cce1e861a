"""A fixed-window rate limit on the shared cache (Redis in production).

Used for anonymous submissions (opinions, livelihood ideas) by both the HTML
forms and the API, so one address cannot flood either.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address (REMOTE_ADDR; set by the proxy in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, identity: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; False once ``limit`` attempts were made in the window."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    window = int(time.time()) // window_seconds
    key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds + 5)
            count = 1
    return count <= limit
