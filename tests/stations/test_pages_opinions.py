"""The opinion inbox and detail: scoping (404), permissions (403), the action forms
each persona gets, the closed loop through the HTML actions, constant queries."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import web
from portal.services import role_grant_create
from stations import services
from stations.models import Opinion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def submit(station, **extra):
    fields = {
        "station": station,
        "name": "张三",
        "phone": "13812345678",
        "content": "村口道路坑洼，雨天积水严重。",
        "category": "transport",
    }
    fields.update(extra)
    return services.opinion_submit(**{"actor": None, **fields})


def detail(opinion):
    return reverse("stations:opinion", args=[opinion.pk])


def action(opinion, name):
    return reverse(f"stations:opinion_{name}", args=[opinion.pk])


# --- inbox ------------------------------------------------------------------------------------


def test_inbox_lists_the_stations_opinions_due_first(client, sw, world):
    fresh = submit(sw.station)
    assigned = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    submit(sw.other_station)
    client.force_login(sw.station_staff)
    response = client.get(reverse("stations:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert fresh.tracking_code in html and assigned.tracking_code in html
    assert "BS-" not in html
    assert html.index(assigned.tracking_code) < html.index(fresh.tracking_code)
    assert "已受理" in html and "已交办" in html


def test_inbox_filters(client, sw, world):
    fresh = submit(sw.station, category="education")
    assigned = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    client.force_login(sw.station_staff)
    url = reverse("stations:inbox")
    html = client.get(url, {"status": "assigned"}).content.decode()
    assert assigned.tracking_code in html and fresh.tracking_code not in html
    html = client.get(url, {"category": "education"}).content.decode()
    assert fresh.tracking_code in html and assigned.tracking_code not in html
    html = client.get(url, {"q": fresh.tracking_code.lower()}).content.decode()
    assert fresh.tracking_code in html and assigned.tracking_code not in html
    html = client.get(url, {"overdue": "on"}).content.decode()
    assert "没有符合条件的意见" in html
    html = client.get(url, {"station": sw.other_station.pk}).content.decode()
    assert fresh.tracking_code not in html  # not a station the user may choose


def test_inbox_of_unit_staff_shows_only_their_units_opinions(
    client, sw, world, personas
):
    mine = services.opinion_assign(opinion=submit(sw.station), unit=sw.unit, actor=None)
    theirs = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.other_unit, actor=None
    )
    unassigned = submit(sw.station)
    client.force_login(sw.unit_staff)
    html = client.get(reverse("stations:inbox")).content.decode()
    assert "承办意见" in html
    assert mine.tracking_code in html
    assert theirs.tracking_code not in html and unassigned.tracking_code not in html


def test_inbox_of_another_county_is_empty(client, sw, personas):
    opinion = submit(sw.station)
    client.force_login(personas.other_county_staff)
    html = client.get(reverse("stations:inbox")).content.decode()
    assert opinion.tracking_code not in html


def test_inbox_refuses_post(client, sw):
    client.force_login(sw.station_staff)
    assert client.post(reverse("stations:inbox")).status_code == 405


def _add_opinions(sw, world, count):
    for i in range(count):
        opinion = submit(sw.station)
        if i % 2:
            services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)


def test_inbox_query_count_is_constant(client, sw, world, django_assert_num_queries):
    client.force_login(sw.station_staff)
    url = reverse("stations:inbox")
    _add_opinions(sw, world, 3)
    client.get(url)  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_opinions(sw, world, 6)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("TH-") >= 9


def test_inbox_paginates_at_the_page_size(client, sw):
    for _ in range(web.PAGE_SIZE + 2):
        submit(sw.station)
    client.force_login(sw.station_staff)
    response = client.get(reverse("stations:inbox"))
    assert len(response.context["rows"]) == web.PAGE_SIZE == 20
    assert response.context["page_obj"].paginator.num_pages == 2
    assert 'rel="next"' in response.content.decode()


# --- detail: who sees it, with which actions -------------------------------------------------


def test_detail_for_station_staff_shows_everything_and_triage(client, sw):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    response = client.get(detail(opinion))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html and "村口道路坑洼" in html
    # The number is masked until the logged "显示完整号码".
    assert "13812345678" not in html and "138****5678" in html
    assert "显示完整号码" in html
    assert "网上反映" in html  # the timeline's first event: how it came in
    for label in ("分流", "交办承办单位", "转为代表建议"):
        assert label in html
    assert "提交答复" not in html


@pytest.mark.parametrize(
    "persona",
    ["other_station_staff", "other_county_staff", "other_unit_staff", "township_gov"],
)
def test_detail_out_of_scope_is_404(client, sw, world, personas, persona):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    client.force_login(getattr(sw, persona, None) or getattr(personas, persona))
    assert client.get(detail(opinion)).status_code == 404
    assert client.post(action(opinion, "reply"), {"text": "x"}).status_code == 404


def test_detail_redirects_anonymous_to_login(client, sw):
    opinion = submit(sw.station)
    response = client.get(detail(opinion))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(action(opinion, "triage"), {"outcome": "pooled"})
    assert response.status_code == 302
    assert Opinion.objects.get().status == "received"


def test_detail_refuses_post_and_actions_refuse_get(client, sw):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    assert client.post(detail(opinion)).status_code == 405
    for name in ("triage", "assign", "reply", "visit", "close", "convert"):
        assert client.get(action(opinion, name)).status_code == 405


def test_unit_staff_see_the_opinion_and_may_only_reply(client, sw, world, personas):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    client.force_login(sw.unit_staff)
    html = client.get(detail(opinion)).content.decode()
    assert "提交答复" in html
    for label in ("确认分流", "改派承办单位", "保存回访结果", "转为建议"):
        assert label not in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("triage", {"outcome": "pooled"}),
        ("assign", {"unit": 0}),
        ("visit", {"result": "satisfied"}),
        ("close", {}),
        ("convert", {"mandate": 0}),
    ],
)
def test_unit_staff_posting_station_actions_is_403(
    client, sw, world, personas, name, data
):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    client.force_login(sw.unit_staff)
    response = client.post(action(opinion, name), data)
    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.status == "assigned"


def test_leader_reads_but_may_not_act(client, sw, personas):
    opinion = submit(sw.station)
    client.force_login(personas.leader)
    html = client.get(detail(opinion)).content.decode()
    assert "张三" in html and "确认分流" not in html
    assert (
        client.post(action(opinion, "triage"), {"outcome": "pooled"}).status_code == 403
    )


def test_a_former_unit_sees_its_own_round_but_not_the_next_units_answer(
    client, sw, world, personas
):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    services.opinion_reply(opinion=opinion, text="第一轮：已安排修补。", actor=None)
    services.opinion_visit(
        opinion=opinion, result="dissatisfied", note="仍有积水", actor=None
    )
    services.opinion_assign(opinion=opinion, unit=sw.other_unit, actor=None)
    services.opinion_reply(
        opinion=opinion, text="第二轮：住建局的内部答复。", publish=False, actor=None
    )
    client.force_login(sw.unit_staff)
    html = client.get(detail(opinion)).content.decode()
    assert "第一轮：已安排修补。" in html
    assert "住建局的内部答复" not in html
    assert "提交答复" not in html  # no longer their opinion to answer
    assert client.post(action(opinion, "reply"), {"text": "再答"}).status_code == 403


# --- the closed loop through the pages --------------------------------------------------------


def test_closed_loop_through_the_pages(client, sw, world, personas):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    html = client.get(detail(opinion)).content.decode()
    assert "桃花乡人民政府" in html  # the township's own unit
    # County departments go through the county congress (转县级人大办理).
    assert "湘源县交通运输局" not in html and "云溪县交通运输局" not in html
    assert "转县级人大办理" in html
    response = client.post(
        action(opinion, "assign"), {"unit": sw.unit.pk, "note": "请核实"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "assigned" and opinion.current_unit == sw.unit

    client.force_login(sw.unit_staff)
    response = client.post(
        action(opinion, "reply"), {"text": "已安排施工队修补路面。", "publish": "on"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "replied" and opinion.is_reply_published

    client.force_login(sw.station_staff)
    assert (
        client.post(
            action(opinion, "visit"), {"result": "satisfied", "note": "群众满意"}
        ).status_code
        == 302
    )
    response = client.post(action(opinion, "close"), {"note": "办结"}, follow=True)
    assert "已办结" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == "closed"
    html = client.get(detail(opinion)).content.decode()
    for step in (
        "已交办",
        "已答复",
        "已回访",
        "已办结",
        "已安排施工队修补路面",
        "群众满意",
    ):
        assert step in html
    assert "当前状态下您没有需要办理的操作" in html


def test_triage_needs_the_answer_on_site(client, sw):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    response = client.post(
        action(opinion, "triage"), {"outcome": "answered_on_site", "note": ""}
    )
    assert response.status_code == 400
    assert "当场答复须填写答复内容。" in response.content.decode()
    response = client.post(
        action(opinion, "triage"),
        {"outcome": "answered_on_site", "note": "已当场说明。"},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "answered_on_site"


def test_a_refused_transition_is_a_message(client, sw):
    opinion = submit(sw.station)
    services.opinion_triage(opinion=opinion, outcome="pooled", actor=None)
    client.force_login(sw.station_staff)
    response = client.post(
        action(opinion, "triage"), {"outcome": "escalated"}, follow=True
    )
    assert "不能转为" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == "pooled"


def test_assign_refuses_a_unit_of_another_county(client, sw, world):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    response = client.post(
        action(opinion, "assign"), {"unit": world.other_county_unit.pk}
    )
    assert response.status_code == 400
    opinion.refresh_from_db()
    assert opinion.status == "received"


def test_convert_to_a_member_deputy(client, sw):
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    response = client.post(action(opinion, "convert"), {"mandate": sw.outsider.pk})
    assert response.status_code == 400  # not a member of this station
    response = client.post(action(opinion, "convert"), {"mandate": sw.members[1].pk})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "converted" and opinion.converted_for == sw.members[1]


def test_reassign_after_a_dissatisfied_visit(client, sw, world):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    services.opinion_visit(opinion=opinion, result="dissatisfied", actor=None)
    client.force_login(sw.station_staff)
    html = client.get(detail(opinion)).content.decode()
    assert "重新交办" in html
    response = client.post(action(opinion, "assign"), {"unit": sw.other_unit.pk})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "reassigned" and opinion.round == 2


def test_photo_is_served_to_staff_only(client, sw, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = ContentFile(b"\xff\xd8\xff\xe0photo", name="x.jpg")
    opinion = submit(sw.station, photo=photo)
    client.force_login(sw.station_staff)
    response = client.get(reverse("stations:opinion_photo", args=[opinion.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    client.force_login(sw.other_station_staff)
    assert (
        client.get(reverse("stations:opinion_photo", args=[opinion.pk])).status_code
        == 404
    )


def test_detail_query_count_is_constant(client, sw, world, django_assert_num_queries):
    def two_rounds(deputies):
        opinion = services.opinion_assign(
            opinion=submit(sw.station, deputies=deputies), unit=sw.unit, actor=None
        )
        opinion = services.opinion_reply(opinion=opinion, text="第一轮答复", actor=None)
        opinion = services.opinion_visit(
            opinion=opinion, result="dissatisfied", actor=None
        )
        return services.opinion_assign(
            opinion=opinion, unit=sw.other_unit, actor=None
        )  # round 2

    few_rows = two_rounds(sw.members[:1])
    many_rows = two_rounds(sw.members)
    client.force_login(sw.station_staff)
    client.get(detail(few_rows))  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        client.get(detail(few_rows))
    with django_assert_num_queries(len(few)):
        response = client.get(detail(many_rows))
    assert response.content.decode().count("第2轮") >= 1


# --- navigation and to-dos -------------------------------------------------------------------


def test_station_staff_get_nav_and_to_dos(client, sw):
    received = submit(sw.station)
    client.force_login(sw.station_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("stations:manage_list") in html and "群众意见" in html
    assert f"群众意见待分流：{received.tracking_code}" in html
    assert "承办意见" not in html


def test_unit_staff_get_their_nav_and_replies_due(client, sw, world, personas):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    client.force_login(sw.unit_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "承办意见" in html
    assert f"交办的群众意见待答复：{opinion.tracking_code}" in html
    assert reverse("stations:manage_list") not in html


def test_visit_due_is_a_to_do(client, sw, world):
    opinion = services.opinion_assign(
        opinion=submit(sw.station), unit=sw.unit, actor=None
    )
    services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    client.force_login(sw.station_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert f"待回访：{opinion.tracking_code}" in html


def test_people_without_stations_get_no_station_nav(client, sw):
    user = UserFactory(username="plain")
    client.force_login(user)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("stations:manage_list") not in html
    assert reverse("stations:inbox") not in html


def test_a_user_both_station_and_unit_staff_gets_one_inbox_link(client, sw, world):
    user = sw.station_staff
    role_grant_create(user=user, role="unit_staff", unit=sw.unit, actor=None)
    client.force_login(user)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert html.count(f'href="{reverse("stations:inbox")}"') == 1
