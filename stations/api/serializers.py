from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import DutyDay, Opinion, OpinionAssignment, OpinionEvent, Station


class StationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "is_model",
            "status",
        ]


class DutyDaySerializer(serializers.ModelSerializer):
    deputies = serializers.SerializerMethodField()

    class Meta:
        model = DutyDay
        fields = [
            "id",
            "station",
            "date",
            "slot",
            "topic",
            "is_published",
            "published_at",
            "deputies",
        ]

    def get_deputies(self, obj) -> list[dict]:
        return [
            {
                "mandate": a.mandate_id,
                "name": a.mandate.person.name,
                "congress": a.mandate.congress.name,
            }
            for a in obj.assignments.all()
        ]


class PublicOpinionCreateSerializer(serializers.Serializer):
    station = serializers.IntegerField(label=_("联络站"))
    name = serializers.CharField(max_length=50, label=_("姓名"))
    phone = serializers.CharField(max_length=20, label=_("手机号码"))
    content = serializers.CharField(max_length=5000, label=_("反映内容"))
    category = serializers.ChoiceField(
        choices=Opinion.Category.choices, required=False, label=_("类别")
    )


class PublicOpinionSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    category = serializers.CharField()
    station = serializers.CharField()
    submitted_on = serializers.DateField()
    reply = serializers.CharField()
    channel = serializers.CharField()
    closed = serializers.BooleanField()


class OpinionAssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = OpinionAssignment
        fields = [
            "round",
            "unit",
            "unit_name",
            "assigned_at",
            "due_date",
            "reply_text",
            "replied_at",
            "visit_result",
            "visit_note",
        ]


class OpinionEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(
        source="actor.get_full_name", default="", read_only=True
    )

    class Meta:
        model = OpinionEvent
        fields = ["from_status", "to_status", "actor_name", "note", "created_at"]


class OpinionSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    current_unit_name = serializers.CharField(
        source="current_unit.name", default="", read_only=True
    )

    class Meta:
        model = Opinion
        fields = [
            "id",
            "tracking_code",
            "station",
            "station_name",
            "source",
            "submitter_name",
            "submitter_phone",
            "category",
            "content",
            "status",
            "round",
            "due_date",
            "current_unit",
            "current_unit_name",
            "outcome_note",
            "visit_result",
            "needs_supervision",
            "public_reply",
            "is_reply_published",
            "converted_for",
            "created_at",
            "closed_at",
        ]


class OpinionDetailSerializer(OpinionSerializer):
    assignments = OpinionAssignmentSerializer(many=True, read_only=True)
    events = OpinionEventSerializer(many=True, read_only=True)

    class Meta(OpinionSerializer.Meta):
        fields = [*OpinionSerializer.Meta.fields, "assignments", "events"]


class OpinionTriageSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["answered_on_site", "not_accepted", "pooled", "escalated"],
        label=_("分流结果"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("说明")
    )


class OpinionAssignSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("承办单位"))
    due_date = serializers.DateField(required=False, label=_("办理期限"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionReplySerializer(serializers.Serializer):
    text = serializers.CharField(label=_("答复内容"))
    publish = serializers.BooleanField(
        required=False, default=True, label=_("公开答复")
    )


class OpinionVisitSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=Opinion.VisitResult.choices, label=_("回访结果")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionConvertSerializer(serializers.Serializer):
    deputy = serializers.IntegerField(label=_("代表"))
    note = serializers.CharField(required=False, allow_blank=True, default="")
