"""Honours of a station (issue 17): written by the app that awarded them (the
commendations of ``proposals``), as the ledger is written through deputies."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from portal.models import Congress, User
from portal.services import audit_record

from .models import Station, StationHonour


def station_honour_record(
    *,
    station: Station,
    title: str,
    year: int,
    awarded_by: Congress,
    document_number: str,
    key: str,
    actor: User | None,
) -> StationHonour | None:
    """Record an honour on the station's page once per ``key``; None when it
    was already recorded."""
    try:
        with transaction.atomic():
            honour = StationHonour.objects.create(
                station=station,
                title=title[:200],
                year=year,
                awarded_by=awarded_by,
                document_number=document_number[:100],
                key=key[:120],
            )
    except IntegrityError:
        return None
    audit_record(
        actor=actor,
        action="station.honour",
        target=station,
        reason=f"{title} {document_number}",
        region_path=station.region_path,
    )
    return honour
