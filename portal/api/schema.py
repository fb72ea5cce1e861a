"""The OpenAPI schema documents every answer an operation can give (issue 15).

drf-spectacular describes the success answer of each operation; the error
answers of API.md ("Conventions") come from the same few places for every view,
so they are added here once, from what the view is, instead of per operation:

- ``400`` field errors, where there is input to validate (a body or query
  parameters);
- ``401`` where the view authenticates (no credentials, or a bad or expired
  token), ``403`` where it also needs a signed-in user (in scope, not allowed);
- ``404`` where a path names an object (absent or out of scope) and on paginated
  lists (a page or cursor that does not exist);
- ``409`` for a transition on an object that its state does not allow;
- ``415`` where a body is read, in a media type the operation does not parse;
- ``429`` where the view throttles: with DRF throttles, or with a limit it
  counts itself (``portal.ratelimit``: anonymous submissions, tracking-code
  lookups, check-in codes, login lockout), marked with ``@rate_limited``.

An ``@extend_schema(responses={...})`` entry for the same code wins.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def rate_limited(view):
    """Marks a view class, handler or action that answers 429 past a limit it
    counts itself, so the schema documents the 429 (issue 15)."""
    view.rate_limited = True
    return view


class ErrorSerializer(serializers.Serializer):
    """``{"detail": "消息"}``."""

    detail = serializers.CharField()


def refused_transition() -> OpenApiResponse:
    """The ``409`` of an operation whose object's state refuses it, for the few
    safe (GET) operations that answer one (``@extend_schema(responses=…)``)."""
    return OpenApiResponse(
        ErrorSerializer, description="当前状态不允许此操作 / refused transition"
    )


# ``{"field": ["消息"]}`` per invalid field (``non_field_errors`` for the whole
# input; nested objects and lists mirror the input), or ``{"detail": "消息"}``.
VALIDATION_ERRORS = {
    "type": "object",
    "description": 'Field errors {"field": ["消息"]} or {"detail": "消息"}.',
    "additionalProperties": {},
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return responses

    def _get_filter_parameters(self):
        # A detail route (``stations/{id}/duty-days/``) filters nothing: the
        # viewset's list filters are not its parameters.
        if getattr(self.view, "detail", False):
            return []
        return super()._get_filter_parameters()

    def _is_rate_limited(self) -> bool:
        handler_name = getattr(self.view, "action", None) or self.method.lower()
        handler = getattr(self.view, handler_name, None)
        return bool(
            getattr(self.view, "rate_limited", False)
            or getattr(handler, "rate_limited", False)
        )

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        method = self.method.upper()
        view = self.view
        has_body = method in ("POST", "PUT", "PATCH") and bool(
            self.get_request_serializer()
        )
        parameters = self._get_parameters()
        has_query = any(p.get("in") == "query" for p in parameters)
        has_path = any(p.get("in") == "path" for p in parameters)
        authenticates = bool(view.get_authenticators())
        public = all(
            isinstance(permission, AllowAny) for permission in view.get_permissions()
        )
        error = ErrorSerializer

        codes: dict[str, OpenApiResponse] = {}
        if has_body or has_query:
            codes["400"] = OpenApiResponse(
                VALIDATION_ERRORS, description="输入无效 / invalid input"
            )
        if authenticates:
            codes["401"] = OpenApiResponse(
                error, description="未登录或令牌无效 / not authenticated"
            )
        if authenticates and not public:
            codes["403"] = OpenApiResponse(
                error, description="无权进行此操作 / not allowed"
            )
        if has_path or (self._is_list_view() and self._get_paginator()):
            codes["404"] = OpenApiResponse(
                error, description="不存在或不在范围内 / not found or out of scope"
            )
        if has_path and method not in SAFE_METHODS:
            codes["409"] = refused_transition()
        if has_body:
            codes["415"] = OpenApiResponse(
                error, description="不支持的媒体类型 / unsupported media type"
            )
        if view.get_throttles() or self._is_rate_limited():
            codes["429"] = OpenApiResponse(
                error, description="请求过于频繁 / too many requests"
            )
        return codes
