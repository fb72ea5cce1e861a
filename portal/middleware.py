"""Session lifetime: 30 minutes idle and 12 hours absolute.

Idle: the session (and its cookie, ``SESSION_COOKIE_AGE``) is renewed when a
request comes at least ``SESSION_TOUCH_INTERVAL`` seconds after the last renewal,
not on every request (``SESSION_SAVE_EVERY_REQUEST`` wrote the session row and
committed on every page view, a write per read at province scale, issue 14): the
idle limit is 30 minutes give or take that minute. Absolute: here.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "portal_session_started"
SESSION_TOUCHED_KEY = "portal_session_touched"


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return self.get_response(request)
            touched = request.session.get(SESSION_TOUCHED_KEY, 0)
            if now - touched >= settings.SESSION_TOUCH_INTERVAL:
                # A change: the session is saved and its cookie renewed.
                request.session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character in the query string or the path answers 400, not 500.

    PostgreSQL refuses NUL in text, so ``?q=%00`` on a search or a tracking code
    was a server error, several of them anonymous (issue 15). Forms and
    serializers already refuse it field by field (``ProhibitNullCharacters``);
    this covers the parameters views read themselves, in one place.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("请求中含有不允许的字符。"), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def _refusal(request, status: int, message: str) -> HttpResponse:
    """A refusal before any view runs: ``{"detail"}`` under /api/ (the API's error
    shape, API.md), plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=status)
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )


class RequestSizeLimitMiddleware:
    """A request body larger than the limit answers 413 before anything reads it.

    Django caps form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams files
    of any size to disk, and DRF's JSON parser reads the stream itself: a 40 MB
    body was parsed before being refused (issue 15). Multipart bodies (uploads)
    may be ``REQUEST_MAX_BYTES`` (25 MB: the largest upload is 10 MB, a form
    may carry more than one); every other body ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, 400, _("请求长度不正确。"))
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (
            settings.REQUEST_MAX_BYTES
            if multipart
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length > limit:
            return _refusal(
                request,
                413,
                _("请求内容过大（不能超过 %(size)s MB）。")
                % {"size": limit // (1024 * 1024)},
            )
        return self.get_response(request)


class TodoFreshnessMiddleware:
    """A user's own writes refresh their cached to-dos (``dashboard_todos``).
    Runs after the view, so a token-authenticated API call counts too (DRF
    sets ``request.user`` when it authenticates)."""

    unsafe = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    # A vote's sign-in and ballot write nothing but the ballot and its
    # participation (docs/ballot-secrecy.md): not even this counter.
    secret = frozenset(
        {
            "livelihood:vote",
            "livelihood:check_in",
            "livelihood:evaluate",
            "livelihood:evaluation_check_in",
            "api:livelihood-round-ballot",
            "api:livelihood-round-check-in",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.unsafe:
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            if match is not None and match.view_name in self.secret:
                return response
            if user is not None and user.is_authenticated:
                from portal.registry import todos_changed_by

                todos_changed_by(user)
        return response
