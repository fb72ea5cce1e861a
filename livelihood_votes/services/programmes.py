"""The programme and its phases, ideas (群众提), screening (初筛), candidates (论证)
and deliberation (代表议)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deputies.models import Mandate
from portal import workflow
from portal.chinese import validate_mobile
from portal.models import Congress, HandlingUnit, Region, Sequence, User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
)
from stations.models import Opinion

from ..models import (
    CONSENTING_BODY_LABELS,
    DELIBERATION_BY_LABELS,
    Candidate,
    DeliberationComment,
    Idea,
    PhaseEvent,
    Programme,
)
from .common import _deputy_mandate, _rounds_locked, _set_phase

P = Programme.Phase


LEVELS_THAT_VOTE = frozenset(
    {
        Congress.Level.PROVINCE,
        Congress.Level.CITY,
        Congress.Level.COUNTY,
        Congress.Level.TOWNSHIP,
    }
)


def programme_create(
    *,
    congress: Congress,
    year: int,
    seats: int,
    budget: Decimal | None = None,
    budget_upper: Decimal | None = None,
    subdistrict: Region | None = None,
    actor: User | None,
) -> Programme:
    """One programme per congress and year (per congress, sub-district and
    year for a 街道 programme of a county congress), with the money available
    (本级 + 上级) the selected projects must fit."""
    errors: dict[str, list[str]] = {}
    if subdistrict is not None and not (
        subdistrict.level == Region.Level.SUBDISTRICT
        and congress.level == Congress.Level.COUNTY
        and subdistrict.path.startswith(congress.region.path)
    ):
        # 街道 has no congress: the county congress's 街道工委 organises its vote.
        errors["subdistrict"] = [
            _("街道民生实事项目由所在县（市、区）人民代表大会组织，请选择本县的街道。")
        ]
    if budget is not None and budget <= 0:
        errors["budget"] = [_("可用资金应大于0。")]
    if budget_upper is not None and (
        budget_upper < 0 or (budget is not None and budget_upper > budget)
    ):
        errors["budget_upper"] = [_("上级资金不能为负数，也不能超过可用资金总额。")]
    # 票决制 began in townships; Hunan extends it to county, city and province
    # congresses (湖南省人大常委会关于推进民生实事项目人大代表票决制工作的指导意见;
    # the API contract, API.md "Livelihood projects"). The national congress does
    # not run it.
    if congress.level not in LEVELS_THAT_VOTE:
        errors["congress"] = [
            _("民生实事项目票决制由省、市、县、乡镇人民代表大会实行。")
        ]
    if seats < 1:
        errors["seats"] = [_("票决项目数至少为1。")]
    if Programme.objects.filter(
        congress=congress, subdistrict=subdistrict, year=year
    ).exists():
        errors["year"] = [
            _("该街道%(year)s年的民生实事项目计划已存在。") % {"year": year}
            if subdistrict is not None
            else _("该人大%(year)s年的民生实事项目计划已存在。") % {"year": year}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = Programme.objects.create(
            congress=congress,
            year=year,
            seats=seats,
            budget=budget,
            budget_upper=budget_upper or 0,
            subdistrict=subdistrict,
            region_path=(subdistrict or congress.region).path,
        )
        workflow.record(
            PhaseEvent,
            actor=actor,
            to_state=P.COLLECTING,
            event_fields={"programme": programme},
        )
        audit_record(
            actor=actor,
            action="programme.create",
            target=programme,
            to_state=P.COLLECTING,
            region_path=programme.region_path,
        )
    return programme


def programme_set_seats(
    *, programme: Programme, seats: int, actor: User | None
) -> Programme:
    """Change the number of seats k — never once a vote round has opened."""
    programme.refresh_from_db()
    if _rounds_locked(programme):
        raise TransitionError(_("票决已开始，规则已锁定，不能再修改票决项目数。"))
    if seats < 1:
        raise DomainError(_("票决项目数至少为1。"), field="seats")
    programme.seats = seats
    programme.save(update_fields=["seats"])
    audit_record(
        actor=actor,
        action="programme.seats",
        target=programme,
        data={"seats": seats},
        region_path=programme.region_path,
    )
    return programme


def programme_advance(
    *,
    programme: Programme,
    actor: User | None,
    to: str | None = None,
    note: str = "",
) -> Programme:
    """Move to the next phase, one at a time, with the checks each phase needs.

    ``to`` names the phase the caller means to reach: asking for any other than
    the next one is refused (phases are never skipped); moving to the phase the
    programme is already in is a no-op.
    """
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        order = Programme.PHASES
        if to is not None and to not in order:
            raise DomainError(_("阶段不正确。"), field="to")
        if to is not None and to == programme.phase:
            return programme
        index = order.index(programme.phase)
        if index + 1 >= len(order):
            raise TransitionError(_("已归档，没有下一阶段。"))
        target = order[index + 1]
        if to is not None and to != target:
            raise TransitionError(
                _("不能跳过阶段：当前为“%(now)s”，下一阶段是“%(next)s”。")
                % {
                    "now": programme.get_phase_display(),
                    "next": Programme.Phase(target).label,
                }
            )
        if target == P.CANDIDATES:
            _check_enough_candidates(programme)
        if target == P.VOTING:
            raise TransitionError(_("请创建票决轮次进入大会票决阶段。"))
        if target == P.IMPLEMENTING:
            raise TransitionError(_("票决结束并确定项目后自动进入实施阶段。"))
        if target == P.EVALUATED:
            raise TransitionError(_("代表测评结束后自动进入测评阶段。"))
        if target == P.ARCHIVED:
            _check_rectifications_followed_up(programme)
        if target in (P.CANDIDATES, P.DELIBERATION) and not note:
            note = _level_step_note(programme, target)
        return _set_phase(programme, target, actor, note)


def _level_step_note(programme: Programme, target: str) -> str:
    """What the level's rules say about this step, for the phase event: the
    body that consented to the candidate list (township: the presidium; county
    and above: the standing committee or its chairpersons' council) and how
    the deputies deliberate (township: in plenary; county and above: by
    delegation)."""
    rules = rules_for(programme.congress)
    if target == P.CANDIDATES:
        body = CONSENTING_BODY_LABELS.get(
            rules.livelihood_consenting_body, rules.livelihood_consenting_body
        )
        return _("候选项目经%(body)s审议同意后公布。") % {"body": body}
    way = DELIBERATION_BY_LABELS.get(
        rules.livelihood_deliberation_by, rules.livelihood_deliberation_by
    )
    return _("代表审议方式：%(way)s。") % {"way": way}


def _check_rectifications_followed_up(programme: Programme) -> None:
    """A 不满意 project is archived only after its rectification was reported and
    the deputies evaluated it again."""
    pending = list(
        programme.projects.filter(grade="dissatisfied", regrade="")
        .select_related("candidate")
        .order_by("pk")
    )
    if pending:
        raise TransitionError(
            _(
                "测评不满意的项目须整改、报告整改情况并经代表再次测评后才能归档："
                "%(titles)s。"
            )
            % {"titles": "、".join(p.candidate.title for p in pending)}
        )


def _check_enough_candidates(programme: Programme) -> None:
    extra = rules_for(programme.congress).livelihood_min_extra_candidates
    count = programme.candidates.count()
    if count < programme.seats + extra:
        raise TransitionError(
            _("候选项目应多于票决项目数（差额），至少需要%(n)s个，目前%(m)s个。")
            % {"n": programme.seats + extra, "m": count}
        )


# --- ideas (群众提) ------------------------------------------------------------------


def idea_submit(
    *,
    programme: Programme,
    title: str,
    description: str,
    location: str = "",
    name: str = "",
    phone: str = "",
    source: str = Idea.Source.PUBLIC,
    mandate: Mandate | None = None,
    ip_address: str | None = None,
    actor: User | None,
) -> Idea:
    """Collect an idea with a tracking code while the programme is collecting."""
    if programme.phase != P.COLLECTING:
        raise TransitionError(_("该年度民生实事项目征集已结束。"))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写项目名称。")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("项目名称不能超过200个字。")]
    if len((description or "").strip()) < 5:
        errors["description"] = [_("请具体描述项目内容（至少5个字）。")]
    elif len(description) > 2000:
        errors["description"] = [_("项目内容不能超过2000个字。")]
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    number = Sequence.take(f"idea:{programme.pk}")
    code = f"MS{programme.year}-{programme.congress.region_id:04d}-{number:04d}"
    return Idea.objects.create(
        programme=programme,
        tracking_code=code,
        source=source,
        title=title.strip(),
        description=description.strip(),
        location=location,
        submitter_name=name,
        submitter_phone=phone,
        mandate=mandate,
        submitted_ip=ip_address,
    )


def idea_from_opinion(
    *, programme: Programme, opinion: Opinion, actor: User | None
) -> Idea:
    """Pool an opinion a station triaged as 'pooled' into the programme."""
    if opinion.status != Opinion.Status.POOLED:
        raise DomainError(_("只有已纳入民生实事征集的群众意见可以转为项目建议。"))
    existing = Idea.objects.filter(opinion=opinion).first()
    if existing:
        return existing
    idea = idea_submit(
        programme=programme,
        title=opinion.content[:40],
        description=opinion.content,
        source=Idea.Source.STATION,
        actor=actor,
    )
    idea.opinion = opinion
    idea.save(update_fields=["opinion"])
    return idea


def idea_screen(
    *, idea: Idea, accept: bool, reason: str = "", actor: User | None
) -> Idea:
    """初筛 against the negative list; a rejection records its reason."""
    if idea.programme.phase not in (P.COLLECTING, P.SCREENING):
        raise TransitionError(_("初筛阶段已结束。"))
    if idea.status not in (
        Idea.Status.SUBMITTED,
        Idea.Status.SCREENED_OUT,
        Idea.Status.ACCEPTED,
    ):
        raise TransitionError(_("该项目建议已列为候选项目。"))
    if not accept and not (reason or "").strip():
        raise DomainError(
            _("初筛不通过须写明理由（如属负面清单所列事项）。"), field="reason"
        )
    idea.status = Idea.Status.ACCEPTED if accept else Idea.Status.SCREENED_OUT
    idea.screening_reason = reason.strip()
    idea.save(update_fields=["status", "screening_reason"])
    audit_record(
        actor=actor,
        action="idea.screen",
        target=idea,
        to_state=idea.status,
        reason=reason,
        region_path=idea.programme.region_path,
    )
    return idea


def candidate_create(
    *,
    programme: Programme,
    title: str,
    description: str,
    estimated_cost: Decimal,
    lead_unit: HandlingUnit | None = None,
    idea: Idea | None = None,
    fund_source: str = "",
    land: str = "",
    schedule: str = "",
    responsible_leader: str = "",
    actor: User | None,
) -> Candidate:
    """An assessed candidate (论证), entered by staff or promoted from an idea."""
    if _rounds_locked(programme) or programme.phase in (
        P.VOTING,
        P.IMPLEMENTING,
        P.EVALUATED,
        P.ARCHIVED,
    ):
        raise TransitionError(_("票决已开始，不能再增加候选项目。"))
    if estimated_cost is None or Decimal(estimated_cost) <= 0:
        raise DomainError(_("估算投资应大于0（万元）。"), field="estimated_cost")
    if not (title or "").strip():
        raise DomainError(_("请填写项目名称。"), field="title")
    if (
        lead_unit is not None
        and not programme.region_path.startswith(lead_unit.region.path)
        and not lead_unit.region.path.startswith(programme.region_path)
    ):
        raise DomainError(_("责任单位应为本乡镇或上级的单位。"), field="lead_unit")
    if idea is not None and idea.status != Idea.Status.ACCEPTED:
        raise DomainError(_("只有通过初筛的项目建议可以列为候选项目。"), field="idea")
    with transaction.atomic():
        candidate = Candidate.objects.create(
            programme=programme,
            idea=idea,
            title=title.strip(),
            description=description.strip(),
            estimated_cost=estimated_cost,
            lead_unit=lead_unit,
            fund_source=fund_source,
            land=land,
            schedule=schedule,
            responsible_leader=responsible_leader,
            order=programme.candidates.count() + 1,
        )
        if idea is not None:
            idea.status = Idea.Status.CANDIDATE
            idea.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="candidate.create",
            target=candidate,
            region_path=programme.region_path,
        )
    return candidate


# --- deliberation (代表议) -------------------------------------------------------------


def deliberation_comment(
    *, candidate: Candidate, actor: User, text: str
) -> DeliberationComment:
    """代表议: a deputy comments on a candidate, recorded with their group."""
    programme = Programme.objects.select_related("congress").get(
        pk=candidate.programme_id
    )
    if programme.phase not in (P.CANDIDATES, P.DELIBERATION):
        raise TransitionError(_("当前不在代表审议阶段。"))
    if not (text or "").strip():
        raise DomainError(_("请填写审议意见。"), field="text")
    mandate = _deputy_mandate(actor, programme.congress, "vote")
    group = mandate.groups.first()
    return DeliberationComment.objects.create(
        candidate=candidate, mandate=mandate, group=group, text=text.strip()
    )


def deliberation_summarise(
    *, programme: Programme, summary: str, actor: User | None
) -> Programme:
    programme.deliberation_summary = summary.strip()
    programme.save(update_fields=["deliberation_summary"])
    audit_record(
        actor=actor,
        action="programme.summary",
        target=programme,
        region_path=programme.region_path,
    )
    return programme
