from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fast import FastListSerializer
from portal.api.fields import IdField, IdListField

from ..models import (
    Assignment,
    Commitment,
    CoSigner,
    Evaluation,
    Reply,
    Suggestion,
    SuggestionEvent,
)
from ..selectors import public_suggestion, timeline_events


class ResearchBasisSerializer(serializers.Serializer):
    activities = IdListField(required=False, default=list)
    opinions = IdListField(required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    people = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


class SuggestionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Suggestion.Kind.choices, label=_("类型"))
    congress = IdField(label=_("人民代表大会"))
    session = IdField(required=False, allow_null=True, label=_("会议"))
    title = serializers.CharField(max_length=200, label=_("标题"))
    problem = serializers.CharField(label=_("问题（案由）"))
    analysis = serializers.CharField(allow_blank=True, label=_("分析（案据）"))
    proposals = serializers.CharField(allow_blank=True, label=_("建议（方案）"))
    category = serializers.ChoiceField(
        choices=Suggestion.Category.choices, required=False, label=_("类别")
    )
    is_public = serializers.BooleanField(
        required=False, default=True, label=_("同意公开")
    )
    research_basis = ResearchBasisSerializer(required=False)
    co_signers = IdListField(required=False, default=list, label=_("联名代表"))
    # A bill submitted by a delegation (代表团): the caller submits on its behalf.
    delegation = IdField(required=False, allow_null=True, label=_("代表团"))


class SuggestionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    problem = serializers.CharField(required=False)
    analysis = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(
        choices=Suggestion.Category.choices, required=False
    )
    is_public = serializers.BooleanField(required=False)
    research_basis = ResearchBasisSerializer(required=False)


class CoSignerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name")

    class Meta:
        model = CoSigner
        fields = ["mandate", "name", "status", "responded_at"]


class EvaluationSerializer(serializers.ModelSerializer):
    deputy = serializers.CharField(source="mandate.person.name")

    class Meta:
        model = Evaluation
        fields = ["round", "deputy", "result", "attitude", "comment", "submitted_at"]


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = [
            "id",
            "text",
            "due_date",
            "status",
            "done_at",
            "confirmed_at",
            "receipt_lapsed",
        ]


class ReplySerializer(serializers.ModelSerializer):
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = [
            "round",
            "category",
            "text",
            "document_number",
            "signer",
            "replied_at",
            "on_time",
            "commitments",
        ]


class AssignmentBriefSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "status",
            "assigned_on",
            "due_date",
            "round",
        ]


class EventSerializer(serializers.ModelSerializer):
    # The API keeps the names it had before the table took StatusChange's.
    from_status = serializers.CharField(source="from_state", read_only=True)
    to_status = serializers.CharField(source="to_state", read_only=True)
    actor_name = serializers.CharField(source="actor.get_full_name", default="")
    unit_name = serializers.CharField(source="unit.name", default="")

    class Meta:
        model = SuggestionEvent
        fields = [
            "action",
            "from_status",
            "to_status",
            "actor_name",
            "unit_name",
            "note",
            "created_at",
        ]


class SuggestionSerializer(serializers.ModelSerializer):
    # The lead deputy, or 大会主席团 for a bill of the presidium (lead null).
    lead_name = serializers.CharField(source="proposer_name", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Suggestion
        list_serializer_class = FastListSerializer
        fields = [
            "id",
            "kind",
            "congress",
            "congress_name",
            "session",
            "year",
            "number",
            "number_display",
            "title",
            "category",
            "lead",
            "lead_name",
            "status",
            "round",
            "needs_supervision",
            "is_public",
            "submitted_at",
            "registered_at",
            "closed_at",
        ]


class SuggestionDetailSerializer(SuggestionSerializer):
    co_signers = CoSignerSerializer(source="cosigners", many=True, read_only=True)
    assignments = AssignmentBriefSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    research_basis = serializers.SerializerMethodField()

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields,
            "problem",
            "analysis",
            "proposals",
            "status_reason",
            "merged_into",
            "source_opinion",
            "outcome_type",
            "outcome_document",
            "proposer",
            "delegation",
            "bill_decision",
            "bill_decision_note",
            "bill_document_number",
            "bill_decided_at",
            "converted_from_bill",
            "handling_congress",
            "forwarded_at",
            "research_basis",
            "co_signers",
            "assignments",
            "evaluations",
            "events",
        ]

    def get_research_basis(self, obj) -> dict:
        return {
            "activities": [a.pk for a in obj.research_activities.all()],
            "opinions": [o.pk for o in obj.research_opinions.all()],
            "note": obj.research_note,
            "date": obj.research_date,
            "place": obj.research_place,
            "people": obj.research_people,
        }

    def get_events(self, obj) -> list[dict]:
        """The timeline; a unit's internal notes only for that unit and congress staff."""
        events = timeline_events(
            obj.events.all(),
            sees_all=self.context.get("sees_all_internal_notes", False),
            unit_ids=self.context.get("own_unit_ids", frozenset()),
        )
        return EventSerializer(events, many=True).data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("理由"))


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BillDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=Suggestion.BillDecision.choices, label=_("主席团决定")
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("决定说明")
    )
    document_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        label=_("决定文号"),
    )


class PresidiumBillSerializer(serializers.Serializer):
    """A bill of the session's presidium, recorded by its congress's staff."""

    session = IdField(label=_("会议"))
    title = serializers.CharField(max_length=200, label=_("标题"))
    problem = serializers.CharField(label=_("问题（案由）"))
    analysis = serializers.CharField(label=_("分析（案据）"))
    proposals = serializers.CharField(label=_("建议（方案）"))
    category = serializers.ChoiceField(
        choices=Suggestion.Category.choices, required=False, label=_("类别")
    )
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, label=_("文号")
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, label=_("说明")
    )


class BillResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[
            ("adopted", _("表决通过")),
            ("not_adopted", _("表决未通过")),
        ],
        label=_("表决结果"),
    )


class ForwardSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, label=_("说明")
    )


class MergeSerializer(serializers.Serializer):
    into = IdField(label=_("并入的议案建议"))


class UnitRoleSerializer(serializers.Serializer):
    unit = IdField(label=_("承办单位"))
    role = serializers.ChoiceField(choices=Assignment.Role.choices, label=_("承办方式"))


class AssignSerializer(serializers.Serializer):
    units = UnitRoleSerializer(many=True, label=_("承办单位"))
    due_date = serializers.DateField(required=False, label=_("办理期限"))


class EvaluateSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=Evaluation.Rating.choices, label=_("对办理结果")
    )
    attitude = serializers.ChoiceField(
        choices=Evaluation.Rating.choices, label=_("对办理态度")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CosignSerializer(serializers.Serializer):
    accept = serializers.BooleanField(label=_("同意联名"))


class AssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    suggestion_title = serializers.CharField(source="suggestion.title", read_only=True)
    suggestion_number = serializers.CharField(
        source="suggestion.number_display", read_only=True
    )
    deputy = serializers.CharField(source="suggestion.lead.person.name", read_only=True)
    rating = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        list_serializer_class = FastListSerializer
        fields = [
            "id",
            "suggestion",
            "suggestion_title",
            "suggestion_number",
            "deputy",
            "unit",
            "unit_name",
            "role",
            "status",
            "assigned_on",
            "due_date",
            "original_due_date",
            "round",
            "accepted_at",
            "replied_at",
            "rating",
        ]

    def get_rating(self, obj) -> dict | None:
        """The lead deputy's rating of the latest round, once submitted."""
        ratings = [
            e
            for e in obj.suggestion.evaluations.all()
            if e.mandate_id == obj.suggestion.lead_id
        ]
        if not ratings:
            return None
        latest = max(ratings, key=lambda e: e.round)
        return {
            "round": latest.round,
            "result": latest.result,
            "attitude": latest.attitude,
        }


class AssignmentDetailSerializer(AssignmentSerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "replies"]


class ContactSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["meeting", "phone", "site_visit", "other"], label=_("方式")
    )
    date = serializers.DateField(label=_("日期"))
    summary = serializers.CharField(label=_("沟通情况"))


class ExtensionSerializer(serializers.Serializer):
    new_due_date = serializers.DateField(label=_("申请延期至"))
    reason = serializers.CharField(label=_("理由"))


class CommitmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    due_date = serializers.DateField()


class ReplyInputSerializer(serializers.Serializer):
    # The codes come from the congress's rule set (``reply_categories``; A–D by
    # default): the service refuses an unknown one with a field error.
    category = serializers.CharField(max_length=1, label=_("答复类别"))
    text = serializers.CharField(label=_("答复内容"))
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )
    signer = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    commitments = CommitmentInputSerializer(many=True, required=False, default=list)
    outcome_type = serializers.ChoiceField(
        choices=Suggestion.Outcome.choices,
        required=False,
        allow_blank=True,
        default="",
        label=_("办理成果"),
    )
    outcome_document = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class CoOpinionSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("协办意见"))


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label=_("同意"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionResultSerializer(serializers.Serializer):
    """The decided request: ``{"id", "status"}``."""

    id = serializers.IntegerField()
    status = serializers.CharField()


class PublicReplySerializer(serializers.Serializer):
    unit = serializers.CharField()
    round = serializers.IntegerField()
    category = serializers.CharField()
    text = serializers.CharField()
    document_number = serializers.CharField()
    replied_at = serializers.DateTimeField()


class PublicSuggestionSerializer(serializers.Serializer):
    """Published replies: the public projection of ``proposals.selectors``, the
    same one the public page shows (personal data scrubbed there)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    congress_name = serializers.CharField()
    year = serializers.IntegerField()
    number_display = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    lead_name = serializers.CharField()
    problem = serializers.CharField()
    proposals = serializers.CharField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    replies = PublicReplySerializer(many=True)

    def to_representation(self, instance):
        return super().to_representation(public_suggestion(instance))
