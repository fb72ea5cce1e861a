"""A citizen on a phone finds 桃花乡代表联络站, sees the next duty day, sends an
opinion and tracks it — in Debian's Chromium driven by Playwright."""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from stations import services
from stations.models import Opinion, Station

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _allow_sync_db_in_live_server_thread():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh"},
        )
        yield context.new_page()
        context.close()
        browser.close()


def shot(page, name, tmp_path):
    folder = os.environ.get("E2E_SCREENSHOTS") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_find_station_send_opinion_and_track_it(live_server, page, sw, tmp_path):
    day = timezone.localdate() + timedelta(days=7)
    duty = services.duty_day_create(
        station=sw.station,
        date=day,
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    services.duty_day_publish(duty_day=duty, actor=None)

    page.goto(f"{live_server.url}/stations/")
    page.select_option("select[name=county]", label="湘源县")
    page.locator("form button[type=submit]").first.click()
    if page.locator("select[name=township]").count():
        page.select_option("select[name=township]", label="桃花乡")
        page.locator("form button[type=submit]").first.click()
    expect(page.get_by_text("桃花乡代表联络站").first).to_be_visible()
    shot(page, "1-finder", tmp_path)
    page.get_by_text("桃花乡代表联络站").first.click()
    expect(page.locator("body")).to_contain_text(
        "丁一"
    )  # a deputy on the published duty day
    shot(page, "2-station", tmp_path)

    page.goto(f"{live_server.url}/stations/{sw.station.pk}/opinion/")
    page.fill("input[name=name]", "张三")
    page.fill("input[name=phone]", "13812345678")
    page.fill("textarea[name=content]", "村口道路坑洼，雨天积水，学生上学不便。")
    page.wait_for_timeout(
        3200
    )  # the form refuses submissions faster than a person types
    page.locator("form button[type=submit]").last.click()
    code = Opinion.objects.get().tracking_code
    expect(page.locator("body")).to_contain_text(code)
    shot(page, "3-sent", tmp_path)

    page.goto(f"{live_server.url}/stations/track/?code={code}")
    body = page.locator("body")
    expect(body).to_contain_text("已受理")
    expect(body).not_to_contain_text("13812345678")
    expect(body).not_to_contain_text("张三")
    shot(page, "4-track", tmp_path)
    assert Station.objects.count() == 2
