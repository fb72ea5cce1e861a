"""A citizen finds 桃花乡代表联络站, sees the next duty day, sends an opinion and
tracks it — at a desktop and a phone viewport, in Debian's Chromium driven by
Playwright; axe on every public page of the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stations import services
from stations.models import Opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_station_send_opinion_and_track_it(web, sw):
    day = timezone.localdate() + timedelta(days=7)
    duty = services.duty_day_create(
        station=sw.station,
        date=day,
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    services.duty_day_publish(duty_day=duty, actor=None)
    page = web.page

    web.go("/")
    web.axe()
    services_list = page.locator(".service-list")
    if web.phone:  # 我要办事 within the first screen on a phone
        assert services_list.bounding_box()["y"] < 844
    services_list.get_by_role("link", name="向代表反映意见").click()
    web.check()
    page.select_option("select[name=county]", label="湘源县")
    page.locator("form button[type=submit]").first.click()
    web.check()
    if page.locator("select[name=township]").count():
        page.select_option("select[name=township]", label="桃花乡")
        page.locator("form button[type=submit]").first.click()
        web.check()
    expect(page.get_by_text("桃花乡代表联络站").first).to_be_visible()
    web.axe()
    page.get_by_text("桃花乡代表联络站").first.click()
    web.check()
    expect(page.locator("body")).to_contain_text("丁一")  # on the duty day
    web.axe()

    web.go(f"/stations/{sw.station.pk}/opinion/")
    web.axe()
    page.fill("input[name=name]", "张三")
    page.fill("input[name=phone]", "13812345678")
    page.fill("textarea[name=content]", "村口道路坑洼，雨天积水，学生上学不便。")
    # The form refuses submissions faster than a person types.
    page.wait_for_timeout(3200)
    page.locator("form button[type=submit]").last.click()
    web.check()
    code = Opinion.objects.get().tracking_code
    expect(page.locator("body")).to_contain_text(code)
    web.axe()

    web.go(f"/stations/track/?code={code}")
    body = page.locator("body")
    expect(body).to_contain_text("已受理")
    expect(body).not_to_contain_text("13812345678")
    expect(body).not_to_contain_text("张三")
    web.axe()
