from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.models import Congress, HandlingUnit, Notification, Region, Session

from .fields import IdListField


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(
        label=_("密码"),
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    scope_type = serializers.CharField()
    scope_id = serializers.IntegerField(allow_null=True)
    scope_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "depth"]


class CongressSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Congress
        fields = [
            "id",
            "name",
            "level",
            "region",
            "region_name",
            "standing_committee_name",
        ]


class SessionSerializer(serializers.ModelSerializer):
    congress = serializers.IntegerField(source="term.congress_id", read_only=True)
    term_number = serializers.IntegerField(source="term.number", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "congress",
            "term",
            "term_number",
            "number",
            "name",
            "start_date",
            "end_date",
            "bill_deadline",
        ]


class HandlingUnitSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "kind", "region", "region_name", "phone", "is_active"]


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    # title/body: the text as sent (site language); display_*: in the caller's
    # language (Accept-Language), issue 18.
    display_title = serializers.CharField(read_only=True)
    display_body = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "channel",
            "title",
            "body",
            "display_title",
            "display_body",
            "url",
            "status",
            "created_at",
            "read_at",
            "is_read",
        ]


class MarkReadSerializer(serializers.Serializer):
    ids = IdListField(required=False, label=_("通知编号"))
