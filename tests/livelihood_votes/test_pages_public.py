"""Public pages: programmes by township and year, results with counts only,
progress with photos, grades; "我要提项目" and tracking."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livelihood_votes import services
from livelihood_votes.forms import IdeaForm
from livelihood_votes.models import Idea, Project
from portal.models import Term
from tests.factories import make_mandate
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _public(programme):
    return reverse("livelihood:public_programme", args=[programme.pk])


def _idea_data(programme, **overrides):
    data = {
        "title": "修建桃花村文化广场",
        "description": "村里没有活动场地，老人和孩子希望有一个文化广场。",
        "location": "桃花村村委会旁",
        "name": "",
        "phone": "",
        "website": "",
        "token": IdeaForm.form_token(programme.pk, issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


@pytest.fixture
def voted(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (22, [7])])
    services.round_close(vote_round=vote_round, actor=None)
    return vote_round


# --- list and programme ----------------------------------------------------------------------------


def test_public_list_shows_programmes_by_township_and_year(client, lw, world):
    response = client.get(reverse("livelihood:public_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "桃花乡2026年民生实事项目" in html and "湘源县" in html and "我要提项目" in html
    )
    services.programme_create(
        congress=world.other_township_congress, year=2025, seats=5, actor=None
    )
    filtered = client.get(
        reverse("livelihood:public_list") + f"?county={world.other_county.pk}"
    )
    html = filtered.content.decode()
    assert "桃花乡2026年民生实事项目" not in html and "白沙镇2025年民生实事项目" in html
    by_year = client.get(
        reverse("livelihood:public_list") + "?year=2026"
    ).content.decode()
    assert "桃花乡2026年民生实事项目" in by_year and "白沙镇2025年" not in by_year
    assert client.post(reverse("livelihood:public_list")).status_code == 405


@pytest.mark.parametrize("count", [2, 6])
def test_public_list_query_count_is_constant(
    client, world, django_assert_num_queries, count
):
    from tests.factories import CongressFactory, RegionFactory

    for n in range(count):
        region = RegionFactory(name=f"第{n}乡", level="township", parent=world.county)
        congress = CongressFactory(region=region)
        services.programme_create(congress=congress, year=2026, seats=5, actor=None)
    with django_assert_num_queries(5):
        response = client.get(reverse("livelihood:public_list"))
    assert response.status_code == 200


def test_candidates_are_hidden_until_published(client, lw):
    html = client.get(_public(lw.programme)).content.decode()
    assert "候选项目1<" not in html and "正在征集民生实事项目" in html
    programme = lw.programme
    while programme.phase != "candidates":
        programme = services.programme_advance(programme=programme, actor=None)
    html = client.get(_public(programme)).content.decode()
    assert "候选项目1<" in html and "估算投资 50.00 万元" in html


def test_public_results_show_counts_but_no_deputy_names(client, lw, voted):
    response = client.get(_public(lw.programme))
    assert response.status_code == 200
    html = response.content.decode()
    assert "大会票决结果（第1轮）" in html
    assert '<td class="num">30</td>' in html and '<td class="num">22</td>' in html
    assert html.count('badge--ok">当选</span>') == 7
    for mandate in lw.deputies:
        assert mandate.person.name not in html
    assert "回执" not in html


def test_public_progress_with_photo_and_grade(client, lw, voted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.order_by("candidate__order").first()
    services.project_submit_plan(
        project=project,
        plan="分两期",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    report = services.progress_report(
        project=project,
        date=date(2027, 1, 5),
        progress=40,
        money_paid=Decimal("20.5"),
        note="路基完成",
        photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        actor=None,
    )
    html = client.get(_public(lw.programme)).content.decode()
    assert 'value="40"' in html and "20.50 万元" in html and "路基完成" in html
    photo_url = reverse("livelihood:report_photo", args=[report.pk])
    assert photo_url in html
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_no_photo_is_404(client, lw, voted):
    assert client.get(reverse("livelihood:report_photo", args=[999])).status_code == 404


@pytest.mark.parametrize("extra", [0, 20])
def test_public_programme_query_count_is_constant(
    client, lw, django_assert_num_queries, extra
):
    for n in range(extra):
        services.candidate_create(
            programme=lw.programme,
            title=f"追加项目{n}",
            description="x",
            estimated_cost=Decimal(10),
            actor=None,
        )
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    with django_assert_num_queries(10):
        response = client.get(_public(lw.programme))
    assert response.status_code == 200


# --- 我要提项目 ------------------------------------------------------------------------------------


def test_idea_form_and_confirmation_with_tracking_code(client, lw):
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="website"' in page.content.decode()
    response = client.post(
        url, _idea_data(lw.programme, name="王大妈", phone="13800138000")
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.source == "public" and idea.submitter_phone == "13800138000"
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and idea.tracking_code in sent.content.decode()
    track = client.get(reverse("livelihood:idea_track") + f"?code={idea.tracking_code}")
    html = track.content.decode()
    assert track.status_code == 200 and "已征集" in html
    assert "王大妈" not in html and "13800138000" not in html


def test_idea_name_and_phone_are_optional_but_phone_is_checked(client, lw):
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    bad = client.post(url, _idea_data(lw.programme, phone="12345"))
    assert (
        bad.status_code == 400
        and "请输入有效的11位大陆手机号码" in bad.content.decode()
    )
    short = client.post(url, _idea_data(lw.programme, description="修路"))
    assert (
        short.status_code == 400
        and "请具体描述项目内容（至少5个字）" in short.content.decode()
    )
    assert client.post(url, _idea_data(lw.programme)).status_code == 302


def test_a_server_side_error_page_opens_on_the_error_summary(client, lw):
    """Issue 18: the 400 page's summary takes the focus (portal.js)."""
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    html = client.post(url, _idea_data(lw.programme, phone="12345")).content.decode()
    assert 'id="error-summary" tabindex="-1"' in html and "data-error-summary" in html
    assert "error-summary" not in client.get(url).content.decode()


def test_idea_honeypot_and_too_fast(client, lw):
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    trap = client.post(url, _idea_data(lw.programme, website="http://spam"))
    assert trap.status_code == 400 and "提交未成功" in trap.content.decode()
    fast = client.post(
        url, _idea_data(lw.programme, token=IdeaForm.form_token(lw.programme.pk))
    )
    assert fast.status_code == 400 and "提交太快了" in fast.content.decode()
    forged = client.post(url, _idea_data(lw.programme, token="forged"))
    assert forged.status_code == 400 and "页面已过期" in forged.content.decode()
    assert Idea.objects.count() == 0


def test_idea_rate_limit(client, lw):
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    for n in range(5):
        assert (
            client.post(url, _idea_data(lw.programme, title=f"项目{n}")).status_code
            == 302
        )
    response = client.post(url, _idea_data(lw.programme, title="第六个"))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Idea.objects.count() == 5


def test_idea_form_closed_after_collecting(client, lw):
    services.programme_advance(programme=lw.programme, actor=None)
    url = reverse("livelihood:idea_new", args=[lw.programme.pk])
    response = client.get(url)
    assert response.status_code == 409 and "征集已结束" in response.content.decode()
    assert client.post(url, _idea_data(lw.programme)).status_code == 409
    assert client.put(url).status_code == 405


def test_track_unknown_code(client, lw):
    response = client.get(reverse("livelihood:idea_track") + "?code=MS2026-XXXX")
    assert (
        response.status_code == 404
        and "没有找到这个查询码" in response.content.decode()
    )


def test_public_page_of_another_congress_deputy_sees_the_same(client, lw, world):
    Term.objects.create(
        congress=world.other_township_congress,
        number=19,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    make_mandate(world.other_township_congress, "外乡代表")
    assert client.get(_public(lw.programme)).status_code == 200
