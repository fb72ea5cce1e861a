"""Forms of the organ-contact and 列席 pages (issue 16): input only; the rules
are the services' (``deputies.organ_services``)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, HandlingUnit
from portal.web import DateInput, PortalForm

from .models import Mandate
from .organ_models import ORGAN_KINDS, OrganContact


def _today() -> date:
    return timezone.localdate()


class _MandatesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Mandate) -> str:
        return obj.person.name


class _UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HandlingUnit) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


def _current_mandates(congress: Congress):
    return (
        Mandate.objects.filter(congress=congress, term__is_current=True)
        .active()
        .select_related("person")
        .order_by_name("stroke")
    )


class YearForm(PortalForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class PlanUnitForm(PortalForm):
    """Step one of a new plan: which organ (the deputies depend on it)."""

    unit = _UnitField(queryset=HandlingUnit.objects.none(), label=_("国家机关"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PlanForm(PortalForm):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, initial=lambda: _today().year
    )
    contacts_per_deputy = forms.IntegerField(
        label=_("每名代表每年联系次数"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("留空按本级人大规则集的规定。"),
    )
    note = forms.CharField(
        label=_("计划说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deputies = _MandatesField(queryset=Mandate.objects.none(), label=_("联系的代表"))

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = _current_mandates(congress)


class PlanDeputiesForm(PortalForm):
    deputies = _MandatesField(queryset=Mandate.objects.none(), label=_("联系的代表"))

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = _current_mandates(congress)


class ContactForm(PortalForm):
    kind = forms.ChoiceField(label=_("联系方式"), choices=OrganContact.Kind.choices)
    date = forms.DateField(label=_("日期"), initial=_today, widget=DateInput())
    subject = forms.CharField(label=_("主题"), max_length=200)
    summary = forms.CharField(
        label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=_("需跟进事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("代表提出、需要本机关跟进办理的事项；办结后登记跟进结果。"),
    )
    participants = _MandatesField(queryset=Mandate.objects.none(), label=_("参加代表"))

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _current_mandates(congress)


class ResultForm(PortalForm):
    result = forms.CharField(
        label=_("结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MeetingForm(PortalForm):
    congress = forms.ModelChoiceField(
        queryset=Congress.objects.none(), label=_("人民代表大会")
    )
    number = forms.IntegerField(label=_("会次"), min_value=1, max_value=999)
    date = forms.DateField(label=_("会议日期"), widget=DateInput())
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("会议议程"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class InviteForm(PortalForm):
    topic = forms.CharField(label=_("列席议题"), max_length=200)
    mandates = _MandatesField(queryset=Mandate.objects.none(), label=_("邀请的代表"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandates"].queryset = (
            Mandate.objects.filter(term=meeting.term)
            .active()
            .exclude(meeting_invitations__meeting=meeting)
            .select_related("person")
            .order_by_name("stroke")
        )


class RespondForm(PortalForm):
    accept = forms.TypedChoiceField(
        label=_("答复"),
        choices=[("1", _("接受邀请")), ("0", _("婉辞"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("婉辞理由"), max_length=200, required=False)


class MarkForm(PortalForm):
    attended = forms.TypedChoiceField(
        label=_("出席情况"),
        choices=[("1", _("已列席")), ("0", _("未到会"))],
        coerce=lambda v: v == "1",
    )


class OpinionForm(PortalForm):
    text = forms.CharField(
        label=_("代表意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class OpinionFollowUpForm(PortalForm):
    due_date = forms.DateField(label=_("办理期限"), widget=DateInput())
    unit = _UnitField(
        queryset=HandlingUnit.objects.none(),
        label=_("研究办理单位"),
        required=False,
        empty_label=_("由常委会工作机构跟踪"),
    )
    note = forms.CharField(label=_("跟踪要求"), required=False, max_length=2000)

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(
            region__path__startswith=congress.region.path,
            kind__in=ORGAN_KINDS,
            is_active=True,
        ).order_by("region__path", "name")
