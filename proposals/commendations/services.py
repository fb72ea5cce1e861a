"""Writes and transitions of commendations (大激励) and of the 零履职 steps.

A campaign moves draft → nominating → reviewing → approved → published (or is
cancelled before approval; review may send it back to nominating). Approval
needs the decision's document number and writes the result where each kind of
nominee keeps its record: the deputy's ledger (and so the 履职档案), the lead
deputy's ledger for a suggestion, the station's honours; a unit's record is its
awarded nominations."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.archive import annotate_year_points
from deputies.models import LedgerEntry, Mandate
from deputies.services import ledger_record
from portal import workflow
from portal.models import Congress, HandlingUnit, User
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record
from stations.honour_services import station_honour_record
from stations.models import Opinion, Station

from ..models import Assignment, Evaluation, Reply, Suggestion
from .models import (
    KIND_TARGETS,
    Campaign,
    CampaignEvent,
    Nomination,
    ZeroPerformanceStep,
)

S = Campaign.Status
N = Nomination.Status

# 湘源县人大常委会〔2026〕8号, 湘源人大常发〔2026〕第8号: a prefix naming the issuing
# body, the year in 〔〕 and the number (DESIGN.md §14).
DOCUMENT_NUMBER_RE = re.compile(r"^\S+〔\d{4}〕第?\d+号$")


def kind_label(congress: Congress, kind: str) -> str:
    """The name the congress's rule set gives a commendation kind."""
    return str(rules_for(congress).commendation_kinds.get(kind, kind))


def _refusal(campaign: Campaign, to: str) -> str:
    if to == S.REVIEWING and campaign.status != S.NOMINATING:
        return _("只有推荐中的评选才能结束推荐、进入审核。")
    if to == S.APPROVED:
        return _("只有审核中的评选才能批准。")
    if to == S.PUBLISHED:
        return _("评选批准后才能公布。")
    if to == S.CANCELLED:
        return _("已批准或已公布的评选不能撤销。")
    if to == S.NOMINATING:
        return _("只有筹备中或审核中的评选才能开始（重新）推荐。")
    return _("当前状态不允许此操作。")


def _move(
    campaign: Campaign,
    *,
    to: str,
    actor: User | None,
    note: str = "",
    **changes,
) -> Campaign:
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=CampaignEvent,
            event_fields={"campaign": locked},
            refuse=_refusal,
            changes=changes,
            note=note,
        ):
            audit_record(
                actor=actor,
                action=f"commendation.{to}",
                target=locked,
                region_path=locked.region_path,
            )
    return locked


def campaign_create(
    *,
    congress: Congress,
    year: int,
    kind: str,
    title: str,
    nomination_deadline: date,
    description: str = "",
    actor: User | None,
) -> Campaign:
    """Set up a selection campaign of a kind the congress's rule set names."""
    if kind not in rules_for(congress).commendation_kinds or kind not in KIND_TARGETS:
        raise DomainError(_("本级规则未设置该表彰类别。"), field="kind")
    if not (title or "").strip():
        raise DomainError(_("请填写评选名称。"), field="title")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            congress=congress,
            year=year,
            kind=kind,
            title=title.strip()[:200],
            description=description,
            nomination_deadline=nomination_deadline,
            region_path=congress.region.path,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        workflow.record(
            CampaignEvent,
            actor=actor,
            to_state=S.DRAFT,
            note=_("创建评选"),
            event_fields={"campaign": campaign},
        )
        audit_record(
            actor=actor,
            action="commendation.create",
            target=campaign,
            region_path=campaign.region_path,
        )
    return campaign


def campaign_open(*, campaign: Campaign, actor: User | None) -> Campaign:
    """Open the nominations (筹备中 → 推荐中), or reopen them after review."""
    return _move(campaign, to=S.NOMINATING, actor=actor)


def campaign_close_nominations(*, campaign: Campaign, actor: User | None) -> Campaign:
    """End the nominations and start the review (推荐中 → 审核中)."""
    if not campaign.nominations.exists():
        raise TransitionError(_("还没有推荐对象，不能进入审核。"))
    return _move(campaign, to=S.REVIEWING, actor=actor)


def campaign_cancel(*, campaign: Campaign, reason: str, actor: User | None) -> Campaign:
    """Cancel a campaign before its approval, with the reason."""
    if not (reason or "").strip():
        raise DomainError(_("请说明撤销原因。"), field="reason")
    return _move(campaign, to=S.CANCELLED, actor=actor, note=reason.strip())


# --- nominations -------------------------------------------------------------------


def _drawn_deputies(campaign: Campaign, limit: int) -> list[dict]:
    """Deputies ranked by their year's points (the ledger ranking), points > 0."""
    rows = (
        annotate_year_points(
            Mandate.objects.filter(
                congress=campaign.congress, status=Mandate.Status.ACTIVE
            ),
            campaign.year,
        )
        .filter(points__gt=0)
        .select_related("person")
        .order_by("-points", "name_stroke_key", "id")[:limit]
    )
    return [
        {
            "mandate": m,
            "name": m.person.name,
            "basis": _("%(year)s年度履职积分%(points)s分，本级排名第%(rank)s位")
            % {"year": campaign.year, "points": m.points, "rank": rank},
        }
        for rank, m in enumerate(rows, start=1)
    ]


def _drawn_suggestions(campaign: Campaign, limit: int) -> list[dict]:
    """Suggestions of the year answered as solved (A) and rated 满意 by the
    deputy (not a deemed rating)."""
    rated = Evaluation.objects.filter(
        result=Evaluation.Rating.SATISFIED, deemed=False
    ).values("suggestion_id")
    solved = Reply.objects.filter(category="A").values("assignment__suggestion_id")
    rows = (
        Suggestion.objects.filter(
            congress=campaign.congress, year=campaign.year, pk__in=rated
        )
        .filter(pk__in=solved)
        .select_related("lead__person")
        .order_by("-registered_at", "-id")[:limit]
    )
    return [
        {
            "suggestion": s,
            "name": s.title,
            "basis": _("答复为A类（已解决），领衔代表%(name)s评价满意")
            % {"name": s.lead.person.name if s.lead else _("大会主席团")},
        }
        for s in rows
    ]


def _drawn_units(campaign: Campaign, limit: int) -> list[dict]:
    """Units ranked by the satisfaction rate of the suggestions they led, among
    those with at least ``ranking_min_volume`` of them (the unit ranking rule)."""
    minimum = rules_for(campaign.congress).ranking_min_volume
    good = [Evaluation.Rating.SATISFIED, Evaluation.Rating.BASICALLY_SATISFIED]
    rows = (
        Assignment.objects.filter(
            suggestion__congress=campaign.congress,
            suggestion__year=campaign.year,
            role__in=["lead", "split"],
        )
        .values("unit")
        .annotate(
            n=Count("suggestion", distinct=True),
            satisfied=Count(
                "suggestion",
                distinct=True,
                filter=Q(suggestion__evaluations__result__in=good),
            ),
        )
        .filter(n__gte=minimum)
        .order_by()
    )
    ranked = sorted(rows, key=lambda r: (-r["satisfied"] / r["n"], -r["n"]))[:limit]
    units = HandlingUnit.objects.in_bulk([r["unit"] for r in ranked])
    return [
        {
            "unit": units[r["unit"]],
            "name": units[r["unit"]].name,
            "basis": _(
                "%(year)s年度主办（分办）建议%(n)s件，代表满意（含基本满意）%(s)s件，"
                "满意率%(rate)s%%"
            )
            % {
                "year": campaign.year,
                "n": r["n"],
                "s": r["satisfied"],
                "rate": round(100 * r["satisfied"] / r["n"]),
            },
        }
        for r in ranked
    ]


def _drawn_stations(campaign: Campaign, limit: int) -> list[dict]:
    """Active stations of the region: model stations first, then by opinions
    closed in the year and receptions held."""
    year = campaign.year
    rows = (
        Station.objects.active()
        .filter(region_path__startswith=campaign.region_path)
        .annotate(
            closed=Count(
                "opinions",
                distinct=True,
                filter=Q(
                    opinions__status=Opinion.Status.CLOSED,
                    opinions__created_at__year=year,
                ),
            ),
            receptions_n=Count(
                "receptions", distinct=True, filter=Q(receptions__date__year=year)
            ),
        )
        .order_by("-is_model", "-closed", "-receptions_n", "name")[:limit]
    )
    return [
        {
            "station": s,
            "name": s.name,
            "basis": (_("示范站；") if s.is_model else "")
            + _("%(year)s年度接待%(r)s次，办结群众意见%(c)s件")
            % {"year": year, "r": s.receptions_n, "c": s.closed},
        }
        for s in rows
    ]


_SOURCES = {
    "mandate": _drawn_deputies,
    "suggestion": _drawn_suggestions,
    "unit": _drawn_units,
    "station": _drawn_stations,
}


def _lock_nominating(campaign: Campaign) -> Campaign:
    """The campaign re-read under its lock; refused unless it is nominating."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != S.NOMINATING:
        raise TransitionError(_("只有推荐中的评选才能推荐人选。"))
    return locked


def campaign_draw_nominations(*, campaign: Campaign, actor: User | None) -> int:
    """Nominate from the data (at most rule ``commendation_drawn_nominations``):
    the ledger ranking, rated suggestions, the unit ranking or the stations'
    records. Nominees already nominated are left as they are. Returns how many
    were added."""
    limit = rules_for(campaign.congress).commendation_drawn_nominations
    field = campaign.target
    added = 0
    with transaction.atomic():
        campaign = _lock_nominating(campaign)
        taken = set(
            campaign.nominations.exclude(**{f"{field}__isnull": True}).values_list(
                f"{field}_id", flat=True
            )
        )
        for row in _SOURCES[field](campaign, limit):
            target = row[field]
            if target.pk in taken:
                continue
            Nomination.objects.create(
                campaign=campaign,
                source=Nomination.Source.DRAWN,
                name=row["name"][:200],
                basis=row["basis"][:300],
                created_by=actor
                if actor is not None and actor.is_authenticated
                else None,
                **{field: target},
            )
            added += 1
        if added:
            workflow.record(
                CampaignEvent,
                actor=actor,
                note=_("从数据中推荐%(n)s个对象") % {"n": added},
                event_fields={"campaign": campaign},
            )
    return added


def nomination_add(
    *,
    campaign: Campaign,
    target: Any,
    reason: str,
    actor: User | None,
) -> Nomination:
    """A manual nomination (人工推荐) with its reason; the target must be of the
    campaign's kind and within its congress."""
    if not (reason or "").strip():
        raise DomainError(_("人工推荐须填写推荐理由。"), field="reason")
    if Campaign.objects.get(pk=campaign.pk).status != S.NOMINATING:
        raise TransitionError(_("只有推荐中的评选才能推荐人选。"))
    field = campaign.target
    expected: type[Any] = {
        "mandate": Mandate,
        "suggestion": Suggestion,
        "unit": HandlingUnit,
        "station": Station,
    }[field]
    if not isinstance(target, expected):
        raise DomainError(_("推荐对象与表彰类别不符。"), field="target")
    if (
        field in ("mandate", "suggestion")
        and target.congress_id != campaign.congress_id
    ):
        raise DomainError(_("只能推荐本级人大的代表或建议。"), field="target")
    if field == "unit" and not target.region.path.startswith(campaign.region_path):
        raise DomainError(_("只能推荐本行政区域的承办单位。"), field="target")
    if field == "station" and not target.region_path.startswith(campaign.region_path):
        raise DomainError(_("只能推荐本行政区域的联络站。"), field="target")
    if campaign.nominations.filter(**{field: target}).exists():
        raise DomainError(_("该对象已被推荐。"), field="target")
    name = {
        "mandate": lambda t: t.person.name,
        "suggestion": lambda t: t.title,
        "unit": lambda t: t.name,
        "station": lambda t: t.name,
    }[field](target)
    with transaction.atomic():
        campaign = _lock_nominating(campaign)
        nomination = Nomination.objects.create(
            campaign=campaign,
            source=Nomination.Source.MANUAL,
            name=name[:200],
            reason=reason.strip(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
            **{field: target},
        )
        workflow.record(
            CampaignEvent,
            actor=actor,
            note=_("人工推荐：%(name)s") % {"name": name},
            event_fields={"campaign": campaign, "nomination": nomination},
        )
    return nomination


def nomination_review(
    *, nomination: Nomination, accept: bool, note: str = "", actor: User | None
) -> Nomination:
    """Accept or reject a nomination while its campaign is under review; a
    rejection needs a note."""
    to = N.ACCEPTED if accept else N.REJECTED
    if not accept and not (note or "").strip():
        raise DomainError(_("不予通过须填写审核意见。"), field="note")
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update()
            .select_related("campaign")
            .get(pk=nomination.pk)
        )
        if locked.campaign.status != S.REVIEWING:
            raise TransitionError(_("评选不在审核阶段，不能审核推荐对象。"))
        workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=CampaignEvent,
            event_fields={"campaign": locked.campaign, "nomination": locked},
            changes={"review_note": (note or "").strip()[:300]},
            note=(note or "").strip() or locked.name,
        )
    return locked


def campaign_approve(
    *,
    campaign: Campaign,
    document_number: str,
    approved_on: date,
    actor: User | None,
) -> Campaign:
    """Approve the result with the decision's document number (审核中 → 已批准):
    accepted nominations are awarded and written to their records (ledger,
    station honours) once each."""
    number = (document_number or "").strip()
    if not DOCUMENT_NUMBER_RE.match(number):
        raise DomainError(
            _(
                "文号格式应为“发文机关代字〔年份〕序号号”，例如：湘源人大常发〔2026〕8号。"
            ),
            field="document_number",
        )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == S.APPROVED:
            return locked
        accepted = list(
            locked.nominations.filter(status=N.ACCEPTED).select_related(
                "mandate__congress", "suggestion__lead__congress", "station"
            )
        )
        workflow.check(locked, to=S.APPROVED, refuse=_refusal)
        if not accepted:
            raise TransitionError(_("没有审核通过的推荐对象，不能批准。"))
        workflow.transition(
            locked,
            to=S.APPROVED,
            actor=actor,
            event_model=CampaignEvent,
            event_fields={"campaign": locked},
            changes={"document_number": number, "approved_on": approved_on},
            note=number,
        )
        label = kind_label(locked.congress, locked.kind)
        note = f"{label}（{number}）"
        Nomination.objects.filter(pk__in=[n.pk for n in accepted]).update(
            status=N.AWARDED
        )
        for nomination in accepted:
            _award(locked, nomination, label=label, note=note, actor=actor)
        audit_record(
            actor=actor,
            action="commendation.approved",
            target=locked,
            reason=number,
            region_path=locked.region_path,
        )
    return locked


def _award(
    campaign: Campaign, nomination: Nomination, *, label: str, note: str, actor
) -> None:
    if nomination.mandate is not None:
        ledger_record(
            mandate=nomination.mandate,
            kind="commended_deputy",
            occurred_on=campaign.approved_on or timezone.localdate(),
            source=nomination,
            note=note,
            actor=actor,
        )
    elif nomination.suggestion is not None and nomination.suggestion.lead:
        ledger_record(
            mandate=nomination.suggestion.lead,
            kind="commended_suggestion",
            occurred_on=campaign.approved_on or timezone.localdate(),
            source=nomination,
            note=note,
            actor=actor,
        )
    elif nomination.station is not None:
        station_honour_record(
            station=nomination.station,
            title=label,
            year=campaign.year,
            awarded_by=campaign.congress,
            document_number=campaign.document_number,
            key=f"commendation:{nomination.pk}",
            actor=actor,
        )


def campaign_publish(*, campaign: Campaign, actor: User | None) -> Campaign:
    """Put the approved result on the public site (已批准 → 已公布)."""
    return _move(campaign, to=S.PUBLISHED, actor=actor, published_at=timezone.now())


# --- 零履职: 提醒谈话 and 诫勉 ------------------------------------------------------------


def zero_years(mandate: Mandate, year: int) -> int:
    """How many years up to ``year`` in a row the mandate had no ledger row
    (零履职, as ``deputies.archive.zero_performance`` counts it), since its term began."""
    first = mandate.term.start_date.year
    years = set(
        LedgerEntry.objects.filter(mandate=mandate, year__lte=year, year__gte=first)
        .values_list("year", flat=True)
        .distinct()
    )
    count = 0
    for y in range(year, first - 1, -1):
        if y in years:
            break
        count += 1
    return count


def zero_step_record(
    *,
    mandate: Mandate,
    year: int,
    step: str,
    held_on: date,
    held_by: str,
    notes: str,
    actor: User | None,
) -> ZeroPerformanceStep:
    """Record a 提醒谈话 or 诫勉谈话 with a deputy of persistent 零履职.

    A 提醒谈话 needs ``zero_performance_talk_years`` years of 零履职 in a row up
    to ``year``; a 诫勉谈话 needs ``zero_performance_admonition_years`` and a
    提醒谈话 already recorded in this term. Once per mandate, year and step."""
    if step not in ZeroPerformanceStep.Step.values:
        raise DomainError(_("措施不正确。"), field="step")
    if not (notes or "").strip() or not (held_by or "").strip():
        raise DomainError(_("请填写谈话人和谈话情况。"), field="notes")
    rules = rules_for(mandate.congress)
    zero = zero_years(mandate, year)
    if step == ZeroPerformanceStep.Step.TALK:
        needed = rules.zero_performance_talk_years
    else:
        needed = rules.zero_performance_admonition_years
    if zero < needed:
        raise TransitionError(
            _("该代表连续零履职%(zero)s年，未达到%(needed)s年，不能进行此项谈话。")
            % {"zero": zero, "needed": needed}
        )
    with transaction.atomic():
        Mandate.objects.select_for_update().get(pk=mandate.pk)
        if (
            step == ZeroPerformanceStep.Step.ADMONITION
            and not ZeroPerformanceStep.objects.filter(
                mandate=mandate, step=ZeroPerformanceStep.Step.TALK
            ).exists()
        ):
            raise TransitionError(_("诫勉谈话前应当先进行提醒谈话。"))
        existing = ZeroPerformanceStep.objects.filter(
            mandate=mandate, year=year, step=step
        ).first()
        if existing is not None:
            return existing
        record = ZeroPerformanceStep.objects.create(
            mandate=mandate,
            year=year,
            step=step,
            held_on=held_on,
            held_by=held_by.strip()[:100],
            notes=notes.strip(),
            region_path=mandate.congress.region.path,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action=f"zero_performance.{step}",
            target=mandate,
            reason=str(year),
            region_path=record.region_path,
        )
    return record
