"""API reads of commendations (issue 17): ``commendations/`` for congress staff
and leaders (their region and below), ``public/commendations/`` for everyone
(published results, public fields only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from portal.api.pagination import KeysetPagination
from portal.privacy import scrub_public

from . import selectors
from .models import Campaign, Nomination


class NominationSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "name", "source", "basis", "reason", "status", "review_note"]


class CampaignSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    nominations = NominationSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "congress",
            "congress_name",
            "year",
            "kind",
            "title",
            "status",
            "nomination_deadline",
            "document_number",
            "approved_on",
            "published_at",
            "nominations",
        ]


class PublicAwardSerializer(serializers.Serializer):
    name = serializers.CharField()
    basis = serializers.CharField()


class PublicCampaignSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    awards = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "congress_name",
            "year",
            "kind",
            "title",
            "document_number",
            "approved_on",
            "published_at",
            "awards",
        ]

    def get_awards(self, obj) -> list[dict[str, str]]:
        return [
            {"name": a["name"], "basis": a["basis"]}
            for a in selectors.scrub_awards(obj.awarded_rows)
        ]

    def to_representation(self, instance) -> dict[str, Any]:
        # A public projection: through the one privacy scrub (dates and ids untouched).
        return scrub_public(super().to_representation(instance))


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Commendation campaigns in the user's scope, with their nominations."""

    serializer_class = CampaignSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.campaigns_for_api(self.request.user)


class PublicCampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Published commendation results (表彰公示)."""

    serializer_class = PublicCampaignSerializer
    pagination_class = KeysetPagination
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.public_campaigns_for_api()
