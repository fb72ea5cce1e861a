"""Issue 19, reports: the units' ranking accounts for volume (Wilson lower bound,
rule values stated), callbacks that find a deputy not really satisfied, urges by
who urged — each figure with its numerator, denominator and definition."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from portal.models import RuleSet
from portal.reports import service
from portal.reports.html import render_standalone
from portal.reports.model import wilson_lower_bound, z_for_confidence
from portal.services import rule_set_update
from proposals import reports
from proposals import services as p_services
from proposals.models import Evaluation, Urge
from proposals.reports.tables import rank_units

from .conftest import _registered, _reply

pytestmark = pytest.mark.django_db

NOT_SATISFIED = Evaluation.CallbackFinding.NOT_SATISFIED


def values(section) -> dict:
    return {m.key: (m.value, m.numerator, m.denominator) for m in section.metrics}


def metric(section, key):
    return next(m for m in section.metrics if m.key == key)


def county_rules(world, **values):
    rule_set_update(
        rule_set=RuleSet.objects.get_or_create(
            congress=world.county_congress, defaults={"name": "县规则"}
        )[0],
        values=values,
        actor=None,
    )


# --- the ranking method -------------------------------------------------------------


def test_the_lower_bound_accounts_for_volume():
    z = z_for_confidence(95)
    assert z == 1.96
    assert wilson_lower_bound(5, 5, z) == pytest.approx(0.5655, abs=1e-4)
    assert wilson_lower_bound(198, 200, z) == pytest.approx(0.9643, abs=1e-4)
    assert wilson_lower_bound(0, 0, z) is None
    assert wilson_lower_bound(0, 10, z) == 0.0
    # More items at the same rate: a higher lower bound.
    assert wilson_lower_bound(50, 50, z) > wilson_lower_bound(5, 5, z)


def _row(unit, evaluated, content, answering=None):
    return {
        "unit": unit,
        "answering": answering if answering is not None else evaluated,
        "satisfaction_rate": content / evaluated,
        "satisfaction_bound": wilson_lower_bound(content, evaluated, 1.96),
        "on_time_bound": None,
    }


def test_five_at_100_percent_do_not_outrank_two_hundred_at_99():
    rows = [_row("小单位", 5, 5), _row("大单位", 200, 198)]
    rank_units(rows, minimum=5)
    assert [(r["unit"], r["rank"]) for r in rows] == [("大单位", 1), ("小单位", 2)]
    # Ranked by the plain rate, the small unit would have come first.
    assert rows[1]["satisfaction_rate"] > rows[0]["satisfaction_rate"]


def test_units_below_the_minimum_volume_are_listed_unranked():
    rows = [_row("小单位", 4, 4), _row("大单位", 200, 198)]
    rank_units(rows, minimum=5)
    assert [(r["unit"], r["rank"]) for r in rows] == [("大单位", 1), ("小单位", None)]


def _rated(data, world, personas, unit, title, result):
    s = _registered(data, title, "transport")
    p_services.suggestion_assign(suggestion=s, units=[(unit, "lead")], actor=None)
    _reply(s, unit, category="A", method="meeting")
    p_services.suggestion_evaluate(
        suggestion=s,
        actor=personas.deputy,
        result=result,
        attitude="satisfied",
        comment="答复未解决实际问题",
    )


@pytest.fixture
def five_and_two_hundred(terms, personas):
    """world.unit: 5 items, all rated satisfied (100 %); world.other_unit: 200
    items, 198 satisfied (99 %); through the services."""
    from deputies import services as deputy_services
    from tests.factories import make_mandate

    from .conftest import Suggestions, today

    world = terms
    lead = make_mandate(world.county_congress, "丁一", user=personas.deputy)
    activity = deputy_services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="调研",
        date=today(),
        participants=[lead],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=activity, mandate=lead, status="attended", actor=None
    )
    data = Suggestions(lead=lead, activity=activity)
    for i in range(5):
        _rated(data, world, personas, world.unit, f"小单位建议{i}", "satisfied")
    for i in range(200):
        result = "dissatisfied" if i < 2 else "satisfied"
        _rated(data, world, personas, world.other_unit, f"大单位建议{i}", result)
    return world


def test_the_report_ranks_two_hundred_at_99_above_five_at_100(
    five_and_two_hundred, county_scope
):
    world = five_and_two_hundred
    table = reports.build(county_scope).table("units")
    rows = {row["unit"]: row for row in table.rows}
    small, big = rows[world.unit.name], rows[world.other_unit.name]
    assert (small["evaluated"], small["satisfaction_rate"]) == (5, 1.0)
    assert (big["evaluated"], big["satisfaction_rate"]) == (200, pytest.approx(0.99))
    assert small["satisfaction_bound"] == pytest.approx(0.5655, abs=1e-4)
    assert big["satisfaction_bound"] == pytest.approx(0.9643, abs=1e-4)
    assert [(row["unit"], row["rank"]) for row in table.rows] == [
        (world.other_unit.name, 1),
        (world.unit.name, 2),
    ]


def test_the_report_states_how_it_ranks_with_the_rule_values(
    suggestions, county_scope, world
):
    note = str(reports.build(county_scope).table("units").note)
    assert "按满意率的威尔逊置信区间下限（置信水平95%，z=1.96）由高到低排名" in note
    assert "主办（分办）件数少于5件的单位不参与排名" in note
    county_rules(world, ranking_min_volume=3, ranking_confidence_percent=90)
    note = str(reports.build(county_scope).table("units").note)
    assert "置信水平90%，z=1.64" in note and "少于3件" in note
    columns = [c.key for c in reports.build(county_scope).table("units").columns]
    assert "satisfaction_bound" in columns


def test_the_confidence_level_is_a_bounded_rule(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        county_rules(world, ranking_confidence_percent=100)
    assert "取值应在50至99之间。" in str(refused.value)


# --- callbacks ----------------------------------------------------------------------


def test_callback_findings_are_counted_with_numerator_and_denominator(
    suggestions, county_scope, world
):
    s1, s2 = suggestions.items["s1"], suggestions.items["s2"]
    p_services.evaluations_sample_for_callback(
        congress=world.county_congress,
        year=s1.year,
        size=10,
        seed=1,
        actor=None,
    )
    # s1 (satisfied) and s2 (basically satisfied) are sampled; s3 was dissatisfied.
    p_services.evaluation_record_callback(
        evaluation=s1.evaluations.get(),
        note="代表说路还没修好",
        finding=NOT_SATISFIED,
        actor=None,
    )
    before = values(reports.build(county_scope))
    assert before["callbacks"][0] == 2
    assert before["callback_unsatisfied_rate"] == (1.0, 1, 1)
    p_services.evaluation_record_callback(
        evaluation=s2.evaluations.get(),
        note="代表确认基本满意",
        finding=Evaluation.CallbackFinding.CONFIRMED,
        actor=None,
    )
    p_services.suggestion_rehandle_after_callback(suggestion=s1, actor=None)

    section = reports.build(county_scope)
    v = values(section)
    assert v["callback_unsatisfied_rate"] == (0.5, 1, 2)
    assert v["callback_rehandled"][0] == 1
    assert v["rehandled"][0] == 2  # s3 (dissatisfied) and s1 (the callback)
    # The ratings themselves never change: s1's satisfied rating stays counted
    # until the next round is rated.
    assert v["satisfaction_rate"][1:] == (2, 3)


# --- urges --------------------------------------------------------------------------


def test_urges_are_split_by_who_urged(suggestions, county_scope, world, personas):
    s4 = suggestions.items["s4"]
    assignment = s4.assignments.get()
    urge = p_services.urge_create(
        assignment=assignment, actor=personas.deputy, note="代表催办"
    )
    assert urge.by_role == Urge.ByRole.DEPUTY
    assert set(Urge.objects.exclude(pk=urge.pk).values_list("by_role", flat=True)) == {
        Urge.ByRole.STAFF
    }

    section = reports.build(county_scope)
    v = values(section)
    assert (v["urges"][0], v["urges_staff"][0], v["urges_deputy"][0]) == (3, 2, 1)
    assert "其中人大工作人员催办2次、代表催办1次" in str(
        metric(section, "urges").definition
    )
    row = next(
        r for r in section.table("units").rows if r["unit"] == world.other_unit.name
    )
    assert (row["urges"], row["urges_staff"], row["urges_deputy"]) == (3, 2, 1)


def test_the_migration_backfills_who_urged(suggestions, personas):
    s4 = suggestions.items["s4"]
    assignment = s4.assignments.get()
    by_deputy = Urge.objects.create(
        assignment=assignment, by=personas.deputy, by_role=Urge.ByRole.STAFF
    )
    gone = Urge.objects.create(assignment=assignment, by=None)
    migration = importlib.import_module(
        "proposals.migrations.0010_callback_finding_urge_role"
    )
    migration.backfill_urge_roles(apps, None)
    roles = dict(Urge.objects.values_list("pk", "by_role"))
    assert roles[by_deputy.pk] == Urge.ByRole.DEPUTY
    assert roles[gone.pk] == Urge.ByRole.STAFF
    assert sorted(roles.values()).count(Urge.ByRole.STAFF) == 3


# --- every new definition is stated -------------------------------------------------


def test_every_new_figure_states_its_definition(suggestions, county_scope):
    section = reports.build(county_scope)
    for key in (
        "callbacks",
        "callback_unsatisfied_rate",
        "callback_rehandled",
        "urges",
        "urges_staff",
        "urges_deputy",
        "rehandled",
        "satisfaction_rate",
    ):
        assert str(metric(section, key).definition).strip(), key
    rate = metric(section, "callback_unsatisfied_rate")
    assert "÷" in str(rate.definition)
    assert "回访发现代表实际不满意" in str(
        metric(section, "satisfaction_rate").definition
    )


def test_the_rendered_report_carries_the_method_and_definitions(
    suggestions, world, period, personas
):
    report = service.build_report(
        congress=world.county_congress,
        period=period,
        user=personas.county_staff,
        sections=["suggestions"],
    )
    html = render_standalone(report)
    assert "威尔逊置信区间下限（置信水平95%，z=1.96）" in html
    assert "已记录回访结论的评价数" in html
    assert "人大工作人员催办" in html and "代表催办" in html
