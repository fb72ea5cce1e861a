"""Rule sets: legal defaults, level defaults and inheritance down the congress tree."""

import pytest
from django.core.exceptions import ValidationError

from portal import services
from portal.models import AuditEvent, RuleSet
from portal.rules import rules_for

pytestmark = pytest.mark.django_db


def test_national_defaults_come_from_the_seeded_rule_set(world):
    rules = rules_for(world.county_congress)
    assert rules.assignment_due_months == 3
    assert rules.extension_max_months == 6
    assert rules["bill_min_cosigners"] == 10
    assert rules.reply_categories["A"] == "已解决或基本解决"


def test_township_level_default_is_five_cosigners(world):
    assert rules_for(world.township_congress).bill_min_cosigners == 5


def test_editing_the_national_rule_set_changes_every_congress(world):
    national = RuleSet.objects.get(congress=None, level="")
    services.rule_set_update(
        rule_set=national,
        values={**national.values, "opinion_due_working_days": 10},
        actor=None,
    )
    assert rules_for(world.township_congress).opinion_due_working_days == 10


def test_a_county_override_is_inherited_by_its_townships_only(world):
    rule_set = RuleSet.objects.create(congress=world.county_congress, name="湘源县规则")
    services.rule_set_update(
        rule_set=rule_set, values={"duty_publish_days_ahead": 5}, actor=None
    )
    assert rules_for(world.county_congress).duty_publish_days_ahead == 5
    assert rules_for(world.township_congress).duty_publish_days_ahead == 5
    assert rules_for(world.other_township_congress).duty_publish_days_ahead == 3


def test_own_rule_set_wins_over_the_level_above(world):
    services.rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.county_congress, name="县"),
        values={"opinion_max_rounds": 3},
        actor=None,
    )
    services.rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="乡"),
        values={"opinion_max_rounds": 4},
        actor=None,
    )
    assert rules_for(world.township_congress).opinion_max_rounds == 4


def test_rule_lookup_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # ancestors + rule sets
        rules_for(world.township_congress)


def test_bad_rule_values_are_refused_with_field_errors(world):
    rule_set = RuleSet.objects.create(congress=world.county_congress, name="县")
    with pytest.raises(ValidationError) as exc:
        services.rule_set_update(
            rule_set=rule_set,
            values={"opinion_max_rounds": "two", "no_such_rule": 1, "term_years": -1},
            actor=None,
        )
    assert set(exc.value.message_dict) == {
        "opinion_max_rounds",
        "no_such_rule",
        "term_years",
    }
    rule_set.refresh_from_db()
    assert rule_set.values == {}


def test_rule_update_is_audited(world, personas):
    rule_set = RuleSet.objects.create(congress=world.county_congress, name="县")
    services.rule_set_update(
        rule_set=rule_set, values={"opinion_max_rounds": 3}, actor=personas.admin
    )
    event = AuditEvent.objects.get(action="ruleset.update")
    assert event.actor == personas.admin
    assert event.data["after"] == {"opinion_max_rounds": 3}
    assert event.region_path == world.county.path


def test_term_length_comes_from_the_rules(world):
    term = world.county_congress.terms.first()
    assert term is None  # the factory makes no term
    from datetime import date

    from tests.factories import CongressFactory, RegionFactory

    congress = CongressFactory(
        region=RegionFactory(parent=world.city),
        term_number=19,
        term_start=date(2026, 10, 20),
    )
    assert congress.current_term().end_date == date(2031, 10, 20)
    assert str(congress.current_term()).endswith("第十九届")
