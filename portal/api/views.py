"""Core API: token, me, regions, congresses, handling units (API.md)."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal import services
from portal.models import Congress, HandlingUnit, Notification, Region, Session
from portal.policies import scope_for
from portal.security import lockout_response
from portal.services import notification_mark_read
from portal.tokens import expires_at

from . import filters, serializers
from .pagination import KeysetPagination
from .schema import rate_limited


class TokenView(APIView):
    """Exchange a username and password for an API token (locked out after 5
    failures: 429)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticators(self):
        # POST exchanges credentials (no authentication); DELETE revokes the
        # caller's own token, so it authenticates as every other endpoint does.
        if (
            getattr(self, "request", None) is not None
            and self.request.method == "DELETE"
        ):
            return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        return super().get_authenticators()

    @rate_limited
    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses=serializers.TokenSerializer,
    )
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {"username": data.validated_data["username"]}
        django_request = request._request
        if not AxesProxyHandler.is_allowed(django_request, credentials):
            return self._locked()
        user = authenticate(
            request=django_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            if not AxesProxyHandler.is_allowed(django_request, credentials):
                return self._locked()
            return Response(
                {"non_field_errors": [_("用户名或密码不正确。")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not user.is_active:
            return Response(
                {"non_field_errors": [_("该账户已停用。")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = services.api_token_issue(user=user, actor=user)
        return Response({"token": token.key, "expires_at": expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the caller's own token (authenticated by it or the session)."""
        user = request.user
        if not user.is_authenticated:
            raise NotAuthenticated
        services.api_tokens_revoke(user=user, actor=user, reason="user")
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _locked(self):
        return lockout_response(self.request._request)


class MeView(APIView):
    """Who am I: username, display name and role grants with their scopes."""

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "display_name": user.display_name or user.username,
                "roles": list(scope_for(user).grants),
            }
        )


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions within the caller's scope."""

    serializer_class = serializers.RegionSerializer
    filterset_class = filters.RegionFilter

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).order_by("path")


class CongressViewSet(viewsets.ReadOnlyModelViewSet):
    """Congresses of the regions within the caller's scope."""

    serializer_class = serializers.CongressSerializer
    filterset_class = filters.CongressFilter

    def get_queryset(self):
        return (
            Congress.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("region__path")
        )


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions (第N次会议) of congresses: dates and the bill deadline, so a bill
    names its ``session``. Meeting dates are public facts: every signed-in user
    reads them; ``?congress=`` narrows to one congress."""

    serializer_class = serializers.SessionSerializer
    filterset_class = filters.SessionFilter

    def get_queryset(self):
        return Session.objects.select_related("term__congress").order_by(
            "term__congress_id", "-term__number", "-number"
        )


class HandlingUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Handling units the caller may see (congress staff: their region; units: their own)."""

    serializer_class = serializers.HandlingUnitSerializer
    filterset_class = filters.HandlingUnitFilter

    def get_queryset(self):
        return (
            HandlingUnit.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("region__path", "name", "id")
        )


class PublicSubmitThrottle(AnonRateThrottle):
    """Rate limit for anonymous submissions (opinions, ideas) per address."""

    scope = "anon_submit"


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications (newest first); ``unread=1`` filters."""

    serializer_class = serializers.NotificationSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        queryset = Notification.objects.visible_to(self.request.user).in_app()
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.unread()
        return queryset

    @extend_schema(request=serializers.MarkReadSerializer, responses={200: None})
    @action(detail=False, methods=["post"])
    def mark_read(self, request):
        data = serializers.MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = notification_mark_read(
            actor=request.user, notification_ids=data.validated_data.get("ids")
        )
        return Response({"marked": count})
