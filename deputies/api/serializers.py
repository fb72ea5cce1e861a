from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fast import FastListSerializer
from portal.api.fields import IdField, IdListField
from portal.chinese import mask_id_number, mask_mobile

from ..models import Activity, Attendance, DeputyGroup, Mandate


class MandateSerializer(serializers.ModelSerializer):
    """One row per mandate. ``mobile`` and ``id_number`` are masked unless the view
    put the mandate's id into ``context["reveal_ids"]`` (and logged the reveal)."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name")
    gender = serializers.CharField(source="person.gender")
    ethnicity = serializers.CharField(source="person.ethnicity")
    # Rosters may lack it (an imported row without one): null, as the schema says.
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    party = serializers.CharField(source="person.party")
    education = serializers.CharField(source="person.education")
    employer = serializers.CharField(source="person.employer")
    post = serializers.CharField(source="person.post")
    occupation = serializers.CharField(source="person.occupation")
    is_frontline = serializers.BooleanField(source="person.is_frontline")
    congress_name = serializers.CharField(source="congress.name")
    level = serializers.CharField(source="congress.level")
    term_number = serializers.IntegerField(source="term.number")
    constituency_name = serializers.CharField(source="constituency.name", default="")
    delegation_name = serializers.CharField(source="delegation.name", default="")
    electing_unit_name = serializers.CharField(read_only=True)
    groups = serializers.SerializerMethodField()
    mobile = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    masked = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        list_serializer_class = FastListSerializer
        fields = [
            "id",
            "person",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "education",
            "employer",
            "post",
            "occupation",
            "is_frontline",
            "congress",
            "congress_name",
            "level",
            "term",
            "term_number",
            "card_number",
            "constituency",
            "constituency_name",
            "electing_congress",
            "elected_by_army",
            "electing_unit_name",
            "delegation",
            "delegation_name",
            "groups",
            "status",
            "elected_on",
            "ended_on",
            "mobile",
            "id_number",
            "masked",
        ]

    def _revealed(self, obj) -> bool:
        return obj.pk in self.context.get("reveal_ids", ())

    def get_groups(self, obj) -> list[int]:
        known = self.context.get("group_ids")
        if known is not None:  # the list read them for its page
            return known.get(obj.pk, [])
        return [g.pk for g in obj.groups.all()]

    def get_mobile(self, obj) -> str:
        value = obj.person.mobile
        return value if self._revealed(obj) else mask_mobile(value)

    def get_id_number(self, obj) -> str:
        value = obj.person.id_number
        return value if self._revealed(obj) else mask_id_number(value)

    def get_masked(self, obj) -> bool:
        return not self._revealed(obj)


class DeputyGroupSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    leader_name = serializers.CharField(
        source="leader.person.name", default="", read_only=True
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DeputyGroup
        fields = [
            "id",
            "congress",
            "congress_name",
            "name",
            "kind",
            "leader",
            "leader_name",
            "member_count",
            "annual_plan",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="mandate.person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "mandate", "name", "status", "confirmed_at"]


class ActivitySerializer(serializers.ModelSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "congress",
            "group",
            "kind",
            "title",
            "date",
            "organiser",
            "location",
            "description",
            "review_status",
            "review_note",
            "attendances",
        ]
        read_only_fields = ["review_status", "review_note"]


class ActivityCreateSerializer(serializers.Serializer):
    congress = IdField(label=_("人民代表大会"))
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, label=_("类型"))
    title = serializers.CharField(max_length=200, label=_("主题"))
    date = serializers.DateField(label=_("日期"))
    participants = IdListField(label=_("参加代表"))
    organiser = serializers.CharField(max_length=100, required=False, default="")
    location = serializers.CharField(max_length=200, required=False, default="")
    description = serializers.CharField(required=False, default="", allow_blank=True)


class ActivityReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label=_("审核通过"))
    note = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("审核意见")
    )


class AttendanceSetSerializer(serializers.Serializer):
    mandate = IdField(label=_("代表资格"))
    status = serializers.ChoiceField(
        choices=Attendance.Status.choices, label=_("出席情况")
    )
