"""Levels (issue 13): congresses above supervise a station's opinions but do not
act for the congress below; an escalated opinion goes on in the upper congress's
own loop and its outcome comes back down; county departments are reached through
the county congress (转县级人大办理), never straight from the township station."""

import pytest
from django.urls import reverse

from portal.models import Notification
from portal.policies import Forbidden
from portal.services import DomainError
from stations import selectors, services
from stations.models import Opinion
from stations.policies import OpinionPolicy

pytestmark = pytest.mark.django_db

API = "/api/v1/opinions"


def submit(sw, **extra):
    fields = {
        "station": sw.station,
        "name": "张三",
        "phone": "13812345678",
        "content": "县道路面塌陷，需要县交通部门处理。",
        "category": "transport",
    }
    fields.update(extra)
    return services.opinion_submit(**{"actor": None, **fields})


def reload(opinion):
    return Opinion.objects.select_related(
        "station", "congress__region", "escalated_to__region"
    ).get(pk=opinion.pk)


def escalate(sw, opinion=None):
    return services.opinion_triage(
        opinion=opinion or submit(sw),
        outcome="escalated",
        note="涉及县道，需县交通运输局处理",
        actor=sw.station_staff,
    )


# --- 1. upper congresses supervise, do not act -----------------------------------------


def test_an_opinion_belongs_to_the_congress_of_its_station(sw, world):
    assert submit(sw).congress == world.township_congress


@pytest.mark.parametrize("name", ["county_staff", "province_staff"])
def test_upper_congress_staff_read_but_are_offered_no_step(sw, personas, name):
    opinion = reload(submit(sw))
    user = getattr(personas, name)
    assert OpinionPolicy.offered(user, opinion) == frozenset()
    assert OpinionPolicy.allows(user, "read_outcome", opinion)
    # The citizen's number stays masked for them: only the loop reveals it.
    assert not OpinionPolicy.allows(user, "reveal_contact", opinion)
    with pytest.raises(Forbidden, match="上级人大常委会对下级人大的群众意见进行监督"):
        OpinionPolicy.require(user, "manage", opinion)


def test_the_township_congress_and_the_station_act_on_their_own_opinion(sw, personas):
    opinion = reload(submit(sw))
    for user in (personas.township_staff, sw.station_staff, personas.admin):
        assert OpinionPolicy.offered(user, opinion) == {"triage", "assign", "convert"}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("triage", {"outcome": "pooled"}),
        ("assign", {"unit": "township_unit"}),
        ("convert", {"deputy": "member"}),
        ("close", {}),
    ],
)
def test_upper_congress_staff_transitions_are_403_over_the_api(
    api_as, sw, personas, path, data
):
    opinion = submit(sw)
    values = {
        key: (
            sw.unit.pk
            if value == "township_unit"
            else sw.members[0].pk
            if value == "member"
            else value
        )
        for key, value in data.items()
    }
    county = api_as(personas.county_staff)
    assert county.get(f"{API}/{opinion.pk}/").status_code == 200
    response = county.post(f"{API}/{opinion.pk}/{path}/", values, format="json")
    assert response.status_code == 403
    assert "监督" in response.json()["detail"]
    assert reload(opinion).status == "received"


def test_upper_congress_staff_posting_on_the_page_is_403_but_they_read_it(
    client, sw, personas
):
    opinion = submit(sw)
    client.force_login(personas.county_staff)
    page = client.get(reverse("stations:opinion", args=[opinion.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert opinion.tracking_code in html and "确认分流" not in html
    response = client.post(
        reverse("stations:opinion_triage", args=[opinion.pk]), {"outcome": "pooled"}
    )
    assert response.status_code == 403
    assert reload(opinion).status == "received"


def test_a_replied_township_opinion_is_visited_by_the_township_not_the_county(
    sw, personas
):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = reload(services.opinion_reply(opinion=opinion, text="已处理", actor=None))
    assert OpinionPolicy.offered(personas.township_staff, opinion) == {"visit"}
    assert OpinionPolicy.offered(personas.county_staff, opinion) == frozenset()


# --- 2. escalation continues in the upper congress's loop ------------------------------


def test_escalation_hands_the_opinion_to_the_county_congress(
    sw, world, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opinion = reload(escalate(sw))
    assert opinion.status == "escalated"
    assert opinion.escalated_to == world.county_congress
    assert opinion.is_open
    # The county now steers; the station and the township only read.
    assert OpinionPolicy.offered(personas.county_staff, opinion) == {
        "triage",
        "assign",
    }
    assert OpinionPolicy.offered(sw.station_staff, opinion) == frozenset()
    assert OpinionPolicy.offered(personas.township_staff, opinion) == frozenset()
    assert OpinionPolicy.offered(personas.province_staff, opinion) == frozenset()
    with pytest.raises(Forbidden, match="该意见已转.*办理，由其工作人员交办和办结"):
        OpinionPolicy.require(sw.station_staff, "manage", opinion)
    assert Notification.objects.filter(
        recipient=personas.county_staff, kind="opinion.escalated"
    ).exists()


def test_an_escalated_opinion_is_in_the_county_inbox_and_to_dos(
    client, api_as, sw, personas
):
    escalated = escalate(sw)
    own = submit(sw)
    county = api_as(personas.county_staff)
    ids = [o["id"] for o in county.get(f"{API}/?handled_here=true").json()["results"]]
    assert ids == [escalated.pk]
    body = county.get(f"{API}/?escalated_to={escalated.escalated_to_id}").json()
    assert [o["id"] for o in body["results"]] == [escalated.pk]
    assert body["results"][0]["escalated_to_name"] == "湘源县人民代表大会"
    township_ids = [
        o["id"]
        for o in api_as(personas.township_staff)
        .get(f"{API}/?handled_here=true")
        .json()["results"]
    ]
    assert township_ids == [own.pk]

    client.force_login(personas.county_staff)
    html = client.get(reverse("stations:inbox"), {"escalated_in": "on"}).content
    html = html.decode()
    assert escalated.tracking_code in html and own.tracking_code not in html
    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    assert f"下级报送的群众意见待交办：{escalated.tracking_code}" in dashboard


def test_the_county_loop_end_to_end_and_the_outcome_comes_back_down(
    client, api_as, api, sw, world, personas, django_capture_on_commit_callbacks
):
    from tests.stations.test_feedback import deputy_member

    deputy_user, mandate = deputy_member(sw)
    with django_capture_on_commit_callbacks(execute=True):
        opinion = submit(sw, deputies=[mandate])
        base = f"{API}/{opinion.pk}"
        station = api_as(sw.station_staff)
        response = station.post(
            f"{base}/triage/", {"outcome": "escalated", "note": "县道"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "escalated"
        # No longer the station's to assign, even to its own units.
        refused = station.post(f"{base}/assign/", {"unit": sw.unit.pk}, format="json")
        assert refused.status_code == 403

        county = api_as(personas.county_staff)
        response = county.post(
            f"{base}/assign/", {"unit": world.unit.pk}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "assigned"
        reply = api_as(personas.unit_staff).post(
            f"{base}/reply/", {"text": "已安排对县道塌陷路段抢修。"}, format="json"
        )
        assert reply.json()["status"] == "replied"
        county = api_as(personas.county_staff)
        visited = county.post(f"{base}/visit/", {"result": "satisfied"}, format="json")
        assert visited.json()["status"] == "visited"
        closed = county.post(f"{base}/close/", {}, format="json").json()
    assert closed["status"] == "closed"
    assert [e["to_status"] for e in closed["events"]] == [
        "received",
        "escalated",
        "assigned",
        "replied",
        "visited",
        "closed",
    ]
    # The station's staff read the outcome …
    station_view = api_as(sw.station_staff).get(f"{base}/").json()
    assert station_view["public_reply"] == "已安排对县道塌陷路段抢修。"
    client.force_login(sw.station_staff)
    assert "已安排对县道塌陷路段抢修" in client.get(
        reverse("stations:opinion", args=[opinion.pk])
    ).content.decode("utf-8")
    # … the deputy who received it, on their page and in their notifications …
    client.force_login(deputy_user)
    mine = client.get(reverse("stations:my_opinions")).content.decode()
    assert opinion.tracking_code in mine and "已安排对县道塌陷路段抢修" in mine
    kinds = set(
        Notification.objects.filter(recipient=deputy_user).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"opinion.replied", "opinion.closed"}
    # … and the citizen, by tracking code.
    api.force_authenticate(user=None)
    tracked = api.get(f"/api/v1/public/opinions/{opinion.tracking_code}/").json()
    assert tracked["status"] == "closed"
    assert tracked["reply"] == "已安排对县道塌陷路段抢修。"


def test_the_county_may_not_accept_an_escalated_opinion_with_the_channel(sw, personas):
    opinion = services.opinion_triage(
        opinion=escalate(sw),
        outcome="not_accepted",
        note="属民事纠纷，请向人民法院起诉",
        actor=personas.county_staff,
    )
    assert opinion.status == "not_accepted"
    assert (
        selectors.public_opinion(opinion)["channel"] == "属民事纠纷，请向人民法院起诉"
    )


def test_the_county_loop_uses_the_county_rules(sw, world):
    from portal.models import RuleSet
    from portal.services import rule_set_update

    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.county_congress, name="县"),
        values={"opinion_max_rounds": 1},
        actor=None,
    )
    opinion = services.opinion_assign(opinion=escalate(sw), unit=world.unit, actor=None)
    opinion = services.opinion_reply(opinion=opinion, text="答复", actor=None)
    opinion = services.opinion_visit(opinion=opinion, result="dissatisfied", actor=None)
    closed = services.opinion_close(opinion=opinion, actor=None)
    assert closed.status == "closed" and closed.needs_supervision


# --- 3. county departments through the county congress ---------------------------------


def test_the_township_assigns_to_township_units_only(sw, world):
    opinion = reload(submit(sw))
    assert set(selectors.assignable_units(opinion)) == {sw.unit, sw.other_unit}


def test_assigning_a_county_department_from_the_station_is_refused_with_the_path(
    sw, world
):
    opinion = submit(sw)
    with pytest.raises(DomainError) as exc:
        services.opinion_assign(
            opinion=opinion, unit=world.unit, actor=sw.station_staff
        )
    assert exc.value.field == "unit"
    assert exc.value.message == (
        "湘源县交通运输局是上级部门，不能由桃花乡人民代表大会直接交办。"
        "请选择“转县级人大办理”，由上级人大常委会交办。"
    )
    assert reload(opinion).status == "received"
    assert not opinion.assignments.exists()


def test_a_unit_of_another_county_is_refused(sw, world):
    opinion = escalate(sw)
    with pytest.raises(DomainError, match="云溪县交通运输局不是湘源县人民代表大会本级"):
        services.opinion_assign(
            opinion=opinion, unit=world.other_county_unit, actor=None
        )


def test_after_forwarding_the_county_assigns_county_departments_only(sw, world):
    opinion = reload(escalate(sw))
    assert set(selectors.assignable_units(opinion)) == {world.unit, world.other_unit}
    with pytest.raises(DomainError, match="桃花乡人民政府不是湘源县人民代表大会本级"):
        services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    assigned = services.opinion_assign(opinion=opinion, unit=world.unit, actor=None)
    assert assigned.current_unit == world.unit


def test_assign_over_the_api_is_400_with_the_reason(api_as, sw, world):
    opinion = submit(sw)
    response = api_as(sw.station_staff).post(
        f"{API}/{opinion.pk}/assign/", {"unit": world.unit.pk}, format="json"
    )
    assert response.status_code == 400
    assert "转县级人大办理" in response.json()["unit"][0]
    missing = api_as(sw.station_staff).post(
        f"{API}/{opinion.pk}/assign/", {"unit": 999999}, format="json"
    )
    assert missing.status_code == 400 and "unit" in missing.json()


def test_the_page_offers_forwarding_up_and_township_units(client, sw, world):
    opinion = submit(sw)
    client.force_login(sw.station_staff)
    html = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert "转县级人大办理" in html
    assert "桃花乡人民政府" in html and "湘源县交通运输局" not in html
    response = client.post(
        reverse("stations:opinion_assign", args=[opinion.pk]), {"unit": world.unit.pk}
    )
    assert response.status_code == 400
    assert "转县级人大办理" in response.content.decode()
    response = client.post(
        reverse("stations:opinion_triage", args=[opinion.pk]),
        {"outcome": "escalated", "note": "县道"},
    )
    assert response.status_code == 302
    assert reload(opinion).escalated_to == world.county_congress


def test_an_overdue_escalated_opinion_reminds_the_county_not_the_station(
    sw, world, personas
):
    from datetime import date

    from portal.notifications import run_reminders

    opinion = services.opinion_assign(opinion=escalate(sw), unit=world.unit, actor=None)
    Opinion.objects.filter(pk=opinion.pk).update(due_date=date(2026, 12, 31))
    run_reminders(date(2027, 1, 1), jobs=["opinions_overdue"])
    recipients = set(
        Notification.objects.filter(kind="opinion.overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"county_staff", "unit_staff_p"}


def test_the_station_has_no_to_do_for_an_escalated_reply(client, sw, world):
    opinion = services.opinion_assign(opinion=escalate(sw), unit=world.unit, actor=None)
    services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    client.force_login(sw.station_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert f"待回访：{opinion.tracking_code}" not in html


def test_a_subdistrict_grant_acts_for_its_own_subdistrict_station_only(world, personas):
    from portal.models import Region, Role
    from portal.services import role_grant_create
    from stations.models import Station
    from tests.factories import HandlingUnitFactory, RegionFactory, UserFactory

    subdistrict = RegionFactory(
        name="城关街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    other_sub = RegionFactory(
        name="东门街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    station = services.station_create(
        name="城关街道代表联络站",
        code="CG01",
        kind=Station.Kind.TOWNSHIP,
        region=subdistrict,
        tracking_prefix="CG",
        actor=None,
    )
    office = HandlingUnitFactory(name="城关街道办事处", region=subdistrict)
    gongwei = UserFactory(username="chengguan_gongwei")
    role_grant_create(
        user=gongwei, role=Role.CONGRESS_STAFF, region=subdistrict, actor=None
    )
    other = UserFactory(username="dongmen_gongwei")
    role_grant_create(
        user=other, role=Role.CONGRESS_STAFF, region=other_sub, actor=None
    )
    opinion = reload(
        services.opinion_submit(
            station=station,
            name="张三",
            phone="13812345678",
            content="街道路灯不亮，夜间出行不便。",
            actor=None,
        )
    )
    # The sub-district belongs to the county congress (街道人大工委).
    assert opinion.congress == world.county_congress
    assert {"triage", "assign"} <= OpinionPolicy.offered(gongwei, opinion)
    assert {"triage", "assign"} <= OpinionPolicy.offered(personas.county_staff, opinion)
    assert OpinionPolicy.offered(other, opinion) == frozenset()
    assert OpinionPolicy.offered(personas.province_staff, opinion) == frozenset()
    # The county's level: the sub-district office and the county departments.
    assert {office, world.unit} <= set(selectors.assignable_units(opinion))
