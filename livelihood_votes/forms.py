"""Forms of the livelihood-project pages.

Forms only parse and check the shape of input; the rules (phases, seats, the
majority, who may vote, paper counts adding up) live in
``livelihood_votes.services``, whose errors the views put back onto these
forms.

The public idea form carries the same simple challenge as the stations'
opinion form: a hidden honeypot field and a signed timestamp (``form_token``)
that refuses submissions made faster than ``MIN_FILL_SECONDS``.
"""

from __future__ import annotations

import time
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal import web
from portal.chinese import validate_mobile
from portal.models import HandlingUnit

from .models import (
    ChangeRequest,
    Idea,
    SatisfactionBallot,
    VoteRound,
)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
MIN_FILL_SECONDS = 3
TOKEN_MAX_AGE = 24 * 60 * 60
FORM_SIGNING_SALT = "livelihood.idea_form"

# Extension → accepted leading bytes. The extension alone is not trusted.
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
PHOTO_TYPES = {"jpg": _JPEG, "jpeg": _JPEG, "png": _PNG}

NEGATIVE_LIST_HINT = _(
    "负面清单：政府办公楼等楼堂馆所；上级已有专项安排的规定动作；需要举债建设的项目；"
    "只惠及个人或个别单位的事项；不属于本乡镇事权的事项。"
)


def form_token(programme_id: int, issued_at: float | None = None) -> str:
    """The signed "form served at" stamp of a programme's idea form."""
    return web.form_token(FORM_SIGNING_SALT, programme_id, issued_at)


def _token_issued_at(token: str, programme_id: int) -> int | None:
    return web.form_token_issued_at(FORM_SIGNING_SALT, token, programme_id)


_NoLabelSuffix = web.NoLabelSuffix
DateInput = web.DateInput


def _money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "required": _("请填写金额（万元）。"),
            "invalid": _("请输入数字，单位为万元。"),
            "min_value": _("金额不能为负数。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
        **kwargs,
    )


def _count_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=32767,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("请填写票数。"),
            "invalid": _("请输入整数。"),
            "min_value": _("票数不能为负数。"),
        },
        **kwargs,
    )


def clean_photo(upload):
    """A JPG or PNG of at most 5 MB, checked by its leading bytes, renamed."""
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
    upload.name = f"{uuid.uuid4().hex}.{'png' if extension == 'png' else 'jpg'}"
    return upload


# --- public -----------------------------------------------------------------------------


class IdeaForm(_NoLabelSuffix, forms.Form):
    """ "我要提项目": what a citizen proposes for next year's livelihood projects."""

    title = forms.CharField(
        label=_("项目名称"),
        max_length=200,
        help_text=_("例如：修缮桃花村至李家湾的村道。"),
        error_messages={
            "required": _("请填写项目名称。"),
            "max_length": _("项目名称不能超过200个字。"),
        },
    )
    description = forms.CharField(
        label=_("项目内容"),
        help_text=_("请写清要办的事、涉及的群众和理由，5至2000个字。"),
        max_length=2000,
        error_messages={
            "required": _("请填写项目内容。"),
            "max_length": _("项目内容不能超过2000个字。"),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    location = forms.CharField(
        label=_("地点（可不填）"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("地点不能超过200个字。")},
    )
    name = forms.CharField(
        label=_("您的姓名（可不填）"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("姓名不能超过50个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号码（可不填）"),
        max_length=20,
        required=False,
        help_text=_("仅用于工作人员向您了解情况，不会公开。"),
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "numeric",
                "autocomplete": "tel",
                "maxlength": "11",
            }
        ),
    )
    # The honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.challenge_failed = False
        self.issued_at = None
        if self.is_bound:
            self.issued_at = _token_issued_at(self.data.get("token", ""), programme.pk)
            if self.issued_at is None:
                self.data = self.data.copy()
                self.data["token"] = form_token(programme.pk)
        else:
            self.initial["token"] = form_token(programme.pk)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_mobile(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            self.challenge_failed = True
            raise ValidationError(_("提交未成功，请稍后重试。"), code="honeypot")
        if self.issued_at is None:
            self.challenge_failed = True
            raise ValidationError(_("页面已过期，请核对内容后再次提交。"), code="token")
        if time.time() - self.issued_at < MIN_FILL_SECONDS:
            self.challenge_failed = True
            raise ValidationError(
                _("提交太快了，请核对内容后再次提交。"), code="too_fast"
            )
        return cleaned


class TrackForm(_NoLabelSuffix, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        error_messages={"required": _("请输入查询码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


# --- staff: programme, screening, candidates --------------------------------------------


class ProgrammeForm(_NoLabelSuffix, forms.Form):
    congress = forms.TypedChoiceField(
        label=_("乡镇人民代表大会"),
        coerce=int,
        error_messages={
            "required": _("请选择乡镇人大。"),
            "invalid_choice": _("请选择乡镇人大。"),
        },
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("请填写年度。"),
            "invalid": _("请填写四位数的年度。"),
        },
    )
    seats = forms.IntegerField(
        label=_("票决项目数"),
        min_value=1,
        max_value=100,
        help_text=_(
            "大会票决确定的项目个数；候选项目应多于此数（差额）。票决开始后不能修改。"
        ),
        error_messages={
            "required": _("请填写票决项目数。"),
            "min_value": _("票决项目数至少为1。"),
        },
    )

    def __init__(self, *args, congresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [(c.pk, c.name) for c in congresses]


class SeatsForm(_NoLabelSuffix, forms.Form):
    seats = forms.IntegerField(
        label=_("票决项目数"),
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("请填写票决项目数。"),
            "min_value": _("票决项目数至少为1。"),
        },
    )


class ScreenForm(_NoLabelSuffix, forms.Form):
    decision = forms.ChoiceField(
        label=_("初筛结论"),
        choices=[("accept", _("通过，进入论证")), ("reject", _("不通过"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择初筛结论。")},
    )
    reason = forms.CharField(
        label=_("初筛意见"),
        required=False,
        max_length=1000,
        help_text=NEGATIVE_LIST_HINT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HandlingUnit) -> str:
        return obj.name


class CandidateForm(_NoLabelSuffix, forms.Form):
    title = forms.CharField(
        label=_("项目名称"),
        max_length=200,
        error_messages={"required": _("请填写项目名称。")},
    )
    description = forms.CharField(
        label=_("建设内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写建设内容。")},
    )
    estimated_cost = _money_field(_("估算投资（万元）"))
    fund_source = forms.CharField(label=_("资金来源"), max_length=200, required=False)
    land = forms.CharField(label=_("用地情况"), max_length=200, required=False)
    schedule = forms.CharField(label=_("建设周期"), max_length=200, required=False)
    lead_unit = UnitChoiceField(
        label=_("责任单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("本乡镇人民政府（默认）"),
    )
    responsible_leader = forms.CharField(
        label=_("责任领导"), max_length=50, required=False
    )
    idea = forms.ModelChoiceField(
        queryset=Idea.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, units=None, ideas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["lead_unit"].queryset = units
        if ideas is not None:
            self.fields["idea"].queryset = ideas


class SummaryForm(_NoLabelSuffix, forms.Form):
    summary = forms.CharField(
        label=_("审议意见汇总"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CommentForm(_NoLabelSuffix, forms.Form):
    text = forms.CharField(
        label=_("审议意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写审议意见。"),
            "max_length": _("审议意见不能超过2000个字。"),
        },
    )


# --- staff: the vote -----------------------------------------------------------------------


class RoundCreateForm(_NoLabelSuffix, forms.Form):
    mode = forms.ChoiceField(
        label=_("表决方式"),
        choices=VoteRound.Mode.choices,
        initial=VoteRound.Mode.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择表决方式。"),
            "invalid_choice": _("表决方式不正确。"),
        },
    )


class RoundOpenForm(_NoLabelSuffix, forms.Form):
    present = forms.IntegerField(
        label=_("出席代表人数"),
        min_value=0,
        max_value=32767,
        help_text=_("默认为全体在职代表；开始投票后规则锁定。"),
        error_messages={
            "required": _("请填写出席代表人数。"),
            "invalid": _("请输入整数。"),
        },
    )


class PaperCountsForm(_NoLabelSuffix, forms.Form):
    """Tellers' counts of a paper round, with one approvals field per candidate."""

    issued = _count_field(_("发出选票"))
    returned = _count_field(_("收回选票"))
    valid = _count_field(_("有效票"))
    void = _count_field(_("无效票"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_fields = []
        for candidate in candidates:
            name = f"c{candidate.pk}"
            self.fields[name] = _count_field(candidate.title)
            self.candidate_fields.append((candidate, name))

    def approvals(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[name] for c, name in self.candidate_fields}

    def candidate_bound_fields(self):
        return [(c, self[name]) for c, name in self.candidate_fields]


class BallotForm(forms.Form):
    """The deputy's ballot: approve at most k candidates (the service enforces it too)."""

    approve = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("选票中有不属于本轮的候选项目。")},
    )

    def __init__(self, *args, candidates=(), seats: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.fields["approve"].choices = [(c.pk, c.title) for c in candidates]

    def clean_approve(self) -> list[int]:
        approve = self.cleaned_data["approve"]
        if len(approve) > self.seats:
            raise ValidationError(
                _("最多只能赞成%(k)s个项目，您选择了%(n)s个。")
                % {"k": self.seats, "n": len(approve)}
            )
        return approve


class EvaluationBallotForm(forms.Form):
    """One rating per project: 满意 / 基本满意 / 不满意."""

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_fields = []
        for project in projects:
            name = f"p{project.pk}"
            self.fields[name] = forms.ChoiceField(
                label=project.candidate.title,
                choices=SatisfactionBallot.Choice.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("请对本项目作出评价。"),
                    "invalid_choice": _("评价结果不正确。"),
                },
            )
            self.project_fields.append((project, name))

    def choices(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[name] for p, name in self.project_fields}

    def project_bound_fields(self):
        return [(p, self[name]) for p, name in self.project_fields]


# --- implementation and supervision -------------------------------------------------------


class PlanForm(_NoLabelSuffix, forms.Form):
    plan = forms.CharField(
        label=_("实施计划"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明建设内容、节点安排、资金安排和责任人。"),
        error_messages={"required": _("请填写实施计划。")},
    )
    start_date = forms.DateField(
        label=_("开工日期"),
        widget=DateInput,
        error_messages={"required": _("请填写开工日期。")},
    )
    planned_end = forms.DateField(
        label=_("计划完成日期"),
        widget=DateInput,
        error_messages={"required": _("请填写计划完成日期。")},
    )


class ProgressForm(_NoLabelSuffix, forms.Form):
    date = forms.DateField(
        label=_("报告日期"),
        widget=DateInput,
        error_messages={"required": _("请填写报告日期。")},
    )
    progress = forms.IntegerField(
        label=_("累计完成进度（%）"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("请填写进度。"),
            "min_value": _("进度应在0到100之间。"),
            "max_value": _("进度应在0到100之间。"),
        },
    )
    money_paid = _money_field(_("累计拨付资金（万元）"))
    note = forms.CharField(
        label=_("进展情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写进展情况。")},
    )
    photo = forms.FileField(
        label=_("现场照片（可不传）"),
        required=False,
        help_text=_("JPG 或 PNG 格式，不超过5MB；照片将在公开页面展示。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_photo(self):
        return clean_photo(self.cleaned_data.get("photo"))


class ChangeRequestForm(_NoLabelSuffix, forms.Form):
    kind = forms.ChoiceField(
        label=_("申请类型"),
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择申请类型。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明理由。")},
    )
    proposed_change = forms.CharField(
        label=_("变更内容（变更时填写）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("consent", _("主席团同意")), ("refuse", _("主席团不同意"))],
        error_messages={"required": _("请选择审议结果。")},
    )


class AnswerForm(_NoLabelSuffix, forms.Form):
    answer = forms.CharField(
        label=_("回复"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写回复。")},
    )


class VisitForm(_NoLabelSuffix, forms.Form):
    date = forms.DateField(
        label=_("视察日期"),
        widget=DateInput,
        error_messages={"required": _("请填写视察日期。")},
    )
    group = forms.ModelChoiceField(
        label=_("监督小组"),
        queryset=None,
        required=False,
        empty_label=_("（不属于监督小组）"),
    )
    findings = forms.CharField(
        label=_("发现问题"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写视察发现的情况。")},
    )
    suggestion = forms.CharField(
        label=_("监督建议"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Mandate) -> str:
        return obj.person.name


class ProjectMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.candidate.title


class SupervisionGroupForm(_NoLabelSuffix, forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        help_text=_("例如：第一监督小组。"),
        error_messages={"required": _("请填写名称。")},
    )
    members = MandateMultipleChoiceField(
        label=_("成员（代表）"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名代表。")},
    )
    projects = ProjectMultipleChoiceField(
        label=_("监督项目"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个项目。")},
    )

    def __init__(self, *args, mandates, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = mandates
        self.fields["projects"].queryset = projects


class EvaluationOpenForm(_NoLabelSuffix, forms.Form):
    mode = forms.ChoiceField(
        label=_("测评方式"),
        choices=VoteRound.Mode.choices,
        initial=VoteRound.Mode.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择测评方式。"),
            "invalid_choice": _("测评方式不正确。"),
        },
    )


class EvaluationPaperForm(forms.Form):
    """Paper evaluation: 满意 / 基本满意 / 不满意 counts per project."""

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for project in projects:
            names = []
            for key, label in SatisfactionBallot.Choice.choices:
                name = f"p{project.pk}_{key}"
                self.fields[name] = _count_field(label)
                names.append(name)
            self.rows.append((project, names))

    def counts(self) -> dict[int, tuple[int, int, int]]:
        return {
            project.pk: tuple(self.cleaned_data[n] for n in names)
            for project, names in self.rows
        }

    def bound_rows(self):
        return [(project, [self[n] for n in names]) for project, names in self.rows]


class RectifyForm(_NoLabelSuffix, forms.Form):
    explanation = forms.CharField(
        label=_("书面说明"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写书面说明。")},
    )
    due = forms.DateField(
        label=_("整改期限"),
        widget=DateInput,
        error_messages={"required": _("请填写整改期限。")},
    )
