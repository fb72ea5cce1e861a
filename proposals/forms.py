"""Forms of the bills-and-suggestions pages.

Forms parse and check the shape of the input only; every rule (research basis,
co-signer threshold, deadlines, who may rate, reply categories needing
commitments) lives in ``proposals.services``, whose refusals the views put
back onto these forms next to the field they name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Activity, Mandate
from portal.models import Congress, HandlingUnit, Session, User
from portal.web import DateInput, KeepsUploads, PortalForm, validate_upload
from portal.web.forms import show_nearby_congresses
from stations.models import Opinion

from . import categories as reply_categories
from .models import (
    Contact,
    Evaluation,
    KeySupervisionItem,
    Suggestion,
    SupervisionEvent,
)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = ("pdf", "doc", "docx")
COMMITMENT_FORMS = 3

# Labels of the three text parts: a bill has 案由/案据/方案.
TEXT_LABELS = {
    Suggestion.Kind.SUGGESTION: {
        "problem": _("问题"),
        "analysis": _("分析"),
        "proposals": _("建议"),
    },
    Suggestion.Kind.BILL: {
        "problem": _("案由"),
        "analysis": _("案据"),
        "proposals": _("方案"),
    },
}


def _year_choices(years) -> list[tuple[str, str]]:
    return [("", _("全部年度"))] + [(str(y), str(y)) for y in years]


# --- lists ------------------------------------------------------------------------------


class SuggestionFilterForm(PortalForm):
    """Filters of the deputy's and the staff's lists (all optional)."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None
    )
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        required=False,
        queryset=Congress.objects.none(),
        empty_label=_("全部"),
    )

    def __init__(self, *args, years=(), congresses=None, user=None, **kwargs):
        """``user``: the user ``congresses`` is determined by (its options are
        then cached per user, ``portal.web.choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("全部状态")),
            *Suggestion.Status.choices,
        ]
        self.fields["kind"].choices = [("", _("全部类型")), *Suggestion.Kind.choices]
        self.fields["year"].choices = _year_choices(years)
        if congresses is None:
            del self.fields["congress"]
        else:
            self.fields["congress"].queryset = congresses
            show_nearby_congresses(self, "congress", congresses, user=user)


class AssignmentFilterForm(PortalForm):
    OPEN, REPLIED, ALL = "open", "replied", "all"
    show = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[(OPEN, _("办理中")), (REPLIED, _("已答复")), (ALL, _("全部"))],
    )


class PublicFilterForm(PortalForm):
    q = forms.CharField(label=_("搜索标题或内容"), required=False, max_length=100)
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        required=False,
        queryset=Congress.objects.none(),
        empty_label=_("全部"),
    )
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, congresses, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["year"].choices = _year_choices(years)
        show_nearby_congresses(self, "congress", congresses)


# --- the deputy ------------------------------------------------------------------------


class _CongressChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Congress) -> str:
        return obj.name


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return _("%(congress)s第%(number)s次会议") % {
            "congress": obj.term.congress.name,
            "number": obj.number,
        }


class _ActivityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.get_kind_display()}：{obj.title}"


class _OpinionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Opinion) -> str:
        # Never the submitter's name or phone: the code, category and an excerpt.
        excerpt = obj.content[:30] + ("…" if len(obj.content) > 30 else "")
        return f"{obj.tracking_code} {obj.get_category_display()}：{excerpt}"


class SuggestionForm(PortalForm):
    """Write or edit a draft. ``mandates`` are the user's current mandates; on
    edit (``suggestion`` given) the kind and the congress stay as they are."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=Suggestion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Suggestion.Kind.SUGGESTION,
    )
    congress = _CongressChoice(
        label=_("提交给"), queryset=Congress.objects.none(), empty_label=None
    )
    session = _SessionChoice(
        label=_("会议"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("闭会期间"),
        help_text=_("议案只能在大会会议期间、截止时间之前提出。"),
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    problem = forms.CharField(
        label=_("问题"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    analysis = forms.CharField(
        label=_("分析"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    proposals = forms.CharField(
        label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("请选择类别")), *Suggestion.Category.choices]
    )
    is_public = forms.BooleanField(
        label=_("同意答复后向社会公开"),
        required=False,
        initial=True,
        help_text=_("公开时会隐去个人信息和联系方式。"),
    )
    research_activities = _ActivityChoices(
        label=_("本人参加的调研视察活动"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    research_opinions = _OpinionChoices(
        label=_("本人收集或转交本人的群众意见"),
        queryset=Opinion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    research_note = forms.CharField(
        label=_("调研情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    research_date = forms.DateField(label=_("调研日期"), required=False)
    research_place = forms.CharField(
        label=_("调研地点"), required=False, max_length=200
    )
    research_people = forms.CharField(
        label=_("走访对象"), required=False, max_length=300
    )
    co_signers = forms.TypedMultipleChoiceField(
        label=_("邀请联名代表"),
        required=False,
        coerce=int,
        help_text=_(
            "被邀请的代表须在平台上确认后才算联名。按住 Ctrl（苹果电脑按 ⌘）可多选。"
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    TEXT_FIELDS = ("problem", "analysis", "proposals")

    def __init__(
        self,
        *args,
        mandates: list[Mandate],
        suggestion: Suggestion | None = None,
        activities=None,
        opinions=None,
        cosigner_choices=(),
        sessions=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.mandates = {m.congress_id: m for m in mandates}
        self.suggestion = suggestion
        self.fields["congress"].queryset = Congress.objects.filter(
            pk__in=self.mandates
        ).order_by("region__path")
        self.fields["session"].queryset = (
            sessions if sessions is not None else Session.objects.none()
        )
        self.fields["research_activities"].queryset = (
            activities if activities is not None else Activity.objects.none()
        )
        self.fields["research_opinions"].queryset = (
            opinions if opinions is not None else Opinion.objects.none()
        )
        self.fields["co_signers"].choices = list(cosigner_choices)
        if suggestion is not None:
            self.fields["kind"].disabled = True
            self.fields["congress"].disabled = True
            self.fields["co_signers"].label = _("追加邀请联名代表")
        kind = self._kind()
        for name, label in TEXT_LABELS[kind].items():
            self.fields[name].label = label

    def _kind(self) -> str:
        if self.suggestion is not None:
            return self.suggestion.kind
        value = self.data.get(self.add_prefix("kind")) if self.is_bound else None
        return value if value in Suggestion.Kind.values else Suggestion.Kind.SUGGESTION

    @property
    def text_labels(self) -> dict:
        """Both label sets, for the script that switches them with the kind."""
        return TEXT_LABELS

    def clean(self):
        cleaned = super().clean()
        congress, session = cleaned.get("congress"), cleaned.get("session")
        if (
            congress is not None
            and session is not None
            and session.term.congress_id != congress.pk
        ):
            self.add_error("session", _("会议不属于所选的人民代表大会。"))
        if congress is not None:
            cleaned["lead"] = self.mandates.get(congress.pk)
        return cleaned


class CosignForm(PortalForm):
    accept = forms.TypedChoiceField(
        choices=[("1", _("确认联名")), ("0", _("谢绝联名"))],
        coerce=lambda v: v == "1",
    )


class EvaluationForm(PortalForm):
    result = forms.ChoiceField(
        label=_("对办理结果"),
        choices=Evaluation.Rating.choices,
        widget=forms.RadioSelect,
    )
    attitude = forms.ChoiceField(
        label=_("对办理态度"),
        choices=Evaluation.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "评价为“不满意”的，须写明理由，承办单位据此重新办理；评价提交后不能修改。"
        ),
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BillDecisionForm(PortalForm):
    """The presidium's decision on a bill, recorded by the congress's staff."""

    decision = forms.ChoiceField(
        label=_("主席团决定"),
        choices=Suggestion.BillDecision.choices,
        widget=forms.RadioSelect,
    )
    document_number = forms.CharField(
        label=_("决定文号"), max_length=100, required=False
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj.term.congress.name} {obj}"


class PresidiumBillForm(PortalForm):
    """A bill the session's presidium submits, recorded by the congress's staff."""

    session = _SessionChoice(
        label=_("会议"), queryset=Session.objects.none(), empty_label=_("请选择")
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(
        label=_("类别"),
        choices=Suggestion.Category.choices,
        initial=Suggestion.Category.OTHER,
    )
    problem = forms.CharField(
        label=_("问题（案由）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    analysis = forms.CharField(
        label=_("分析（案据）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals = forms.CharField(
        label=_("建议（方案）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class BillResultForm(PortalForm):
    result = forms.ChoiceField(
        label=_("表决结果"),
        choices=[("adopted", _("表决通过")), ("not_adopted", _("表决未通过"))],
        widget=forms.RadioSelect,
    )


# --- congress staff -----------------------------------------------------------------------


class MergeForm(PortalForm):
    into = forms.TypedChoiceField(label=_("并入"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [
            (
                c.pk,
                f"{c.number_display or _('未编号')} {c.title}（{c.lead.person.name}，{c.get_status_display()}）",
            )
            for c in candidates
        ]


class _UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: HandlingUnit) -> str:
        return obj.name


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: HandlingUnit) -> str:
        return obj.name


class AssignForm(PortalForm):
    """Assign in one step: one lead unit with co-units, or several split units."""

    LEAD, SPLIT = "lead", "split"
    mode = forms.ChoiceField(
        label=_("交办方式"),
        widget=forms.RadioSelect,
        initial=LEAD,
        choices=[(LEAD, _("主办＋协办")), (SPLIT, _("分办（各单位分别答复）"))],
    )
    lead_unit = _UnitChoice(
        label=_("主办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("请选择"),
    )
    co_units = _UnitChoices(
        label=_("协办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    split_units = _UnitChoices(
        label=_("分办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("办理期限"), required=False)

    def __init__(
        self,
        *args,
        units,
        default_due: date,
        due_months: int,
        max_months: int,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_units", "split_units"):
            self.fields[name].queryset = units
        self.fields["due_date"].initial = default_due
        self.fields["due_date"].help_text = _(
            "按规则默认为交办之日起%(n)s个月（%(date)s）；可以调整，但不能超过交办之日起%(max)s个月。"
        ) % {"n": due_months, "date": f"{default_due:%Y-%m-%d}", "max": max_months}

    def unit_roles(self) -> list[tuple[HandlingUnit, str]]:
        data = self.cleaned_data
        if data["mode"] == self.SPLIT:
            return [(unit, "split") for unit in data["split_units"]]
        pairs = [(data["lead_unit"], "lead")] if data.get("lead_unit") else []
        return pairs + [(unit, "co") for unit in data["co_units"]]


class UrgeForm(PortalForm):
    note = forms.CharField(label=_("催办说明"), required=False, max_length=300)


class DecisionForm(PortalForm):
    approve = forms.TypedChoiceField(
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), required=False, max_length=500)


class ReassignForm(PortalForm):
    unit = _UnitChoice(
        label=_("改交单位"),
        queryset=HandlingUnit.objects.none(),
        empty_label=_("请选择"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CallbackSampleForm(PortalForm):
    congress = _CongressChoice(
        label=_("人民代表大会"), queryset=Congress.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    size = forms.IntegerField(
        label=_("抽查件数"), min_value=1, max_value=200, initial=5
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["year"].initial = timezone.localdate().year


class CallbackNoteForm(PortalForm):
    """What the deputy said on the callback, and what it found."""

    finding = forms.ChoiceField(
        label=_("回访结论"),
        choices=Evaluation.CallbackFinding.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 2})
    )


class _LeaderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


class _SuggestionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Suggestion) -> str:
        return f"{obj.number_display} {obj.title}（{obj.congress.region.name}，{obj.proposer_name}）"


class KeyItemForm(PortalForm):
    """A key-supervision item: the leader and the suggestions come from the
    chosen congress (checked in ``clean`` for the leader, by the service for
    the suggestions)."""

    congress = _CongressChoice(
        label=_("人民代表大会"), queryset=Congress.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("督办事项"), max_length=200)
    leader = _LeaderChoice(
        label=_("牵头领导"), queryset=User.objects.none(), empty_label=_("请选择")
    )
    suggestions = _SuggestionChoices(
        label=_("督办建议"),
        queryset=Suggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    plan = forms.CharField(
        label=_("督办方案"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args,
        congresses,
        leaders,
        leader_congresses: dict[int, set[int]],
        suggestions,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["leader"].queryset = leaders
        self.fields["suggestions"].queryset = suggestions
        self.fields["year"].initial = timezone.localdate().year
        self.leader_congresses = leader_congresses

    def clean(self):
        cleaned = super().clean()
        congress, leader = cleaned.get("congress"), cleaned.get("leader")
        if (
            congress is not None
            and leader is not None
            and congress.pk not in self.leader_congresses.get(leader.pk, set())
        ):
            self.add_error("leader", _("所选领导不是该人民代表大会的领导。"))
        return cleaned


class SupervisionEventForm(PortalForm):
    kind = forms.ChoiceField(label=_("方式"), choices=SupervisionEvent.Kind.choices)
    date = forms.DateField(label=_("日期"))
    notes = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 3}))


class PlannedEventForm(PortalForm):
    """A supervision event planned on a later day (the service checks the date)."""

    kind = forms.ChoiceField(
        label=_("方式"),
        choices=SupervisionEvent.Kind.choices,
        initial=SupervisionEvent.Kind.VISIT,
    )
    date = forms.DateField(
        label=_("计划日期"),
        widget=DateInput,
        error_messages={
            "required": _("请填写计划日期。"),
            "invalid": _("请输入正确的日期。"),
        },
    )
    purpose = forms.CharField(label=_("督办内容"), max_length=300, required=False)


class KeyEvaluateForm(PortalForm):
    evaluation = forms.CharField(
        label=_("督办评估"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, item: KeySupervisionItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and item.evaluation:
            self.fields["evaluation"].initial = item.evaluation


# --- handling units ------------------------------------------------------------------------


class ContactForm(PortalForm):
    method = forms.ChoiceField(label=_("沟通方式"), choices=Contact.Method.choices)
    date = forms.DateField(label=_("沟通日期"))
    summary = forms.CharField(
        label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ExtensionForm(PortalForm):
    new_due_date = forms.DateField(label=_("申请延期至"))
    reason = forms.CharField(
        label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CoOpinionForm(PortalForm):
    text = forms.CharField(
        label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(KeepsUploads, PortalForm):
    category = forms.ChoiceField(label=_("答复类别"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 10})
    )
    document_number = forms.CharField(
        label=_("文号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("例如：湘源交复〔2026〕12号")}),
    )
    signer = forms.CharField(label=_("签发人"), required=False, max_length=50)
    attachment = forms.FileField(
        label=_("答复文件"),
        required=False,
        help_text=_("PDF、DOC 或 DOCX 格式，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )
    # 办理一件、解决一类: what the answer produced (optional with the reply).
    outcome_type = forms.ChoiceField(
        label=_("办理成果"),
        required=False,
        choices=[("", _("暂不填写")), *Suggestion.Outcome.choices],
    )
    outcome_document = forms.CharField(
        label=_("成果文件名称或文号"), required=False, max_length=200
    )

    def __init__(self, *args, categories: Any, **kwargs):
        """``categories``: the congress (or its rules) whose reply categories
        (rule ``reply_categories``) are offered, in the canonical order."""
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = reply_categories.choices(categories)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return upload
        return validate_upload(
            upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES
        )


class CommitmentForm(PortalForm):
    text = forms.CharField(label=_("承诺事项"), required=False, max_length=300)
    due_date = forms.DateField(label=_("完成时限"), required=False)

    def clean(self):
        cleaned = super().clean()
        text, due = (cleaned.get("text") or "").strip(), cleaned.get("due_date")
        if text and not due:
            self.add_error("due_date", _("请填写完成时限。"))
        if due and not text:
            self.add_error("text", _("请填写承诺事项。"))
        return cleaned


CommitmentFormSet = forms.formset_factory(
    CommitmentForm, extra=COMMITMENT_FORMS, max_num=10
)


def commitments_of(formset) -> list[dict]:
    """The filled rows of a valid commitment formset."""
    return [
        {"text": f.cleaned_data["text"].strip(), "due_date": f.cleaned_data["due_date"]}
        for f in formset.forms
        if f.cleaned_data.get("text", "").strip()
    ]


class CommitmentDoneForm(PortalForm):
    note = forms.CharField(label=_("落实情况"), required=False, max_length=500)


def _yes(value: str) -> bool:
    return value == "yes"


class ReceiptForm(PortalForm):
    """The deputy's receipt (回执) of a commitment the unit reports done."""

    accept = forms.TypedChoiceField(
        label=_("落实情况"),
        choices=[("yes", _("确认已落实")), ("no", _("尚未落实"))],
        coerce=_yes,
        initial="yes",
    )
    note = forms.CharField(label=_("意见"), required=False, max_length=500)


class OutcomeForm(PortalForm):
    outcome_type = forms.ChoiceField(
        label=_("办理成果"), choices=Suggestion.Outcome.choices
    )
    outcome_document = forms.CharField(
        label=_("成果文件名称或文号"), required=False, max_length=200
    )


class DisclosureForm(PortalForm):
    """The staff's review before a reply is published (答复公开): publish with
    each reply's text edited (personal data and third parties removed), or
    withhold with a reason."""

    publish = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("yes", _("公开")), ("no", _("不予公开"))],
        coerce=_yes,
        widget=forms.RadioSelect,
        initial="yes",
    )
    note = forms.CharField(
        label=_("说明（不予公开时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, replies, **kwargs):
        super().__init__(*args, **kwargs)
        self.replies = list(replies)
        for reply in self.replies:
            self.fields[f"text_{reply.pk}"] = forms.CharField(
                label=_("%(unit)s答复的公开文本")
                % {"unit": reply.assignment.unit.name},
                initial=reply.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def texts(self) -> dict[int, str]:
        """The edited public texts by reply id (the cleaned form's)."""
        return {
            reply.pk: self.cleaned_data.get(f"text_{reply.pk}", "")
            for reply in self.replies
            if self.cleaned_data.get(f"text_{reply.pk}", "").strip()
        }
