"""Read models of stations as networks, assessments, 代表码 and grassroots
governance (issue 17), shared by the pages and the API. Public projections
pass ``portal.privacy.scrub_public``; parties of a mediation are masked."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import Mandate
from deputies.querysets import MandateQuerySet
from deputies.selectors import public_card
from portal.chinese import mask_name
from portal.models import Congress
from portal.policies import scope_for
from portal.privacy import scrub_public
from portal.registry import TODO_LIMIT, TodoItem
from portal.rules import NATIONAL_DEFAULTS, Rules, rules_for_many

from ..models import (
    DutyAssignment,
    MediationCase,
    SocialReport,
    Station,
    StationActivity,
    StationAssessment,
    StationMembership,
)
from ..selectors import public_station
from . import codes

CATEGORIES = {
    "premises": _("阵地建设"),
    "people": _("人员配备"),
    "rules": _("制度机制"),
    "activities": _("活动开展"),
    "results": _("履职成效"),
}
CATEGORY_KEYS = tuple(CATEGORIES)


# --- duty targets ---------------------------------------------------------------------


def attended_in(year: int, mandate_ref: str = "pk") -> Coalesce:
    """进站履职次数 of a mandate in ``year``: duty days it was recorded present at."""
    rows = (
        DutyAssignment.objects.filter(
            mandate=OuterRef(mandate_ref), attended=True, duty_day__date__year=year
        )
        .order_by()
        .values("mandate")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def expected_by(target: int, year: int, today: date) -> int:
    """How many of the year's ``target`` should be done by ``today`` (pro rata
    by month: the whole target in December, and for a past year)."""
    if year < today.year:
        return target
    if year > today.year:
        return 0
    return target * today.month // 12


def _rules_of(mandates: list[Mandate]) -> dict[int, Rules]:
    return rules_for_many({m.congress for m in mandates})


def target_row(mandate: Mandate, rules: Rules | None, year: int, today: date):
    target = (rules or Rules(dict(NATIONAL_DEFAULTS))).station_duty_days_per_year
    attended = mandate.attended  # type: ignore[attr-defined]
    expected = expected_by(target, year, today)
    return {
        "mandate": mandate,
        "name": mandate.person.name,
        "congress": mandate.congress.name,
        "attended": attended,
        "target": target,
        "expected": expected,
        "met": attended >= target,
        "behind": attended < expected,
    }


def target_rows(mandates: list[Mandate], year: int, today: date) -> list[dict]:
    """Rows of mandates annotated with ``attended`` (one query for the rules)."""
    rules = _rules_of(mandates)
    return [target_row(m, rules.get(m.congress_id), year, today) for m in mandates]


def members_in(stations: QuerySet[Station]) -> MandateQuerySet:
    """Current, active deputies with an open membership of one of ``stations``."""
    return Mandate.objects.public().filter(
        pk__in=StationMembership.objects.filter(
            end_date__isnull=True, station__in=stations
        ).values("mandate_id")
    )


def duty_target_list(user: Any, year: int, station_id: int | None = None):
    """The duty-target page: deputies of the stations the user works with,
    least attended first."""
    stations = Station.objects.visible_to(user).active()
    if station_id:
        stations = stations.filter(pk=station_id)
    return (
        members_in(stations)
        .annotate(attended=attended_in(year))
        .select_related("person", "congress__region")
        .order_by("attended", "name_stroke_key", "id")
    )


def behind_count(station_ids, year: int, today: date) -> dict[int, int]:
    """{station id: deputies behind their duty target} (two queries)."""
    memberships = list(
        StationMembership.objects.filter(
            station_id__in=station_ids,
            end_date__isnull=True,
            mandate__status=Mandate.Status.ACTIVE,
            mandate__term__is_current=True,
        )
        .annotate(attended=attended_in(year, "mandate_id"))
        .select_related("mandate__congress__region")
    )
    rules = rules_for_many({ms.mandate.congress for ms in memberships})
    counts: dict[int, int] = {}
    for ms in memberships:
        r = rules.get(ms.mandate.congress_id) or Rules(dict(NATIONAL_DEFAULTS))
        if ms.attended < expected_by(r.station_duty_days_per_year, year, today):
            counts[ms.station_id] = counts.get(ms.station_id, 0) + 1
    return counts


# --- the station's network page ---------------------------------------------------------


def station_network(station: Station, today: date) -> dict[str, Any]:
    """A station's points, its members' duty targets, assessments and governance."""
    points = list(
        Station.objects.filter(parent=station)
        .select_related("region")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__end_date__isnull=True)
            )
        )
        .order_by("code")
    )
    members = list(
        members_in(Station.objects.filter(pk=station.pk))
        .order_by_name()
        .annotate(attended=attended_in(today.year))
        .select_related("person", "congress__region")
    )
    return {
        "station": station,
        "points": points,
        "targets": target_rows(members, today.year, today),
        "year": today.year,
        "assessments": list(
            StationAssessment.objects.filter(station=station).select_related("assessor")
        ),
        "activities": list(StationActivity.objects.filter(station=station)[:10]),
        "cases": [
            mediation_row(c)
            for c in MediationCase.objects.filter(station=station).select_related(
                "station", "opinion"
            )[:10]
        ],
        "reports": list(
            SocialReport.objects.filter(station=station).select_related("congress")[:10]
        ),
    }


# --- assessments ------------------------------------------------------------------------


def assessing_congress(station: Station) -> Congress | None:
    """The congress above the station, which approves its assessment: the
    nearest congress of a region strictly above the station's."""
    return Congress.objects.nearest(station.region, above=True)


def assessment_items(assessment: StationAssessment) -> list[dict[str, Any]]:
    """The checklist grouped by 建管用 category, with the points and evidence."""
    items = []
    for key, item in assessment.checklist.items():
        items.append(
            {
                "key": key,
                "category": item.get("category", ""),
                "category_label": CATEGORIES.get(item.get("category", ""), ""),
                "label": item["label"],
                "weight": item["weight"],
                "score": assessment.scores.get(key),
                "evidence": assessment.evidence.get(key, ""),
            }
        )
    order = {c: i for i, c in enumerate(CATEGORY_KEYS)}
    return sorted(items, key=lambda i: order.get(i["category"], 99))


def public_assessments(station: Station) -> list[dict[str, Any]]:
    """The approved assessments of a station, newest first (its public page)."""
    return [
        {
            "year": a.year,
            "score": a.score,
            "grade": a.grade,
            "grade_label": str(a.get_grade_display()),
            "assessor": a.assessor.name if a.assessor else "",
        }
        for a in StationAssessment.objects.approved()
        .filter(station=station)
        .select_related("assessor")
    ]


def public_network(station: Station) -> dict[str, Any]:
    """What the public station page adds: its points, its parent and grades."""
    points = [
        {"id": p.pk, "name": p.name, "address": p.address}
        for p in Station.objects.active().filter(parent=station).order_by("code")
    ]
    parent = (
        Station.objects.active().filter(pk=station.parent_id).first()
        if station.parent_id
        else None
    )
    return {
        "points": scrub_public(points),
        "parent_station": parent,
        "assessments": public_assessments(station),
    }


# --- mediation and 社情民意 --------------------------------------------------------------


def mask_parties(parties: str) -> str:
    """张三、李四 → 张*、李*: no page or answer shows the parties in full."""
    return "、".join(mask_name(p.strip()) for p in parties.split("、") if p.strip())


def mediation_row(case: MediationCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "station": case.station.name,
        "opinion": case.opinion.tracking_code,
        "parties": mask_parties(case.parties),
        "subject": case.subject,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "outcome": case.outcome,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
    }


def social_report_list(user: Any, status: str = "") -> QuerySet[SocialReport]:
    qs = SocialReport.objects.visible_to(user).with_list_related()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def sender_label(report: SocialReport) -> str:
    if report.station_id:
        return report.station.name  # type: ignore[union-attr]
    if report.author_id:
        return _("%(name)s代表") % {"name": report.author.person.name}  # type: ignore[union-attr]
    return ""


# --- 代表码 ------------------------------------------------------------------------------


def code_card(target: codes.CodeTarget) -> dict[str, Any]:
    """The public card a code opens: public fields only (the directory's and the
    station page's projections)."""
    station = target.station
    card: dict[str, Any] = {
        "kind": target.kind,
        "station": public_station(station) if station else None,
    }
    if target.mandate is not None:
        mandate = target.mandate
        card["deputy"] = {
            **public_card(mandate),
            "congress": mandate.congress.name,
        }
    return card


def station_code_cards(station: Station) -> list[dict[str, Any]]:
    """The wall sheet: the station's own code, then one card per active deputy
    of the station (in 姓氏笔画 order), each with its code as an SVG."""
    memberships = (
        StationMembership.objects.filter(
            station=station,
            end_date__isnull=True,
            mandate__status=Mandate.Status.ACTIVE,
            mandate__term__is_current=True,
        )
        .select_related("mandate__person", "mandate__congress")
        .order_by("mandate__name_stroke_key", "mandate_id")
    )
    url = codes.code_url(codes.station_token(station))
    cards = [
        {
            "kind": codes.STATION,
            "title": station.name,
            "subtitle": _("扫码联系本站代表、反映意见"),
            "url": url,
            "token": codes.station_token(station),
            "svg": codes.svg_data_uri(url),
        }
    ]
    for ms in memberships:
        token = codes.deputy_token(ms)
        url = codes.code_url(token)
        cards.append(
            {
                "kind": codes.DEPUTY,
                "title": ms.mandate.person.name,
                "subtitle": _("%(congress)s代表")
                % {"congress": ms.mandate.congress.name},
                "url": url,
                "token": token,
                "svg": codes.svg_data_uri(url),
            }
        )
    return cards


def my_codes(user: Any) -> list[dict[str, Any]]:
    """A deputy's own codes: one per open membership at an active station."""
    memberships = StationMembership.objects.filter(
        mandate__person__user=user,
        end_date__isnull=True,
        mandate__status=Mandate.Status.ACTIVE,
        station__status=Station.Status.ACTIVE,
    ).select_related("station", "mandate__congress")
    return [
        {
            "station": ms.station.name,
            "congress": ms.mandate.congress.name,
            "token": codes.deputy_token(ms),
        }
        for ms in memberships
    ]


# --- to-dos ----------------------------------------------------------------------------


def network_todos(user: Any) -> list:
    """Station staff: deputies behind their duty target, the year's assessment
    due or refused; congress staff: assessments to approve, 社情民意 to answer."""
    from django.utils import timezone

    scope = scope_for(user)
    today = timezone.localdate()
    items: list[TodoItem] = []
    if scope.station_ids:
        behind = behind_count(scope.station_ids, today.year, today)
        names = dict(Station.objects.filter(pk__in=behind).values_list("pk", "name"))
        for station_id, n in sorted(behind.items())[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=_("%(station)s有%(n)s名代表进站履职次数落后于年度目标")
                    % {"station": names.get(station_id, ""), "n": n},
                    url=reverse("stations:duty_targets") + f"?station={station_id}",
                    kind="stations.duty_target_behind",
                )
            )
        for a in StationAssessment.objects.filter(
            station_id__in=scope.station_ids, status=StationAssessment.Status.REFUSED
        ).select_related("station")[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=_("%(station)s%(year)s年度考评被退回，请修改后重新报送")
                    % {"station": a.station.name, "year": a.year},
                    url=a.get_absolute_url(),
                    kind="stations.assessment_refused",
                )
            )
    if scope.acting_congress_ids or scope.is_admin:
        acting = Q() if scope.is_admin else Q(assessor_id__in=scope.acting_congress_ids)
        for a in (
            StationAssessment.objects.filter(acting, status="submitted")
            .select_related("station")
            .order_by("submitted_at")[:TODO_LIMIT]
        ):
            items.append(
                TodoItem(
                    title=_("%(station)s%(year)s年度考评待审定")
                    % {"station": a.station.name, "year": a.year},
                    url=a.get_absolute_url(),
                    kind="stations.assessment_decide",
                )
            )
        to_me = Q() if scope.is_admin else Q(congress_id__in=scope.acting_congress_ids)
        for r in (
            SocialReport.objects.filter(to_me, status__in=["submitted", "forwarded"])
            .only("id", "title")
            .order_by("submitted_at", "id")[:TODO_LIMIT]
        ):
            items.append(
                TodoItem(
                    title=_("社情民意待答复：%(title)s") % {"title": r.title},
                    url=r.get_absolute_url(),
                    kind="stations.social_report_answer",
                )
            )
    return items
