"""Forms of the livelihood-project pages.

Forms only parse and check the shape of input; the rules (phases, seats, the
majority, who may vote, paper counts adding up) live in
``livelihood_votes.services``, whose errors the views put back onto these
forms.

The public idea form is a ``portal.web.PublicSubmissionForm``, like the
stations' opinion form (honeypot, signed "served at" stamp, per-address rate
limit from the congress's rules).
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.chinese import validate_mobile
from portal.models import HandlingUnit
from portal.rules import rules_for
from portal.web import (
    IMAGES,
    DateInput,
    KeepsUploads,
    PortalForm,
    PublicSubmissionForm,
    validate_upload,
)

from .models import (
    ChangeRequest,
    Idea,
    SatisfactionBallot,
    VoteRound,
)

PHOTO_MAX_BYTES = 5 * 1024 * 1024

NEGATIVE_LIST_HINT = _(
    "负面清单：政府办公楼等楼堂馆所；上级已有专项安排的规定动作；需要举债建设的项目；"
    "只惠及个人或个别单位的事项；不属于本乡镇事权的事项。"
)


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


# --- public -----------------------------------------------------------------------------


class IdeaForm(PublicSubmissionForm):
    """ "我要提项目": what a citizen proposes for next year's livelihood projects."""

    signing_salt = "livelihood.idea_form"
    rate_limit_scope = "idea"

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

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, scope_id=programme.pk, **kwargs)
        self.programme = programme

    def submissions_per_hour(self) -> int:
        return rules_for(self.programme.congress).public_submissions_per_hour

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_mobile(phone)
        return phone


class TrackForm(PortalForm):
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


class ProgrammeForm(PortalForm):
    # A congress (its id) or a sub-district its county congress organises ("s<id>").
    congress = forms.ChoiceField(
        label=_("组织票决的人大"),
        error_messages={
            "required": _("请选择人民代表大会或街道。"),
            "invalid_choice": _("请选择人民代表大会或街道。"),
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

    def __init__(self, *args, organisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [(v, label) for v, label, *_r in organisers]


class SeatsForm(PortalForm):
    seats = forms.IntegerField(
        label=_("票决项目数"),
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("请填写票决项目数。"),
            "min_value": _("票决项目数至少为1。"),
        },
    )


class ScreenForm(PortalForm):
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


class CandidateForm(PortalForm):
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


class SummaryForm(PortalForm):
    summary = forms.CharField(
        label=_("审议意见汇总"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CommentForm(PortalForm):
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


def _confirm_field(label, required_message) -> forms.BooleanField:
    """A checkbox the user ticks to confirm a step that cannot be undone."""
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": required_message}
    )


class ConfirmForm(PortalForm):
    """A button that needs its confirmation ticked (see the subclasses' labels)."""

    confirm_label = _("我已核对，确认执行")
    confirm_required = _("请先勾选确认。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"] = _confirm_field(
            self.confirm_label, self.confirm_required
        )


class AdvanceForm(ConfirmForm):
    """Move the programme on to ``to``, the phase named on the button (the service
    refuses any other than the next one, so a stale page cannot skip a phase)."""

    confirm_required = _("请勾选确认进入下一阶段。")

    to = forms.CharField(widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, next_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if next_label:
            self.fields["confirm"].label = _("确认进入下一阶段：%(phase)s") % {
                "phase": next_label
            }


class RoundCreateForm(PortalForm):
    """A vote round; a further round (seats left unfilled) needs a confirmation."""

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

    def __init__(self, *args, further: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if further:
            self.fields["confirm"] = _confirm_field(
                _("确认对未当选的候选项目再次表决"),
                _("请勾选确认再次表决。"),
            )


class RoundOpenForm(ConfirmForm):
    """开始投票: the quorum comes from the sign-in; staff confirm the count."""

    confirm_label = _("我已核对签到人数，确认开始投票")
    confirm_required = _("请先核对签到人数，并勾选确认后再开始投票。")


class RoundCloseForm(ConfirmForm):
    confirm_label = _("确认结束本轮投票并计票（结束后不能再投票）")
    confirm_required = _("请勾选确认后再结束本轮投票。")


class ConcludeVoteForm(ConfirmForm):
    confirm_label = _("确认以已当选的项目结束票决，其余候选项目转入备选")
    confirm_required = _("请勾选确认后再结束票决。")


class AttendanceForm(PortalForm):
    """签到 by staff: tick the deputies present (the electorate of the round)."""

    present = forms.ModelMultipleChoiceField(
        label=_("到会代表"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请勾选到会的代表。"),
            "invalid_choice": _("所选代表不是本级人民代表大会在任的代表。"),
            "invalid_pk_value": _("代表编号不正确。"),
        },
    )

    def __init__(self, *args, mandates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mandates is not None:
            self.fields["present"].queryset = mandates


class CheckInForm(PortalForm):
    """The deputy's 签到 with the code on the hall screen (six digits; full-width
    digits and spaces typed on a phone are accepted)."""

    code = forms.CharField(
        label=_("签到码"),
        max_length=20,
        help_text=_("请输入会场大屏上显示的6位数字签到码。"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autocomplete": "one-time-code",
                "maxlength": "6",
                "class": "lv-code-input",
            }
        ),
        error_messages={"required": _("请输入签到码。")},
    )

    def clean_code(self) -> str:
        code = "".join(unicodedata.normalize("NFKC", self.cleaned_data["code"]).split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError(
                _("签到码为6位数字，请核对会场大屏。"), code="invalid"
            )
        return code


class PaperCountsForm(PortalForm):
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


class PlanForm(PortalForm):
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


class ProgressForm(KeepsUploads, PortalForm):
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
    confirm_lower = forms.BooleanField(
        label=_("确认本次进度低于上次报告（如返工、核减工程量）"),
        required=False,
        help_text=_("进度低于上次报告时须勾选，并在进展情况中说明原因。"),
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return validate_upload(
            upload, kinds=IMAGES, max_bytes=PHOTO_MAX_BYTES, rename=True
        )


class ChangeRequestForm(PortalForm):
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


class AnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("回复"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写回复。")},
    )


class VisitForm(PortalForm):
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


class PlannedVisitForm(PortalForm):
    """A supervision visit planned on a later day (the service checks the date)."""

    date = forms.DateField(
        label=_("计划日期"),
        widget=DateInput,
        error_messages={
            "required": _("请填写计划日期。"),
            "invalid": _("请输入正确的日期。"),
        },
    )
    group = forms.ModelChoiceField(
        label=_("监督小组"),
        queryset=None,
        required=False,
        empty_label=_("（不属于监督小组）"),
    )
    purpose = forms.CharField(label=_("视察内容"), max_length=300, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Mandate) -> str:
        return obj.person.name


class ProjectMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.candidate.title


class SupervisionGroupForm(PortalForm):
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


class EvaluationOpenForm(PortalForm):
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
    """Paper evaluation: the ballots taken back (收回票数) and 满意 / 基本满意 /
    不满意 counts per project (the service checks they add up)."""

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned"] = _count_field(_("收回测评票（张）"))
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


class RectifyForm(PortalForm):
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


class RectificationReportForm(PortalForm):
    report = forms.CharField(
        label=_("整改情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写整改情况。")},
    )


class ReevaluationForm(PortalForm):
    """The deputies' second evaluation of a rectified project (counts)."""

    satisfied = forms.IntegerField(label=_("满意"), min_value=0, max_value=32767)
    basically = forms.IntegerField(label=_("基本满意"), min_value=0, max_value=32767)
    dissatisfied = forms.IntegerField(label=_("不满意"), min_value=0, max_value=32767)
