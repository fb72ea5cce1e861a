"""Request bodies are bounded before anything parses them, and client addresses
come from X-Forwarded-For only behind a configured proxy (issue 15)."""

import json

import pytest
from django.test import RequestFactory

from portal.ratelimit import client_ip

pytestmark = pytest.mark.django_db


def test_an_oversized_json_body_is_413_before_parsing(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"content": "积" * 2000})
    response = client.post(
        "/api/v1/public/opinions/", body, content_type="application/json"
    )
    assert response.status_code == 413
    # The API's error shape, as for every other refusal under /api/.
    assert response["Content-Type"] == "application/json"
    assert "请求内容过大" in response.json()["detail"]


def test_an_oversized_upload_is_413_and_a_normal_one_passes(client, settings):
    settings.REQUEST_MAX_BYTES = 2048
    big = client.post(
        "/accounts/login/",
        {"username": "x", "password": "y", "note": "x" * 4096},
    )
    assert big.status_code == 413
    assert big["Content-Type"].startswith("text/plain")
    normal = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert normal.status_code != 413


def test_a_bad_content_length_is_400(client):
    response = client.generic(
        "POST", "/api/v1/public/opinions/", b"{}", CONTENT_LENGTH="abc"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求长度不正确。"}


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **meta)


def test_without_a_proxy_setting_forwarded_headers_are_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = 0
    request = _request(HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    # The client wrote "6.6.6.6" itself; our proxy appended what it saw.
    request = _request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="not-an-ip")) is None
    # No header at all (a request that bypassed the proxy): the socket address.
    assert client_ip(_request()) == "10.0.0.5"


def test_the_lockout_counts_the_real_client_behind_the_proxy(client, settings):
    """django-axes asks the same function: five failures from one client behind
    the proxy lock that client out, not everyone behind the proxy."""
    from django.conf import settings as live

    assert live.AXES_CLIENT_IP_CALLABLE == "portal.ratelimit.client_ip"
    settings.PORTAL_TRUSTED_PROXIES = 1
    for _ in range(live.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "someone", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "someone", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    other = client.post(
        "/accounts/login/",
        {"username": "someone", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert locked.status_code == 429
    assert other.status_code == 200
