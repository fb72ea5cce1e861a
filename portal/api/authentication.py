"""Token authentication whose tokens expire (issue 15).

A token works for ``API_TOKEN_LIFETIME`` (12 hours by default, ``API_TOKEN_HOURS``)
after it was issued; it is revoked on logout and on a password change
(``portal.apps``), and the user or an admin can revoke it (the account page,
``DELETE /api/v1/auth/token/``, the admin).

A key with a NUL character in it is an invalid token (401) without a query:
PostgreSQL refuses NUL in text, which was a 500 (issue 15).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from portal.tokens import expires_at


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if "\x00" in key:
            raise AuthenticationFailed(_("令牌无效。"))
        user, token = super().authenticate_credentials(key)
        if expires_at(token) <= timezone.now():
            token.delete()
            raise AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return user, token
