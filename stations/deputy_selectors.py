"""A deputy's public page (issue 18): the public directory's cards lead here.

Apart from ``stations.selectors`` because it reads the deputies' public card
(``deputies.selectors``, which the stations' services must not reach)."""

from __future__ import annotations

from datetime import date
from typing import Any

from deputies.models import Activity, Mandate
from deputies.selectors import public_card
from portal.privacy import scrub_public

from .models import DutyDay, Station, StationMembership
from .selectors import _slot_rank, deputy_title

# --- public: a deputy's page ------------------------------------------------------------

PUBLIC_ACTIVITIES_SHOWN = 10


def public_deputy_page(mandate: Mandate, today: date) -> dict[str, Any]:
    """A deputy's public page (the directory's card leads here): public fields
    only (name, level, stations, next published duty day, approved activities),
    every string scrubbed. ``mandate`` is a current, active one (else 404)."""
    memberships = (
        StationMembership.objects.filter(
            mandate__person_id=mandate.person_id,
            end_date__isnull=True,
            station__status=Station.Status.ACTIVE,
        )
        .select_related("station")
        .order_by("station__region_path", "station__name")
    )
    next_day = (
        DutyDay.objects.public(today)
        .filter(
            assignments__mandate__person_id=mandate.person_id,
            assignments__mandate__status=Mandate.Status.ACTIVE,
        )
        .select_related("station")
        .order_by("date", _slot_rank(), "id")
        .first()
    )
    activities = (
        Activity.objects.filter(
            attendances__mandate=mandate,
            attendances__status="attended",
            review_status=Activity.Review.APPROVED,
        )
        .only("id", "title", "kind", "date")
        .order_by("-date", "-id")[:PUBLIC_ACTIVITIES_SHOWN]
    )
    page = {
        "card": public_card(mandate),
        "congress": mandate.congress.name,
        "level": str(mandate.congress.get_level_display()),
        "title": deputy_title(mandate.congress.name),
        "stations": [{"id": m.station_id, "name": m.station.name} for m in memberships],
        "next_duty": None
        if next_day is None
        else {
            "date": next_day.date,
            "slot_label": str(next_day.get_slot_display()),
            "station_id": next_day.station_id,
            "station": next_day.station.name,
        },
        "activities": [
            {"date": a.date, "kind": str(a.get_kind_display()), "title": a.title}
            for a in activities
        ],
    }
    return scrub_public(page, keep=("photo_url",))
