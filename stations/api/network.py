"""API reads of stations as networks and grassroots governance (issue 17):
assessments/, social-reports/, mediation-cases/ — in scope only (out of scope
is a 404), keyset-paginated, constant queries per page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from deputies.models import Mandate
from portal.api.pagination import KeysetPagination, PortalPagination

from ..models import MediationCase, SocialReport, StationAssessment
from ..network.policies import works_with_networks
from ..network.selectors import (
    duty_target_list,
    mask_parties,
    sender_label,
    target_rows,
)


class AssessmentSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name")
    assessor_name = serializers.CharField(source="assessor.name", allow_null=True)

    class Meta:
        model = StationAssessment
        fields = [
            "id",
            "station",
            "station_name",
            "year",
            "status",
            "score",
            "grade",
            "assessor",
            "assessor_name",
            "scores",
            "refusal_reason",
            "submitted_at",
            "decided_at",
        ]


class SocialReportSerializer(serializers.ModelSerializer):
    sender = serializers.SerializerMethodField()

    class Meta:
        model = SocialReport
        fields = [
            "id",
            "title",
            "category",
            "content",
            "status",
            "station",
            "sender",
            "congress",
            "forwarded_to",
            "answer",
            "submitted_at",
            "answered_at",
        ]

    def get_sender(self, obj: SocialReport) -> str:
        return sender_label(obj)


class MediationCaseSerializer(serializers.ModelSerializer):
    parties = serializers.SerializerMethodField(help_text="当事人（只显示姓氏）")
    opinion_code = serializers.CharField(source="opinion.tracking_code")

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "station",
            "opinion",
            "opinion_code",
            "parties",
            "subject",
            "status",
            "outcome",
            "created_at",
            "closed_at",
        ]

    def get_parties(self, obj: MediationCase) -> str:
        return mask_parties(obj.parties)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Station assessments in scope (the station's staff, the congresses above)."""

    serializer_class = AssessmentSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["status", "year", "station"]

    def get_queryset(self):
        return StationAssessment.objects.visible_to(self.request.user).select_related(
            "station", "assessor"
        )


class SocialReportViewSet(viewsets.ReadOnlyModelViewSet):
    """社情民意 reports in scope (sender, the congresses of the region and above)."""

    serializer_class = SocialReportSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["status", "congress"]

    def get_queryset(self):
        return SocialReport.objects.visible_to(self.request.user).select_related(
            "station", "author__person"
        )


class MediationCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediation cases in scope, parties masked."""

    serializer_class = MediationCaseSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["status", "station"]

    def get_queryset(self):
        return MediationCase.objects.visible_to(self.request.user).select_related(
            "opinion"
        )


class DutyTargetSerializer(serializers.Serializer):
    """One deputy's 进站履职 this year against the rule (``target_rows``)."""

    mandate = serializers.IntegerField(source="mandate.pk")
    name = serializers.CharField()
    congress = serializers.CharField()
    attended = serializers.IntegerField()
    target = serializers.IntegerField()
    expected = serializers.IntegerField()
    met = serializers.BooleanField()
    behind = serializers.BooleanField()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "year", int, description="考评年度（默认今年）", required=False
        )
    ]
)
class DutyTargetListView(generics.ListAPIView):
    """进站履职目标: deputies of the stations the user works with, least attended
    first, each against their congress's ``station_duty_days_per_year``."""

    serializer_class = DutyTargetSerializer
    pagination_class = PortalPagination

    def _year(self) -> int:
        today = timezone.localdate()
        raw = self.request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and len(raw) == 4 else today.year
        return year if 2000 <= year <= today.year + 1 else today.year

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: its model only
            return Mandate.objects.none()
        if not works_with_networks(self.request.user):
            raise PermissionDenied(_("只有联络站工作人员和人大工作人员可以查看。"))
        return duty_target_list(self.request.user, self._year())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = target_rows(list(page or []), self._year(), timezone.localdate())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
