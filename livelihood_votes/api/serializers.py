from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fields import IdField, IdListField

from ..models import Candidate, Programme, VoteRound


class PublicIdeaCreateSerializer(serializers.Serializer):
    congress = IdField(label=_("人民代表大会"))
    title = serializers.CharField(max_length=200, label=_("项目名称"))
    description = serializers.CharField(max_length=5000, label=_("项目内容"))
    location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class ProgrammeSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "congress",
            "congress_name",
            "subdistrict",
            "year",
            "seats",
            "budget",
            "budget_upper",
            "phase",
            "deliberation_summary",
        ]
        read_only_fields = ["phase", "deliberation_summary"]


class ProgrammeCreateSerializer(serializers.Serializer):
    congress = IdField(label=_("人民代表大会"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    seats = serializers.IntegerField(min_value=1, max_value=50, label=_("票决项目数"))
    budget = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        label=_("可用资金（万元）"),
    )
    budget_upper = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        label=_("其中上级资金（万元）"),
    )
    subdistrict = IdField(
        required=False, allow_null=True, label=_("街道（县级人大街道工委组织时）")
    )


class CandidateSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(
        source="lead_unit.name", default="", read_only=True
    )

    class Meta:
        model = Candidate
        fields = [
            "id",
            "programme",
            "title",
            "description",
            "estimated_cost",
            "fund_source",
            "land",
            "schedule",
            "lead_unit",
            "lead_unit_name",
            "responsible_leader",
            "status",
            "order",
        ]
        read_only_fields = ["programme", "status", "order"]


class CandidateCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("项目名称"))
    description = serializers.CharField(label=_("建设内容"))
    estimated_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, label=_("估算投资（万元）")
    )
    lead_unit = IdField(required=False, allow_null=True, label=_("责任单位"))
    fund_source = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    land = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    schedule = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    responsible_leader = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )


class RoundCreateSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=VoteRound.Mode.choices, label=_("表决方式"))


class RoundSerializer(serializers.ModelSerializer):
    candidates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    signed_in = serializers.SerializerMethodField()

    def get_signed_in(self, obj) -> int:
        # Annotated by the viewset's queryset; counted for a single fresh round.
        value = getattr(obj, "signed_in", None)
        return obj.attendances.count() if value is None else value

    class Meta:
        model = VoteRound
        fields = [
            "id",
            "programme",
            "number",
            "mode",
            "status",
            "seats",
            "eligible",
            "present",
            "signed_in",
            "candidates",
            "opened_at",
            "closed_at",
        ]


class RoundAttendanceSerializer(serializers.Serializer):
    present = IdListField(allow_empty=False, max_length=5000, label=_("出席代表"))


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12, label=_("签到码"))


class SignedInSerializer(serializers.Serializer):
    signed_in = serializers.IntegerField(help_text="deputies signed in for the round")


class CheckedInSerializer(serializers.Serializer):
    checked_in = serializers.BooleanField()
    already = serializers.BooleanField(help_text="signed in before this call")


class AdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Programme.Phase.choices, label=_("阶段"))


class BallotSerializer(serializers.Serializer):
    approve = IdListField(allow_empty=True, label=_("赞成的候选项目"))


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class PaperCountsSerializer(serializers.Serializer):
    issued = serializers.IntegerField(min_value=0, label=_("发出选票"))
    returned = serializers.IntegerField(min_value=0, label=_("收回选票"))
    valid = serializers.IntegerField(min_value=0, label=_("有效票"))
    void = serializers.IntegerField(min_value=0, label=_("无效票"))
    approvals = serializers.DictField(
        child=serializers.IntegerField(min_value=0), label=_("各项目赞成票")
    )


class ResultCandidateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    title = serializers.CharField()
    approvals = serializers.IntegerField()
    selected = serializers.BooleanField()
    tied = serializers.BooleanField()


class ResultsSerializer(serializers.Serializer):
    eligible = serializers.IntegerField()
    present = serializers.IntegerField()
    participated = serializers.IntegerField()
    ballots = serializers.IntegerField()
    void = serializers.IntegerField()
    seats = serializers.IntegerField()
    budget = serializers.DictField(allow_null=True, required=False)
    receipt_counted = serializers.BooleanField(required=False)
    candidates = ResultCandidateSerializer(many=True)
