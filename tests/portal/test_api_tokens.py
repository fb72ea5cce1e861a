"""API tokens expire, end with logout and password change, and can be revoked
by their user and by admins (issue 15)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(username="integrator")


def _token(user) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    assert "expires_at" in response.json()
    return response.json()["token"]


def _me(key: str) -> int:
    return APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_token_expires_after_its_lifetime_and_a_new_one_is_issued(user, settings):
    key = _token(user)
    assert _me(key) == 200
    Token.objects.filter(key=key).update(
        created=timezone.now() - settings.API_TOKEN_LIFETIME - timedelta(seconds=1)
    )
    assert _me(key) == 401
    assert not Token.objects.filter(key=key).exists()
    fresh = _token(user)
    assert fresh != key and _me(fresh) == 200


def test_the_same_valid_token_is_returned_while_it_lasts(user):
    assert _token(user) == _token(user)


def test_logout_revokes_the_token(client, user):
    key = _token(user)
    client.force_login(user)
    client.post(reverse("logout"))
    assert _me(key) == 401
    assert AuditEvent.objects.filter(
        action="api_token.revoke", reason="logout"
    ).exists()


def test_a_password_change_revokes_the_token(user):
    key = _token(user)
    user.set_password("Another#Pass2026")
    user.save()
    assert _me(key) == 401


def test_other_saves_keep_the_token(user):
    key = _token(user)
    user.display_name = "接口用户"
    user.save()
    assert _me(key) == 200


def test_the_user_revokes_by_api_and_on_the_account_page(client, user):
    key = _token(user)
    response = APIClient().delete(
        "/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 204 and _me(key) == 401
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401
    key = _token(user)
    client.force_login(user)
    page = client.get(reverse("api_token")).content.decode()
    assert "有效期至" in page and key not in page
    client.post(reverse("api_token"))
    assert _me(key) == 401
    assert "没有有效的接口令牌" in client.get(reverse("api_token")).content.decode()


def test_admins_list_and_revoke_tokens_in_the_admin(client, user):
    key = _token(user)
    admin = UserFactory(username="admin_t", is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/admin/authtoken/tokenproxy/")
    assert listing.status_code == 200 and str(user) in listing.content.decode()
    # DRF's TokenProxy is keyed by the user.
    client.post(f"/admin/authtoken/tokenproxy/{user.pk}/delete/", {"post": "yes"})
    assert _me(key) == 401


def test_the_account_page_needs_login(client):
    assert client.get(reverse("api_token")).status_code == 302
