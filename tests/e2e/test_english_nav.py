"""Issue 18: at 1366 px the English navigation shows every link (it wraps instead
of scrolling out of sight) — in Debian's Chromium driven by Playwright."""

import os
import shutil

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIDDEN_LINKS = """() => {
  const list = document.querySelector('.staff-nav__list');
  // Links the layout does not show at this width (the phone menu's "close")
  // are not cut off; the others must all be on the screen.
  const links = [...list.querySelectorAll('a')].filter(a => a.offsetParent !== null);
  return {
    overflow: list.scrollWidth - list.clientWidth,
    links: links.length,
    hidden: links
      .filter(a => { const r = a.getBoundingClientRect();
                     return r.width === 0 || r.left < 0 || r.right > window.innerWidth; })
      .map(a => a.textContent.trim()),
  };
}"""


@pytest.fixture(autouse=True)
def _allow_sync_db_in_live_server_thread():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_nav_shows_every_link_at_1366_px(live_server, client, personas, language):
    client.force_login(personas.admin)  # the longest navigation
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                },
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": live_server.url,
                },
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + reverse("staff:dashboard"))
        assert page.locator("html").get_attribute("lang") == language
        result = page.evaluate(HIDDEN_LINKS)
        context.close()
        browser.close()
    assert result["links"] >= 8
    assert result["hidden"] == [] and result["overflow"] <= 0
