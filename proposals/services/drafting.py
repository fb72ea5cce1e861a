"""Drafting (提): a deputy's draft, its research basis and co-signers, submission
through the quality gates, withdrawal, and the draft of a converted opinion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Activity, Delegation, Mandate
from deputies.services import ensure_mandate_can
from portal import workflow
from portal.models import Role, Session, User
from portal.notification_text import Message, choice_label
from portal.rules import rules_for
from portal.services import DomainError, TransitionError
from stations.models import Opinion

from ..models import Assignment, CoSigner, Suggestion
from ..policies import has_research_basis
from .common import (
    ANSWER_TASK_KINDS,
    EDITABLE_FIELDS,
    TEXT_FIELDS,
    S,
    _event,
    _lock,
    _move,
    _notify,
    _refusal,
    _tasks_done,
    _unit_users,
)


def suggestion_create(
    *,
    lead: Mandate,
    title: str,
    problem: str,
    analysis: str,
    proposals: str,
    kind: str = Suggestion.Kind.SUGGESTION,
    category: str = Suggestion.Category.OTHER,
    session: Session | None = None,
    is_public: bool = True,
    research_note: str = "",
    research_date: date | None = None,
    research_place: str = "",
    research_people: str = "",
    research_activities: list[Activity] | None = None,
    research_opinions: list[Opinion] | None = None,
    co_signers: list[Mandate] | None = None,
    source_opinion: Opinion | None = None,
    delegation: Delegation | None = None,
    actor: User | None,
) -> Suggestion:
    """Start a draft led by ``lead`` (a deputy of the congress it is addressed to).

    ``delegation``: a bill submitted by a delegation (代表团), ``lead`` being the
    member who submits it on its behalf; no co-signer threshold applies."""
    if kind not in Suggestion.Kind.values:
        raise DomainError(_("类型不正确。"), field="kind")
    if delegation is not None:
        if kind != Suggestion.Kind.BILL:
            raise DomainError(_("以代表团名义只能提出议案。"), field="delegation")
        if delegation.pk != lead.delegation_id:
            raise DomainError(
                _("只能以本人所在代表团的名义提出议案。"), field="delegation"
            )
        if not rules_for(lead.congress).bill_delegation_may_submit:
            raise DomainError(
                _("本级人民代表大会的代表团不能提出议案。"), field="delegation"
            )
    if category not in Suggestion.Category.values:
        raise DomainError(_("类别不正确。"), field="category")
    if session is not None and session.term.congress_id != lead.congress_id:
        raise DomainError(_("会议不属于该代表所在的人民代表大会。"), field="session")
    today = timezone.localdate()
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=kind,
            congress=lead.congress,
            term=lead.term,
            session=session,
            year=session.start_date.year if session else today.year,
            title=title.strip(),
            problem=problem.strip(),
            analysis=analysis.strip(),
            proposals=proposals.strip(),
            category=category,
            lead=lead,
            delegation=delegation or lead.delegation,
            proposer=(
                Suggestion.Proposer.DELEGATION
                if delegation is not None
                else Suggestion.Proposer.DEPUTIES
            ),
            is_public=is_public,
            research_note=research_note,
            research_date=research_date,
            research_place=research_place,
            research_people=research_people,
            source_opinion=source_opinion,
            region_path=lead.congress.region.path,
            created_by=actor,
        )
        suggestion_set_research(
            suggestion=suggestion,
            activities=research_activities or [],
            opinions=research_opinions or ([source_opinion] if source_opinion else []),
            actor=actor,
        )
        if co_signers:
            suggestion_invite_cosigners(
                suggestion=suggestion, mandates=co_signers, actor=actor
            )
        _event(suggestion, "create", actor, to_status=S.DRAFT)
    return suggestion


def suggestion_set_research(
    *,
    suggestion: Suggestion,
    activities: list[Activity],
    opinions: list[Opinion],
    actor: User | None,
) -> None:
    """Link the research basis: activities the lead took part in, opinions they collected."""
    lead = suggestion.lead_deputy
    for activity in activities:
        if not activity.attendances.filter(mandate=lead).exists():
            raise DomainError(
                _("只能关联本人参加的调研视察活动。"), field="research_activities"
            )
    for opinion in opinions:
        if not (
            opinion.deputies.filter(pk=lead.pk).exists()
            or opinion.converted_for_id == lead.pk
        ):
            raise DomainError(
                _("只能关联本人收集或转交本人的群众意见。"), field="research_opinions"
            )
    suggestion.research_activities.set(activities)
    suggestion.research_opinions.set(opinions)


def suggestion_update(
    *, suggestion: Suggestion, actor: User | None, **fields: Any
) -> Suggestion:
    """Edit a draft or a returned suggestion."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status not in (S.DRAFT, S.RETURNED):
            raise TransitionError(
                _("只有草稿或退回修改的%(kind)s可以修改。")
                % {"kind": locked.get_kind_display()}
            )
        for key, value in fields.items():
            setattr(
                locked,
                key,
                value.strip()
                if isinstance(value, str) and key in TEXT_FIELDS
                else value,
            )
        locked.save(update_fields=list(fields))
    return locked


def suggestion_invite_cosigners(
    *, suggestion: Suggestion, mandates: list[Mandate], actor: User | None
) -> None:
    """Invite deputies of the same congress and term to co-sign (they must confirm)."""
    if suggestion.status not in (S.DRAFT, S.RETURNED):
        raise TransitionError(_("提交后不能再邀请联名代表。"))
    for mandate in mandates:
        if mandate.pk == suggestion.lead_id:
            raise DomainError(_("领衔代表不能同时作为联名代表。"), field="co_signers")
        if mandate.term_id != suggestion.term_id:
            raise DomainError(
                _("联名代表须为同一届人民代表大会的代表。"), field="co_signers"
            )
    CoSigner.objects.bulk_create(
        [CoSigner(suggestion=suggestion, mandate=m) for m in mandates],
        ignore_conflicts=True,
    )
    transaction.on_commit(
        lambda: _notify(
            [m.person.user for m in mandates],
            kind="suggestion.cosign_invite",
            key=f"cosign:{suggestion.pk}",
            title=Message(
                gettext_noop("%(name)s邀请您联名：%(title)s"),
                {"name": suggestion.proposer_name, "title": suggestion.title},
            ),
            target=suggestion,
        )
    )


def cosigner_respond(*, cosigner: CoSigner, accept: bool, actor: User) -> CoSigner:
    """A co-signer confirms or declines electronically (only before registration)."""
    if cosigner.mandate.person.user_id != actor.pk:
        raise DomainError(_("只能确认本人的联名。"))
    if cosigner.suggestion.status not in (S.DRAFT, S.SUBMITTED, S.RETURNED):
        raise TransitionError(_("该议案建议已进入办理，不能再确认联名。"))
    if accept:
        ensure_mandate_can(cosigner.mandate, "co_sign")
    target = CoSigner.Status.CONFIRMED if accept else CoSigner.Status.DECLINED
    if cosigner.status != target:
        cosigner.status = target
        cosigner.responded_at = timezone.now()
        cosigner.save(update_fields=["status", "responded_at"])
        _event(
            cosigner.suggestion,
            "cosign_confirm" if accept else "cosign_decline",
            actor,
            note=cosigner.mandate.person.name,
        )
    return cosigner


def suggestion_submit(
    *, suggestion: Suggestion, actor: User | None, now: datetime | None = None
) -> Suggestion:
    """Submit (or resubmit after return) through the quality gates of §5."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(suggestion)
        if not workflow.check(locked, to=S.SUBMITTED, refuse=_refusal):
            return locked
        ensure_mandate_can(locked.lead_deputy, "submit")
        missing = [f for f in TEXT_FIELDS if not getattr(locked, f).strip()]
        if missing:
            raise DomainError(_("标题、问题、分析和建议均须填写。"), field=missing[0])
        if not has_research_basis(locked):
            raise DomainError(
                _(
                    "无调研不建议：请关联调研视察活动或群众意见，或填写调研情况（时间、地点、走访对象）。"
                ),
                field="research_basis",
            )
        if locked.kind == Suggestion.Kind.BILL:
            _check_bill(locked, now)
        _move(
            locked,
            S.SUBMITTED,
            actor,
            action="submit",
            submitted_at=now,
            status_reason="",
        )
        transaction.on_commit(lambda: _notify_staff_new(locked))
    return locked


def _check_bill(suggestion: Suggestion, now: datetime) -> None:
    session = suggestion.session
    if (
        session is None
        or session.bill_deadline is None
        or now > session.bill_deadline
        or timezone.localdate(now) > session.end_date
    ):
        raise DomainError(
            _("议案只能在人民代表大会会议期间、议案截止时间之前提出。"), field="session"
        )
    rules = rules_for(suggestion.congress)
    if suggestion.proposer == Suggestion.Proposer.DELEGATION:
        if not rules.bill_delegation_may_submit:
            raise DomainError(
                _("本级人民代表大会的代表团不能提出议案。"), field="delegation"
            )
        return
    threshold = rules.bill_min_cosigners
    confirmed = suggestion.cosigners.filter(
        status="confirmed", mandate__status="active"
    ).count()
    if confirmed + 1 < threshold:
        raise DomainError(
            _("议案须由%(n)s名以上代表联名提出（含领衔代表），目前已确认%(m)s名。")
            % {"n": threshold, "m": confirmed + 1},
            field="co_signers",
        )


def _notify_staff_new(suggestion: Suggestion) -> None:
    """Tell the congress's staff a new item is waiting for review."""
    staff = User.objects.filter(
        grants__role=Role.CONGRESS_STAFF, grants__congress=suggestion.congress
    ).distinct()
    _notify(
        staff,
        kind="suggestion.submitted",
        key=f"submitted:{suggestion.pk}:{suggestion.submitted_at:%Y%m%d%H%M%S}",
        title=Message(
            gettext_noop("新%(kind)s待审查：%(title)s"),
            {"kind": choice_label(suggestion, "kind"), "title": suggestion.title},
        ),
        target=suggestion,
    )


def suggestion_withdraw(
    *, suggestion: Suggestion, actor: User | None, reason: str = ""
) -> Suggestion:
    """The lead deputy withdraws at any time before the first reply; after 交办
    the units whose parts were open stop and are told (issue 18), and what
    their notifications asked of them is no longer to do."""
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.first_replied_at is not None and locked.status != S.WITHDRAWN:
            raise TransitionError(_("已有答复，不能撤回。"))
        if not _move(locked, S.WITHDRAWN, actor, action="withdraw", note=reason):
            return locked
        open_parts = list(
            locked.assignments.filter(status__in=Assignment.OPEN_STATES).select_related(
                "unit"
            )
        )
        for part in open_parts:
            _tasks_done(part, ANSWER_TASK_KINDS)
        transaction.on_commit(lambda: _tell_units_withdrawn(locked, open_parts, reason))
    return locked


def _tell_units_withdrawn(
    suggestion: Suggestion, parts: list[Assignment], reason: str
) -> None:
    for part in parts:
        _notify(
            _unit_users(part.unit),
            kind="assignment.withdrawn",
            key=f"withdrawn:{part.pk}",
            title=Message(
                gettext_noop("代表已撤回%(kind)s“%(title)s”，请停止办理"),
                {"kind": choice_label(suggestion, "kind"), "title": suggestion.title},
            ),
            body=reason,
            target=part,
        )


def suggestion_from_opinion(*, opinion: Opinion, actor: User | None) -> Suggestion:
    """Start the draft suggestion of an opinion a station converted for a deputy."""
    if opinion.status != Opinion.Status.CONVERTED or opinion.converted_for_id is None:
        raise DomainError(_("该群众意见未转为代表建议。"))
    existing = Suggestion.objects.filter(source_opinion=opinion).first()
    if existing:
        return existing
    assert opinion.converted_for is not None  # checked above (converted_for_id)
    return suggestion_create(
        lead=opinion.converted_for,
        title=_("关于%(category)s问题的建议")
        % {"category": opinion.get_category_display()},
        problem=opinion.content,
        analysis="",
        proposals="",
        source_opinion=opinion,
        actor=actor,
    )
