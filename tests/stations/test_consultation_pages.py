"""Legislative-consultation pages (issue 17): staff of the publishing congress,
stations' staff (their own stations only), the public page and its form with
the shared rate limit, constant queries on lists."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stations import consultation_services as services
from stations.consultation_models import DraftComment
from stations.incentive_forms import PublicCommentForm

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _draft(sw, world, n=0, stations=None, open_=True):
    draft = services.draft_create(
        congress=world.province_congress,
        title=f"湖南省乡村振兴促进条例（草案）{n}",
        text="第一条 为了促进乡村振兴，制定本条例。",
        closes_on=TODAY + timedelta(days=40),
        stations=stations or [sw.station],
        actor=None,
    )
    return services.draft_open(draft=draft, actor=None) if open_ else draft


def test_staff_list_with_constant_queries(
    client, sw, world, personas, django_assert_max_num_queries
):
    _draft(sw, world)
    client.force_login(personas.province_staff)
    url = reverse("stations:consultation_list")
    client.get(url)
    with django_assert_max_num_queries(14) as first:
        assert "条例" in client.get(url).content.decode()
    for n in range(1, 6):
        _draft(sw, world, n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_who_sees_a_draft(client, sw, world, personas):
    draft = _draft(sw, world)
    url = reverse("stations:consultation_detail", args=[draft.pk])
    for who in (personas.province_staff, personas.county_staff, sw.station_staff):
        client.force_login(who)
        assert client.get(url).status_code == 200
    for who in (
        personas.other_county_staff,
        sw.other_station_staff,
        personas.unit_staff,
        personas.deputy,
    ):
        client.force_login(who)
        assert client.get(url).status_code == 404


def test_station_records_a_comment_and_only_staff_of_the_congress_act(
    client, sw, world, personas
):
    draft = _draft(sw, world)
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:consultation_comment", args=[draft.pk]),
        {
            "station": sw.station.pk,
            "source": "deputy",
            "mandate": sw.members[0].pk,
            "content": "建议增加返乡创业扶持条款。",
        },
    )
    assert response.status_code == 302
    assert DraftComment.objects.filter(draft=draft, source="deputy").count() == 1
    assert (
        client.post(reverse("stations:consultation_close", args=[draft.pk])).status_code
        == 403
    )
    client.force_login(personas.county_staff)
    assert (
        client.post(reverse("stations:consultation_close", args=[draft.pk])).status_code
        == 403
    )
    client.force_login(personas.province_staff)
    assert (
        client.get(reverse("stations:consultation_close", args=[draft.pk])).status_code
        == 405
    )
    client.post(reverse("stations:consultation_close", args=[draft.pk]))
    comment = DraftComment.objects.get()
    client.post(
        reverse("stations:consultation_comment_decide", args=[comment.pk]),
        {"adoption": "adopted", "note": "已采纳"},
    )
    comment.refresh_from_db()
    assert comment.adoption == "adopted"
    client.force_login(sw.other_station_staff)
    assert (
        client.post(
            reverse("stations:consultation_comment_decide", args=[comment.pk]),
            {"adoption": "adopted"},
        ).status_code
        == 404
    )


def test_other_station_cannot_collect(client, sw, world, personas):
    draft = _draft(sw, world, stations=[sw.station, sw.other_station])
    client.force_login(sw.other_station_staff)
    response = client.post(
        reverse("stations:consultation_comment", args=[draft.pk]),
        {"station": sw.station.pk, "source": "deputy", "content": "意见内容"},
    )
    assert response.status_code == 400  # not a station they may choose
    assert not DraftComment.objects.exists()


def _public_post(client, draft, station, content="建议第二条增加村民议事的规定。"):
    token = PublicCommentForm.form_token(draft.pk, issued_at=time.time() - 60)
    return client.post(
        reverse("stations:consultation_public_detail", args=[draft.pk]),
        {"station": station.pk, "content": content, "token": token, "website": ""},
    )


def test_public_comment_and_rate_limit(client, sw, world):
    draft = _draft(sw, world)
    assert client.get(reverse("stations:consultation_public_list")).status_code == 200
    page = client.get(reverse("stations:consultation_public_detail", args=[draft.pk]))
    assert page.status_code == 200 and "提交意见" in page.content.decode()
    for _ in range(5):
        assert _public_post(client, draft, sw.station).status_code == 302
    assert DraftComment.objects.filter(source="public").count() == 5
    assert _public_post(client, draft, sw.station).status_code == 429
    assert DraftComment.objects.count() == 5


def test_unpublished_draft_is_not_public_and_feedback_is(client, sw, world):
    hidden = _draft(sw, world, 9, open_=False)
    url = reverse("stations:consultation_public_detail", args=[hidden.pk])
    assert client.get(url).status_code == 404
    draft = _draft(sw, world)
    comment = services.comment_add(
        draft=draft,
        station=sw.station,
        source="public",
        content="联系电话13912345678，建议增加老年人照护条款。",
        author_name="张三",
        actor=None,
    )
    services.draft_close(draft=draft, actor=None)
    services.comment_decide(comment=comment, adoption="partly", actor=None)
    services.draft_summarise(draft=draft, summary="共1条", actor=None)
    services.draft_publish_feedback(draft=draft, feedback="部分采纳1条。", actor=None)
    body = client.get(
        reverse("stations:consultation_public_detail", args=[draft.pk])
    ).content.decode()
    assert "老年人照护" in body and "13912345678" not in body and "张三" not in body
    assert _public_post(client, draft, sw.station).status_code == 409
    station_page = client.get(reverse("stations:station", args=[sw.station.pk]))
    assert station_page.status_code == 200
