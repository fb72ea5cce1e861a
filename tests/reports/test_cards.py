"""The staff dashboard's report cards: this year's key rates of the user's congress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal import registry
from portal.reports import service
from proposals import reports as proposal_reports
from stations import reports as station_reports

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("staff:dashboard")


def test_cards_are_registered_at_start_up():
    keys = {card.key for card in registry._cards.values()}
    sections = [section.key for section in registry.report_sections()]

    assert {"report_suggestions", "report_opinions"} <= keys
    assert sections == ["suggestions", "deputies", "stations", "livelihood"]


def test_county_staff_see_the_key_rates_of_their_county(
    client, personas, world, suggestions, stations
):
    client.force_login(personas.county_staff)

    html = client.get(DASHBOARD).content.decode()

    assert "议案建议办理（本年度）" in html and "群众意见办理（本年度）" in html
    scope = service.dashboard_scope(personas.county_staff)
    assert scope.congress == world.county_congress
    rates = proposal_reports.key_rates(scope)
    assert f"办复率（交办{rates['counts']['handled']}件）" in html
    assert rates["reply_rate"].display in html
    assert station_reports.key_rates(scope)["on_time_closure_rate"].display in html
    assert "湘源县人民代表大会及以下各级" in html
    assert f"{reverse('reports:view')}?congress={world.county_congress.pk}" in html


def test_cards_are_not_shown_to_units_or_deputies(personas):
    for user in (personas.unit_staff, personas.deputy, personas.nobody):
        assert proposal_reports.dashboard_card(user) is None
        assert station_reports.dashboard_card(user) is None


def test_leaders_and_admins_see_the_cards(personas, world):
    assert proposal_reports.dashboard_card(personas.leader) is not None
    assert service.dashboard_scope(personas.admin).congress == world.province_congress


def test_card_figures_are_cached_for_a_few_minutes(
    personas, suggestions, django_assert_num_queries
):
    first = proposal_reports.dashboard_card(personas.county_staff)

    with django_assert_num_queries(0):
        assert proposal_reports.dashboard_card(personas.county_staff) == first
