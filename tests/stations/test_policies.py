"""Who may do what on stations, duty days and opinions (stations.policies): the
personas who may, and those who may NOT, in each state of the loop."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portal.policies import Forbidden
from stations import services
from stations.models import DutyDay, Opinion
from stations.policies import DutyDayPolicy, OpinionPolicy, StationPolicy

pytestmark = pytest.mark.django_db


def persona(sw, personas, name):
    if name == "anonymous":
        return AnonymousUser()
    return getattr(sw, name, None) or getattr(personas, name)


def submit(sw):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="村口道路坑洼，雨天积水严重。",
        actor=None,
    )


def reload(opinion):
    return Opinion.objects.select_related("station").get(pk=opinion.pk)


# --- stations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["station_staff", "township_staff", "county_staff", "province_staff", "admin"],
)
def test_station_staff_and_congress_staff_above_may_manage_a_station(
    sw, personas, name
):
    assert StationPolicy.allows(persona(sw, personas, name), "manage", sw.station)


@pytest.mark.parametrize(
    "name",
    [
        "leader",
        "unit_staff",
        "deputy",
        "other_station_staff",
        "other_county_staff",
        "township_gov",
        "nobody",
        "anonymous",
    ],
)
def test_others_may_not_manage_a_station(sw, personas, name):
    user = persona(sw, personas, name)
    assert StationPolicy.actions_for(user, sw.station) == frozenset()
    with pytest.raises(Forbidden, match="只有本站工作人员或本级人大工作人员"):
        StationPolicy.require(user, "manage", sw.station)


# --- duty days ------------------------------------------------------------------------


def _day(sw, days_ahead, publish=False):
    day = services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() + timedelta(days=days_ahead),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
        # planned in time (the lead-time rule), whatever day it is now
        today=timezone.localdate() - timedelta(days=10),
    )
    if publish:
        services.duty_day_publish(duty_day=day, actor=None)
    return DutyDay.objects.select_related("station").get(pk=day.pk)


def test_a_coming_unpublished_day_may_be_published_not_recorded(sw):
    day = _day(sw, 5)
    assert DutyDayPolicy.actions_for(sw.station_staff, day) == {
        "publish",
        "edit",
        "cancel",
        "delete",
    }


def test_a_published_day_is_not_published_again(sw):
    day = _day(sw, 5, publish=True)
    # changed or cancelled (with a public notice), never deleted
    assert DutyDayPolicy.actions_for(sw.station_staff, day) == {"edit", "cancel"}


def test_attendance_is_recorded_from_the_day_on(sw):
    today = _day(sw, 0)
    past = _day(sw, -1)
    assert DutyDayPolicy.actions_for(sw.station_staff, today) == {
        "publish",
        "record_attendance",
        "edit",
        "cancel",
        "delete",
    }
    assert DutyDayPolicy.actions_for(sw.station_staff, past) == {
        "record_attendance",
        "delete",
    }


@pytest.mark.parametrize("name", ["leader", "other_station_staff", "unit_staff"])
def test_others_may_not_publish_or_record(sw, personas, name):
    user = persona(sw, personas, name)
    assert DutyDayPolicy.actions_for(user, _day(sw, 5)) == frozenset()
    assert DutyDayPolicy.actions_for(user, _day(sw, -2)) == frozenset()


# --- opinions: the loop, state by state ---------------------------------------------------


def test_a_received_opinion_is_triaged_assigned_or_converted_by_the_station(sw):
    opinion = reload(submit(sw))
    assert OpinionPolicy.offered(sw.station_staff, opinion) == {
        "triage",
        "assign",
        "convert",
    }
    assert OpinionPolicy.flags(sw.station_staff, opinion)["can_manage"] is True


@pytest.mark.parametrize(
    "name", ["leader", "unit_staff", "deputy", "other_station_staff", "anonymous"]
)
def test_others_are_offered_nothing_on_a_received_opinion(sw, personas, name):
    opinion = reload(submit(sw))
    assert OpinionPolicy.offered(persona(sw, personas, name), opinion) == frozenset()


def test_a_leader_reads_the_outcome_but_may_not_act(sw, personas):
    opinion = reload(submit(sw))
    assert OpinionPolicy.actions_for(personas.leader, opinion) == {"read_outcome"}
    with pytest.raises(Forbidden, match="只有本站工作人员或本级人大工作人员"):
        OpinionPolicy.require(personas.leader, "manage", opinion)


def test_an_assigned_opinion_is_answered_by_its_unit_only(sw, world, personas):
    opinion = reload(
        services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    )
    assert OpinionPolicy.actions_for(sw.unit_staff, opinion) == {
        "answer",
        "reply",
        "read_outcome",
        "reveal_contact",
    }
    assert OpinionPolicy.offered(sw.station_staff, opinion) == {"assign", "reply"}
    assert OpinionPolicy.actions_for(sw.other_unit_staff, opinion) == frozenset()
    with pytest.raises(Forbidden, match="只有承办单位或联络站工作人员可以答复"):
        OpinionPolicy.require(sw.other_unit_staff, "answer", opinion)
    with pytest.raises(Forbidden, match="只有本站工作人员或本级人大工作人员"):
        OpinionPolicy.require(sw.unit_staff, "manage", opinion)


def test_a_replied_opinion_is_visited_by_the_station(sw, world, personas):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = reload(services.opinion_reply(opinion=opinion, text="已修复", actor=None))
    assert OpinionPolicy.offered(sw.station_staff, opinion) == {"visit"}
    assert OpinionPolicy.offered(sw.unit_staff, opinion) == frozenset()


@pytest.mark.parametrize(
    ("result", "offered"),
    [("satisfied", {"close"}), ("dissatisfied", {"assign", "close"})],
)
def test_after_the_visit_close_or_reassign_a_dissatisfied_one(
    sw, world, result, offered
):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = services.opinion_reply(opinion=opinion, text="已修复", actor=None)
    opinion = reload(services.opinion_visit(opinion=opinion, result=result, actor=None))
    assert OpinionPolicy.offered(sw.station_staff, opinion) == offered


def test_a_former_unit_no_longer_reads_the_outcome(sw, world, personas):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = services.opinion_reply(opinion=opinion, text="已修复", actor=None)
    opinion = services.opinion_visit(opinion=opinion, result="dissatisfied", actor=None)
    opinion = reload(
        services.opinion_assign(opinion=opinion, unit=sw.other_unit, actor=None)
    )
    assert OpinionPolicy.actions_for(sw.unit_staff, opinion) == frozenset()
    assert "reply" in OpinionPolicy.offered(sw.other_unit_staff, opinion)


# Escalated is not finished: the congress above handles it (tests/stations/test_levels.py).
@pytest.mark.parametrize("outcome", ["answered_on_site", "not_accepted", "pooled"])
def test_a_finished_opinion_offers_no_loop_action(sw, outcome):
    opinion = services.opinion_triage(
        opinion=submit(sw), outcome=outcome, note="已告知依法解决的途径", actor=None
    )
    opinion = reload(opinion)
    assert Opinion.TRANSITIONS[opinion.status] == set()
    assert OpinionPolicy.offered(sw.station_staff, opinion) == frozenset()
    # Still the station's to steer: a refused transition is the service's reason.
    assert OpinionPolicy.allows(sw.station_staff, "manage", opinion)
