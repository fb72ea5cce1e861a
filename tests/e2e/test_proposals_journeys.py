"""Suggestions in the browser, at a desktop and a phone viewport: a deputy finds
我的建议, writes a suggestion (on a phone from the bottom tab bar) and reaches
the vote; a handling unit opens its assignment list and replies."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proposals import services
from proposals.models import Suggestion
from tests.proposals.conftest import assigned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_writes_a_suggestion_and_reaches_the_vote(web, pw, personas):
    page = web.login(personas.deputy).page
    web.go("/staff/")
    if web.phone:
        # The sideways strip is folded away; the tab bar carries the deputy's day.
        expect(page.locator(".staff-nav__list")).to_be_hidden()
        tabs = page.locator(".tabbar a")
        expect(tabs).to_have_count(5)
        expect(web.tab("待办")).to_have_attribute("aria-current", "page")
        web.tab("菜单").click()
        expect(page.locator(".staff-nav__list")).to_be_visible()
        expect(page.locator(".staff-nav__list")).to_contain_text("我的建议")
        web.check()
    else:
        expect(page.locator(".tabbar")).to_be_hidden()
        expect(page.locator(".staff-nav__list")).to_contain_text("我的建议")
    web.axe()

    page.locator(".staff-nav__list").get_by_role("link", name="我的建议").click()
    web.check()
    expect(page.locator("h1")).to_contain_text("我的")
    web.axe()

    if web.phone:
        web.tab("写建议").click()
    else:
        page.get_by_role("link", name="写议案建议").click()
    web.check()
    if web.phone:
        expect(web.tab("写建议")).to_have_attribute("aria-current", "page")
    page.fill("input[name=title]", "关于村级道路养护的建议")
    page.locator("select[name=category]").select_option(index=1)
    page.fill("textarea[name=problem]", "部分村道坑洼严重，雨天积水。")
    page.fill("textarea[name=analysis]", "养护资金不足、责任不清。")
    page.fill("textarea[name=proposals]", "建立县乡村三级路长制。")
    page.get_by_label("农村公路养护调研").check()
    web.axe()
    page.get_by_role("button", name="保存草稿").click()
    web.check()
    expect(page.locator("body")).to_contain_text("草稿已保存")
    suggestion = Suggestion.objects.get(title="关于村级道路养护的建议")
    assert suggestion.lead == pw.lead
    web.axe()

    if web.phone:
        web.tab("票决").click()
        web.check()
        expect(web.tab("票决")).to_have_attribute("aria-current", "page")
    else:
        web.go("/livelihood/my/")
    expect(page.locator("h1")).to_be_visible()
    web.axe()


def test_unit_opens_its_assignment_and_replies(web, pw, world, personas):
    suggestion = assigned(pw, world)
    assignment = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=assignment,
        method="meeting",
        date=timezone.localdate(),
        summary="当面沟通",
        actor=None,
    )
    page = web.login(personas.unit_staff).page
    web.go("/staff/")
    if web.phone:
        web.tab("承办").click()
    else:
        page.locator(".staff-nav__list").get_by_role(
            "link", name="承办", exact=True
        ).click()
    web.check()
    web.axe()
    page.get_by_role("link", name=suggestion.title).first.click()
    web.check()
    web.axe()
    page.get_by_role("link", name="答复代表").click()
    web.check()
    page.locator("input[name=category]").first.check()  # the first category, A
    page.fill("textarea[name=text]", "已纳入明年养护计划，年内完成修补。")
    if page.locator("input[name=document_number]").count():
        page.fill("input[name=document_number]", "交复〔2026〕1号")
    if page.locator("input[name=signer]").count():
        page.fill("input[name=signer]", "赵局长")
    web.axe()
    page.get_by_role("button", name="提交答复").click()
    web.check()
    # The reply was confirmed first (issue 18's guard), then sent.
    assert any("确定提交答复" in question for question in web.dialogs), web.dialogs
    assignment.refresh_from_db()
    assert assignment.replied_at is not None, page.locator("main").inner_text()
    web.axe()
