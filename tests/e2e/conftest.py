"""Browser tests: Playwright (Python) driving Debian's Chromium against the live
server, each journey at a desktop and a phone viewport.

- One Chromium per test module (``browser``); a fresh context per test, so no
  cookie or storage leaks between journeys.
- ``web`` wraps the page: ``go`` loads a page, checks the answer and, on a phone,
  that nothing is wider than the screen (``document.documentElement.scrollWidth``);
  ``axe`` runs axe-core and fails on any serious or critical violation.
- axe-core comes from npm (package.json, ``npm ci``; ``make test`` installs it).
  The production CSP is left as it is (``script-src 'self'``): the test routes
  one made-up same-origin address to the file in node_modules and adds it as a
  ``<script src>``, so the browser loads axe exactly as it loads our own scripts.
  No ``bypass_csp``, no test-only policy; a CSP violation would still show.
- On failure a full-page screenshot goes to ``$E2E_SCREENSHOTS`` (CI keeps it as
  an artefact) or the test's tmp folder.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.livelihood_votes.conftest import lw  # noqa: F401 - fixtures for tests/e2e
from tests.proposals.conftest import pw  # noqa: F401
from tests.stations.conftest import sw  # noqa: F401

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__e2e__/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
]
DEVICES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
# axe impacts that fail a page.
BLOCKING = ("serious", "critical")


@pytest.fixture(autouse=True, scope="session")
def _allow_sync_db_beside_playwright():
    """Playwright's sync API keeps an event loop in the test's thread; the test's
    own ORM calls (reaching states through services) are still synchronous."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser(_allow_sync_db_beside_playwright):
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class Web:
    """One browser tab of one person at one viewport."""

    def __init__(self, page, base_url, device, name):
        self.page = page
        self.base_url = base_url
        self.device = device
        self.name = name
        self.visited = []

    @property
    def phone(self):
        return self.device == "phone"

    def url(self, path):
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def go(self, path, status=200):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        self.check()
        return self.page

    def check(self):
        """The page now shown fits the screen (phone) — called after every load."""
        self.page.wait_for_load_state()
        self.visited.append(self.page.url)
        if not self.phone:
            return
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], (
            f"{self.page.url} is {widths[0]} px wide on a {widths[1]} px phone"
        )

    def press(self, locator):
        """Tap (phone) or click (desktop) what leads to another page, and check it."""
        with self.page.expect_navigation():
            if self.phone:
                locator.tap()
            else:
                locator.click()
        self.check()

    def axe(self):
        """axe-core on the page now shown: no serious or critical violation."""
        self.page.add_script_tag(url=self.url(AXE_PATH))
        violations = self.page.evaluate(
            """() => axe.run(document, {resultTypes: ["violations"]}).then(r =>
                 r.violations.map(v => ({id: v.id, impact: v.impact,
                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))"""
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert blocking == [], f"axe on {self.page.url}: {blocking}"
        return violations

    def login(self, user):
        """Sign ``user`` in without the form (the login page has its own tests)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": self.base_url,
                }
            ]
        )
        return self

    def tab(self, label):
        """The phone's bottom tab bar item ``label``."""
        return self.page.locator(".tabbar").get_by_role("link", name=label)

    def screenshot(self, folder, label):
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{label}-{self.name}.png")
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture(params=list(DEVICES))
def device(request):
    return request.param


@pytest.fixture
def open_tab(request, browser, live_server, tmp_path):
    """``open_tab(device)`` → a ``Web`` in a new browser context; screenshots of
    every tab of a failed test are saved on teardown."""
    contexts = []

    def open_(device, name="main"):
        context = browser.new_context(
            **DEVICES[device],
            locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh"},
        )
        context.set_default_timeout(10_000)
        context.route(
            f"**{AXE_PATH}",
            lambda route: route.fulfill(
                path=str(AXE_JS), content_type="application/javascript"
            ),
        )
        page = context.new_page()
        web = Web(page, live_server.url, device, name)
        # Confirmation guards (data-confirm, issue 18) are accepted; their
        # questions are kept so a journey can assert it was asked.
        web.dialogs = []

        def accept(dialog, web=web):
            web.dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        contexts.append((context, web))
        return web

    yield open_
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    folder = os.environ.get("E2E_SCREENSHOTS") or str(tmp_path)
    label = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
    for context, web in contexts:
        if failed:
            try:
                print(f"screenshot: {web.screenshot(folder, label)}")
            except Exception as exc:  # a crashed page must not hide the failure
                print(f"screenshot failed: {exc}")
        context.close()


@pytest.fixture
def web(open_tab, device):
    return open_tab(device)
