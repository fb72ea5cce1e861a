"""Forms of the network, assessment and governance pages (issue 17): input
shape only; the rules are the services'."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import HandlingUnit, Region
from portal.web import KeepsUploads, PortalForm

from ..forms import MandateMultipleChoiceField
from ..models import Opinion, Station, StationActivity, StationAssessment
from ..selectors import member_mandates


class PointForm(PortalForm):
    name = forms.CharField(label=_("联络点名称"), max_length=100)
    code = forms.CharField(label=_("站点编码"), max_length=30)
    tracking_prefix = forms.CharField(
        label=_("查询码前缀"), max_length=6, help_text=_("例如 THC")
    )
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        region = station.region
        self.fields["region"].queryset = Region.objects.filter(
            path__startswith=region.path, depth__lte=region.depth + 1
        ).order_by("depth", "name")
        self.fields["region"].initial = region.pk


class AssessmentCreateForm(PortalForm):
    year = forms.IntegerField(label=_("考评年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class AssessmentScoreForm(KeepsUploads, PortalForm):
    """One points field and one evidence field per checklist item."""

    evidence_file = forms.FileField(label=_("佐证材料（可不传）"), required=False)

    def __init__(self, *args, assessment: StationAssessment, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"score_{item['key']}"] = forms.IntegerField(
                label=item["label"],
                min_value=0,
                max_value=int(item["weight"]),
                required=False,
                initial=item["score"],
                help_text=_("满分%(n)s分") % {"n": item["weight"]},
            )
            self.fields[f"evidence_{item['key']}"] = forms.CharField(
                label=_("佐证"),
                required=False,
                max_length=500,
                initial=item["evidence"],
            )

    def rows(self):
        for item in self.items:
            yield item, self[f"score_{item['key']}"], self[f"evidence_{item['key']}"]

    def scores(self) -> dict[str, int]:
        return {
            item["key"]: self.cleaned_data[f"score_{item['key']}"]
            for item in self.items
            if self.cleaned_data.get(f"score_{item['key']}") is not None
        }

    def evidence(self) -> dict[str, str]:
        return {
            item["key"]: self.cleaned_data.get(f"evidence_{item['key']}", "")
            for item in self.items
        }


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ActivityForm(PortalForm):
    kind = forms.ChoiceField(label=_("活动类型"), choices=StationActivity.Kind.choices)
    date = forms.DateField(label=_("日期"))
    title = forms.CharField(label=_("主题"), max_length=200)
    deputies = MandateMultipleChoiceField(
        label=_("参加代表"),
        queryset=Mandate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.IntegerField(
        label=_("参加群众人数"), min_value=0, max_value=100000, initial=0
    )
    notes = forms.CharField(
        label=_("活动情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["deputies"].queryset = member_mandates(station)


class OpinionCodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Opinion) -> str:
        return f"{obj.tracking_code}（{obj.get_category_display()}）"


class MediationOpenForm(PortalForm):
    opinion = OpinionCodeChoiceField(
        label=_("关联群众意见"), queryset=Opinion.objects.none()
    )
    parties = forms.CharField(
        label=_("当事人"),
        max_length=200,
        help_text=_("多名当事人用顿号分隔，页面只显示姓氏"),
    )
    subject = forms.CharField(label=_("纠纷事由"), max_length=200)
    deputies = MandateMultipleChoiceField(
        label=_("参与调解代表"),
        queryset=Mandate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        # The last year's opinions of the station (a dispute is mediated soon).
        since = timezone.now() - timedelta(days=365)
        self.fields["opinion"].queryset = Opinion.objects.filter(
            station=station, created_at__gte=since
        ).order_by("-created_at", "-id")
        self.fields["deputies"].queryset = member_mandates(station)


class MediationCloseForm(PortalForm):
    success = forms.TypedChoiceField(
        label=_("调解结果"),
        choices=[("1", _("调解成功")), ("0", _("调解不成"))],
        coerce=lambda v: v == "1",
    )
    outcome = forms.CharField(
        label=_("结果说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "调解成功写明协议内容；调解不成写明告知当事人的途径（诉讼、仲裁等）"
        ),
    )


class SocialReportForm(PortalForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Opinion.Category.choices)
    content = forms.CharField(
        label=_("社情民意内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
    station = forms.ModelChoiceField(
        label=_("报送联络站"), queryset=Station.objects.none(), required=False
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        if not stations.exists():
            del self.fields["station"]


class AnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ForwardForm(PortalForm):
    unit = forms.ModelChoiceField(
        label=_("转送单位"), queryset=HandlingUnit.objects.none()
    )
    note = forms.CharField(label=_("转送说明"), required=False, max_length=500)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(
            region__path__startswith=congress.region.path
        ).order_by("name")
