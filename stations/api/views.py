"""API: stations/, stations/{id}/duty-days/, public/opinions/, opinions/ (API.md)."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.pagination import KeysetPagination
from portal.api.schema import rate_limited
from portal.models import HandlingUnit
from portal.personal_data import mark_personal_data
from portal.ratelimit import (
    client_address,
    client_ip,
    hit,
    public_submission_allowed,
)

from .. import selectors, services
from ..filters import OpinionFilter
from ..models import Opinion, Station
from ..policies import OpinionPolicy, StationPolicy
from . import serializers


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Stations: everyone sees active ones; staff also see inactive ones in scope."""

    serializer_class = serializers.StationSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind", "region", "status", "is_model"]

    def get_queryset(self):
        user = self.request.user
        queryset = Station.objects.active()
        if user.is_authenticated:
            queryset = Station.objects.filter(
                Q(status="active")
                | Q(pk__in=Station.objects.visible_to(user).values("pk"))
            )
        return queryset.select_related("region__parent").order_by(
            "region_path", "name", "id"
        )

    @extend_schema(responses=serializers.DutyDaySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="duty-days")
    def duty_days(self, request, pk=None):
        """Published duty days from today on; station managers also see unpublished ones."""
        station = self.get_object()
        queryset = selectors.duty_days_for(
            station,
            include_unpublished=StationPolicy.allows(request.user, "manage", station),
            today=timezone.localdate(),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            serializers.DutyDaySerializer(page, many=True).data
        )


@rate_limited
class PublicOpinionCreateView(APIView):
    """A citizen sends an opinion; rate limited per address (429 past the limit)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=serializers.PublicOpinionCreateSerializer,
        responses={201: serializers.PublicOpinionSerializer},
    )
    def post(self, request):
        data = serializers.PublicOpinionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        station = (
            Station.objects.active().filter(pk=data.validated_data["station"]).first()
        )
        if station is None:
            raise ValidationError({"station": [_("联络站不存在或已停用。")]})
        values = data.validated_data
        limit = services.station_rules(station).public_submissions_per_hour
        if not public_submission_allowed(
            "opinion",
            address=client_address(request),
            phone=values["phone"],
            limit=limit,
        ):
            raise Throttled(detail=_("提交过于频繁，请一小时后再试。"))
        opinion = services.opinion_submit(
            station=station,
            name=values["name"],
            phone=values["phone"],
            content=values["content"],
            category=values.get("category", ""),
            ip_address=client_ip(request),
            actor=None,
        )
        return Response(
            {"tracking_code": opinion.tracking_code, "status": opinion.status},
            status=status.HTTP_201_CREATED,
        )


@rate_limited
class PublicOpinionTrackView(generics.GenericAPIView):
    """Status and published reply of one opinion by tracking code (no personal data)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = serializers.PublicOpinionSerializer

    def get(self, request, tracking_code):
        # One budget with the tracking page, so the two cannot be added up.
        if not hit(
            selectors.TRACK_RATE_SCOPE,
            client_address(request),
            limit=selectors.TRACK_LOOKUPS_PER_HOUR,
        ):
            raise Throttled(detail=_("查询过于频繁，请稍后再试。"))
        projection = selectors.public_opinion_by_code(tracking_code)
        if projection is None:
            # The same answer for a malformed code and an unknown one.
            raise Http404
        return Response(self.get_serializer(projection).data)


class OpinionViewSet(viewsets.ReadOnlyModelViewSet):
    """Opinions in scope, with the workflow actions of API.md."""

    pagination_class = KeysetPagination
    filterset_class = OpinionFilter

    def get_serializer_class(self):
        return (
            serializers.OpinionDetailSerializer
            if self.action != "list"
            else serializers.OpinionSerializer
        )

    def get_queryset(self):
        queryset = Opinion.objects.visible_to(self.request.user).with_list_related()
        if self.action != "list":
            queryset = queryset.prefetch_related("assignments__unit", "events__actor")
        return queryset

    def _respond(self, opinion):
        opinion = self.get_queryset().get(pk=opinion.pk)
        return Response(
            serializers.OpinionDetailSerializer(
                opinion, context=self.get_serializer_context()
            ).data
        )

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(
        request=None,
        responses={200: serializers.OpinionContactSerializer},
        description=gettext_lazy(
            "群众的完整手机号码：仅限答复群众的承办单位和联络站工作人员，"
            "每次查看记入审计（personal_data.reveal），应答不缓存（no-store）。"
        ),
    )
    @action(detail=True, methods=["post"], url_path="reveal-contact")
    def reveal_contact(self, request, pk=None):
        opinion = self.get_object()
        phone = services.opinion_contact_reveal(
            actor=request.user, opinion=opinion, ip_address=client_ip(request)
        )
        mark_personal_data(request)
        return Response(
            serializers.OpinionContactSerializer({"submitter_phone": phone}).data
        )

    @extend_schema(
        request=serializers.OpinionTriageSerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "manage", opinion)
        values = self._input(serializers.OpinionTriageSerializer)
        return self._respond(
            services.opinion_triage(opinion=opinion, actor=request.user, **values)
        )

    @extend_schema(
        request=serializers.OpinionAssignSerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "manage", opinion)
        values = self._input(serializers.OpinionAssignSerializer)
        # Any active unit; one of another level or region is the service's
        # refusal, with its reason (转县级人大办理).
        unit = (
            HandlingUnit.objects.active()
            .select_related("region")
            .filter(pk=values["unit"])
            .first()
        )
        if unit is None:
            raise ValidationError({"unit": [_("承办单位不存在或已停用。")]})
        return self._respond(
            services.opinion_assign(
                opinion=opinion,
                unit=unit,
                due_date=values.get("due_date"),
                note=values["note"],
                actor=request.user,
            )
        )

    @extend_schema(
        request=serializers.OpinionReplySerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "answer", opinion)
        values = self._input(serializers.OpinionReplySerializer)
        return self._respond(
            services.opinion_reply(opinion=opinion, actor=request.user, **values)
        )

    @extend_schema(
        request=serializers.OpinionVisitSerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def visit(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "manage", opinion)
        values = self._input(serializers.OpinionVisitSerializer)
        return self._respond(
            services.opinion_visit(opinion=opinion, actor=request.user, **values)
        )

    @extend_schema(
        request=serializers.OpinionCloseSerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "manage", opinion)
        values = self._input(serializers.OpinionCloseSerializer)
        return self._respond(
            services.opinion_close(opinion=opinion, actor=request.user, **values)
        )

    @extend_schema(
        request=serializers.OpinionConvertSerializer,
        responses=serializers.OpinionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        opinion = self.get_object()
        OpinionPolicy.require(request.user, "manage", opinion)
        values = self._input(serializers.OpinionConvertSerializer)
        mandate = (
            selectors.member_mandates(opinion.station)
            .filter(pk=values["deputy"])
            .first()
        )
        if mandate is None:
            raise ValidationError({"deputy": [_("只能转给本联络站的进站代表。")]})
        return self._respond(
            services.opinion_convert(
                opinion=opinion,
                mandate=mandate,
                actor=request.user,
                note=values["note"],
            )
        )
