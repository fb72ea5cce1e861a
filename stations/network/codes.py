"""代表码: a signed QR code per active mandate (at its station) and per station.

The code carries a URL whose last part is a token signed with
``django.core.signing``: the kind (``d`` a deputy at a station, ``s`` a
station) and the ids. Nothing else is in it, and it never expires by itself:
a printed card stays on the wall for years. Whether it still works is decided
at scan time from the database — the mandate active and current, its station
membership open, the station active — so a code stops working the day the
mandate ends or the station closes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse

from deputies.models import Mandate

from ..models import Station, StationMembership

SALT = "stations.code"
DEPUTY = "d"
STATION = "s"


class InvalidCode(Exception):
    """The token is not one the portal signed (404)."""


@dataclass
class CodeTarget:
    kind: str
    station: Station | None
    mandate: Mandate | None = None

    @property
    def works(self) -> bool:
        """False once the mandate ended or the station closed (410)."""
        if self.station is None:
            return False
        return self.kind == STATION or self.mandate is not None


def station_token(station: Station) -> str:
    return signing.dumps({"k": STATION, "s": station.pk}, salt=SALT)


def deputy_token(membership: StationMembership) -> str:
    """The code of a deputy at one station (the opinion goes to both)."""
    return signing.dumps(
        {"k": DEPUTY, "m": membership.mandate_id, "s": membership.station_id},
        salt=SALT,
    )


def resolve(token: str) -> CodeTarget:
    """What ``token`` points at, checked now. Raises ``InvalidCode`` for a
    token the portal did not sign; ``.works`` says whether it still works."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidCode from exc
    if not isinstance(data, dict) or data.get("k") not in (DEPUTY, STATION):
        raise InvalidCode
    station = (
        Station.objects.active()
        .select_related("region__parent")
        .filter(pk=data.get("s"))
        .first()
    )
    if data["k"] == STATION or station is None:
        return CodeTarget(data["k"], station)
    mandate = (
        Mandate.objects.public()
        .select_related("person", "constituency", "congress")
        .filter(
            pk=data.get("m"),
            station_memberships__station=station,
            station_memberships__end_date__isnull=True,
        )
        .first()
    )
    return CodeTarget(DEPUTY, station, mandate)


def code_url(token: str) -> str:
    """The absolute URL a code carries (the public site's address)."""
    return settings.SITE_URL.rstrip("/") + reverse("stations:code", args=[token])


def qr(url: str) -> segno.QRCode:
    # Level M survives a smudged or partly torn card on a wall.
    return segno.make(url, error="m", micro=False)


def png(url: str, *, scale: int = 8) -> bytes:
    """The code as a PNG (segno writes it without Pillow)."""
    buffer = io.BytesIO()
    qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def svg_data_uri(url: str, *, scale: int = 4) -> str:
    """The code as an SVG data URI, for the printable sheet."""
    return qr(url).svg_data_uri(scale=scale, border=4)
