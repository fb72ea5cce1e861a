"""The dashboard's to-dos are kept per user for PORTAL_TODO_CACHE_SECONDS (issue
14); the user's own writes, on a page or through the API, refresh them at once.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal import registry
from portal.registry import TodoItem

pytestmark = pytest.mark.django_db

DASHBOARD = "/staff/"


@pytest.fixture
def counting_provider(monkeypatch):
    """Replaces the providers by one that counts its calls and names the user."""
    calls: list[str] = []

    def provider(user):
        calls.append(user.username)
        return [TodoItem(title=f"待办{len(calls)}：{user.username}", url="/staff/")]

    monkeypatch.setattr(registry, "_todo_providers", [provider])
    cache.clear()
    yield calls
    cache.clear()


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
def test_todos_are_kept_and_the_page_says_so(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    first = client.get(DASHBOARD).content.decode()
    second = client.get(DASHBOARD).content.decode()
    assert counting_provider == ["county_staff"]
    assert "待办1：county_staff" in first and "待办1：county_staff" in second
    assert "待办每 1 分钟更新" in second


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
def test_each_user_has_their_own(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    client.get(DASHBOARD)
    client.force_login(personas.other_county_staff)
    page = client.get(DASHBOARD).content.decode()
    assert counting_provider == ["county_staff", "other_county_staff"]
    assert "county_staff" not in page.replace("other_county_staff", "")


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
def test_the_users_own_page_write_refreshes_them(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    client.get(DASHBOARD)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": DASHBOARD})
    page = client.get(DASHBOARD).content.decode()
    assert counting_provider == ["county_staff", "county_staff"]
    assert "待办2：county_staff" in page


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
def test_the_users_own_api_write_refreshes_them(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    client.get(DASHBOARD)
    api = APIClient()
    token = Token.objects.create(user=personas.county_staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.post("/api/v1/notifications/mark_read/", {}).status_code == 200
    client.get(DASHBOARD)
    assert counting_provider == ["county_staff", "county_staff"]


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
def test_someone_elses_write_does_not_refresh_mine(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    client.get(DASHBOARD)
    other = APIClient()
    token = Token.objects.create(user=personas.other_county_staff)
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert other.post("/api/v1/notifications/mark_read/", {}).status_code == 200
    client.get(DASHBOARD)
    assert counting_provider == ["county_staff"]


def test_off_by_default_in_the_tests(client, personas, counting_provider):
    client.force_login(personas.county_staff)
    client.get(DASHBOARD)
    page = client.get(DASHBOARD).content.decode()
    assert counting_provider == ["county_staff", "county_staff"]
    assert "待办每" not in page


@override_settings(PORTAL_TODO_CACHE_SECONDS=60)
@pytest.mark.parametrize(
    "view_name", ["api:livelihood-round-ballot", "livelihood:vote", "api:me"]
)
def test_a_vote_writes_no_todo_counter(rf, personas, counting_provider, view_name):
    """Sign-in and ballot write nothing but the ballot and its participation
    (docs/ballot-secrecy.md); any other write moves the counter."""
    from django.http import HttpResponse
    from django.urls import ResolverMatch

    from portal.middleware import TodoFreshnessMiddleware

    request = rf.post("/")
    request.user = personas.deputy
    request.resolver_match = ResolverMatch(
        lambda r: None,
        (),
        {},
        url_name=view_name.split(":")[1],
        namespaces=[view_name.split(":")[0]],
    )
    assert request.resolver_match.view_name == view_name
    TodoFreshnessMiddleware(lambda r: HttpResponse())(request)
    writes = cache.get(f"todos:writes:{personas.deputy.pk}")
    assert writes == (1 if view_name == "api:me" else None)
