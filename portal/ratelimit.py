"""A fixed-window rate limit on the shared cache (Redis in production).

Used for anonymous submissions (opinions, livelihood ideas) by both the HTML
forms and the API, so one address cannot flood either.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str | None:
    """The client's IP address for audit rows, rate limits and the login lockout
    (``AXES_CLIENT_IP_CALLABLE``), or None when unknown.

    ``REMOTE_ADDR`` unless ``PORTAL_TRUSTED_PROXIES`` (settings) says how many
    reverse proxies of ours stand in front: then the address that the outermost
    of them saw, counted from the right of ``X-Forwarded-For`` (entries further
    left are whatever the client wrote, never trusted; issue 15)."""
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies > 0:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return None
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


def public_submission_allowed(
    scope: str, *, address: str, phone: str = "", limit: int
) -> bool:
    """Count one anonymous submission (an opinion, a project idea) against both
    the sending address and the mobile it gives, ``limit`` each per hour.

    The one check behind the HTML forms (``portal.web.PublicSubmissionForm``)
    and the public API: the same budget whichever channel is used, so the API
    is no way around the forms' limit, and a sender who changes addresses is
    still stopped by the mobile given (issue 15). The forms' honeypot and
    "served at" stamp are about browsers; a client of the API has neither, and
    is held to these same counts."""
    allowed = hit(scope, address, limit=limit)
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits:
        allowed = hit(f"{scope}:phone", digits, limit=limit) and allowed
    return allowed
