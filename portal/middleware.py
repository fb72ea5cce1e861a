"""Session lifetime: 30 minutes idle (Django's SESSION_COOKIE_AGE with
SESSION_SAVE_EVERY_REQUEST) and 12 hours absolute (here)."""

import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED_KEY = "portal_session_started"


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
