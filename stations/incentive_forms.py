"""Forms of the activity-fund and legislative-consultation pages (issue 17).
Money is typed in 元 (two decimals) and kept in fen by the services. The public
comment form is a ``portal.web.PublicSubmissionForm`` (honeypot, signed stamp,
the shared per-address rate limit ``portal.ratelimit.public_submission_allowed``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import DeputyGroup, Mandate
from portal.rules import rules_for
from portal.web import PortalForm, PublicSubmissionForm

from .consultation_models import DraftComment
from .funds_models import FundBudget
from .models import Station


def yuan_to_fen(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


class BudgetForm(PortalForm):
    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    holder = forms.ChoiceField(label=_("预算主体"), choices=FundBudget.Holder.choices)
    group = forms.ModelChoiceField(
        label=_("代表小组"), queryset=DeputyGroup.objects.none(), required=False
    )
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), required=False
    )
    amount_yuan = forms.DecimalField(
        label=_("预算金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("不填则按规则“代表活动经费标准”乘以覆盖代表人数计算。"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["year"].initial = timezone.localdate().year
        self.fields["group"].queryset = DeputyGroup.objects.filter(
            congress__in=congresses
        ).order_by("name")
        paths = [c.region.path for c in congresses[:20]]
        stations = Station.objects.none()
        for path in paths:
            stations |= Station.objects.filter(region_path__startswith=path)
        self.fields["station"].queryset = stations.order_by("region_path", "name")


class SpendingForm(PortalForm):
    date = forms.DateField(label=_("支出日期"))
    amount_yuan = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    purpose = forms.CharField(label=_("用途"), max_length=200)
    activity = forms.ModelChoiceField(
        label=_("关联履职活动"), queryset=None, required=False
    )
    reception = forms.ModelChoiceField(
        label=_("关联接待记录"), queryset=None, required=False
    )

    def __init__(self, *args, activities, receptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["reception"].queryset = receptions


class DecideForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("批准")), ("reject", _("退回"))],
    )
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


# --- legislative consultation ---------------------------------------------------------


class DraftForm(PortalForm):
    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None)
    title = forms.CharField(label=_("法规草案名称"), max_length=200)
    explanation = forms.CharField(
        label=_("起草说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = forms.CharField(
        label=_("草案全文"), widget=forms.Textarea(attrs={"rows": 10})
    )
    closes_on = forms.DateField(label=_("征求意见截止日期"))
    stations = forms.ModelMultipleChoiceField(
        label=_("基层立法联系点"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        stations = Station.objects.none()
        for c in congresses[:20]:
            stations |= Station.objects.active().filter(
                region_path__startswith=c.region.path
            )
        self.fields["stations"].queryset = stations.order_by("region_path", "name")


class CommentForm(PortalForm):
    """A comment a station records (from a reception or a deputy)."""

    station = forms.ModelChoiceField(label=_("联系点"), queryset=None)
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (DraftComment.Source.RECEPTION, DraftComment.Source.RECEPTION.label),
            (DraftComment.Source.DEPUTY, DraftComment.Source.DEPUTY.label),
        ],
    )
    reception = forms.ModelChoiceField(
        label=_("接待记录"), queryset=None, required=False
    )
    mandate = forms.ModelChoiceField(
        label=_("提出意见的代表"), queryset=None, required=False
    )
    article = forms.CharField(label=_("涉及条款"), max_length=50, required=False)
    content = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Reception

        ids = [s.pk for s in stations]
        self.fields["station"].queryset = Station.objects.filter(pk__in=ids)
        self.fields["reception"].queryset = Reception.objects.filter(
            station_id__in=ids
        ).order_by("-date", "-id")
        self.fields["mandate"].queryset = (
            Mandate.objects.filter(
                station_memberships__station_id__in=ids,
                station_memberships__end_date__isnull=True,
            )
            .select_related("person")
            .distinct()
        )


class CommentDecideForm(PortalForm):
    adoption = forms.ChoiceField(
        label=_("采纳情况"),
        choices=[
            c
            for c in DraftComment.Adoption.choices
            if c[0] != DraftComment.Adoption.PENDING
        ],
    )
    note = forms.CharField(label=_("采纳说明"), max_length=300, required=False)


class SummaryForm(PortalForm):
    summary = forms.CharField(
        label=_("意见汇总情况"), widget=forms.Textarea(attrs={"rows": 5})
    )


class FeedbackForm(PortalForm):
    feedback = forms.CharField(
        label=_("采纳情况说明"), widget=forms.Textarea(attrs={"rows": 5})
    )


class PublicCommentForm(PublicSubmissionForm):
    """A citizen's comment on a draft, sent to one of its stations."""

    signing_salt = "stations.draft_comment_form"
    rate_limit_scope = "draft_comment"

    station = forms.ModelChoiceField(label=_("提交到联系点"), queryset=None)
    author_name = forms.CharField(
        label=_("姓名（可不填）"), max_length=50, required=False
    )
    article = forms.CharField(
        label=_("涉及条款（可不填）"), max_length=50, required=False
    )
    content = forms.CharField(
        label=_("意见和建议"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, draft, **kwargs):
        self.draft = draft
        super().__init__(*args, scope_id=draft.pk, **kwargs)
        self.fields["station"].queryset = draft.stations.filter(status="active")

    def submissions_per_hour(self) -> int:
        return int(rules_for(self.draft.congress).public_submissions_per_hour)
