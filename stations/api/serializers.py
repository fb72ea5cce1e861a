from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fast import FastListSerializer
from portal.api.fields import IdField
from portal.chinese import mask_mobile

from ..models import DutyDay, Opinion, OpinionAssignment, OpinionEvent, Station
from ..selectors import duty_day_projection, public_station


class StationSerializer(serializers.Serializer):
    """A station: the public projection of ``stations.selectors``, the same one
    the station's page shows (personal data scrubbed there)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Station.Kind.choices)
    region = serializers.IntegerField()
    region_name = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True
    )
    opening_hours = serializers.CharField()
    phone = serializers.CharField()
    is_model = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Station.Status.choices)

    def to_representation(self, instance):
        return super().to_representation(public_station(instance))


class DutyDayDeputySerializer(serializers.Serializer):
    mandate = serializers.IntegerField()
    name = serializers.CharField()
    congress = serializers.CharField()


class DutyDaySerializer(serializers.Serializer):
    """A duty day with the deputies on duty (``selectors.duty_day_projection``)."""

    id = serializers.IntegerField()
    station = serializers.IntegerField()
    date = serializers.DateField()
    slot = serializers.ChoiceField(choices=DutyDay.Slot.choices)
    topic = serializers.CharField()
    is_published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=DutyDay.Status.choices)
    cancel_reason = serializers.CharField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    deputies = DutyDayDeputySerializer(many=True)

    def to_representation(self, instance):
        return super().to_representation(
            duty_day_projection(instance, list(instance.assignments.all()))
        )


class PublicOpinionCreateSerializer(serializers.Serializer):
    station = IdField(label=_("联络站"))
    name = serializers.CharField(max_length=50, label=_("姓名"))
    phone = serializers.CharField(max_length=20, label=_("手机号码"))
    content = serializers.CharField(max_length=5000, label=_("反映内容"))
    category = serializers.ChoiceField(
        choices=Opinion.Category.choices, required=False, label=_("类别")
    )


class PublicOpinionSerializer(serializers.Serializer):
    """The tracking result: ``selectors.public_opinion``, the same projection the
    tracking page shows (personal data scrubbed there)."""

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
    # The API keeps the names it had before the table took StatusChange's.
    from_status = serializers.ChoiceField(
        source="from_state",
        choices=Opinion.Status.choices,
        allow_blank=True,
        required=False,
        label=_("原状态"),
    )
    to_status = serializers.ChoiceField(
        source="to_state", choices=Opinion.Status.choices, label=_("新状态")
    )
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
    escalated_to_name = serializers.CharField(
        source="escalated_to.name", default="", read_only=True
    )
    # Masked (138****5678) for every caller: the unit replying and the staff
    # steering the loop get the full number from ``reveal-contact`` (logged).
    submitter_phone = serializers.SerializerMethodField()

    def get_submitter_phone(self, opinion: Opinion) -> str:
        return mask_mobile(opinion.submitter_phone)

    class Meta:
        model = Opinion
        list_serializer_class = FastListSerializer
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
            "congress",
            "escalated_to",
            "escalated_to_name",
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
    unit = IdField(label=_("承办单位"))
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
    deputy = IdField(label=_("代表"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionContactSerializer(serializers.Serializer):
    """The citizen's full number, answered by ``reveal-contact`` (logged)."""

    submitter_phone = serializers.CharField(read_only=True)
