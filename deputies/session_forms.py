"""Forms of the session pages (issue 16): the attendance sheet, leave requests
and decisions, meetings and speeches, courses, enrolment and attendance.

Forms parse input; the rules are the services' (their errors go back onto the
forms through ``portal.web.apply_service_error``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Session
from portal.web import PortalForm

from .models import Activity, Mandate
from .session_models import (
    Enrolment,
    SessionAttendance,
    Speech,
    TrainingCourse,
)

UNRECORDED = ""


class AttendanceSheetForm(forms.Form):
    """One select per expected deputy (``m_<mandate id>``); blank = not recorded."""

    def __init__(self, *args, rows: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [(UNRECORDED, _("未登记")), *SessionAttendance.Status.choices]
        for row in rows:
            name = f"m_{row['mandate'].pk}"
            self.fields[name] = forms.ChoiceField(
                label=row["mandate"].person.name,
                choices=choices,
                required=False,
                initial=row["status"],
            )
            self.rows.append((row, name))

    def changes(self) -> list[tuple[Mandate, str]]:
        """Rows set to a status other than their recorded one (blank is ignored)."""
        return [
            (row["mandate"], self.cleaned_data[name])
            for row, name in self.rows
            if self.cleaned_data[name] and self.cleaned_data[name] != row["status"]
        ]

    def bound_rows(self):
        return [(row, self[name]) for row, name in self.rows]


class LeaveRequestForm(PortalForm):
    reason = forms.CharField(
        label=_("请假事由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写请假事由。")},
    )


class LeaveOnBehalfForm(LeaveRequestForm):
    """Staff file a request on a deputy's behalf (a written request handed in)."""

    field_order = ["mandate", "reason"]
    mandate = forms.ModelChoiceField(
        queryset=Mandate.objects.none(),
        label=_("请假代表"),
        error_messages={"required": _("请选择请假代表。")},
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = (
            Mandate.objects.filter(term_id=session.term_id)
            .active()
            .select_related("person")
            .order_by_name("stroke")
        )
        self.fields["mandate"].label_from_instance = lambda m: m.person.name


class DecisionForm(PortalForm):
    decision = forms.ChoiceField(
        choices=[("approve", _("批准")), ("reject", _("不予批准"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("批准意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予批准时须说明理由。"),
    )


class DismissFlagForm(PortalForm):
    note = forms.CharField(
        label=_("不启动终止程序的理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写不启动代表资格终止程序的理由。")},
    )


class MeetingForm(PortalForm):
    title = forms.CharField(label=_("审议事项"), max_length=200)
    date = forms.DateField(label=_("日期"))
    delegation = forms.ModelChoiceField(
        queryset=Mandate.objects.none(),
        label=_("代表团"),
        required=False,
        empty_label=_("不按代表团"),
    )
    group = forms.ModelChoiceField(
        queryset=Mandate.objects.none(),
        label=_("代表小组"),
        required=False,
        empty_label=_("不按代表小组"),
    )
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = session.term.delegations.order_by("name")
        self.fields["group"].queryset = session.term.congress.deputy_groups.order_by(
            "name"
        )
        self.fields["date"].initial = session.start_date


class SpeechForm(PortalForm):
    mandate = forms.ModelChoiceField(
        queryset=Mandate.objects.none(),
        label=_("发言代表"),
        error_messages={"required": _("请选择发言代表。")},
    )
    topic = forms.CharField(label=_("发言主题"), max_length=200)
    mode = forms.ChoiceField(label=_("发言方式"), choices=Speech.Mode.choices)
    research_activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(),
        label=_("依据的调研视察活动"),
        required=False,
        empty_label=_("无"),
    )
    opinion_refs = forms.CharField(
        label=_("依据的群众意见（受理编号，以逗号分隔）"),
        max_length=300,
        required=False,
    )
    minutes_excerpt = forms.CharField(
        label=_("发言纪要摘录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        mandates = (
            Mandate.objects.filter(term_id=meeting.session.term_id)
            .exclude(status__in=[Mandate.Status.TERMINATED, Mandate.Status.EXPIRED])
            .select_related("person")
        )
        if meeting.delegation_id:
            mandates = mandates.filter(delegation_id=meeting.delegation_id)
        elif meeting.group_id:
            mandates = mandates.filter(memberships__group_id=meeting.group_id)
        self.fields["mandate"].queryset = mandates.order_by_name("stroke")
        self.fields["mandate"].label_from_instance = lambda m: m.person.name
        self.fields["research_activity"].queryset = Activity.objects.filter(
            congress_id=meeting.session.term.congress_id,
            kind__in=[
                Activity.Kind.RESEARCH,
                Activity.Kind.INSPECTION,
                Activity.Kind.LAW_ENFORCEMENT_CHECK,
            ],
        ).order_by("-date")[:200]


class OutcomeForm(PortalForm):
    outcome = forms.ChoiceField(label=_("采纳情况"), choices=Speech.Outcome.choices)
    note = forms.CharField(label=_("采纳说明"), max_length=300, required=False)


class CourseForm(PortalForm):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingCourse.Kind.choices)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    start_date = forms.DateField(label=_("开始日期"))
    end_date = forms.DateField(label=_("结束日期"))
    hours = forms.DecimalField(
        label=_("学时"), max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )
    half_days = forms.IntegerField(label=_("半天数"), min_value=1, max_value=60)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    materials = forms.CharField(
        label=_("学习材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("教材、课件或网络课程链接，每行一项。"),
    )


class EnrolForm(PortalForm):
    mandates = forms.ModelMultipleChoiceField(
        queryset=Mandate.objects.none(),
        label=_("报名代表"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名代表。")},
    )

    def __init__(self, *args, course: TrainingCourse, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].queryset = (
            Mandate.objects.filter(
                congress__region__path__startswith=course.congress.region.path,
                term__is_current=True,
            )
            .active()
            .exclude(enrolments__course=course)
            .select_related("person", "congress")
            .order_by("congress__region__path", "name_stroke_key", "id")
        )
        self.fields["mandates"].label_from_instance = lambda m: (
            f"{m.person.name}（{m.congress.name}）"
        )


class CourseAttendanceForm(forms.Form):
    """Status and half-days per enrolment (``s_<id>``, ``h_<id>``)."""

    def __init__(self, *args, enrolments: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for e in enrolments:
            self.fields[f"s_{e.pk}"] = forms.ChoiceField(
                label=e.mandate.person.name,
                choices=Enrolment.Status.choices,
                initial=e.status,
            )
            self.fields[f"h_{e.pk}"] = forms.IntegerField(
                label=_("参训半天数"),
                min_value=0,
                max_value=60,
                initial=e.half_days_attended,
                required=False,
            )
            self.rows.append(e)

    def changes(self) -> list[tuple[Enrolment, str, int]]:
        return [
            (e, self.cleaned_data[f"s_{e.pk}"], self.cleaned_data[f"h_{e.pk}"] or 0)
            for e in self.rows
        ]

    def bound_rows(self):
        return [(e, self[f"s_{e.pk}"], self[f"h_{e.pk}"]) for e in self.rows]
