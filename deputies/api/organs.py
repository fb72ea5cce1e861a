"""API reads of issue 16 (organs): ``organ-plans/``, ``organ-contacts/``,
``standing-meetings/``, ``meeting-invitations/`` — scoped like the pages
(``visible_to``: an organ's staff their organ's, congress staff their region's,
a deputy their own; out of scope → 404)."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from portal.api.pagination import KeysetPagination

from .. import organ_selectors as selectors
from ..organ_models import (
    MeetingInvitation,
    MeetingOpinion,
    OrganContact,
    OrganContactPlan,
    StandingMeeting,
)


class OrganPlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    unit_kind = serializers.CharField(source="unit.kind")
    deputies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    deputy_count = serializers.IntegerField(read_only=True)
    contact_count = serializers.IntegerField(read_only=True)
    done = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrganContactPlan
        fields = [
            "id",
            "unit",
            "unit_name",
            "unit_kind",
            "congress",
            "year",
            "contacts_per_deputy",
            "note",
            "deputies",
            "deputy_count",
            "contact_count",
            "done",
        ]


class OrganContactSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="plan.unit_id")
    unit_name = serializers.CharField(source="plan.unit.name")
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OrganContact
        fields = [
            "id",
            "plan",
            "unit",
            "unit_name",
            "kind",
            "date",
            "subject",
            "summary",
            "follow_up",
            "follow_up_done_at",
            "follow_up_result",
            "participants",
        ]


class StandingMeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="__str__")
    invited = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = StandingMeeting
        fields = [
            "id",
            "congress",
            "term",
            "number",
            "title",
            "date",
            "location",
            "agenda",
            "invited",
            "attended",
        ]


class MeetingOpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingOpinion
        fields = ["id", "text", "status", "unit", "due_date", "result"]


class InvitationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name")
    opinions = MeetingOpinionSerializer(many=True, read_only=True)

    class Meta:
        model = MeetingInvitation
        fields = [
            "id",
            "meeting",
            "mandate",
            "name",
            "topic",
            "status",
            "decline_reason",
            "responded_at",
            "opinions",
        ]


class OrganPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Contact plans of state organs (国家机关联系代表计划) in the caller's scope."""

    serializer_class = OrganPlanSerializer
    filterset_fields = ["year", "unit", "congress"]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.plans_with_progress(
            OrganContactPlan.objects.visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("deputies")
        )


class OrganContactViewSet(viewsets.ReadOnlyModelViewSet):
    """Contacts of state organs with deputies in the caller's scope (a deputy:
    those they took part in)."""

    serializer_class = OrganContactSerializer
    filterset_fields = ["plan", "kind"]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.contacts_visible(self.request.user)


class StandingMeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Standing-committee meetings (a deputy: those they were invited to)."""

    serializer_class = StandingMeetingSerializer
    filterset_fields = ["congress", "term"]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.meeting_list(self.request.user).order_by()


class InvitationViewSet(viewsets.ReadOnlyModelViewSet):
    """Invitations to attend (列席) with the opinions given (a deputy: their own)."""

    serializer_class = InvitationSerializer
    filterset_fields = ["meeting", "status"]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return (
            MeetingInvitation.objects.visible_to(self.request.user)
            .select_related("mandate__person")
            .prefetch_related("opinions")
        )
