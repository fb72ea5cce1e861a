"""Every public page, at a desktop and a phone viewport: axe-core finds no
serious or critical violation and, on the phone, nothing is wider than the
screen. (The station, opinion and tracking pages are in the citizen journey.)"""

import pytest
from playwright.sync_api import expect

from tests.proposals.conftest import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/stations/",
    "/stations/track/",
    "/stations/legislation/",
    "/proposals/public/",
    "/livelihood/",
    "/livelihood/track/",
    "/deputies/public/",
    "/accounts/login/",
]


def test_public_pages_pass_axe_and_fit_a_phone(web, pw, world, personas):
    suggestion = published(pw, world, personas)
    for path in [*PAGES, f"/proposals/public/{suggestion.pk}/"]:
        web.go(path)
        expect(web.page.locator("h1").first).to_be_visible()
        web.axe()
    expect(web.page.locator("body")).to_contain_text(suggestion.title)
