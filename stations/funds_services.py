"""Writes and transitions of deputies' activity funds (代表活动经费, issue 17).

A budget (draft → approved → closed) is set for a congress itself, a deputy
group or a station and a year, by default at the per-deputy standard of the
rule set × the deputies it covers. Spending lines (submitted → approved |
rejected → submitted) are linked to an activity or a reception; an approval
that would take the budget's approved spending over its amount is refused."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Activity, DeputyGroup, Mandate
from portal import workflow
from portal.models import Congress, User
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record

from .funds_models import FundBudget, FundEvent, FundSpending, wan_yuan
from .models import Reception, Station, StationMembership

B = FundBudget.Status
P = FundSpending.Status


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def covered_deputies(
    *, congress: Congress, holder: str, group=None, station=None
) -> int:
    """How many deputies a budget covers: the congress's active deputies of its
    current term, the group's members, or the station's deputies (进站代表)."""
    if holder == FundBudget.Holder.GROUP:
        return group.members.filter(status=Mandate.Status.ACTIVE).count()
    if holder == FundBudget.Holder.STATION:
        return StationMembership.objects.filter(
            station=station, end_date__isnull=True
        ).count()
    return Mandate.objects.filter(
        congress=congress, term__is_current=True, status=Mandate.Status.ACTIVE
    ).count()


def budget_create(
    *,
    congress: Congress,
    year: int,
    holder: str,
    group: DeputyGroup | None = None,
    station: Station | None = None,
    deputy_count: int | None = None,
    amount_fen: int | None = None,
    note: str = "",
    actor: User | None,
) -> FundBudget:
    """Draft a year's budget. Without an amount it is the rule
    ``activity_fund_per_deputy_yuan`` × the deputies covered."""
    if holder not in FundBudget.Holder.values:
        raise DomainError(_("预算主体不正确。"), field="holder")
    if holder == FundBudget.Holder.GROUP and (
        group is None or group.congress_id != congress.pk
    ):
        raise DomainError(_("请选择本级人大的代表小组。"), field="group")
    if holder == FundBudget.Holder.STATION and (
        station is None or not station.region_path.startswith(congress.region.path)
    ):
        raise DomainError(_("请选择本行政区域内的联络站。"), field="station")
    standard = int(rules_for(congress).activity_fund_per_deputy_yuan)
    if deputy_count is None:
        deputy_count = covered_deputies(
            congress=congress, holder=holder, group=group, station=station
        )
    if amount_fen is None:
        amount_fen = deputy_count * standard * 100
    if amount_fen < 0:
        raise DomainError(_("预算金额不能为负数。"), field="amount")
    if FundBudget.objects.filter(
        congress=congress,
        year=year,
        holder=holder,
        group=group if holder == FundBudget.Holder.GROUP else None,
        station=station if holder == FundBudget.Holder.STATION else None,
    ).exists():
        raise DomainError(_("该主体本年度的预算已经编制。"), field="year")
    with transaction.atomic():
        budget = FundBudget.objects.create(
            congress=congress,
            year=year,
            holder=holder,
            group=group if holder == FundBudget.Holder.GROUP else None,
            station=station if holder == FundBudget.Holder.STATION else None,
            deputy_count=deputy_count,
            standard_yuan=standard,
            amount_fen=amount_fen,
            note=note[:300],
            region_path=(station.region_path if station else congress.region.path),
            created_by=_user(actor),
        )
        workflow.record(
            FundEvent,
            actor=actor,
            to_state=B.DRAFT,
            note=_("编制预算%(amount)s万元") % {"amount": wan_yuan(amount_fen)},
            event_fields={"budget": budget},
        )
        audit_record(
            actor=actor,
            action="fund_budget.create",
            target=budget,
            region_path=budget.region_path,
        )
    return budget


def _budget_refusal(budget: FundBudget, to: str) -> str:
    if to == B.APPROVED:
        return _("只有编制中的预算才能批准。")
    if to == B.CLOSED:
        return _("只有已批准的预算才能结算。")
    return _("当前状态不允许此操作。")


def _move_budget(budget: FundBudget, *, to: str, actor: User | None) -> FundBudget:
    with transaction.atomic():
        locked = FundBudget.objects.select_for_update().get(pk=budget.pk)
        if workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=FundEvent,
            event_fields={"budget": locked},
            refuse=_budget_refusal,
        ):
            audit_record(
                actor=actor,
                action=f"fund_budget.{to}",
                target=locked,
                region_path=locked.region_path,
            )
    return locked


def budget_approve(*, budget: FundBudget, actor: User | None) -> FundBudget:
    """Approve a drafted budget (编制中 → 已批准); spending can then be recorded."""
    return _move_budget(budget, to=B.APPROVED, actor=actor)


def budget_close(*, budget: FundBudget, actor: User | None) -> FundBudget:
    """Close the year's budget (已批准 → 已结算); no spending is pending."""
    if budget.spendings.filter(status=P.SUBMITTED).exists():
        raise TransitionError(_("还有待审批的支出，不能结算。"))
    return _move_budget(budget, to=B.CLOSED, actor=actor)


def approved_spent_fen(budget: FundBudget) -> int:
    return int(
        budget.spendings.filter(status=P.APPROVED).aggregate(s=Sum("amount_fen"))["s"]
        or 0
    )


def spending_create(
    *,
    budget: FundBudget,
    date: date,
    amount_fen: int,
    purpose: str,
    activity: Activity | None = None,
    reception: Reception | None = None,
    actor: User | None,
) -> FundSpending:
    """Record a spending line of an approved budget, linked to an activity of
    the budget's congress (and group) or a reception of its station."""
    budget = FundBudget.objects.get(pk=budget.pk)
    if budget.status != B.APPROVED:
        raise TransitionError(_("预算批准后才能登记支出。"))
    if amount_fen <= 0:
        raise DomainError(_("支出金额应大于零。"), field="amount")
    if date.year != budget.year:
        raise DomainError(
            _("支出日期应在预算年度（%(year)s年）内。") % {"year": budget.year},
            field="date",
        )
    if not (purpose or "").strip():
        raise DomainError(_("请填写用途。"), field="purpose")
    if activity is not None and (
        activity.congress_id != budget.congress_id
        or (budget.group_id is not None and activity.group_id != budget.group_id)
    ):
        raise DomainError(_("关联的履职活动不属于该预算主体。"), field="activity")
    if reception is not None and reception.station_id != budget.station_id:
        raise DomainError(_("关联的接待记录不属于该联络站。"), field="reception")
    with transaction.atomic():
        spending = FundSpending.objects.create(
            budget=budget,
            date=date,
            amount_fen=amount_fen,
            purpose=purpose.strip()[:200],
            activity=activity,
            reception=reception,
            region_path=budget.region_path,
            created_by=_user(actor),
        )
        workflow.record(
            FundEvent,
            actor=actor,
            to_state=P.SUBMITTED,
            note=_("登记支出：%(purpose)s") % {"purpose": spending.purpose},
            event_fields={"budget": budget, "spending": spending},
        )
    return spending


def _spending_refusal(spending: FundSpending, to: str) -> str:
    if spending.status == P.APPROVED:
        return _("该支出已批准，不能再更改。")
    if to == P.SUBMITTED:
        return _("只有已退回的支出才能重新提交。")
    return _("只有待审批的支出才能审批。")


def spending_decide(
    *,
    spending: FundSpending,
    approve: bool,
    note: str = "",
    actor: User | None,
) -> FundSpending:
    """Approve or return a spending line; a return needs a note, an approval
    must fit the budget (approved spending ≤ the budget's amount)."""
    to = P.APPROVED if approve else P.REJECTED
    if not approve and not (note or "").strip():
        raise DomainError(_("退回须填写审批意见。"), field="note")
    with transaction.atomic():
        budget = FundBudget.objects.select_for_update().get(pk=spending.budget_id)
        locked = FundSpending.objects.select_for_update().get(pk=spending.pk)
        if not workflow.check(locked, to=to, refuse=_spending_refusal):
            return locked
        if approve:
            if budget.status != B.APPROVED:
                raise TransitionError(_("预算已结算，不能再批准支出。"))
            spent = approved_spent_fen(budget)
            if spent + locked.amount_fen > budget.amount_fen:
                raise TransitionError(
                    _(
                        "批准后支出将超出预算：预算%(budget)s万元，已批准%(spent)s万元，"
                        "本笔%(amount)s万元。"
                    )
                    % {
                        "budget": wan_yuan(budget.amount_fen),
                        "spent": wan_yuan(spent),
                        "amount": wan_yuan(locked.amount_fen),
                    }
                )
        workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=FundEvent,
            event_fields={"budget": budget, "spending": locked},
            refuse=_spending_refusal,
            timestamps={"decided_at": timezone.now()},
            changes={"decision_note": (note or "").strip()[:300]},
            note=(note or "").strip() or locked.purpose,
        )
        audit_record(
            actor=actor,
            action=f"fund_spending.{to}",
            target=budget,
            reason=locked.purpose,
            region_path=budget.region_path,
        )
    return locked


def spending_resubmit(*, spending: FundSpending, actor: User | None) -> FundSpending:
    """Submit a returned spending line again (已退回 → 待审批)."""
    with transaction.atomic():
        locked = FundSpending.objects.select_for_update().get(pk=spending.pk)
        workflow.transition(
            locked,
            to=P.SUBMITTED,
            actor=actor,
            event_model=FundEvent,
            event_fields={"budget": locked.budget, "spending": locked},
            refuse=_spending_refusal,
        )
    return locked
