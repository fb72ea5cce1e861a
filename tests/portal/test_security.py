"""Security baseline: headers on every HTML page, absolute session timeout."""

import time

import pytest
from django.contrib.auth import SESSION_KEY

from portal.middleware import SESSION_STARTED_KEY

pytestmark = pytest.mark.django_db


def test_admin_login_has_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_login_is_chinese(client):
    content = client.get("/admin/login/").content.decode()
    assert "人大代表工作平台" in content
    assert "登录" in content


def test_session_ends_after_twelve_hours_even_when_active(client, personas):
    client.force_login(personas.county_staff)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    client.get("/admin/login/")
    assert SESSION_KEY not in client.session


def test_active_session_within_twelve_hours_survives(client, personas):
    client.force_login(personas.county_staff)
    client.get("/admin/login/")
    assert SESSION_KEY in client.session
    assert SESSION_STARTED_KEY in client.session


def test_idle_session_is_renewed_once_a_minute_not_on_every_request(
    client, personas, monkeypatch
):
    from django.contrib.sessions.models import Session

    from portal.middleware import SESSION_TOUCHED_KEY

    client.force_login(personas.county_staff)
    client.get("/admin/login/")
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    touched = client.session[SESSION_TOUCHED_KEY]
    client.get("/admin/login/")
    assert Session.objects.get(pk=key).expire_date == first  # no write
    session = client.session
    session[SESSION_TOUCHED_KEY] = touched - 61
    session.save()
    saved = Session.objects.get(pk=key).expire_date
    monkeypatch.setattr(time, "time", lambda: touched + 120)
    client.get("/admin/login/")
    assert client.session[SESSION_TOUCHED_KEY] == touched + 120
    assert Session.objects.get(pk=key).expire_date >= saved


def test_admin_pages_of_core_models_render_for_admin(client, personas, world):
    client.force_login(personas.admin)
    for model in [
        "user",
        "region",
        "congress",
        "term",
        "handlingunit",
        "rolegrant",
        "ruleset",
        "auditevent",
        "notification",
    ]:
        response = client.get(f"/admin/portal/{model}/")
        assert response.status_code == 200, model
    response = client.get(f"/admin/portal/region/{world.county.pk}/change/")
    assert response.status_code == 200


def test_admin_is_closed_to_non_admins(client, personas):
    client.force_login(personas.county_staff)
    response = client.get("/admin/portal/region/")
    assert response.status_code == 302


def test_not_found_and_forbidden_pages_are_chinese(client, personas, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    client.force_login(personas.leader)
    # a leader may read but not register: the refusal page is Chinese too
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    response = permission_denied(RequestFactory().get("/"), PermissionDenied())
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/proposals/public/?q=%00",
        "/stations/?county=%00",
        "/api/v1/public/suggestions/?q=a%00b",
        "/api/v1/suggestions/similar/?congress=1&text=%00",
        "/deputies/?q=%00",
    ],
)
def test_a_nul_character_in_a_parameter_is_a_400_not_a_500(client, personas, url):
    client.force_login(personas.county_staff)
    response = client.get(url)
    assert response.status_code == 400
    assert "不允许的字符" in response.content.decode()


def test_the_demo_password_signs_nobody_in_outside_demo_mode(api, client, settings):
    """A demo database served with DEBUG off: the published password is refused
    on the login page and the token endpoint; a real password still works."""
    from django.core.management import call_command

    from portal.demo import DEMO_PASSWORD
    from tests.factories import TEST_PASSWORD, UserFactory

    call_command("seed_demo")
    settings.PORTAL_ALLOW_DEMO_PASSWORD = False
    page = client.post(
        "/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD}
    )
    assert page.status_code == 200 and SESSION_KEY not in client.session
    token = api.post(
        "/api/v1/auth/token/", {"username": "admin", "password": DEMO_PASSWORD}
    )
    assert token.status_code == 400
    UserFactory(username="real_staff")
    real = client.post(
        "/accounts/login/", {"username": "real_staff", "password": TEST_PASSWORD}
    )
    assert real.status_code == 302 and SESSION_KEY in client.session
    settings.PORTAL_ALLOW_DEMO_PASSWORD = True
    assert (
        api.post(
            "/api/v1/auth/token/", {"username": "admin", "password": DEMO_PASSWORD}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("url", ["/", "/api/v1/me/", "/api/v1/public/suggestions/"])
def test_a_session_cookie_that_unquotes_to_a_nul_is_no_session(client, url):
    """``sessionid="…\\000…"`` is printable on the wire; Django unquotes it to a
    NUL, which PostgreSQL refused in the session query: a 500 for anyone on every
    page (issue 15). A malformed key is no session."""
    response = client.get(url, HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code == (401 if url == "/api/v1/me/" else 200)


def test_the_session_store_takes_only_keys_django_issues():
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.utils.crypto import get_random_string

    from portal.sessions.cached_db import SessionStore as CachedStore
    from portal.sessions.db import SessionStore

    good = get_random_string(32, VALID_KEY_CHARS)
    for store in (SessionStore, CachedStore):
        assert store(good).session_key == good
        for bad in ("abcdefgh\x00ijk", "ABCDEFGHIJKL", "abc def ghi jkl", "短"):
            assert store(bad).session_key is None, (store, bad)


def test_a_token_with_a_nul_is_an_invalid_token_not_a_500(api):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌无效。"}
