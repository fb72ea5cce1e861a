"""API tokens end with the session that matters (issue 15): logging out and
changing the password revoke every API token of the user (``connect`` is
called once, from ``PortalConfig.ready``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save


def expires_at(token) -> datetime:
    """When ``token`` stops working (``API_TOKEN_LIFETIME`` after it was issued)."""
    return token.created + settings.API_TOKEN_LIFETIME


def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        from . import services

        services.api_tokens_revoke(user=user, actor=user, reason="logout")


def _on_password_saved(sender, instance, created, **kwargs) -> None:
    # AbstractBaseUser keeps the new raw password in ``_password`` from
    # ``set_password`` until its ``save`` has run (post_save fires inside it).
    if not created and getattr(instance, "_password", None) is not None:
        from . import services

        services.api_tokens_revoke(user=instance, actor=None, reason="password_change")


def connect() -> None:
    user_logged_out.connect(_on_logout, dispatch_uid="portal.tokens.logout")
    post_save.connect(
        _on_password_saved,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="portal.tokens.password",
    )
