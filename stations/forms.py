"""Forms of the stations' HTML pages.

Forms only parse and check input shape; the rules (mobile format, content
length, who may be scheduled, allowed transitions) live in
``stations.services``, whose errors the views put back onto these forms.

The public opinion form is a ``portal.web.PublicSubmissionForm`` (honeypot,
signed "served at" stamp, per-address rate limit from the station's rules).
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.chinese import validate_mobile
from portal.models import HandlingUnit
from portal.web import (
    IMAGES,
    KeepsUploads,
    PortalForm,
    PublicSubmissionForm,
    validate_upload,
)

from .models import DutyDay, Opinion, Reception, StationMembership
from .selectors import member_mandates, station_rules
from .services import CONTENT_MAX, CONTENT_MIN


def _content_help() -> str:
    """Interpolated when shown, in the page's language (not once at import)."""
    return gettext("请写清问题发生的地点、时间和您的诉求，%(min)s至%(max)s个字。") % {
        "min": CONTENT_MIN,
        "max": CONTENT_MAX,
    }


PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Reception records may point at a duty day of this many past days.
RECENT_DAYS = 90

TRIAGE_OUTCOMES = [
    (Opinion.Status.ANSWERED_ON_SITE, Opinion.Status.ANSWERED_ON_SITE.label),
    (Opinion.Status.NOT_ACCEPTED, Opinion.Status.NOT_ACCEPTED.label),
    (Opinion.Status.POOLED, _("纳入民生实事项目征集")),
    (Opinion.Status.ESCALATED, _("报上级人大")),
]


class MandateChoiceField(forms.ModelChoiceField):
    """A deputy shown as "name（congress）" without touching ``__str__``'s joins."""

    def label_from_instance(self, obj: Mandate) -> str:
        return f"{obj.person.name}（{obj.congress.name}）"


class MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Mandate) -> str:
        return f"{obj.person.name}（{obj.congress.name}）"


class DutyDayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyDay) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.get_slot_display()}"


# --- public ---------------------------------------------------------------------------


class FinderForm(PortalForm):
    """GET form of the station finder: county, then township."""

    county = forms.TypedChoiceField(label=_("县（市、区）"), coerce=int, required=False)
    township = forms.TypedChoiceField(
        label=_("乡镇（街道）"), coerce=int, required=False
    )

    def __init__(self, *args, county_choices=(), township_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("请选择县（市、区）")), *county_choices]
        self.fields["township"].choices = [
            ("", _("全部乡镇（街道）")),
            *township_choices,
        ]


class OpinionForm(KeepsUploads, PublicSubmissionForm):
    """The "我要反映" form: what a citizen sends to the station's deputies."""

    signing_salt = "stations.opinion_form"
    rate_limit_scope = "opinion"

    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={
            "required": _("请填写姓名。"),
            "max_length": _("姓名不能超过50个字。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("仅用于工作人员联系您、回访办理结果，不会公开。"),
        error_messages={"required": _("请填写手机号码。")},
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "numeric",
                "autocomplete": "tel",
                "maxlength": "11",
            }
        ),
    )
    category = forms.ChoiceField(
        label=_("问题类别（可不选）"),
        choices=[("", _("请选择")), *Opinion.Category.choices],
        required=False,
        error_messages={"invalid_choice": _("类别不正确。")},
    )
    content = forms.CharField(
        label=_("反映内容"),
        help_text=lazy(_content_help, str)(),
        error_messages={"required": _("请填写反映内容。")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photo = forms.FileField(
        label=_("照片（可不传）"),
        required=False,
        help_text=_("可上传一张现场照片，JPG 或 PNG 格式，不超过5MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, scope_id=station.pk, **kwargs)
        self.station = station

    def submissions_per_hour(self) -> int:
        return station_rules(self.station).public_submissions_per_hour

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_mobile(phone)
        return phone

    def clean_content(self) -> str:
        # The service checks the same rules (as for the phone above); checking
        # here too shows every mistake at once, next to its field.
        content = self.cleaned_data["content"].strip()
        if len(content) < CONTENT_MIN:
            raise ValidationError(
                _("请具体描述您反映的问题（至少%(n)s个字）。") % {"n": CONTENT_MIN}
            )
        if len(content) > CONTENT_MAX:
            raise ValidationError(_("反映内容不能超过%(n)s个字。") % {"n": CONTENT_MAX})
        return content

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return validate_upload(
            upload, kinds=IMAGES, max_bytes=PHOTO_MAX_BYTES, rename=True
        )


class RatingForm(PortalForm):
    """The citizen rates the reply on the tracking page."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    phone_last4 = forms.RegexField(
        label=_("手机号码后四位"),
        regex=r"^\d{4}$",
        help_text=_("提交意见时填写的手机号码的后四位，用于确认是您本人。"),
        error_messages={
            "required": _("请输入手机号码后四位。"),
            "invalid": _("请输入4位数字。"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"}
        ),
    )
    rating = forms.ChoiceField(
        label=_("您对答复是否满意"),
        choices=Opinion.VisitResult.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择评价结果。"),
            "invalid_choice": _("请选择评价结果。"),
        },
    )
    reason = forms.CharField(
        label=_("原因（选择“不满意”时必填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("原因不能超过500个字。")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("rating") == Opinion.VisitResult.DISSATISFIED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("选择“不满意”时请写明原因。"))
        return data


class TrackForm(PortalForm):
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        help_text=_("提交意见时获得的查询码，例如 TH-7K3M-9QXF-2W，不区分大小写。"),
        error_messages={"required": _("请输入查询码。")},
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        return " ".join(self.cleaned_data["code"].split()).upper()


# --- station workspace ------------------------------------------------------------


class MemberSearchForm(PortalForm):
    q = forms.CharField(
        label=_("代表证号或姓名"),
        max_length=50,
        min_length=2,
        error_messages={
            "min_length": _("请至少输入2个字。"),
            "required": _("请输入代表证号或姓名。"),
        },
    )


class MemberAddForm(PortalForm):
    mandate = forms.ModelChoiceField(
        queryset=Mandate.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("该代表不在本届正常履职的代表中。")},
    )
    role = forms.ChoiceField(
        label=_("进站方式"),
        choices=StationMembership.Role.choices,
        initial=StationMembership.Role.RESIDENT,
    )
    start_date = forms.DateField(label=_("进站日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = Mandate.objects.public()
        self.fields["start_date"].initial = timezone.localdate


class DutyDayForm(PortalForm):
    date = forms.DateField(label=_("日期"))
    slot = forms.ChoiceField(label=_("时段"), choices=DutyDay.Slot.choices)
    topic = forms.CharField(
        label=_("接待主题（可不填）"), max_length=200, required=False
    )
    deputies = MandateMultipleChoiceField(
        label=_("值班代表"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名值班代表。")},
    )

    def __init__(self, *args, station, keep=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = member_mandates(station, keep=keep)
        self.fields["date"].error_messages["required"] = _("请选择日期。")
        self.fields["date"].error_messages["invalid"] = _("请输入正确的日期。")


class DutyDayEditForm(DutyDayForm):
    """Change a coming day: the same fields, a published day needs a deputy."""

    def __init__(self, *args, day, **kwargs):
        keep = [a.mandate_id for a in day.assignments.all()]
        kwargs.setdefault(
            "initial",
            {"date": day.date, "slot": day.slot, "topic": day.topic, "deputies": keep},
        )
        super().__init__(*args, station=day.station, keep=keep, **kwargs)


class DutyDayCancelForm(PortalForm):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        help_text=_("已公布的接待日取消后，原因会在联络站页面向群众公告。"),
        error_messages={
            "required": _("请填写取消原因。"),
            "max_length": _("取消原因不能超过200个字。"),
        },
    )


WEEKDAYS = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


class RecurringDutyForm(PortalForm):
    """每周星期X某时段，从A到B: a series of duty days in one go."""

    weekday = forms.TypedChoiceField(
        label=_("每周"), choices=WEEKDAYS, coerce=int, initial=0
    )
    slot = forms.ChoiceField(label=_("时段"), choices=DutyDay.Slot.choices)
    start = forms.DateField(
        label=_("开始日期"), error_messages={"required": _("请选择开始日期。")}
    )
    end = forms.DateField(
        label=_("结束日期"), error_messages={"required": _("请选择结束日期。")}
    )
    topic = forms.CharField(
        label=_("接待主题（可不填）"), max_length=200, required=False
    )
    deputies = MandateMultipleChoiceField(
        label=_("值班代表"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名值班代表。")},
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = member_mandates(station)
        for name in ("weekday", "slot"):
            self.fields[name].error_messages["invalid_choice"] = _("请选择正确的选项。")


class AttendanceForm(PortalForm):
    attended = forms.TypedMultipleChoiceField(
        label=_("到岗代表"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (a.mandate_id, f"{a.mandate.person.name}（{a.mandate.congress.name}）")
            for a in assignments
        ]
        self.initial.setdefault(
            "attended", [a.mandate_id for a in assignments if a.attended]
        )


class ReceptionForm(PortalForm):
    date = forms.DateField(label=_("日期"))
    mode = forms.ChoiceField(label=_("接待方式"), choices=Reception.Mode.choices)
    duty_day = DutyDayChoiceField(
        label=_("对应接待日（可不选）"),
        queryset=DutyDay.objects.none(),
        required=False,
        empty_label=_("不对应接待日"),
    )
    deputies = MandateMultipleChoiceField(
        label=_("参加代表"),
        queryset=Mandate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visitor_count = forms.IntegerField(
        label=_("接待群众人数"), min_value=0, max_value=100000, initial=0
    )
    notes = forms.CharField(
        label=_("接待情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["deputies"].queryset = member_mandates(station)
        self.fields["duty_day"].queryset = DutyDay.objects.filter(
            station=station,
            date__lte=today,
            date__gte=today - timedelta(days=RECENT_DAYS),
        ).order_by("-date", "-id")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(_("接待日期不能晚于今天。"))
        return value


# --- opinions ------------------------------------------------------------------------


class OpinionFilterForm(PortalForm):
    q = forms.CharField(label=_("查询码或内容"), max_length=30, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    station = forms.TypedChoiceField(label=_("联络站"), coerce=int, required=False)
    overdue = forms.BooleanField(label=_("只看逾期未答复"), required=False)
    handled_here = forms.BooleanField(label=_("只看本级办理的"), required=False)
    escalated_in = forms.BooleanField(label=_("只看下级报送的"), required=False)

    def __init__(self, *args, station_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["status"].choices = everything + list(Opinion.Status.choices)
        self.fields["category"].choices = everything + list(Opinion.Category.choices)
        self.fields["station"].choices = everything + list(station_choices)


class TriageForm(PortalForm):
    outcome = forms.ChoiceField(
        label=_("分流结果"), choices=TRIAGE_OUTCOMES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        help_text=_(
            "当场答复须填写答复内容（将向反映人公开）；不予受理须写明依法解决的途径。"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, outcomes=None, forward_label="", **kwargs):
        """``outcomes``: the ones the opinion's state allows (all by default);
        ``forward_label`` names escalation by level (转县级人大办理)."""
        super().__init__(*args, **kwargs)
        # A posted outcome the state does not allow is the service's refusal, with
        # its reason; the page offers only those the state allows.
        choices = [
            (value, forward_label if value == "escalated" and forward_label else label)
            for value, label in TRIAGE_OUTCOMES
            if self.is_bound or outcomes is None or value in outcomes
        ]
        self.fields["outcome"].choices = choices


class AssignForm(PortalForm):
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.none(),
        empty_label=_("请选择"),
    )
    due_date = forms.DateField(
        label=_("办理期限（可不填）"),
        required=False,
        help_text=_("不填则按规则自动计算工作日期限。"),
    )
    note = forms.CharField(
        label=_("交办说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, forward_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if forward_label:
            self.fields["unit"].help_text = _(
                "只能交本级的承办单位。需要上级部门办理的，请在“分流”中选择"
                "“%(forward)s”。"
            ) % {"forward": forward_label}


class ReplyForm(PortalForm):
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写答复内容。")},
    )
    publish = forms.BooleanField(
        label=_("向反映人公开答复（凭查询码可见）"), required=False, initial=True
    )


class VisitForm(PortalForm):
    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=Opinion.VisitResult.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回访情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(PortalForm):
    note = forms.CharField(
        label=_("办结说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConvertForm(PortalForm):
    mandate = MandateChoiceField(
        label=_("转给代表"),
        queryset=Mandate.objects.none(),
        empty_label=_("请选择"),
        help_text=_("由该代表据此起草代表建议。"),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = member_mandates(station).filter(
            status=Mandate.Status.ACTIVE
        )
