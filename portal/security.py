"""Login: lockout responses (django-axes), JSON for the API and a page for
browsers; the model backend that refuses the demo password outside DEBUG."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """429 with a Chinese explanation; the API gets ``{"detail": ...}``."""
    message = _("登录失败次数过多，账户已被锁定30分钟，请稍后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)


class PortalModelBackend(ModelBackend):
    """Django's model backend, except that the published demo password
    (README, ``portal.demo.DEMO_PASSWORD``) signs nobody in unless
    ``PORTAL_ALLOW_DEMO_PASSWORD`` (on with DEBUG, i.e. ``make run``): a demo
    database served in production mode cannot be entered with it (issue 15).
    Compared with what was typed, so no extra hash per login."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .demo import DEMO_PASSWORD

        if (
            password is not None
            and not settings.PORTAL_ALLOW_DEMO_PASSWORD
            and constant_time_compare(password, DEMO_PASSWORD)
        ):
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
