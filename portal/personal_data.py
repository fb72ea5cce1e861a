"""Responses carrying personal data in full (a citizen's mobile, a deputy's ID
number) are never stored by a browser or a proxy: the view that reveals marks
the request, ``PersonalDataNoStoreMiddleware`` sets ``Cache-Control: no-store``.

One mark for HTML pages, API answers and files, so a new reveal cannot forget
the header (issue 15; 个人信息保护法 §51; OWASP ASVS 8.2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

_MARK = "_portal_personal_data"


def mark_personal_data(request: Any) -> None:
    """The response to ``request`` (Django's, or DRF's wrapping it) shows
    personal data in full."""
    setattr(getattr(request, "_request", request), _MARK, True)


def carries_personal_data(request: HttpRequest) -> bool:
    return bool(getattr(request, _MARK, False))


class PersonalDataNoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if carries_personal_data(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
