"""API reads of stations as networks and grassroots governance (issue 17):
assessments/, social-reports/, mediation-cases/ — in scope only (out of scope
is a 404), keyset-paginated, constant queries per page."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from portal.api.pagination import KeysetPagination

from ..models import MediationCase, SocialReport, StationAssessment
from ..network.selectors import mask_parties, sender_label


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
