"""API: ``deputies/`` (one row per mandate), ``deputy-groups/``, ``activities/``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from portal.api.pagination import KeysetPagination
from portal.models import Congress
from portal.personal_data import mark_personal_data
from portal.ratelimit import client_ip

from .. import selectors, services
from ..filters import MandateFilter
from ..models import Mandate
from ..policies import ActivityPolicy, CongressPolicy, MandatePolicy
from . import serializers


class MandatePagination(KeysetPagination):
    """Keyset pages in 姓氏笔画 order (or pinyin with ``order=pinyin``)."""

    ordering = ("name_stroke_key", "id")

    def get_ordering(self, request, queryset, view):
        if request.query_params.get("order") == "pinyin":
            return ("name_pinyin", "id")
        return self.ordering


REVEAL_PARAMETER = OpenApiParameter(
    "reveal", bool, description=_("显示完整手机号码和身份证号码（记录审计）")
)


class MandateViewSet(viewsets.ReadOnlyModelViewSet):
    """Deputies (one row per mandate) within the caller's scope.

    ``mobile`` and ``id_number`` are masked. Congress staff who manage the
    region get full values with ``?reveal=1`` (list and detail); each reveal
    writes an audit row and the answer is not stored (issue 15).
    """

    serializer_class = serializers.MandateSerializer
    filterset_class = MandateFilter
    pagination_class = MandatePagination

    def get_queryset(self):
        mandates = selectors.visible_mandates(self.request.user)
        if self.action == "list":  # the page's groups: one read in ``list``
            return mandates
        return mandates.prefetch_related("groups")

    def filter_queryset(self, queryset):
        filterset = selectors.mandate_search(
            self.request.user, self.request.query_params, queryset
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def get_filterset_kwargs(self):  # pragma: no cover - schema generation only
        return {}

    def _asks_to_reveal(self) -> bool:
        return self.request.query_params.get("reveal") in ("1", "true")

    def _reveal(self, mandates):
        user = self.request.user
        revealed = MandatePolicy.revealable(user, list(mandates))
        services.reveal_personal_data(
            actor=user, mandates=revealed, ip_address=client_ip(self.request)
        )
        if revealed:
            mark_personal_data(self.request)
        return {m.pk for m in revealed}

    @extend_schema(parameters=[REVEAL_PARAMETER])
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        reveal_ids = set()
        if self._asks_to_reveal():
            reveal_ids = self._reveal(page)
        serializer = self.get_serializer(
            page,
            many=True,
            context={
                **self.get_serializer_context(),
                "reveal_ids": reveal_ids,
                # One narrow read of the page's memberships, in the groups'
                # order: a prefetch built a related manager and a queryset for
                # each of the 50 rows (~5 ms of the list, issue 14).
                "group_ids": selectors.group_ids_of(page),
            },
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(parameters=[REVEAL_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        mandate = self.get_object()
        reveal_ids = set()
        if self._asks_to_reveal():
            reveal_ids = self._reveal([mandate])
        serializer = self.get_serializer(
            mandate, context={**self.get_serializer_context(), "reveal_ids": reveal_ids}
        )
        return Response(serializer.data)


class DeputyGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Deputy groups the caller may see, with their member counts."""

    serializer_class = serializers.DeputyGroupSerializer
    filterset_fields = ["congress", "kind"]

    def get_queryset(self):
        return selectors.groups_with_counts(self.request.user).order_by(
            "congress_id", "name", "id"
        )


class ActivityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities: staff of the region see and record them; a deputy sees their own."""

    serializer_class = serializers.ActivitySerializer
    filterset_fields = ["congress", "kind", "review_status"]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.activities_with_attendances(self.request.user)

    @extend_schema(
        request=serializers.ActivityCreateSerializer,
        responses={201: serializers.ActivitySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        congress = (
            Congress.objects.visible_to(request.user)
            .filter(pk=values.pop("congress"))
            .first()
        )
        if congress is None:
            raise ValidationError(
                {"congress": [_("人民代表大会不存在或不在您的范围内。")]}
            )
        CongressPolicy.require(request.user, "record_activity", congress)
        ids = values.pop("participants")
        participants = list(
            Mandate.objects.filter(congress=congress, pk__in=ids).select_related(
                "person"
            )
        )
        if len(participants) != len(set(ids)):
            raise ValidationError(
                {"participants": [_("参加代表必须是该人民代表大会的代表。")]}
            )
        activity = services.activity_create(
            congress=congress, participants=participants, actor=request.user, **values
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=activity.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.AttendanceSetSerializer,
        responses=serializers.ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        activity = self.get_object()
        ActivityPolicy.require(request.user, "manage", activity)
        data = serializers.AttendanceSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = activity.participants.filter(
            pk=data.validated_data["mandate"]
        ).first()
        if mandate is None:
            raise ValidationError({"mandate": [_("该代表不是本次活动的参加人员。")]})
        services.attendance_set(
            activity=activity,
            mandate=mandate,
            status=data.validated_data["status"],
            actor=request.user,
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=activity.pk)).data
        )

    @extend_schema(
        request=serializers.ActivityReviewSerializer,
        responses=serializers.ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        activity = self.get_object()
        ActivityPolicy.require(request.user, "manage", activity)
        data = serializers.ActivityReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.activity_review(
            activity=activity, actor=request.user, **data.validated_data
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=activity.pk)).data
        )

    @extend_schema(request=None, responses=serializers.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The deputy confirms their own attendance."""
        activity = self.get_object()
        attendance = activity.attendances.filter(
            mandate__person__user=request.user
        ).first()
        if attendance is None:
            raise NotFound()
        services.attendance_confirm(attendance=attendance, actor=request.user)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=activity.pk)).data
        )
