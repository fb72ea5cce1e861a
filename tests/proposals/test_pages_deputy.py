"""The deputy's pages: my suggestions, the write form with similar ones, submit,
withdraw, co-sign, rating, drafts from converted opinions; scoping (404),
permissions (403), methods (405), Chinese errors and constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from portal.services import role_grant_create
from proposals import services
from proposals.models import CoSigner, Evaluation, Suggestion
from tests.factories import UserFactory, make_mandate
from tests.proposals.conftest import assigned, draft, registered, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def detail(s):
    return reverse("proposals:detail", args=[s.pk])


def form_data(pw, **extra):
    data = {
        "kind": "suggestion",
        "congress": pw.congress.pk,
        "title": "关于在县城增设公共充电桩的建议",
        "problem": "县城公共充电桩少",
        "analysis": "规划滞后",
        "proposals": "编制专项规划",
        "category": "transport",
        "is_public": "on",
    }
    data.update(extra)
    return data


def cosigner_user(pw, name="附议人"):
    user = UserFactory()
    role_grant_create(user=user, role=Role.DEPUTY, congress=pw.congress, actor=None)
    return user, make_mandate(pw.congress, name, user=user)


# --- my suggestions ---------------------------------------------------------------------------


def test_mine_lists_what_the_deputy_leads_or_cosigns(client, pw, personas):
    led = draft(pw)
    user, mandate = cosigner_user(pw)
    cosigned = draft(
        pw,
        lead=mandate,
        title="关于增加城乡公交班次的建议",
        co_signers=[pw.lead],
        research_activities=[],
    )
    other = draft(
        pw,
        lead=pw.other_deputy,
        title="关于规范农村建房审批的建议",
        research_activities=[],
    )
    client.force_login(personas.deputy)
    response = client.get(reverse("proposals:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert led.title in html and cosigned.title in html and other.title not in html
    assert "领衔" in html and "联名" in html and "草稿" in html
    assert (
        "待确认的联名邀请" in html
        and reverse("proposals:cosign", args=[cosigned.pk]) in html
    )


def test_mine_filters_by_status_kind_and_year(client, pw, personas):
    kept = draft(pw)
    submitted = draft(pw, title="关于改善乡镇中小学食堂条件的建议")
    services.suggestion_submit(suggestion=submitted, actor=None)
    client.force_login(personas.deputy)
    url = reverse("proposals:mine")
    html = client.get(url, {"status": "submitted"}).content.decode()
    assert submitted.title in html and kept.title not in html
    html = client.get(url, {"kind": "bill"}).content.decode()
    assert "没有符合条件的议案建议" in html
    html = client.get(url, {"year": kept.year}).content.decode()
    assert kept.title in html


def test_mine_needs_login_and_refuses_post(client, pw, personas):
    url = reverse("proposals:mine")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(personas.deputy)
    assert client.post(url).status_code == 405


def test_mine_query_count_is_constant(client, pw, personas, django_assert_num_queries):
    client.force_login(personas.deputy)
    url = reverse("proposals:mine")
    for n in range(2):
        draft(pw, title=f"关于第{n}件事的建议")
    client.get(url)  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        services.suggestion_submit(
            suggestion=draft(pw, title=f"关于另{n}件事的建议"), actor=None
        )
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('class="p-title-cell"') == 6


# --- write, edit, similar ----------------------------------------------------------------------


def test_write_form_offers_own_research_and_fellow_deputies(client, pw, personas):
    client.force_login(personas.deputy)
    response = client.get(reverse("proposals:create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert pw.activity.title in html
    assert pw.other_deputy.person.name in html and "附议0" in html
    assert 'data-similar-url="/proposals/similar/"' in html
    assert "案由" in html  # the bill labels are there for the script


def test_write_creates_a_draft_with_invitations(client, pw, personas):
    client.force_login(personas.deputy)
    data = form_data(
        pw, research_activities=[pw.activity.pk], co_signers=[pw.cosigners[0].pk]
    )
    response = client.post(reverse("proposals:create"), data)
    suggestion = Suggestion.objects.get(title=data["title"])
    assert response.status_code == 302 and response["Location"] == detail(suggestion)
    assert suggestion.status == "draft" and suggestion.lead == pw.lead
    assert list(suggestion.research_activities.all()) == [pw.activity]
    assert suggestion.cosigners.get().mandate == pw.cosigners[0]
    page = client.get(detail(suggestion)).content.decode()
    assert "草稿已保存" in page


def test_write_shows_errors_in_chinese(client, pw, personas):
    client.force_login(personas.deputy)
    response = client.post(reverse("proposals:create"), form_data(pw, title=""))
    assert response.status_code == 400
    assert (
        "这个字段是必填项" in response.content.decode()
        or "该字段是必填项" in response.content.decode()
    )
    assert not Suggestion.objects.exists()


def test_write_refuses_a_session_of_another_congress(client, pw, personas):
    from portal.models import Session, Term

    term = Term.objects.get(congress=pw.township_congress)
    session = Session.objects.create(
        term=term, number=1, start_date=TODAY(), end_date=TODAY()
    )
    client.force_login(personas.deputy)
    response = client.post(
        reverse("proposals:create"), form_data(pw, session=session.pk)
    )
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_only_deputies_write(client, pw, personas):
    client.force_login(personas.county_staff)
    assert client.get(reverse("proposals:create")).status_code == 403


def test_edit_is_the_leads_own(client, pw, personas):
    suggestion = draft(pw)
    client.force_login(personas.deputy)
    response = client.get(reverse("proposals:edit", args=[suggestion.pk]))
    assert response.status_code == 200 and suggestion.title in response.content.decode()
    data = form_data(
        pw,
        title="关于加强农村公路日常养护的建议",
        research_note="走访三个村",
        research_date=TODAY().isoformat(),
        research_place="桃花村",
        research_people="村民",
    )
    response = client.post(reverse("proposals:edit", args=[suggestion.pk]), data)
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (
        suggestion.title == "关于加强农村公路日常养护的建议"
        and suggestion.research_place == "桃花村"
    )
    assert suggestion.research_activities.count() == 0  # unticked
    for persona in ("other_deputy", "county_staff", "unit_staff"):
        client.force_login(getattr(personas, persona))
        assert (
            client.get(reverse("proposals:edit", args=[suggestion.pk])).status_code
            == 404
        ), persona


def test_edit_after_submit_is_refused(client, pw, personas):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    client.force_login(personas.deputy)
    response = client.get(reverse("proposals:edit", args=[suggestion.pk]), follow=True)
    assert "只有草稿或退回修改的建议可以修改" in response.content.decode()


def test_similar_endpoint_returns_titles_of_the_same_congress(client, pw, personas):
    existing = registered(pw)
    client.force_login(personas.deputy)
    url = reverse("proposals:similar")
    response = client.get(
        url, {"congress": pw.congress.pk, "text": "关于加强农村公路养护的建议"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["title"] == existing.title and results[0]["url"] == detail(
        existing
    )
    assert len(results) <= 5
    assert client.get(url, {"congress": pw.congress.pk, "text": "农"}).json() == {
        "results": []
    }


def test_similar_endpoint_scoping_and_method(client, pw, world, personas):
    registered(pw)
    url = reverse("proposals:similar")
    assert (
        client.get(url, {"congress": pw.congress.pk, "text": "农村公路"}).status_code
        == 302
    )
    client.force_login(personas.other_deputy)
    assert (
        client.get(url, {"congress": pw.congress.pk, "text": "农村公路"}).status_code
        == 404
    )
    client.force_login(personas.deputy)
    assert client.get(url, {"congress": "x"}).status_code == 404
    assert client.post(url, {"congress": pw.congress.pk}).status_code == 405


def test_detail_of_a_draft_shows_similar_ones_without_javascript(client, pw, personas):
    existing = registered(pw)
    mine = draft(pw, title="关于加强农村公路养护工作的建议")
    client.force_login(personas.deputy)
    html = client.get(detail(mine)).content.decode()
    assert "相似议案建议" in html and existing.title in html


# --- submit, withdraw ---------------------------------------------------------------------------


def test_submit_without_research_shows_the_rule(client, pw, personas):
    suggestion = draft(pw, research_activities=[])
    client.force_login(personas.deputy)
    response = client.post(reverse("proposals:submit", args=[suggestion.pk]))
    assert response.status_code == 400
    assert "无调研不建议" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "draft"


def test_submit_then_the_timeline_shows_it(client, pw, personas):
    suggestion = draft(pw)
    client.force_login(personas.deputy)
    response = client.post(
        reverse("proposals:submit", args=[suggestion.pk]), follow=True
    )
    html = response.content.decode()
    assert "已提交，等待人大工作人员审查" in html
    assert "起草" in html and "提交" in html
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted"


def test_submit_permissions_and_method(client, pw, personas):
    suggestion = draft(pw)
    url = reverse("proposals:submit", args=[suggestion.pk])
    client.force_login(personas.other_deputy)
    assert client.post(url).status_code == 404
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 405
    user, mandate = cosigner_user(pw)
    other = draft(pw, lead=mandate, co_signers=[pw.lead], research_activities=[])
    assert client.post(reverse("proposals:submit", args=[other.pk])).status_code == 403


def test_withdraw_before_a_reply(client, pw, world, personas):
    suggestion = assigned(pw, world)
    client.force_login(personas.deputy)
    response = client.post(
        reverse("proposals:withdraw", args=[suggestion.pk]), {"reason": "问题已解决"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "withdrawn"
    done = replied(pw, world, personas)
    html = client.get(detail(done)).content.decode()
    assert reverse("proposals:withdraw", args=[done.pk]) not in html
    response = client.post(reverse("proposals:withdraw", args=[done.pk]), follow=True)
    assert "已有答复，不能撤回" in response.content.decode()


# --- co-signing ---------------------------------------------------------------------------------


def test_cosigner_confirms_on_the_cosign_page(client, pw, personas):
    user, mandate = cosigner_user(pw)
    suggestion = draft(pw, co_signers=[mandate])
    client.force_login(user)
    url = reverse("proposals:cosign", args=[suggestion.pk])
    page = client.get(url)
    assert page.status_code == 200 and "确认联名" in page.content.decode()
    response = client.post(url, {"accept": "1"})
    assert response.status_code == 302
    assert CoSigner.objects.get(mandate=mandate).status == "confirmed"
    client.post(url, {"accept": "0"})
    assert CoSigner.objects.get(mandate=mandate).status == "declined"


def test_cosign_page_is_only_for_invited_deputies(client, pw, personas):
    suggestion = draft(pw)
    url = reverse("proposals:cosign", args=[suggestion.pk])
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403  # the lead is not a co-signer
    client.force_login(personas.other_deputy)
    assert client.get(url).status_code == 404
    client.force_login(personas.deputy)
    assert client.put(url).status_code == 405


# --- rating --------------------------------------------------------------------------------------


def test_rating_form_only_when_replied_and_once(client, pw, world, personas):
    suggestion = assigned(pw, world)
    client.force_login(personas.deputy)
    assert "提交评价" not in client.get(detail(suggestion)).content.decode()
    suggestion = replied(pw, world, personas, title="关于提升村卫生室服务能力的建议")
    html = client.get(detail(suggestion)).content.decode()
    assert "提交评价" in html and "对办理结果" in html
    response = client.post(
        reverse("proposals:evaluate", args=[suggestion.pk]),
        {"result": "satisfied", "attitude": "satisfied", "comment": "满意"},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(suggestion=suggestion)
    assert evaluation.result == "satisfied"
    html = client.get(detail(suggestion)).content.decode()
    assert "提交评价" not in html and "办理结果：满意" in html
    response = client.post(
        reverse("proposals:evaluate", args=[suggestion.pk]),
        {"result": "dissatisfied", "attitude": "dissatisfied"},
        follow=True,
    )
    assert "不能评价" in response.content.decode()
    assert Evaluation.objects.get(suggestion=suggestion).result == "satisfied"


def test_rating_errors_and_permissions(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    url = reverse("proposals:evaluate", args=[suggestion.pk])
    client.force_login(personas.deputy)
    response = client.post(url, {"result": "satisfied"})
    assert response.status_code == 400 and "必填" in response.content.decode()
    client.force_login(personas.county_staff)
    assert (
        client.post(url, {"result": "satisfied", "attitude": "satisfied"}).status_code
        == 403
    )
    client.force_login(personas.unit_staff)
    assert (
        client.post(url, {"result": "satisfied", "attitude": "satisfied"}).status_code
        == 403
    )
    client.force_login(personas.other_deputy)
    assert (
        client.post(url, {"result": "satisfied", "attitude": "satisfied"}).status_code
        == 404
    )
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 405
    assert not Evaluation.objects.exists()


def test_deputy_urges_an_open_assignment(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    client.force_login(personas.deputy)
    response = client.post(reverse("proposals:urge", args=[lead.pk]))
    assert response.status_code == 302 and lead.urges.count() == 1


# --- drafts from converted opinions ---------------------------------------------------------------


def test_converted_opinion_becomes_a_draft(client, pw, world, personas):
    from stations import services as station_services

    station = station_services.station_create(
        name="桃花乡代表联络站",
        code="S1",
        kind="township",
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    station_services.station_add_member(
        station=station,
        mandate=pw.lead,
        start_date=TODAY() - timedelta(days=30),
        actor=None,
    )
    opinion = station_services.opinion_submit(
        station=station,
        name="张三",
        phone="13812345678",
        content="村口道路坑洼，雨天积水严重。",
        actor=None,
    )
    station_services.opinion_convert(opinion=opinion, mandate=pw.lead, actor=None)
    client.force_login(personas.deputy)
    html = client.get(reverse("proposals:mine")).content.decode()
    assert "转给我的群众意见" in html and opinion.tracking_code in html
    url = reverse("proposals:from_opinion", args=[opinion.pk])
    page = client.get(url).content.decode()
    assert "村口道路坑洼" in page and "13812345678" not in page and "张三" not in page
    response = client.post(url)
    suggestion = Suggestion.objects.get(source_opinion=opinion)
    assert response.status_code == 302 and response["Location"] == reverse(
        "proposals:edit", args=[suggestion.pk]
    )
    client.force_login(personas.other_deputy)
    assert client.get(url).status_code == 404
