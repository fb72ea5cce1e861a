"""The staff dashboard's report cards: this year's key rates of the user's congress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

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
    assert sections == [
        "suggestions",
        "deputies",
        "commendations",  # issue 17
        "stations",
        "station_networks",  # issue 17
        "activity_funds",  # issue 17
        "legislative_consultation",  # issue 17
        "livelihood",
    ]


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


# --- snapshots -------------------------------------------------------------------------


def _fake_snapshot(scope, *, age_minutes: int, value: str = "99.9%"):
    from portal.models import DashboardSnapshot

    now = timezone.now()
    return DashboardSnapshot.objects.create(
        card="suggestions",
        congress=scope.congress,
        year=scope.period.start.year,
        language="zh-hans",
        data={"stats": [{"label": "办复率", "value": value}], "note": ""},
        computed_at=now - timedelta(minutes=age_minutes),
        viewed_at=now - timedelta(minutes=age_minutes),
    )


def _no_figures(monkeypatch):
    from portal import registry

    def refuse(scope):
        raise AssertionError("the dashboard must not aggregate")

    monkeypatch.setitem(registry._card_figures, "suggestions", refuse)


def test_the_dashboard_reads_the_snapshot_and_says_when_it_was_computed(
    client, personas, monkeypatch
):
    scope = service.dashboard_scope(personas.county_staff)
    snapshot = _fake_snapshot(scope, age_minutes=3, value="12.3%")
    _no_figures(monkeypatch)
    client.force_login(personas.county_staff)

    html = client.get(DASHBOARD).content.decode()

    shown = timezone.localtime(snapshot.computed_at).strftime("%H:%M")
    assert "12.3%" in html and f"数据更新于 {shown}" in html


def test_a_snapshot_older_than_ten_minutes_is_recomputed_once(
    personas, suggestions, django_assert_num_queries
):
    scope = service.dashboard_scope(personas.county_staff)
    _fake_snapshot(scope, age_minutes=11)

    card = proposal_reports.dashboard_card(personas.county_staff)
    with django_assert_num_queries(0):
        again = proposal_reports.dashboard_card(personas.county_staff)

    assert card["stats"][0]["value"] != "99.9%" and again == card
    assert timezone.now() - card["computed_at"] < timedelta(minutes=1)


def test_a_cold_miss_is_computed_once_and_stored(personas, suggestions):
    from portal.models import DashboardSnapshot

    first = proposal_reports.dashboard_card(personas.county_staff)
    cache.clear()  # another web process: the stored snapshot serves it

    second = proposal_reports.dashboard_card(personas.county_staff)

    row = DashboardSnapshot.objects.get(card="suggestions")
    assert second["computed_at"] == first["computed_at"] == row.computed_at
    assert row.data["stats"] == first["stats"]


def test_the_beat_task_refreshes_the_cards_viewed_lately(personas, world, suggestions):
    from portal.models import DashboardSnapshot
    from portal.tasks import refresh_dashboard_cards

    scope = service.dashboard_scope(personas.county_staff)
    viewed = _fake_snapshot(scope, age_minutes=4)
    other = service.dashboard_scope(personas.other_county_staff)
    forgotten = _fake_snapshot(other, age_minutes=40)

    assert refresh_dashboard_cards.apply().get() == 1

    viewed.refresh_from_db()
    forgotten.refresh_from_db()
    assert viewed.data["stats"][0]["value"] != "99.9%"
    assert timezone.now() - viewed.computed_at < timedelta(minutes=1)
    assert forgotten.data["stats"][0]["value"] == "99.9%"
    card = proposal_reports.dashboard_card(personas.county_staff)
    assert card["stats"] == viewed.data["stats"]
    assert DashboardSnapshot.objects.count() == 2


def test_the_beat_schedule_refreshes_cards_at_least_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-dashboard-cards"]

    assert entry["task"] == "portal.tasks.refresh_dashboard_cards"
    assert entry["schedule"] <= 5 * 60
    assert timedelta(minutes=10) >= service.CARD_FRESH_FOR
