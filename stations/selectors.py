"""Read models of stations, shared by the HTML pages and the API: public
projections, workspace and inbox rows, the opinion detail, to-dos.

Public projections (the finder's cards, a station's page and duty calendar, the
tracking result with its published reply) are built here and only here, and
every string in them passes :func:`portal.privacy.scrub_public`, so the public
pages and the anonymous API cannot disagree about what a citizen may read.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, gettext_lazy

from deputies.models import Mandate
from portal import search
from portal.chinese import mask_mobile
from portal.counting import COUNT_CAP, CappedCount
from portal.models import Congress, HandlingUnit, Region
from portal.privacy import scrub_public
from portal.registry import TODO_LIMIT, RankingScope
from portal.rules import Rules, rules_for
from portal.workdays import add_working_days

from . import tracking
from .models import (
    DutyAssignment,
    DutyDay,
    Opinion,
    Reception,
    Station,
    StationMembership,
)
from .policies import (
    OPINION_ACTIONS,
    DutyDayPolicy,
    OpinionPolicy,
    StationPolicy,
    works_with_stations,
)
from .querysets import OpinionQuerySet, StationQuerySet

# The public calendar shows this many days from today.
CALENDAR_DAYS = 28
# The workspace roster shows this many past days, and the latest receptions.
ROSTER_PAST_DAYS = 30
RECEPTIONS_SHOWN = 20
MEMBER_SEARCH_LIMIT = 20

# A day's slots in the order they happen (the slot codes sort otherwise).
SLOT_RANK: dict[str, int] = {
    DutyDay.Slot.MORNING: 0,
    DutyDay.Slot.FULL_DAY: 1,
    DutyDay.Slot.AFTERNOON: 2,
    DutyDay.Slot.EVENING: 3,
}

STATUS_BADGES: dict[str, str] = {
    Opinion.Status.RECEIVED: "warn",
    Opinion.Status.ASSIGNED: "info",
    Opinion.Status.REASSIGNED: "warn",
    Opinion.Status.REPLIED: "info",
    Opinion.Status.VISITED: "info",
    Opinion.Status.ANSWERED_ON_SITE: "ok",
    Opinion.Status.CLOSED: "ok",
    Opinion.Status.NOT_ACCEPTED: "muted",
    Opinion.Status.CONVERTED: "muted",
    Opinion.Status.POOLED: "muted",
    Opinion.Status.ESCALATED: "muted",
}
# States waiting on a unit's reply (those the transitions map leads to "replied").
AWAITING_REPLY = frozenset(
    status
    for status, targets in Opinion.TRANSITIONS.items()
    if Opinion.Status.REPLIED in targets
)

# What each state means for the citizen on the tracking page.
STATUS_EXPLAINED: dict[str, Any] = {
    Opinion.Status.RECEIVED: gettext_lazy("联络站已收到您的意见，正在登记分流。"),
    Opinion.Status.ASSIGNED: gettext_lazy("已交有关单位办理，答复后会在这里显示。"),
    Opinion.Status.REASSIGNED: gettext_lazy(
        "已重新交有关单位办理，答复后会在这里显示。"
    ),
    Opinion.Status.REPLIED: gettext_lazy("有关单位已答复，工作人员会电话回访。"),
    Opinion.Status.VISITED: gettext_lazy("已回访，正在办结。"),
    Opinion.Status.NOT_ACCEPTED: gettext_lazy(
        "该事项不属于代表联络站受理范围，工作人员已告知您依法解决的途径。"
    ),
    Opinion.Status.CONVERTED: gettext_lazy(
        "已由人大代表转为代表建议，按建议办理程序办理。"
    ),
    Opinion.Status.POOLED: gettext_lazy("已纳入民生实事项目征集。"),
    Opinion.Status.ESCALATED: gettext_lazy(
        "已转上级人大常委会办理，办理结果会在这里显示。"
    ),
    Opinion.Status.ANSWERED_ON_SITE: gettext_lazy("已当场答复并办结。"),
    Opinion.Status.CLOSED: gettext_lazy("已办结。感谢您的参与。"),
}

# Identifiers and codes that look like numbers but are not personal data; the
# station's phone is its public contact line.
_PUBLIC_KEEP = ("code", "kind", "status", "slot", "tracking_code", "phone")


def _slot_rank() -> Case:
    return Case(
        *[When(slot=slot, then=Value(rank)) for slot, rank in SLOT_RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )


def _by_date_and_slot(day: DutyDay) -> tuple[date, int]:
    return (day.date, SLOT_RANK.get(day.slot, 9))


def deputy_title(congress_name: str) -> str:
    """Turn "桃花乡人民代表大会" into "桃花乡人大代表", the way citizens say it
    (in English: "Deputy to the 桃花乡人民代表大会")."""
    if not (get_language() or "zh-hans").startswith("zh"):
        return gettext("%(congress)s代表") % {"congress": congress_name}
    suffix = "人民代表大会"
    if congress_name.endswith(suffix):
        return congress_name[: -len(suffix)] + "人大代表"
    return congress_name


def _is_overdue(opinion: Opinion, today: date) -> bool:
    return (
        opinion.status in AWAITING_REPLY
        and opinion.due_date is not None
        and opinion.due_date < today
    )


# --- public: finder, station page, duty calendar -------------------------------------


def _has_active_station() -> Q:
    """Regions with an active station in their subtree: the ancestors of the
    stations' region paths, worked out from one index-only read of the distinct
    paths (a correlated ``LIKE OuterRef`` could use no index: 120 counties ×
    10,000 stations at province scale, issue 14)."""
    paths: set[str] = set()
    for path in (
        Station.objects.active()
        .order_by()
        .values_list("region_path", flat=True)
        .distinct()
    ):
        parts = path.split("/")[:-1]
        paths.update("/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
    return Q(path__in=sorted(paths))


def finder_areas(raw_county: str, raw_township: str) -> dict[str, Any]:
    """The finder's choices: counties with an active station (grouped by city),
    the chosen county's townships with one, and what the GET parameters chose."""
    counties = list(
        Region.objects.filter(_has_active_station(), level=Region.Level.COUNTY)
        .select_related("parent")
        .order_by("path")
    )
    by_id = {c.pk: c for c in counties}
    county = None
    if raw_county.isdigit():
        county = by_id.get(int(raw_county))
    elif not raw_county and len(counties) == 1:
        county = counties[0]
    townships: list[Region] = []
    if county is not None:
        townships = list(
            Region.objects.filter(
                _has_active_station(),
                parent=county,
                level__in=[Region.Level.TOWNSHIP, Region.Level.SUBDISTRICT],
            ).order_by("path")
        )
    township = None
    if raw_township.isdigit():
        township = next((t for t in townships if t.pk == int(raw_township)), None)
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in counties:
        groups.setdefault(c.parent.name if c.parent else "", []).append((c.pk, c.name))
    return {
        "counties": counties,
        "county_choices": list(groups.items()),
        "county": county,
        "townships": townships,
        "township": township,
    }


def public_stations_in(region: Region, today: date) -> StationQuerySet:
    """Active stations of ``region`` and below, with their next published duty day."""
    upcoming = (
        DutyDay.objects.public(today)
        .filter(station=OuterRef("pk"))
        .order_by("date", _slot_rank())
    )
    return (
        Station.objects.active()
        .within(region)
        .select_related("region__parent")
        .annotate(
            next_duty_date=Subquery(upcoming.values("date")[:1]),
            next_duty_slot=Subquery(upcoming.values("slot")[:1]),
        )
        .order_by("region_path", "name")
    )


def public_station(station: Station) -> dict[str, Any]:
    """What anyone may read of a station (its page, the finder's card, the API)."""
    region = station.region
    parent = region.parent
    projection: dict[str, Any] = {
        "id": station.pk,
        "code": station.code,
        "name": station.name,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "region": region.pk,
        "region_name": region.name,
        "parent_region": parent.pk if parent else None,
        "parent_region_name": parent.name if parent else "",
        "address": station.address,
        "latitude": station.latitude,
        "longitude": station.longitude,
        "opening_hours": station.opening_hours,
        "phone": station.phone,
        "is_model": station.is_model,
        "status": station.status,
        "description": station.description,
    }
    return scrub_public(projection, keep=_PUBLIC_KEEP)


def public_station_card(station: Station) -> dict[str, Any]:
    """A finder card: the station's projection and its next published duty day
    (a station of :func:`public_stations_in`)."""
    card = public_station(station)
    card["next_duty_date"] = station.next_duty_date  # type: ignore[attr-defined]
    card["next_duty_slot_label"] = str(
        dict(DutyDay.Slot.choices).get(station.next_duty_slot, "")  # type: ignore[attr-defined]
    )
    return card


def duty_day_projection(
    day: DutyDay, assignments: list[DutyAssignment]
) -> dict[str, Any]:
    """A duty day with the deputies on duty, public fields only (page and API)."""
    projection = {
        "id": day.pk,
        "station": day.station_id,
        "date": day.date,
        "slot": day.slot,
        "slot_label": str(day.get_slot_display()),
        "topic": day.topic,
        "is_published": day.is_published,
        "published_at": day.published_at,
        # A cancelled day stays in the list with its state and the public
        # notice's reason, so integrators can take it off their calendars.
        "status": day.status,
        "cancel_reason": day.cancel_reason,
        "cancelled_at": day.cancelled_at,
        "deputies": [
            {
                "mandate": a.mandate_id,
                "name": a.mandate.person.name,
                "congress": a.mandate.congress.name,
                "congress_label": deputy_title(a.mandate.congress.name),
            }
            for a in assignments
        ],
    }
    return scrub_public(projection, keep=_PUBLIC_KEEP)


def _on_duty() -> QuerySet[DutyAssignment]:
    return DutyAssignment.objects.select_related(
        "mandate__person", "mandate__congress"
    ).only(
        "id",
        "duty_day_id",
        "mandate_id",
        "mandate__person__id",
        "mandate__person__name",
        "mandate__congress__id",
        "mandate__congress__name",
    )


def public_duty_days(station: Station, today: date) -> list[dict[str, Any]]:
    """The station page's calendar: published duty days of the coming weeks, with
    the deputies still in office on duty."""
    on_duty = (
        _on_duty()
        .filter(mandate__status=Mandate.Status.ACTIVE)
        .order_by("mandate__name_stroke_key", "mandate_id")
    )
    days = (
        DutyDay.objects.public(today)
        .filter(station=station, date__lt=today + timedelta(days=CALENDAR_DAYS))
        .prefetch_related(Prefetch("assignments", queryset=on_duty, to_attr="on_duty"))
    )
    return [
        duty_day_projection(day, day.on_duty)
        for day in sorted(days, key=_by_date_and_slot)
    ]


# The station page's "开放时间" names this many coming published duty days.
NEXT_DAYS_SHOWN = 3
AMAP_SOURCE = "renda-portal"


def station_map_links(station: Station) -> dict[str, str] | None:
    """A map marker and a "navigate" link (高德地图 URI API, which opens the app
    on a phone) for a station with coordinates; None without them."""
    if station.latitude is None or station.longitude is None:
        return None
    position = f"{station.longitude},{station.latitude}"
    marker = urlencode(
        {
            "position": position,
            "name": station.name,
            "src": AMAP_SOURCE,
            "coordinate": "gaode",
            "callnative": "1",
        }
    )
    navigate = urlencode(
        {
            "to": f"{position},{station.name}",
            "mode": "car",
            "src": AMAP_SOURCE,
            "coordinate": "gaode",
            "callnative": "1",
        }
    )
    return {
        "marker_url": f"https://uri.amap.com/marker?{marker}",
        "navigate_url": f"https://uri.amap.com/navigation?{navigate}",
    }


def public_cancellations(station: Station, today: date) -> list[dict[str, Any]]:
    """Published days cancelled and still to come: the page's public notices."""
    days = DutyDay.objects.cancelled_notices(today).filter(
        station=station, date__lt=today + timedelta(days=CALENDAR_DAYS)
    )
    return [
        scrub_public(
            {
                "date": day.date,
                "slot_label": str(day.get_slot_display()),
                "reason": day.cancel_reason,
            }
        )
        for day in sorted(days, key=_by_date_and_slot)
    ]


def public_station_page(station: Station, today: date) -> dict[str, Any]:
    """A station's public page: its projection, the calendar of coming weeks,
    the notices of cancelled days, map links, and its opening hours taken from
    the published roster (the free-text hours are shown as the station's
    regular hours beside it, never in place of it)."""
    duty_days = public_duty_days(station, today)
    return {
        "station": public_station(station),
        "duty_days": duty_days,
        "next_duty_days": duty_days[:NEXT_DAYS_SHOWN],
        "cancellations": public_cancellations(station, today),
        "map": station_map_links(station),
        "calendar_end": today + timedelta(days=CALENDAR_DAYS - 1),
        "today": today,
    }


def duty_days_for(
    station: Station, *, include_unpublished: bool, today: date
) -> QuerySet[DutyDay]:
    """The API's duty days of a station: published ones from today on, or every
    one for those who manage the station (``duty_day_projection`` of each)."""
    queryset = DutyDay.objects.filter(station=station)
    if not include_unpublished:
        queryset = queryset.public(today)
    return queryset.prefetch_related(
        Prefetch("assignments", queryset=_on_duty().order_by("id"))
    ).order_by("date", "slot", "id")


# --- public: the tracking result ----------------------------------------------------------

# Lookups by tracking code per address and hour, the page and the API together
# (with 50 random bits per code, guessing is hopeless anyway).
TRACK_RATE_SCOPE = "opinion_track"
TRACK_LOOKUPS_PER_HOUR = 30


def public_opinion(opinion: Opinion) -> dict[str, Any]:
    """What a citizen sees by tracking code: status and the published reply only
    (the tracking page and ``/api/v1/public/opinions/<code>/`` alike)."""
    replied = (
        opinion.is_reply_published or opinion.status == Opinion.Status.ANSWERED_ON_SITE
    )
    projection = {
        "tracking_code": opinion.tracking_code,
        "status": opinion.status,
        "status_label": str(opinion.get_status_display()),
        "category": str(opinion.get_category_display()),
        "station": opinion.station.name,
        "submitted_on": timezone.localdate(opinion.created_at),
        "reply": opinion.public_reply if replied else "",
        # The legal channel a citizen was told to use (诉讼、仲裁、信访…).
        "channel": opinion.outcome_note
        if opinion.status == Opinion.Status.NOT_ACCEPTED
        else "",
        "closed": opinion.status
        in (Opinion.Status.CLOSED, Opinion.Status.ANSWERED_ON_SITE),
    }
    return scrub_public(projection, keep=_PUBLIC_KEEP)


def opinion_by_code(code: str) -> Opinion | None:
    """The opinion a typed tracking code names (case, spaces, dashes and O/I/L
    forgiven; the station prefix may be left out, but a wrong one finds nothing)."""
    parsed = tracking.parse(code)
    if parsed is None:
        return None
    prefix, key = parsed
    opinion = Opinion.objects.select_related("station").filter(tracking_key=key).first()
    if opinion is None or not tracking.prefix_matches(
        prefix, opinion.station.tracking_prefix
    ):
        return None
    return opinion


def public_opinion_by_code(code: str) -> dict[str, Any] | None:
    """The public projection of the opinion with tracking code ``code``, if any."""
    opinion = opinion_by_code(code)
    return None if opinion is None else public_opinion(opinion)


# What each step of the loop says on the citizen's timeline: fixed wording, no
# staff names, no unit's internal notes (the public reply is shown on its own).
TIMELINE_WORDING: dict[str, Any] = {
    Opinion.Status.RECEIVED: gettext_lazy("联络站收到您的意见"),
    Opinion.Status.ASSIGNED: gettext_lazy("交有关单位办理"),
    Opinion.Status.REASSIGNED: gettext_lazy("重新交有关单位办理"),
    Opinion.Status.REPLIED: gettext_lazy("有关单位作出答复"),
    Opinion.Status.VISITED: gettext_lazy("工作人员回访"),
    Opinion.Status.CLOSED: gettext_lazy("办结"),
    Opinion.Status.ANSWERED_ON_SITE: gettext_lazy("当场答复并办结"),
    Opinion.Status.NOT_ACCEPTED: gettext_lazy("不予受理，已告知依法解决的途径"),
    Opinion.Status.CONVERTED: gettext_lazy("由人大代表转为代表建议"),
    Opinion.Status.POOLED: gettext_lazy("纳入民生实事项目征集"),
    Opinion.Status.ESCALATED: gettext_lazy("报上级人大常委会办理"),
}


def public_timeline(opinion: Opinion) -> list[dict[str, Any]]:
    """The opinion's steps from its status-change rows: the date and a fixed
    sentence per state, nothing typed by staff (no names, no notes)."""
    events = opinion.events.order_by("created_at", "id").values_list(
        "from_state", "to_state", "created_at"
    )
    return [
        {
            "date": timezone.localdate(created_at),
            "state": to_state,
            "label": str(TIMELINE_WORDING[to_state]),
        }
        for from_state, to_state, created_at in events
        # A row that changes no state (the citizen's rating) is no step.
        if to_state in TIMELINE_WORDING and from_state != to_state
    ]


def rating_open(opinion: Opinion) -> bool:
    """The citizen may rate the reply once it is there (replied, or visited and
    closed after a reply) and before they have rated it."""
    replied = opinion.is_reply_published or opinion.status in (
        Opinion.Status.ANSWERED_ON_SITE,
    )
    return (
        replied
        and not opinion.citizen_rating
        and opinion.status
        in (
            Opinion.Status.REPLIED,
            Opinion.Status.VISITED,
            Opinion.Status.CLOSED,
            Opinion.Status.ANSWERED_ON_SITE,
        )
    )


def tracking_result(code: str) -> dict[str, Any] | None:
    """The tracking page's result: the public projection, what its state means,
    the timeline, and whether the citizen may rate the reply."""
    opinion = opinion_by_code(code)
    if opinion is None:
        return None
    result = public_opinion(opinion)
    return {
        "result": result,
        "badge": STATUS_BADGES.get(result["status"], "muted"),
        "explained": STATUS_EXPLAINED.get(result["status"], ""),
        "timeline": public_timeline(opinion),
        "can_rate": rating_open(opinion),
        "rating_label": str(opinion.get_citizen_rating_display())
        if opinion.citizen_rating
        else "",
    }


# --- public: similar open opinions (the duplicate hint) ---------------------------------

SIMILAR_LIMIT = 3
SIMILAR_SCANNED = 300
SIMILAR_THRESHOLD = 0.2


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def similar_open_opinions(
    station: Station, text: str, *, limit: int = SIMILAR_LIMIT
) -> list[dict[str, Any]]:
    """Open opinions of the station's area like ``text`` (the form's
    non-blocking hint "已有类似意见正在办理"), as the proposals' similar-suggestion
    hint scores them: pg_trgm on PostgreSQL, else character-bigram overlap over
    the latest open ones (bounded). Only the category, state and date are shown:
    an opinion's text is not public before staff moderation."""
    from django.db import connection

    text = (text or "").strip()
    if len(text) < 4:
        return []
    base = (
        Opinion.objects.open()
        .filter(region_path__startswith=station.region_path)
        .only("id", "category", "status", "created_at", "content")
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        found = list(
            base.annotate(similarity=TrigramSimilarity("content", text))
            .filter(similarity__gt=SIMILAR_THRESHOLD)
            .order_by("-similarity", "-id")[:limit]
        )
    else:
        probe = set(search.bigrams(text))
        scored = []
        for opinion in base.order_by("-created_at", "-id")[:SIMILAR_SCANNED]:
            score = _jaccard(probe, set(search.bigrams(opinion.content)))
            if score > SIMILAR_THRESHOLD:
                scored.append((score, opinion))
        scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
        found = [opinion for _, opinion in scored[:limit]]
    return [
        {
            "category": str(o.get_category_display()),
            "status_label": str(o.get_status_display()),
            "submitted_on": timezone.localdate(o.created_at),
        }
        for o in found
    ]


# --- station workspace ------------------------------------------------------------------


def _count_subquery(queryset: QuerySet, field: str = "station") -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def station_list(user: Any, today: date) -> StationQuerySet:
    """The stations the user works with, with members, coming duty days and open
    opinions counted."""
    return (
        Station.objects.visible_to(user)
        .select_related("region")
        .annotate(
            member_count=_count_subquery(
                StationMembership.objects.filter(
                    station=OuterRef("pk"), end_date__isnull=True
                )
            ),
            upcoming_count=_count_subquery(
                DutyDay.objects.filter(station=OuterRef("pk"), date__gte=today)
            ),
            open_count=_count_subquery(
                Opinion.objects.open().filter(station=OuterRef("pk"))
            ),
        )
        .order_by("region_path", "name")
    )


def member_mandates(
    station: Station, *, keep: list[int] | None = None
) -> QuerySet[Mandate]:
    """Mandates of the station's current members (for rosters and receptions),
    one per person: a deputy of several levels (a township and a county
    mandate) is listed once, by the mandate of the congress nearest the
    station (the one whose region holds it, the lowest such level first).
    ``keep``: mandates a day already has, listed whatever the choice."""
    rows = StationMembership.objects.filter(
        station=station, end_date__isnull=True
    ).values_list("mandate_id", "mandate__person_id", "mandate__congress__region__path")
    best: dict[int, tuple[tuple[bool, int, int], int]] = {}
    for mandate_id, person_id, congress_path in rows:
        congress_path = congress_path or ""
        rank = (
            bool(congress_path) and station.region_path.startswith(congress_path),
            len(congress_path),
            -mandate_id,
        )
        if person_id not in best or rank > best[person_id][0]:
            best[person_id] = (rank, mandate_id)
    ids = {mandate_id for _, mandate_id in best.values()} | set(keep or ())
    return (
        Mandate.objects.filter(pk__in=sorted(ids))
        .select_related("person", "congress")
        .order_by("name_stroke_key", "id")
    )


def station_workspace(user: Any, station: Station, today: date) -> dict[str, Any]:
    """A station's workspace: current members, the roster of the last weeks and
    the coming ones (with what the user may do on each day), latest receptions,
    opinion counts, and the station's flags for the user."""
    members = list(
        StationMembership.objects.filter(station=station, end_date__isnull=True)
        .select_related("mandate__person", "mandate__congress")
        .order_by("mandate__name_stroke_key", "mandate_id")
    )
    # Through the station's own manager, so each day's ``station`` is this one.
    roster = station.duty_days.filter(
        date__gte=today - timedelta(days=ROSTER_PAST_DAYS)
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=DutyAssignment.objects.select_related("mandate__person").order_by(
                "mandate__name_stroke_key", "mandate_id"
            ),
        )
    )
    days = sorted(roster, key=_by_date_and_slot)
    receptions = (
        Reception.objects.filter(station=station)
        .select_related("duty_day")
        .prefetch_related(
            Prefetch("deputies", queryset=Mandate.objects.select_related("person"))
        )
        .order_by("-date", "-id")
    )
    counts = Opinion.objects.filter(station=station).aggregate(
        open=Count("pk", filter=Q(status__in=Opinion.OPEN_STATES)),
        received=Count("pk", filter=Q(status=Opinion.Status.RECEIVED)),
    )
    return {
        "station": station,
        **StationPolicy.flags(user, station),
        "today": today,
        "members": members,
        "roster": [
            {"day": day, "past": day.date < today, **DutyDayPolicy.flags(user, day)}
            for day in days
        ],
        "upcoming_count": sum(
            1 for d in days if d.date >= today and not d.is_cancelled
        ),
        "published_count": sum(
            1 for d in days if d.date >= today and d.status == DutyDay.Status.PUBLISHED
        ),
        "receptions": list(receptions[:RECEPTIONS_SHOWN]),
        "reception_total": Reception.objects.filter(station=station).count(),
        "opinion_counts": counts,
        "publish_days": station_rules(station).duty_publish_days_ahead,
    }


def member_search(station: Station, q: str) -> list[dict[str, Any]]:
    """Current deputies of any level by card number or name, each saying whether
    they are already a member of ``station``."""
    current = set(
        StationMembership.objects.filter(
            station=station, end_date__isnull=True
        ).values_list("mandate_id", flat=True)
    )
    found = (
        Mandate.objects.public()
        .search(q)
        .select_related("person", "congress")
        .order_by("name_stroke_key", "id")[:MEMBER_SEARCH_LIMIT]
    )
    return [{"mandate": m, "member": m.pk in current} for m in found]


def duty_day_attendance(day: DutyDay) -> list[DutyAssignment]:
    """Who was on duty that day, for recording who came."""
    return list(
        day.assignments.select_related("mandate__person", "mandate__congress").order_by(
            "mandate__name_stroke_key", "mandate_id"
        )
    )


# --- opinion inbox and detail --------------------------------------------------------------


# A province sees ~10,000 stations: the filter lists the first ones in region
# order (a county's, a city's) and always the chosen one (links keep working).
INBOX_STATIONS_SHOWN = 200


def inbox_station_choices(user: Any, chosen: Any = None) -> list[tuple[int, str]]:
    """The stations the inbox may be filtered by (those the user sees; at most
    ``INBOX_STATIONS_SHOWN`` of them, plus the chosen one)."""
    visible = Station.objects.visible_to(user)
    shown = list(
        visible.order_by("region_path", "name").values_list("pk", "name")[
            :INBOX_STATIONS_SHOWN
        ]
    )
    try:
        chosen_id = int(chosen)
    except (TypeError, ValueError):
        return shown
    if all(pk != chosen_id for pk, _name in shown):
        shown += list(visible.filter(pk=chosen_id).values_list("pk", "name"))
    return shown


def inbox(
    user: Any, filters: dict[str, Any] | None, today: date
) -> tuple[OpinionQuerySet, dict[str, int] | None]:
    """Opinions in the user's scope matching ``filters`` (None: the filter form was
    invalid, so nothing), due first, and the count per status before the status
    filter (for the tabs; None when there are more than ``COUNT_CAP``)."""
    data = filters or {}
    q = (data.get("q") or "").strip()
    opinions = _inbox_matching(user, filters, today)
    counts = _status_counts(opinions)
    if counts is None and q and not q.isascii():
        # A keyword in more than COUNT_CAP opinions: the plain LIKE, so the page
        # walks the inbox-order index (``portal.search.narrowed``).
        opinions = _inbox_matching(user, filters, today, lookup="contains")
    if data.get("status"):
        opinions = opinions.filter(status=data["status"])
    return opinions.with_list_related().inbox_order(), counts


def _inbox_matching(
    user: Any, filters: dict[str, Any] | None, today: date, lookup: str = "has_text"
) -> OpinionQuerySet:
    """The inbox's opinions before the status filter; the keyword's words through
    ``lookup`` (``has_text``: the bigram index)."""
    opinions = Opinion.objects.visible_to(user)
    if filters is None:
        return opinions.none()
    data = filters
    if data.get("q"):
        q = data["q"].strip()
        # A tracking code (TH-…: Latin letters and digits) or the text.
        if q.isascii():
            opinions = opinions.filter(tracking_code=q.upper())
        else:
            for word in search.words(q):
                opinions = opinions.filter(**{f"content__{lookup}": word})
    if data.get("category"):
        opinions = opinions.filter(category=data["category"])
    if data.get("station"):
        opinions = opinions.filter(station_id=data["station"])
    if data.get("overdue"):
        opinions = opinions.overdue(today)
    if data.get("handled_here"):
        opinions = opinions.handled_by(user)
    if data.get("escalated_in"):
        opinions = opinions.escalated_to_congress_of(user)
    return opinions


def inbox_rows(opinions: list[Opinion], today: date) -> list[dict[str, Any]]:
    """One inbox row per opinion: its badge and whether the reply is overdue."""
    return [
        {
            "opinion": o,
            "badge": STATUS_BADGES.get(o.status, "muted"),
            "overdue": _is_overdue(o, today),
        }
        for o in opinions
    ]


def _status_counts(opinions: OpinionQuerySet) -> dict[str, int] | None:
    """Opinions per status for the tabs, never a GROUP BY over a province's
    300,000 (issue 14): the statuses of at most ``COUNT_CAP`` + 1 rows in one
    narrow read, exact up to ``COUNT_CAP`` (a county's inbox, most searches).
    None beyond: the tabs then show no numbers and the list's own count says
    "5,000+", so a province's inbox or a search matching 30,000 opinions costs
    one bounded read instead of a count per status."""
    statuses = list(
        opinions.order_by().values_list("status", flat=True)[: COUNT_CAP + 1]
    )
    if len(statuses) > COUNT_CAP:
        return None
    return dict(Counter(statuses))


def inbox_total(counts: dict[str, int] | None, status: str | None) -> int | None:
    """The number of opinions the list shows, known from the tabs' read: exact
    when the tabs are, "5,000+" (``CappedCount``) beyond the bound; None when a
    status narrows a list beyond the bound (the paginator counts it, capped)."""
    if counts is None:
        return None if status else CappedCount(COUNT_CAP)
    return counts.get(status, 0) if status else sum(counts.values())


def inbox_status_tabs(counts: dict[str, int] | None) -> list[dict[str, Any]]:
    """The status tabs in the states' order: those with an opinion in them and
    their number, or every state without a number beyond the bound."""
    if counts is None:
        return [
            {"value": value, "label": label, "count": None}
            for value, label in Opinion.Status.choices
        ]
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Opinion.Status.choices
        if counts.get(value)
    ]


def opinion_for_detail(user: Any, pk: int) -> Opinion | None:
    """An opinion the user may see, with what its detail page reads; None when out
    of scope (the view answers 404)."""
    return (
        Opinion.objects.visible_to(user)
        .select_related(
            "station__region",
            "current_unit",
            "congress__region",
            "escalated_to__region",
            "converted_for__person",
            "converted_for__congress",
            "reception",
        )
        .prefetch_related(
            Prefetch(
                "deputies",
                queryset=Mandate.objects.select_related("person", "congress"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def handling_congress(opinion: Opinion) -> Congress | None:
    """The congress whose loop handles the opinion now: the one it was escalated
    (forwarded) to, else its own (the station's)."""
    return opinion.escalated_to or opinion.congress


def opinion_rules(opinion: Opinion) -> Rules:
    """The rule set of the congress handling the opinion (due days, rounds)."""
    congress = handling_congress(opinion)
    if congress is None:
        return station_rules(opinion.station)
    return rules_for(congress)


# "转县级人大办理": what forwarding up is called, by the level of the congress above.
FORWARD_LABELS: dict[str, Any] = {
    Congress.Level.COUNTY: gettext_lazy("转县级人大办理"),
    Congress.Level.CITY: gettext_lazy("转市级人大办理"),
    Congress.Level.PROVINCE: gettext_lazy("转省级人大办理"),
    Congress.Level.NATIONAL: gettext_lazy("转全国人大办理"),
}


def forward_label(congress: Congress | None) -> str:
    """The name of the forward-up path from ``congress`` (报上级人大 otherwise)."""
    parent = congress.parent_congress() if congress is not None else None
    if parent is None:
        return str(gettext_lazy("报上级人大"))
    return str(FORWARD_LABELS.get(parent.level, gettext_lazy("报上级人大")))


def units_of_congress(congress: Congress) -> QuerySet[HandlingUnit]:
    """Active units of the congress's own level: in its region and in regions
    below that have no congress of their own (a 街道办事处 is the county's), not
    those of a lower congress (a township government is the township's)."""
    base = congress.region.path
    lower = (
        Congress.objects.filter(region__path__startswith=base)
        .exclude(pk=congress.pk)
        .values_list("region__path", flat=True)
    )
    units = HandlingUnit.objects.active().filter(region__path__startswith=base)
    below = Q(pk__in=[])
    for path in lower:
        below |= Q(region__path__startswith=path)
    return units.exclude(below)


def assignable_units(opinion: Opinion) -> QuerySet[HandlingUnit]:
    """The units the congress handling the opinion may assign it to: its own
    level's (a county department goes through the county congress's office).

    Not ``HandlingUnit.objects.visible_to``: that gives station staff no units
    at all, yet they are the ones who assign (DESIGN.md §4).
    """
    congress = handling_congress(opinion)
    units: QuerySet[HandlingUnit]
    if congress is None:
        units = HandlingUnit.objects.active().filter(
            region__path=opinion.station.region_path
        )
    else:
        units = units_of_congress(congress)
    return units.select_related("region").order_by("-region__depth", "name")


def opinion_detail(
    user: Any, opinion: Opinion, today: date, *, revealed_phone: str = ""
) -> dict[str, Any]:
    """The opinion page: the opinion, the rounds and timeline the user may read,
    the collecting deputies, and the loop actions offered to the user now.

    The citizen's number is masked for everyone; ``revealed_phone`` is what
    ``services.opinion_contact_reveal`` returned (logged) for this request."""
    flags = OpinionPolicy.flags(user, opinion)
    rounds = (
        opinion.assignments.visible_to(user)
        .select_related("unit", "replied_by")
        .order_by("round")
    )
    events = opinion.events.select_related("actor").order_by("created_at", "id")
    return {
        "opinion": opinion,
        **flags,
        "contact_phone": revealed_phone or mask_mobile(opinion.submitter_phone),
        "contact_revealed": bool(revealed_phone),
        "has_actions": any(flags[f"can_{action}"] for action in OPINION_ACTIONS),
        "badge": STATUS_BADGES.get(opinion.status, "muted"),
        "overdue": _is_overdue(opinion, today),
        "rounds": list(rounds),
        "events": list(events),
        "deputies": list(opinion.deputies.all()),
        "unit_only": not works_with_stations(user),
    }


def station_todos(user: Any) -> list:
    """Station staff: opinions received awaiting triage, and replies awaiting the
    follow-up visit, in their stations."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.policies import scope_for
    from portal.registry import TodoItem

    scope = scope_for(user)
    if not scope.station_ids:
        return []
    inbox_url = reverse("stations:inbox")
    items = []
    kinds = [
        (
            Opinion.Status.RECEIVED,
            _t("群众意见待分流：%(code)s（%(date)s收到）"),
            _t("更多待分流的群众意见"),
            "stations.opinion_triage",
        ),
        (
            Opinion.Status.REPLIED,
            _t("群众意见已答复，待回访：%(code)s"),
            _t("更多待回访的群众意见"),
            "stations.opinion_visit",
        ),
    ]
    triage_days: dict[int, int] = {}

    def due(opinion: Opinion) -> date | None:
        if opinion.status != Opinion.Status.RECEIVED:
            # The opinion's own deadline (rule opinion_due_working_days): the
            # follow-up visit is a step towards it.
            return opinion.due_date
        # Triage within the rule's working days of receipt (per station's congress).
        if opinion.station_id not in triage_days:
            triage_days[opinion.station_id] = station_rules(
                opinion.station
            ).opinion_triage_working_days
        return add_working_days(
            timezone.localdate(opinion.created_at), triage_days[opinion.station_id]
        )

    for status, title, more, kind in kinds:
        rows = list(
            # Escalated ones are the upper congress's to follow (congress_todos).
            Opinion.objects.filter(
                station_id__in=scope.station_ids,
                status=status,
                escalated_to__isnull=True,
            )
            .select_related("station__region")
            .defer("content", "public_reply")
            .order_by("created_at", "id")[: TODO_LIMIT + 1]
        )
        for opinion in rows[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=title
                    % {
                        "code": opinion.tracking_code,
                        "date": timezone.localdate(opinion.created_at).strftime(
                            "%Y-%m-%d"
                        ),
                    },
                    url=reverse("stations:opinion", args=[opinion.pk]),
                    due_date=due(opinion),
                    kind=kind,
                )
            )
        if len(rows) > TODO_LIMIT:
            items.append(
                TodoItem(title=more, url=f"{inbox_url}?status={status}", kind=kind)
            )
    return items


def congress_todos(user: Any) -> list:
    """Congress staff: opinions escalated (forwarded) to their congress awaiting
    assignment, and replies to them awaiting the follow-up visit."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.policies import scope_for
    from portal.registry import TodoItem

    scope = scope_for(user)
    if not scope.acting_congress_ids:
        return []
    kinds = [
        (
            Opinion.Status.ESCALATED,
            _t("下级报送的群众意见待交办：%(code)s（%(station)s）"),
            "stations.opinion_assign",
        ),
        (
            Opinion.Status.REPLIED,
            _t("上报的群众意见已答复，待回访：%(code)s（%(station)s）"),
            "stations.opinion_visit",
        ),
    ]
    items = []
    for status, title, kind in kinds:
        rows = list(
            Opinion.objects.filter(
                escalated_to_id__in=scope.acting_congress_ids, status=status
            )
            .select_related("station")
            .only("id", "tracking_code", "station__name", "created_at", "due_date")
            .order_by("created_at", "id")[: TODO_LIMIT + 1]
        )
        for opinion in rows[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=title
                    % {"code": opinion.tracking_code, "station": opinion.station.name},
                    url=reverse("stations:opinion", args=[opinion.pk]),
                    due_date=opinion.due_date,
                    kind=kind,
                )
            )
        if len(rows) > TODO_LIMIT:
            items.append(
                TodoItem(
                    title=_t("更多下级报送的群众意见"),
                    url=reverse("stations:inbox") + f"?escalated_in=on&status={status}",
                    kind=kind,
                )
            )
    return items


def deputy_opinions(user: Any) -> OpinionQuerySet:
    """我收集的群众意见: the opinions the user received as a deputy (at a
    reception or a duty day), newest first, with who handles them."""
    return (
        Opinion.objects.received_by(user)
        .select_related("station", "current_unit", "congress", "escalated_to")
        .order_by("-created_at", "-id")
    )


def deputy_opinion_rows(opinions: list[Opinion]) -> list[dict[str, Any]]:
    """One row per opinion on the deputy's page: status, who handles it, and the
    reply once there is one (the deputy is told the outcome, published or not)."""
    return [
        {
            "opinion": o,
            "badge": STATUS_BADGES.get(o.status, "muted"),
            "handled_by": (o.escalated_to or o.congress),
            "reply": o.public_reply
            if o.status
            in (
                Opinion.Status.REPLIED,
                Opinion.Status.VISITED,
                Opinion.Status.CLOSED,
                Opinion.Status.ANSWERED_ON_SITE,
                Opinion.Status.REASSIGNED,
            )
            else "",
            "explained": STATUS_EXPLAINED.get(o.status, ""),
        }
        for o in opinions
    ]


def unit_todos(user: Any) -> list:
    """Unit staff: opinions assigned to their unit awaiting the reply, by due date."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.policies import scope_for
    from portal.registry import TodoItem

    scope = scope_for(user)
    if not scope.unit_ids:
        return []
    rows = list(
        Opinion.objects.assigned_to_units(scope.unit_ids)
        .filter(status__in=[Opinion.Status.ASSIGNED, Opinion.Status.REASSIGNED])
        .only("id", "tracking_code", "due_date")
        .order_by("due_date", "id")[: TODO_LIMIT + 1]
    )
    items = [
        TodoItem(
            title=_t("交办的群众意见待答复：%(code)s")
            % {"code": opinion.tracking_code},
            url=reverse("stations:opinion", args=[opinion.pk]),
            due_date=opinion.due_date,
            kind="stations.opinion_reply",
        )
        for opinion in rows[:TODO_LIMIT]
    ]
    if len(rows) > TODO_LIMIT:
        items.append(
            TodoItem(
                title=_t("更多待答复的交办意见"),
                url=reverse("stations:inbox") + "?status=assigned",
                kind="stations.opinion_reply",
            )
        )
    return items


def resolve_stations(ids: Any) -> dict[int, tuple[str, str]]:
    """Station scope ids → (name, region path), for portal.scoping."""
    return {
        pk: (name, path)
        for pk, name, path in Station.objects.filter(pk__in=ids).values_list(
            "pk", "name", "region_path"
        )
    }


def _memberships_in_year(year: int) -> Q:
    """Station groupings (进站编组) running at some time in ``year``."""
    return Q(start_date__lte=date(year, 12, 31)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
    )


def station_ranking_scopes(mandate: Mandate, year: int) -> list[RankingScope]:
    """The stations ``mandate`` was grouped into in ``year``, each with the
    deputies (of every level) grouped into it that year: the performance
    archive ranks the mandate among those counted by the same points table."""
    in_year = _memberships_in_year(year)
    stations = (
        Station.objects.filter(
            pk__in=StationMembership.objects.filter(in_year, mandate=mandate).values(
                "station_id"
            )
        )
        .only("id", "name")
        .order_by("region_path", "name")
    )
    return [
        RankingScope(
            kind="station",
            name=station.name,
            peers=Mandate.objects.filter(
                pk__in=StationMembership.objects.filter(
                    in_year, station=station
                ).values("mandate_id")
            ).exclude(status=Mandate.Status.TERMINATED),
        )
        for station in stations
    ]


def station_congress(station: Station) -> Congress | None:
    """The congress of the station's region, or of the nearest region above."""
    return Congress.objects.nearest(station.region)


def duty_notice_refusal(
    *, station: Station, day: date, today: date, allow_past: bool = True
) -> str:
    """The one lead-time rule (``duty_publish_days_ahead``), asked by creating,
    editing and publishing alike: a coming day must be at least N days ahead,
    or it could never be published. A past day may be recorded (补录) so its
    attendance can be; it is never published. Empty when the rule allows it."""
    days = station_rules(station).duty_publish_days_ahead
    if (day < today and allow_past) or (day - today).days >= days:
        return ""
    return gettext(
        "接待日须至少提前%(days)s天向社会公布，请选择%(first)s及以后的日期。"
    ) % {
        "days": days,
        "first": f"{today + timedelta(days=days):%Y-%m-%d}",
    }


def station_rules(station: Station) -> Rules:
    congress = station_congress(station)
    if congress is None:
        from portal.rules import NATIONAL_DEFAULTS

        return Rules(dict(NATIONAL_DEFAULTS))
    return rules_for(congress)
