"""Login lockout responses (django-axes): JSON for the API, a page for browsers."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """429 with a Chinese explanation; the API gets ``{"detail": ...}``."""
    message = _("登录失败次数过多，账户已被锁定30分钟，请稍后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)
