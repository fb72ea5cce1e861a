"""Forms of the stations' HTML pages.

Forms only parse and check input shape; the rules (mobile format, content
length, who may be scheduled, allowed transitions) live in
``stations.services``, whose errors the views put back onto these forms.

The public opinion form carries a simple challenge: a hidden honeypot field
and a signed timestamp (``form_token``) that refuses submissions made faster
than ``MIN_FILL_SECONDS`` after the form was served.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal import web
from portal.chinese import validate_mobile
from portal.models import HandlingUnit

from .models import DutyDay, Opinion, Reception, StationMembership
from .selectors import member_mandates
from .services import CONTENT_MAX, CONTENT_MIN

PHOTO_MAX_BYTES = 5 * 1024 * 1024
MIN_FILL_SECONDS = 3
TOKEN_MAX_AGE = 24 * 60 * 60
FORM_SIGNING_SALT = "stations.opinion_form"
# Reception records may point at a duty day of this many past days.
RECENT_DAYS = 90

# Extension → accepted leading bytes. The extension alone is not trusted.
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
PHOTO_TYPES = {"jpg": _JPEG, "jpeg": _JPEG, "png": _PNG}

TRIAGE_OUTCOMES = [
    (Opinion.Status.ANSWERED_ON_SITE, Opinion.Status.ANSWERED_ON_SITE.label),
    (Opinion.Status.NOT_ACCEPTED, Opinion.Status.NOT_ACCEPTED.label),
    (Opinion.Status.POOLED, _("纳入民生实事项目征集")),
    (Opinion.Status.ESCALATED, _("报上级人大")),
]


def form_token(station_id: int, issued_at: float | None = None) -> str:
    """The signed "form served at" stamp of a station's opinion form."""
    return web.form_token(FORM_SIGNING_SALT, station_id, issued_at)


def _token_issued_at(token: str, station_id: int) -> int | None:
    return web.form_token_issued_at(FORM_SIGNING_SALT, token, station_id)


_NoLabelSuffix = web.NoLabelSuffix
DateInput = web.DateInput


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


class FinderForm(_NoLabelSuffix, forms.Form):
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


class OpinionForm(_NoLabelSuffix, forms.Form):
    """The "我要反映" form: what a citizen sends to the station's deputies."""

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
        help_text=_("请写清问题发生的地点、时间和您的诉求，%(min)s至%(max)s个字。")
        % {"min": CONTENT_MIN, "max": CONTENT_MAX},
        error_messages={"required": _("请填写反映内容。")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photo = forms.FileField(
        label=_("照片（可不传）"),
        required=False,
        help_text=_("可上传一张现场照片，JPG 或 PNG 格式，不超过5MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    # The honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.challenge_failed = False
        self.issued_at = None
        if self.is_bound:
            self.issued_at = _token_issued_at(self.data.get("token", ""), station.pk)
            if self.issued_at is None:
                # Re-rendered with a fresh stamp; a still-valid one is kept, so
                # a fast typist can simply send again.
                self.data = self.data.copy()
                self.data["token"] = form_token(station.pk)
        else:
            self.initial["token"] = form_token(station.pk)

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
        type_message = _("照片只能是 JPG 或 PNG 格式。")
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in PHOTO_TYPES:
            raise ValidationError(type_message, code="type")
        if upload.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("照片不能超过5MB，请压缩后再上传。"), code="size")
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(PHOTO_TYPES[extension]):
            raise ValidationError(type_message, code="type")
        # Never keep the citizen's own file name (it may carry their name).
        upload.name = f"{uuid.uuid4().hex}.{'png' if extension == 'png' else 'jpg'}"
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            self.challenge_failed = True
            raise ValidationError(_("提交未成功，请稍后重试。"), code="honeypot")
        issued = self.issued_at
        if issued is None:
            self.challenge_failed = True
            raise ValidationError(_("页面已过期，请核对内容后再次提交。"), code="token")
        if time.time() - issued < MIN_FILL_SECONDS:
            self.challenge_failed = True
            raise ValidationError(
                _("提交太快了，请核对内容后再次提交。"), code="too_fast"
            )
        return cleaned


class TrackForm(_NoLabelSuffix, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        help_text=_("提交意见时获得的查询码，例如 TH-2026-0001。"),
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
        return self.cleaned_data["code"].strip().upper()


# --- station workspace ------------------------------------------------------------


class MemberSearchForm(_NoLabelSuffix, forms.Form):
    q = forms.CharField(
        label=_("代表证号或姓名"),
        max_length=50,
        min_length=2,
        error_messages={
            "min_length": _("请至少输入2个字。"),
            "required": _("请输入代表证号或姓名。"),
        },
    )


class MemberAddForm(_NoLabelSuffix, forms.Form):
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
    start_date = forms.DateField(label=_("进站日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = Mandate.objects.public()
        self.fields["start_date"].initial = timezone.localdate


class DutyDayForm(_NoLabelSuffix, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
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

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = member_mandates(station)


class AttendanceForm(_NoLabelSuffix, forms.Form):
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


class ReceptionForm(_NoLabelSuffix, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
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


class OpinionFilterForm(_NoLabelSuffix, forms.Form):
    q = forms.CharField(label=_("查询码"), max_length=30, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    station = forms.TypedChoiceField(label=_("联络站"), coerce=int, required=False)
    overdue = forms.BooleanField(label=_("只看逾期未答复"), required=False)

    def __init__(self, *args, station_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["status"].choices = everything + list(Opinion.Status.choices)
        self.fields["category"].choices = everything + list(Opinion.Category.choices)
        self.fields["station"].choices = everything + list(station_choices)


class TriageForm(_NoLabelSuffix, forms.Form):
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


class AssignForm(_NoLabelSuffix, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.none(),
        empty_label=_("请选择"),
    )
    due_date = forms.DateField(
        label=_("办理期限（可不填）"),
        required=False,
        widget=DateInput(),
        help_text=_("不填则按规则自动计算工作日期限。"),
    )
    note = forms.CharField(
        label=_("交办说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReplyForm(_NoLabelSuffix, forms.Form):
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写答复内容。")},
    )
    publish = forms.BooleanField(
        label=_("向反映人公开答复（凭查询码可见）"), required=False, initial=True
    )


class VisitForm(_NoLabelSuffix, forms.Form):
    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=Opinion.VisitResult.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回访情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(_NoLabelSuffix, forms.Form):
    note = forms.CharField(
        label=_("办结说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConvertForm(_NoLabelSuffix, forms.Form):
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
