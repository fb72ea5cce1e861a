"""A fixed-window rate limit on the shared cache (Redis in production).

Used for anonymous submissions (opinions, livelihood ideas) by both the HTML
forms and the API, so one address cannot flood either.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_ip(request) -> str | None:
    """The client's IP address for storage and audit rows (REMOTE_ADDR; set by the
    proxy in production), or None when unknown."""
    return request.META.get("REMOTE_ADDR") or None


def client_address(request) -> str:
    """The client's address as a rate-limit identity."""
    return client_ip(request) or "unknown"


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
