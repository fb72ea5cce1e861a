"""Staff in the browser, at a desktop and a phone viewport: a station's staff
record a reception (the 登记接待记录 that could not be tapped on a phone),
county staff open the roster import and download a report, a leader reads."""

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.celery import app
from portal.reports import service as reports
from portal.reports.periods import year_period
from stations import services as station_services
from stations.models import Reception

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _nav(web, label):
    """Follow a main-navigation link: the tab bar's 菜单 first on a phone."""
    if web.phone:
        web.tab("菜单").click()
    web.page.locator(".staff-nav__list").get_by_role(
        "link", name=label, exact=True
    ).click()
    web.check()


def test_station_staff_record_a_reception(web, sw):
    station_services.reception_create(
        station=sw.station,
        date=timezone.localdate(),
        mode=Reception.Mode.values[0],
        deputies=sw.members[:2],
        visitor_count=3,
        notes="群众反映村道维修、低保办理等问题，已当场解答两件。",
        actor=None,
    )
    page = web.login(sw.station_staff).page
    web.go("/staff/")
    if web.phone:
        web.tab("联络站").click()
        web.check()
    else:
        _nav(web, "联络站")
    web.axe()
    page.get_by_role("link", name="桃花乡代表联络站").first.click()
    web.check()  # the receptions table once made this page 650 px wide
    web.axe()

    # A real tap (Playwright checks nothing else sits over the point it clicks).
    summary = page.get_by_text("登记接待记录", exact=True)
    if web.phone:
        summary.tap()
    else:
        summary.click()
    form = page.locator("#receptions .st-action__form")
    expect(form).to_be_visible()
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=visitor_count]").fill("5")
    form.locator("input[name=deputies]").first.check()
    form.locator("textarea[name=notes]").fill("接待群众五人，记录意见两条。")
    web.check()
    web.axe()
    form.get_by_role("button", name="保存记录").click()
    web.check()
    assert Reception.objects.filter(station=sw.station).count() == 2
    expect(page.locator("#receptions")).to_contain_text("接待群众五人")


@pytest.fixture
def eager_celery():
    """The report is generated in-process when its job is committed."""
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        app.conf.task_always_eager = app.conf.task_eager_propagates = True
        try:
            yield app
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def test_county_staff_open_the_roster_import_and_download_a_report(
    web, world, personas, eager_celery
):
    job = reports.generated_report_create(
        congress=world.county_congress,
        period=year_period(timezone.localdate().year),
        sections=["suggestions"],
        actor=personas.county_staff,
    )
    job.refresh_from_db()
    assert job.status == "done", job.error
    page = web.login(personas.county_staff).page
    web.go("/staff/")
    web.axe()

    web.go("/deputies/roster/import/")
    expect(page.locator("input[type=file]")).to_have_count(1)
    web.axe()
    with page.expect_download() as template:
        page.get_by_role("link", name="下载名册模板").click()
    assert template.value.suggested_filename.endswith(".xlsx")

    _nav(web, "统计报表")
    web.axe()
    page.get_by_role("button", name="查看报表").click()
    web.check()
    expect(page.locator("h1")).to_be_visible()
    web.axe()  # the report view's wide tables scroll in a keyboard stop

    web.go("/staff/reports/")
    page.get_by_role("link", name=job.scope_description).first.click()
    web.check()
    web.axe()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel版").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_leader_reads_reports_suggestions_and_deputies(web, world, personas):
    page = web.login(personas.leader).page
    web.go("/staff/")
    if web.phone:
        tabs = page.locator(".tabbar a")
        expect(tabs).to_have_count(5)
        expect(web.tab("报表")).to_be_visible()
        web.tab("报表").click()
        web.check()
        expect(web.tab("报表")).to_have_attribute("aria-current", "page")
    else:
        _nav(web, "统计报表")
    web.axe()
    for label in ("议案建议", "代表", "联络站", "民生实事"):
        _nav(web, label)
        expect(page.locator("h1")).to_be_visible()
        web.axe()
