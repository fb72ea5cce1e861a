"""API reads of the session work (issue 16): ``session-attendance/``,
``leave-requests/``, ``speeches/``, ``training-enrolments/`` — scoped like
everything else (staff: their region; a deputy: their own rows; out of scope
404)."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from portal.api.pagination import KeysetPagination

from ..session_models import Enrolment, LeaveRequest, SessionAttendance, Speech


class _MandateFields(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="mandate.person.name", read_only=True)


class SessionAttendanceSerializer(_MandateFields):
    session_name = serializers.CharField(source="session.__str__", read_only=True)

    class Meta:
        model = SessionAttendance
        fields = ["id", "session", "session_name", "mandate", "deputy_name", "status"]


class LeaveRequestSerializer(_MandateFields):
    session_name = serializers.CharField(source="session.__str__", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "session",
            "session_name",
            "mandate",
            "deputy_name",
            "reason",
            "status",
            "approver",
            "submitted_at",
            "decided_at",
            "decision_note",
        ]


class SpeechSerializer(_MandateFields):
    session = serializers.IntegerField(source="meeting.session_id", read_only=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    meeting_date = serializers.DateField(source="meeting.date", read_only=True)

    class Meta:
        model = Speech
        fields = [
            "id",
            "session",
            "meeting",
            "meeting_title",
            "meeting_date",
            "mandate",
            "deputy_name",
            "topic",
            "mode",
            "research_activity",
            "opinion_refs",
            "minutes_excerpt",
            "outcome",
        ]


class EnrolmentSerializer(_MandateFields):
    course_title = serializers.CharField(source="course.title", read_only=True)
    course_kind = serializers.CharField(source="course.kind", read_only=True)
    start_date = serializers.DateField(source="course.start_date", read_only=True)
    hours = serializers.DecimalField(
        source="course.hours", max_digits=5, decimal_places=1, read_only=True
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "course_title",
            "course_kind",
            "start_date",
            "hours",
            "mandate",
            "deputy_name",
            "status",
            "half_days_attended",
        ]


class SessionAttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Attendance at the sessions (出席 / 请假 / 未经批准缺席)."""

    serializer_class = SessionAttendanceSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return SessionAttendance.objects.visible_to(self.request.user).select_related(
            "session__term__congress", "mandate__person"
        )


class LeaveRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Leave requests (请假) and their decisions."""

    serializer_class = LeaveRequestSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return LeaveRequest.objects.visible_to(self.request.user).select_related(
            "session__term__congress", "mandate__person"
        )


class SpeechViewSet(viewsets.ReadOnlyModelViewSet):
    """Deliberation speeches (审议发言) and whether they were adopted."""

    serializer_class = SpeechSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return Speech.objects.visible_to(self.request.user).select_related(
            "meeting", "mandate__person"
        )


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Training enrolments and attendance (大培训)."""

    serializer_class = EnrolmentSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(
            "course", "mandate__person"
        )
