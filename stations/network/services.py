"""Writes and transitions of stations as networks, assessments and grassroots
governance (issue 17). Every transition has the house shape (STYLE.md): a
transaction, the row locked, the no-op, a refusal with its reason, the
status-change row and the audit row, side effects on commit. Who may call them
is the policies' (the views and the API ask first)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Mandate
from portal import workflow
from portal.models import HandlingUnit, Region, User
from portal.notification_text import Message
from portal.notifications import congress_staff
from portal.rules import rules_for
from portal.services import DomainError, audit_record, notification_create

from ..models import (
    AssessmentEvent,
    MediationCase,
    MediationEvent,
    Opinion,
    SocialReport,
    SocialReportEvent,
    Station,
    StationActivity,
    StationAssessment,
)
from ..selectors import station_congress, station_rules
from ..services import station_create
from .selectors import assessing_congress

AS = StationAssessment.Status
SR = SocialReport.Status
MC = MediationCase.Status


def _audit(obj: Model, action: str, actor, frm: str = "", to: str = "", note=""):
    audit_record(
        actor=actor,
        action=action,
        target=obj,
        from_state=frm,
        to_state=to,
        reason=note,
        region_path=getattr(obj, "region_path", ""),
    )


def _notify_on_commit(
    users, *, kind: str, key: str, title: str | Message, target
) -> None:
    def send() -> None:
        for user in users:
            notification_create(
                recipient=user,
                kind=kind,
                key=f"{key}:{user.pk}",
                title=title,
                target=target,
                actor=None,
            )

    transaction.on_commit(send)


# --- 一站多点 -------------------------------------------------------------------------


def station_point_create(
    *,
    parent: Station,
    name: str,
    code: str,
    region: Region,
    tracking_prefix: str,
    actor: User | None,
    **fields: Any,
) -> Station:
    """A point (联络点) of ``parent``, in the parent's region or below; it has its
    own roster, receptions and opinions like any station."""
    if parent.parent_id is not None:
        raise DomainError(_("联络点下不能再设联络点。"), field="parent")
    if parent.status != Station.Status.ACTIVE:
        raise DomainError(_("该联络站已停用，不能新设联络点。"), field="parent")
    if not region.path.startswith(parent.region.path):
        raise DomainError(_("联络点应设在联络站所在区划之内。"), field="region")
    return station_create(
        name=name,
        code=code,
        kind=Station.Kind.POINT,
        region=region,
        tracking_prefix=tracking_prefix,
        parent=parent,
        actor=actor,
        **fields,
    )


# --- annual assessment ------------------------------------------------------------------


def _grade_for(score: Decimal, rules) -> str:
    """示范站 from the model score on, else the highest star whose minimum is met."""
    if score >= rules.station_model_min_score:
        return StationAssessment.Grade.MODEL
    thresholds = sorted(
        (
            (int(star), minimum)
            for star, minimum in rules.station_star_thresholds.items()
        ),
        reverse=True,
    )
    for star, minimum in thresholds:
        if score >= minimum:
            return str(star)
    return StationAssessment.Grade.NONE


def _assessment_rules(assessment: StationAssessment):
    return (
        rules_for(assessment.assessor)
        if assessment.assessor
        else station_rules(assessment.station)
    )


def assessment_create(
    *, station: Station, year: int, actor: User | None
) -> StationAssessment:
    """Open the station's assessment of ``year`` (one per year) as a draft, with
    the checklist of the assessing congress's rule set as it is today."""
    assessor = assessing_congress(station)
    if assessor is None:
        raise DomainError(_("该联络站没有上级人大，无法报送考评。"), field="station")
    checklist = rules_for(assessor).station_assessment_checklist
    try:
        with transaction.atomic():
            assessment = StationAssessment.objects.create(
                station=station,
                year=year,
                congress=station_congress(station),
                assessor=assessor,
                checklist=checklist,
                region_path=station.region_path,
                created_by=actor if actor and actor.is_authenticated else None,
            )
            workflow.record(
                AssessmentEvent,
                actor=actor,
                to_state=AS.DRAFT,
                event_fields={"assessment": assessment},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(station)s已有%(year)s年度的考评。")
            % {"station": station.name, "year": year},
            field="year",
        ) from exc
    _audit(assessment, "station_assessment.create", actor, "", AS.DRAFT)
    return assessment


def _lock_assessment(assessment: StationAssessment) -> StationAssessment:
    return (
        StationAssessment.objects.select_for_update(of=("self",))
        .select_related("station__region", "assessor__region")
        .get(pk=assessment.pk)
    )


def assessment_score(
    *,
    assessment: StationAssessment,
    scores: dict[str, int],
    evidence: dict[str, str],
    evidence_file=None,
    actor: User | None,
) -> StationAssessment:
    """Record the points and the evidence of each item (a draft or a refused one)."""
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = _lock_assessment(assessment)
        if locked.status not in (AS.DRAFT, AS.REFUSED):
            raise DomainError(_("考评已报送，不能修改得分。"), conflict=True)
        clean: dict[str, int] = {}
        for key, item in locked.checklist.items():
            value = scores.get(key)
            if value is None:
                continue
            if not 0 <= int(value) <= int(item["weight"]):
                errors[f"score_{key}"] = [
                    _("得分应在0至%(max)s分之间。") % {"max": item["weight"]}
                ]
            clean[key] = int(value)
        if errors:
            raise ValidationError(errors)
        locked.scores = clean
        locked.evidence = {
            k: v.strip() for k, v in evidence.items() if k in locked.checklist and v
        }
        fields = ["scores", "evidence"]
        if evidence_file:
            locked.evidence_file = evidence_file
            fields.append("evidence_file")
        locked.save(update_fields=fields)
        workflow.record(
            AssessmentEvent,
            actor=actor,
            note=_("填报各项得分"),
            event_fields={"assessment": locked},
        )
    return locked


def _assessment_refusal(assessment: StationAssessment, to: str) -> str:
    if to == AS.SUBMITTED and assessment.status == AS.APPROVED:
        return _("考评已审定，不能再报送。")
    if to in (AS.APPROVED, AS.REFUSED):
        return _("考评尚未报送，不能审定或退回。")
    return _("当前状态不允许此操作。")


def assessment_submit(
    *, assessment: StationAssessment, actor: User | None
) -> StationAssessment:
    """Send the assessment to the congress above: every item must be scored;
    the total and the grade are computed from the rule set."""
    with transaction.atomic():
        locked = _lock_assessment(assessment)
        if not workflow.check(locked, to=AS.SUBMITTED, refuse=_assessment_refusal):
            return locked
        missing = [
            item["label"]
            for key, item in locked.checklist.items()
            if key not in locked.scores
        ]
        if missing:
            raise DomainError(
                _("还有%(n)s项未评分：%(items)s。")
                % {"n": len(missing), "items": "、".join(missing)}
            )
        total = sum(int(item["weight"]) for item in locked.checklist.values())
        got = sum(locked.scores.values())
        score = (Decimal(got) * 100 / Decimal(total or 1)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        frm = locked.status
        workflow.transition(
            locked,
            to=AS.SUBMITTED,
            actor=actor,
            event_model=AssessmentEvent,
            event_fields={"assessment": locked},
            refuse=_assessment_refusal,
            timestamps={"submitted_at": timezone.now()},
            changes={
                "score": score,
                "grade": _grade_for(score, _assessment_rules(locked)),
                "refusal_reason": "",
            },
        )
        _audit(locked, "station_assessment.submit", actor, frm, AS.SUBMITTED)
        _notify_on_commit(
            congress_staff(locked.assessor),
            kind="assessment.submitted",
            key=f"assessment:{locked.pk}:submitted:{locked.events.count()}",
            title=Message(
                gettext_noop("%(station)s报送了%(year)s年度考评，请审定"),
                {"station": locked.station.name, "year": locked.year},
            ),
            target=locked,
        )
    return locked


def assessment_approve(
    *, assessment: StationAssessment, actor: User | None, note: str = ""
) -> StationAssessment:
    """The congress above approves the score and grade; a 示范站 grade designates
    the station a model station (Station.is_model)."""
    with transaction.atomic():
        locked = _lock_assessment(assessment)
        if workflow.transition(
            locked,
            to=AS.APPROVED,
            actor=actor,
            event_model=AssessmentEvent,
            event_fields={"assessment": locked},
            refuse=_assessment_refusal,
            timestamps={"decided_at": timezone.now()},
            note=note,
        ):
            if locked.grade == StationAssessment.Grade.MODEL:
                Station.objects.filter(pk=locked.station_id).update(is_model=True)
            _audit(
                locked, "station_assessment.approve", actor, AS.SUBMITTED, AS.APPROVED
            )
    return locked


def assessment_refuse(
    *, assessment: StationAssessment, reason: str, actor: User | None
) -> StationAssessment:
    """Send the assessment back with the reason; the station revises and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写退回理由。"), field="reason")
    with transaction.atomic():
        locked = _lock_assessment(assessment)
        if workflow.transition(
            locked,
            to=AS.REFUSED,
            actor=actor,
            event_model=AssessmentEvent,
            event_fields={"assessment": locked},
            refuse=_assessment_refusal,
            timestamps={"decided_at": timezone.now()},
            changes={"refusal_reason": reason},
            note=reason,
        ):
            _audit(
                locked,
                "station_assessment.refuse",
                actor,
                AS.SUBMITTED,
                AS.REFUSED,
                reason,
            )
    return locked


# --- grassroots governance ----------------------------------------------------------------


def activity_record(
    *,
    station: Station,
    kind: str,
    date: date,
    title: str,
    deputies: list[Mandate] | None = None,
    participants: int = 0,
    notes: str = "",
    actor: User | None,
) -> StationActivity:
    """Record a 政策宣讲、普法宣传 or 矛盾纠纷调解 activity of the station."""
    if kind not in StationActivity.Kind.values:
        raise DomainError(_("活动类型不正确。"), field="kind")
    if not (title or "").strip():
        raise DomainError(_("请填写活动主题。"), field="title")
    with transaction.atomic():
        activity = StationActivity.objects.create(
            station=station,
            kind=kind,
            date=date,
            title=title.strip(),
            participants=participants,
            notes=notes,
            region_path=station.region_path,
            recorded_by=actor if actor and actor.is_authenticated else None,
        )
        if deputies:
            activity.deputies.set(deputies)
        _audit(activity, "station_activity.create", actor)
    return activity


def mediation_open(
    *,
    opinion: Opinion,
    parties: str,
    subject: str,
    deputies: list[Mandate] | None = None,
    activity: StationActivity | None = None,
    actor: User | None,
) -> MediationCase:
    """Open a mediation of the dispute an opinion raised, at its station."""
    if not (parties or "").strip() or not (subject or "").strip():
        raise ValidationError({"parties": [_("请填写当事人和纠纷事由。")]})
    if activity is not None and activity.station_id != opinion.station_id:
        raise DomainError(_("调解活动应为本站的活动。"), field="activity")
    with transaction.atomic():
        case = MediationCase.objects.create(
            station_id=opinion.station_id,
            opinion=opinion,
            activity=activity,
            parties=parties.strip(),
            subject=subject.strip(),
            region_path=opinion.region_path,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        if deputies:
            case.deputies.set(deputies)
        workflow.record(
            MediationEvent, actor=actor, to_state=MC.OPEN, event_fields={"case": case}
        )
        _audit(case, "mediation.open", actor, "", MC.OPEN)
    return case


def _mediation_refusal(case: MediationCase, to: str) -> str:
    return _("该调解已结案（%(status)s），不能再改变结果。") % {
        "status": case.get_status_display()
    }


def mediation_close(
    *, case: MediationCase, success: bool, outcome: str, actor: User | None
) -> MediationCase:
    """Close a mediation: 调解成功 with the agreement, or 调解不成 with the channel
    the parties were told of (诉讼、仲裁、信访…)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("请填写调解结果。"), field="outcome")
    to = MC.MEDIATED if success else MC.FAILED
    with transaction.atomic():
        locked = MediationCase.objects.select_for_update().get(pk=case.pk)
        if workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=MediationEvent,
            event_fields={"case": locked},
            refuse=_mediation_refusal,
            timestamps={"closed_at": timezone.now()},
            changes={"outcome": outcome},
            note=outcome,
        ):
            _audit(locked, "mediation.close", actor, MC.OPEN, to)
    return locked


# --- 社情民意 ----------------------------------------------------------------------------


def social_report_create(
    *,
    title: str,
    content: str,
    category: str = "other",
    station: Station | None = None,
    author: Mandate | None = None,
    actor: User | None,
) -> SocialReport:
    """A draft 社情民意 report of a station (to the station's congress) or of a
    deputy (to the deputy's congress)."""
    if (station is None) == (author is None):
        raise DomainError(_("社情民意应由一个联络站或一名代表报送。"))
    if not (title or "").strip() or len((content or "").strip()) < 10:
        raise ValidationError({"content": [_("请填写标题和内容（至少10个字）。")]})
    if category not in Opinion.Category.values:
        raise DomainError(_("类别不正确。"), field="category")
    if author is not None and author.status != Mandate.Status.ACTIVE:
        raise DomainError(_("代表资格不在正常履职状态，不能报送社情民意。"))
    congress = station_congress(station) if station else author.congress  # type: ignore[union-attr]
    if congress is None:
        raise DomainError(_("找不到接收社情民意的人大。"))
    region_path = station.region_path if station else congress.region.path
    with transaction.atomic():
        report = SocialReport.objects.create(
            station=station,
            author=author,
            congress=congress,
            title=title.strip(),
            content=content.strip(),
            category=category,
            region_path=region_path,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        workflow.record(
            SocialReportEvent,
            actor=actor,
            to_state=SR.DRAFT,
            event_fields={"report": report},
        )
        _audit(report, "social_report.create", actor, "", SR.DRAFT)
    return report


def _report_refusal(report: SocialReport, to: str) -> str:
    if report.status == SR.ANSWERED:
        return _("该社情民意已答复办结。")
    if report.status == SR.DRAFT:
        return _("该社情民意尚未报送。")
    if to == SR.FORWARDED:
        return _("该社情民意已转送，不能再次转送。")
    return _("当前状态不允许此操作。")


def _move(report: SocialReport, to: str, actor, note: str = "", **fields) -> bool:
    frm = report.status
    moved = workflow.transition(
        report,
        to=to,
        actor=actor,
        event_model=SocialReportEvent,
        event_fields={"report": report},
        refuse=_report_refusal,
        changes=fields,
        note=note,
    )
    if moved:
        _audit(report, f"social_report.{to}", actor, frm, to, note)
    return moved


def _lock_report(report: SocialReport) -> SocialReport:
    return (
        SocialReport.objects.select_for_update(of=("self",))
        .select_related("congress", "station")
        .get(pk=report.pk)
    )


def social_report_submit(*, report: SocialReport, actor: User | None) -> SocialReport:
    """Send the report up to the congress's office (its staff are told)."""
    with transaction.atomic():
        locked = _lock_report(report)
        if _move(locked, SR.SUBMITTED, actor, submitted_at=timezone.now()):
            _notify_on_commit(
                congress_staff(locked.congress),
                kind="social_report.submitted",
                key=f"social_report:{locked.pk}:submitted",
                title=Message(
                    gettext_noop("收到社情民意：%(title)s"), {"title": locked.title}
                ),
                target=locked,
            )
    return locked


def social_report_answer(
    *, report: SocialReport, answer: str, actor: User | None
) -> SocialReport:
    """The office answers the report (directly, or with what the unit it was
    forwarded to said); the sender is told."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), field="answer")
    with transaction.atomic():
        locked = _lock_report(report)
        if (
            _move(
                locked,
                SR.ANSWERED,
                actor,
                answer,
                answer=answer,
                answered_at=timezone.now(),
            )
            and locked.created_by is not None
        ):
            _notify_on_commit(
                [locked.created_by],
                kind="social_report.answered",
                key=f"social_report:{locked.pk}:answered",
                title=Message(
                    gettext_noop("您报送的社情民意“%(title)s”已答复"),
                    {"title": locked.title},
                ),
                target=locked,
            )
    return locked


def social_report_forward(
    *, report: SocialReport, unit: HandlingUnit, note: str = "", actor: User | None
) -> SocialReport:
    """Forward the report to a handling unit of the congress's region."""
    with transaction.atomic():
        locked = _lock_report(report)
        if locked.status == SR.FORWARDED and locked.forwarded_to_id == unit.pk:
            return locked
        unit_path = (
            Region.objects.filter(pk=unit.region_id)
            .values_list("path", flat=True)
            .first()
            or ""
        )
        if not unit_path.startswith(locked.congress.region.path):
            raise DomainError(_("只能转送本级人大所在区划的单位。"), field="unit")
        _move(locked, SR.FORWARDED, actor, note, forwarded_to=unit)
    return locked
