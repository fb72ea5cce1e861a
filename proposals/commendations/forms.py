"""Forms of the commendation pages (thin: the services check the rules)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import HandlingUnit
from portal.rules import rules_for
from portal.web import PortalForm
from stations.models import Station

from ..models import Suggestion
from .models import ZeroPerformanceStep

# A manual nomination lists at most this many candidates (the demo and a
# county fit; larger lists should search instead).
MAX_CHOICES = 300


class CampaignForm(PortalForm):
    congress = forms.ModelChoiceField(label=_("人民代表大会"), queryset=None)
    kind = forms.ChoiceField(label=_("表彰类别"), choices=())
    year = forms.IntegerField(label=_("评选年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    nomination_deadline = forms.DateField(label=_("推荐截止日期"))
    description = forms.CharField(
        label=_("评选说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        first = congresses.select_related("region").first()
        kinds = rules_for(first).commendation_kinds if first else {}
        self.fields["kind"].choices = [(k, gettext(v)) for k, v in kinds.items()]
        self.fields["year"].initial = timezone.localdate().year


class NominationForm(PortalForm):
    target = forms.ChoiceField(label=_("推荐对象"), choices=())
    reason = forms.CharField(
        label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["target"].choices = [
            (obj.pk, label) for obj, label in self._candidates()
        ]

    def _candidates(self):
        c = self.campaign
        if c.target == "mandate":
            rows = (
                Mandate.objects.filter(congress=c.congress)
                .active()
                .select_related("person")
            )
            return [(m, m.person.name) for m in rows[:MAX_CHOICES]]
        if c.target == "suggestion":
            rows = Suggestion.objects.filter(congress=c.congress, year=c.year).exclude(
                status__in=["draft", "withdrawn"]
            )
            return [(s, s.title) for s in rows.order_by("-id")[:MAX_CHOICES]]
        if c.target == "unit":
            rows = HandlingUnit.objects.filter(
                region__path__startswith=c.region_path
            ).order_by("name")
            return [(u, u.name) for u in rows[:MAX_CHOICES]]
        rows = Station.objects.active().filter(region_path__startswith=c.region_path)
        return [(s, s.name) for s in rows[:MAX_CHOICES]]

    def target_object(self):
        model = {
            "mandate": Mandate,
            "suggestion": Suggestion,
            "unit": HandlingUnit,
            "station": Station,
        }[self.campaign.target]
        return model.objects.get(pk=self.cleaned_data["target"])


class ReviewForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("通过")), ("reject", _("不予通过"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)


class ApproveForm(PortalForm):
    document_number = forms.CharField(
        label=_("表彰决定文号"),
        max_length=100,
        help_text=_("例如：湘源人大常发〔2026〕8号"),
    )
    approved_on = forms.DateField(label=_("批准日期"))


class CancelForm(PortalForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)


class ZeroStepForm(PortalForm):
    step = forms.ChoiceField(label=_("措施"), choices=ZeroPerformanceStep.Step.choices)
    held_on = forms.DateField(label=_("谈话日期"))
    held_by = forms.CharField(label=_("谈话人"), max_length=100)
    notes = forms.CharField(
        label=_("谈话情况"), widget=forms.Textarea(attrs={"rows": 4})
    )
