"""Activity funds (代表活动经费, issue 17): budgets at the rule's per-deputy
standard, spending linked to activities and receptions, approval within the
budget, the year's close, and the figures in 万元."""

from decimal import Decimal

import pytest
from django.utils import timezone

from deputies import services as d_services
from portal.models import RuleSet
from portal.services import DomainError, TransitionError
from stations import funds_services as services
from stations import services as st_services
from stations.funds_models import FundEvent, wan_yuan
from stations.incentive_selectors import budgets, fund_totals

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def station_budget(sw, **extra):
    fields = {
        "congress": sw.congress,
        "year": TODAY.year,
        "holder": "station",
        "station": sw.station,
        "actor": None,
    }
    fields.update(extra)
    return services.budget_create(**fields)


def test_wan_yuan_has_two_decimals():
    assert wan_yuan(1_234_567) == Decimal("1.23")
    assert str(wan_yuan(0)) == "0.00"


def test_budget_defaults_to_the_rule_standard_times_deputies(sw):
    budget = station_budget(sw)
    assert budget.deputy_count == 3
    assert budget.standard_yuan == 2000
    assert budget.amount_fen == 3 * 2000 * 100
    assert budget.amount_wan == Decimal("0.60")
    with pytest.raises(DomainError, match="该主体本年度的预算已经编制"):
        station_budget(sw)


def test_a_local_standard_from_the_rule_set(sw):
    RuleSet.objects.create(
        congress=sw.congress, values={"activity_fund_per_deputy_yuan": 3000}
    )
    assert station_budget(sw).amount_fen == 3 * 3000 * 100


def test_station_must_lie_in_the_congress_region(sw):
    with pytest.raises(DomainError, match="本行政区域内的联络站"):
        station_budget(sw, station=sw.other_station)


def test_spending_approval_within_the_budget(sw, personas):
    budget = station_budget(sw, amount_fen=100_000)  # 1 000 元
    reception = st_services.reception_create(
        station=sw.station, date=TODAY, mode="reception_day", deputies=[], actor=None
    )
    with pytest.raises(TransitionError, match="预算批准后才能登记支出"):
        services.spending_create(
            budget=budget, date=TODAY, amount_fen=100, purpose="茶水", actor=None
        )
    budget = services.budget_approve(budget=budget, actor=personas.township_staff)
    assert services.budget_approve(budget=budget, actor=None).status == "approved"
    other_reception = st_services.reception_create(
        station=sw.other_station,
        date=TODAY,
        mode="reception_day",
        deputies=[],
        actor=None,
    )
    with pytest.raises(DomainError, match="接待记录不属于该联络站"):
        services.spending_create(
            budget=budget,
            date=TODAY,
            amount_fen=100,
            purpose="资料印刷",
            reception=other_reception,
            actor=None,
        )
    first = services.spending_create(
        budget=budget,
        date=TODAY,
        amount_fen=80_000,
        purpose="接待日资料印刷",
        reception=reception,
        actor=sw.station_staff,
    )
    second = services.spending_create(
        budget=budget, date=TODAY, amount_fen=30_000, purpose="座谈会场地", actor=None
    )
    services.spending_decide(spending=first, approve=True, actor=None)
    with pytest.raises(TransitionError, match="批准后支出将超出预算"):
        services.spending_decide(spending=second, approve=True, actor=None)
    with pytest.raises(DomainError, match="退回须填写审批意见"):
        services.spending_decide(spending=second, approve=False, actor=None)
    second = services.spending_decide(
        spending=second, approve=False, note="超出预算，请调减", actor=None
    )
    assert second.status == "rejected" and second.decided_at
    with pytest.raises(TransitionError, match="该支出已批准，不能再更改"):
        services.spending_decide(spending=first, approve=False, note="x", actor=None)
    services.spending_resubmit(spending=second, actor=None)
    with pytest.raises(TransitionError, match="还有待审批的支出"):
        services.budget_close(budget=budget, actor=None)
    services.spending_decide(
        spending=second, approve=False, note="不再支出", actor=None
    )
    budget = services.budget_close(budget=budget, actor=None)
    assert budget.status == "closed"
    row = budgets(personas.township_staff).get(pk=budget.pk)
    assert row.spent_fen == 80_000 and row.execution_percent == Decimal("80.0")
    assert row.spent_per_deputy_yuan == Decimal("266.67")
    assert FundEvent.objects.filter(budget=budget, to_state="approved").count() == 2


def test_activity_spending_and_the_report_per_capita(sw, personas, world):
    budget = services.budget_approve(
        budget=services.budget_create(
            congress=sw.congress, year=TODAY.year, holder="congress", actor=None
        ),
        actor=None,
    )
    activity = d_services.activity_create(
        congress=sw.congress,
        kind="inspection",
        title="视察乡村道路",
        date=TODAY,
        participants=sw.members,
        actor=None,
    )
    foreign = d_services.activity_create(
        congress=world.other_township_congress,
        kind="inspection",
        title="外乡视察",
        date=TODAY,
        participants=[],
        actor=None,
    )
    with pytest.raises(DomainError, match="关联的履职活动不属于该预算主体"):
        services.spending_create(
            budget=budget,
            date=TODAY,
            amount_fen=100,
            purpose="x",
            activity=foreign,
            actor=None,
        )
    spending = services.spending_create(
        budget=budget,
        date=TODAY,
        amount_fen=150_000,
        purpose="视察用车",
        activity=activity,
        actor=None,
    )
    services.spending_decide(spending=spending, approve=True, actor=None)
    totals = {t["holder"]: t for t in fund_totals(personas.township_staff, TODAY.year)}
    row = totals["人大本级"]
    assert row["deputies"] == budget.deputy_count
    assert row["spent_wan"] == Decimal("0.15")
    assert row["spent_per_deputy"] == (Decimal(1500) / budget.deputy_count).quantize(
        Decimal("0.01")
    )


def test_report_section_budget_vs_spent(sw, world):
    from portal.reports.model import ReportScope
    from portal.reports.periods import year_period
    from stations.incentive_reports import funds

    budget = services.budget_approve(
        budget=station_budget(sw, amount_fen=1_000_000), actor=None
    )
    spending = services.spending_create(
        budget=budget, date=TODAY, amount_fen=400_000, purpose="培训", actor=None
    )
    services.spending_decide(spending=spending, approve=True, actor=None)
    section = funds(
        ReportScope(
            congress=world.county_congress, period=year_period(TODAY.year), today=TODAY
        )
    )
    execution = section.metric("execution")
    assert (execution.numerator, execution.denominator) == (400_000, 1_000_000)
    assert section.metric("budget").value == Decimal("1.00")
    row = section.table("by_holder").rows[0]
    assert row["spent"] == Decimal("0.40") and row["deputies"] == 3
