"""The township's livelihood projects in the browser: the township congress's
staff open the vote (at a desktop and a phone viewport) and a deputy votes on a
phone; the township government reports a project's progress."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from livelihood_votes import services
from livelihood_votes.models import Ballot, Project
from portal.models import Role
from portal.services import role_grant_create
from tests.livelihood_votes.conftest import cast_votes, open_round, sign_in
from tests.livelihood_votes.conftest import to_deliberation as deliberated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_staff_open_the_vote_and_a_phone_deputy_votes(
    web, open_tab, lw, personas
):
    deliberated(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    sign_in(vote_round, lw)

    page = web.login(personas.township_staff).page
    web.go(f"/livelihood/programmes/{lw.programme.pk}/")
    web.axe()
    opening = page.locator(f"form[action$='/rounds/{vote_round.pk}/open/']")
    opening.get_by_label("我已核对签到人数，确认开始投票").check()
    opening.get_by_role("button", name="开始投票（锁定规则）").click()
    web.check()
    expect(page.locator("body")).to_contain_text("已开始")
    web.axe()

    # A deputy's account carries the deputy role (as every deputy's does).
    role_grant_create(
        user=lw.users[0], role=Role.DEPUTY, congress=lw.congress, actor=None
    )
    deputy = open_tab("phone", name="deputy").login(lw.users[0])
    deputy.go("/staff/")
    deputy.press(deputy.tab("票决"))
    deputy.axe()
    deputy.press(deputy.page.get_by_role("link", name="进入投票"))
    deputy.axe()  # the phone voting page
    for candidate in lw.candidates[:3]:
        deputy.page.locator(f"label[for='c-{candidate.pk}']").tap()
    deputy.press(deputy.page.get_by_role("button", name="下一步：核对"))
    deputy.axe()
    deputy.press(deputy.page.get_by_role("button", name="确认投票"))
    deputy.axe()
    assert Ballot.objects.filter(round=vote_round).count() == 1


def test_township_government_reports_progress(web, lw, personas):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.order_by("candidate__order").first()
    services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    page = web.login(personas.township_gov).page
    web.go("/staff/")
    if web.phone:
        web.tab("民生实事").click()
    else:
        page.locator(".staff-nav__list").get_by_role(
            "link", name="民生实事", exact=True
        ).click()
    web.check()
    web.axe()
    page.get_by_role("link", name=project.candidate.title, exact=True).first.click()
    web.check()
    web.axe()
    form = page.locator("form.lv-progress-form")
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=progress]").fill("30")
    form.locator("input[name=money_paid]").fill("12.5")
    form.locator("textarea[name=note]").fill("路基完成，开始铺设面层。")
    form.get_by_role("button", name="提交进度报告").click()
    web.check()
    expect(page.locator("body")).to_contain_text("进度报告已提交")
    project.refresh_from_db()
    assert (project.progress, project.money_paid) == (30, Decimal("12.5"))
    web.axe()
