"""API reads of issue 17 in stations: ``fund-budgets/`` (congress staff and
leaders of the region, a station's own staff), ``legislative-drafts/`` (the
same scoping as the pages) and ``public/legislative-drafts/`` (published
drafts; adopted comments once the feedback is out, scrubbed)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from portal.api.pagination import KeysetPagination
from portal.privacy import scrub_public

from .. import incentive_selectors as selectors
from ..consultation_models import LegislativeDraft
from ..funds_models import FundBudget


class FundBudgetSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    holder_name = serializers.CharField(read_only=True)
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True
    )
    spent_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    execution_percent = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True
    )
    spent_per_deputy_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = FundBudget
        fields = [
            "id",
            "congress",
            "year",
            "holder",
            "holder_name",
            "group",
            "station",
            "deputy_count",
            "standard_yuan",
            "amount_fen",
            "amount_wan",
            "spent_wan",
            "execution_percent",
            "spent_per_deputy_yuan",
            "status",
        ]


class FundBudgetViewSet(viewsets.ReadOnlyModelViewSet):
    """Activity-fund budgets in scope, with their approved spending (万元)."""

    serializer_class = FundBudgetSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.budgets(self.request.user).order_by("-id")


class DraftSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    station_n = serializers.IntegerField(read_only=True)
    comment_n = serializers.IntegerField(read_only=True)

    class Meta:
        model = LegislativeDraft
        fields = [
            "id",
            "congress",
            "congress_name",
            "title",
            "status",
            "opens_on",
            "closes_on",
            "station_n",
            "comment_n",
        ]


class LegislativeDraftViewSet(viewsets.ReadOnlyModelViewSet):
    """Draft regulations out for comments that the user works with."""

    serializer_class = DraftSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.drafts(self.request.user).order_by("-id")


class PublicAdoptedSerializer(serializers.Serializer):
    article = serializers.CharField()
    content = serializers.CharField()
    adoption = serializers.CharField()
    note = serializers.CharField()
    station = serializers.CharField()


class PublicDraftSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    text = serializers.CharField(read_only=True)
    adopted = serializers.SerializerMethodField()

    class Meta:
        model = LegislativeDraft
        fields = [
            "id",
            "congress_name",
            "title",
            "status",
            "opens_on",
            "closes_on",
            "text",
            "adopted",
        ]

    def get_adopted(self, obj) -> list[dict[str, Any]]:
        if obj.status != LegislativeDraft.Status.FEEDBACK:
            return []
        return selectors.public_adopted(obj.adopted_rows)

    def to_representation(self, instance) -> dict[str, Any]:
        # A public projection: through the one privacy scrub (dates and ids untouched).
        return scrub_public(super().to_representation(instance))


class PublicLegislativeDraftViewSet(viewsets.ReadOnlyModelViewSet):
    """Drafts open for comments or closed, and their published feedback."""

    serializer_class = PublicDraftSerializer
    pagination_class = KeysetPagination
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.public_drafts_for_api()
