"""API reads of legislative consultation (issue 17): scoping, the public list
with adopted comments (scrubbed), constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stations import consultation_services as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _draft(sw, world, n=0):
    draft = services.draft_create(
        congress=world.province_congress,
        title=f"条例草案{n}",
        text="第一条",
        closes_on=TODAY + timedelta(days=30),
        stations=[sw.station],
        actor=None,
    )
    return services.draft_open(draft=draft, actor=None)


def _fed_back(sw, world, n=0):
    draft = _draft(sw, world, n)
    comment = services.comment_add(
        draft=draft,
        station=sw.station,
        source="public",
        content="请拨打13912345678联系我，建议增加第三条。",
        actor=None,
    )
    services.draft_close(draft=draft, actor=None)
    services.comment_decide(comment=comment, adoption="adopted", actor=None)
    services.draft_summarise(draft=draft, summary="1条", actor=None)
    return services.draft_publish_feedback(draft=draft, feedback="采纳1条", actor=None)


def test_public_list_with_constant_queries(
    api, sw, world, django_assert_max_num_queries
):
    _fed_back(sw, world)
    api.get("/api/v1/public/legislative-drafts/")
    with django_assert_max_num_queries(4) as first:
        rows = api.get("/api/v1/public/legislative-drafts/").json()["results"]
    assert "13912345678" not in str(rows)
    assert rows[0]["adopted"][0]["content"].startswith("请拨打")
    for n in range(1, 4):
        _fed_back(sw, world, n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(api.get("/api/v1/public/legislative-drafts/").json()["results"]) == 4


def test_staff_and_station_scoping(api_as, sw, world, personas):
    draft = _draft(sw, world)
    for who in (personas.province_staff, personas.county_staff, sw.station_staff):
        assert (
            api_as(who).get(f"/api/v1/legislative-drafts/{draft.pk}/").status_code
            == 200
        )
    for who in (personas.other_county_staff, sw.other_station_staff, personas.deputy):
        client = api_as(who)
        assert client.get(f"/api/v1/legislative-drafts/{draft.pk}/").status_code == 404
        assert client.get("/api/v1/legislative-drafts/").json()["results"] == []
