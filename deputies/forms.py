"""Forms of the deputies' HTML pages.

Forms only parse and check input shape; rules (ID check digit, unique card
number, allowed transitions) live in ``deputies.services``, whose errors the
views put back onto these forms (``portal.web.apply_service_error``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.chinese import mask_id_number, mask_mobile
from portal.models import Congress, Session, Term
from portal.web import IMAGES, DateInput, KeepsUploads, PortalForm, validate_upload

from .choices import SuspensionGround, TerminationGround
from .models import (
    Activity,
    Attendance,
    Constituency,
    Delegation,
    DeputyGroup,
    Mandate,
    Person,
)
from .roster.parsing import MAX_UPLOAD_BYTES

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")
PHOTO_MAX_BYTES = 2 * 1024 * 1024


class FullExportForm(PortalForm):
    """A full export of the roster (mobiles, ID numbers) says why (PIPL 第六条:
    only what the purpose needs; the reason is written in the audit log)."""

    query = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("导出理由"),
        min_length=4,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "写明用途，例如“换届选举资格审查，报县人大常委会选举任免联络工委”。"
            "理由与导出的每一名代表一起记入访问日志。"
        ),
    )


class CongressChoiceForm(PortalForm):
    """GET form: pick the congress a new record belongs to."""

    congress = forms.ModelChoiceField(
        queryset=Congress.objects.none(),
        label=_("人民代表大会"),
        empty_label=_("请选择"),
    )

    def __init__(self, *args, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if congresses is not None:
            self.fields["congress"].queryset = congresses


# --- persons and mandates ----------------------------------------------------------

PERSON_FORM_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "employer",
    "post",
    "occupation",
    "is_frontline",
    "mobile",
    "id_number",
    "photo",
    "biography",
]


class PersonForm(PortalForm):
    """A person's data. Built from the model's fields (labels, choices, lengths)
    but not a ModelForm: uniqueness and ID/mobile rules are the services' job."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Person,
                fields=PERSON_FORM_FIELDS,
                widgets={
                    "birth_date": DateInput(),  # fields added after PortalForm's swap
                    "mobile": forms.TextInput(
                        attrs={
                            "type": "tel",
                            "inputmode": "numeric",
                            "autocomplete": "off",
                        }
                    ),
                    "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
                    "biography": forms.Textarea(attrs={"rows": 4}),
                    "photo": forms.ClearableFileInput(
                        attrs={"accept": ".jpg,.jpeg,.png"}
                    ),
                },
            )
        )
        for name, empty in (
            ("gender", _("请选择")),
            ("party", _("未填写")),
            ("education", _("未填写")),
        ):
            field = self.fields[name]
            field.choices = [("", empty), *(c for c in field.choices if c[0] != "")]
        self.fields["mobile"].help_text = _("11位大陆手机号码。")
        self.fields["id_number"].help_text = _("18位居民身份证号码。")
        self.fields["photo"].help_text = _("JPG 或 PNG 格式，不超过 2 MB。")
        self.fields["biography"].help_text = _("将在公开的代表名录中显示。")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload
            validate_upload(photo, kinds=IMAGES, max_bytes=PHOTO_MAX_BYTES)
        return photo

    def service_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``person_create``/``person_update``."""
        data = {k: v for k, v in self.cleaned_data.items() if k in PERSON_FORM_FIELDS}
        photo = data.pop("photo", None)
        if photo is False:  # "clear" ticked
            data["photo"] = ""
        elif photo and hasattr(photo, "content_type"):
            data["photo"] = photo
        return data


class PersonEditForm(PersonForm):
    """Edit a person. Mobile and ID number start empty (the page never sends
    the full values unasked); left empty, they stay unchanged."""

    def __init__(self, *args, person: Person, **kwargs):
        initial = model_to_dict(person, fields=PERSON_FORM_FIELDS)
        initial["mobile"] = ""
        initial["id_number"] = ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name, value, masked in (
            ("mobile", person.mobile, mask_mobile(person.mobile)),
            ("id_number", person.id_number, mask_id_number(person.id_number)),
        ):
            if value:
                self.fields[name].widget.attrs["placeholder"] = masked
                self.fields[name].help_text = _(
                    "当前为 %(masked)s；留空表示不修改。"
                ) % {"masked": masked}

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        for name in ("mobile", "id_number"):
            if not data.get(name):
                data.pop(name, None)
        return data


class MandateForm(PortalForm):
    """A mandate in a chosen congress: term, card number, constituency, delegation."""

    term = forms.ModelChoiceField(
        queryset=Term.objects.none(), label=_("届次"), empty_label=None
    )
    card_number = forms.CharField(label=_("代表证号"), max_length=30)
    constituency = forms.ModelChoiceField(
        queryset=Constituency.objects.none(),
        label=_("选区（选举单位）"),
        required=False,
        empty_label=_("未填写"),
    )
    electing_congress = forms.ModelChoiceField(
        queryset=Congress.objects.none(),
        label=_("原选举单位"),
        required=False,
        empty_label=_("未填写"),
        help_text=_("设区的市级以上代表：选出该代表的下一级人民代表大会。"),
    )
    elected_by_army = forms.BooleanField(
        label=_("由解放军选举单位选出"), required=False
    )
    delegation = forms.ModelChoiceField(
        queryset=Delegation.objects.none(),
        label=_("代表团"),
        required=False,
        empty_label=_("未编入代表团"),
    )
    elected_on = forms.DateField(label=_("当选日期"), required=False)

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        terms = congress.terms.order_by("-number")
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = _term_label
        current = next((t for t in terms if t.is_current), None)
        if current is not None:
            self.fields["term"].initial = current.pk
        self.fields["constituency"].queryset = congress.constituencies.order_by("name")
        if congress.level in (Congress.Level.COUNTY, Congress.Level.TOWNSHIP):
            # Directly elected: a constituency (选区), no electing unit.
            self.fields["constituency"].label = _("选区")
            del self.fields["electing_congress"]
            del self.fields["elected_by_army"]
        else:
            self.fields["electing_congress"].queryset = Congress.objects.filter(
                region__parent_id=congress.region_id
            ).order_by("region__path")
        if congress.level == Congress.Level.TOWNSHIP:
            del self.fields["delegation"]  # township congresses have no delegations
        else:
            self.fields["delegation"].queryset = Delegation.objects.filter(
                congress=congress, term__is_current=True
            ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        delegation, term = cleaned.get("delegation"), cleaned.get("term")
        if (
            delegation is not None
            and term is not None
            and delegation.term_id != term.pk
        ):
            self.add_error("delegation", _("代表团不属于所选届次。"))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        return {
            "congress": self.congress,
            "term": self.cleaned_data["term"],
            "card_number": self.cleaned_data["card_number"],
            "constituency": self.cleaned_data.get("constituency"),
            "electing_congress": self.cleaned_data.get("electing_congress"),
            "elected_by_army": bool(self.cleaned_data.get("elected_by_army")),
            "delegation": self.cleaned_data.get("delegation"),
            "elected_on": self.cleaned_data.get("elected_on"),
        }


def _term_label(term: Term) -> str:
    from portal.chinese import localized_numeral

    label = _("第%(number)s届") % {"number": localized_numeral(term.number)}
    if term.is_current:
        label = _("%(term)s（本届）") % {"term": label}
    return label


# --- qualification ---------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


class SuspendForm(PortalForm):
    ground = forms.ChoiceField(label=_("法定事由"), choices=SuspensionGround.choices)
    on = forms.DateField(label=_("暂停日期"), initial=_today)
    document_number = forms.CharField(
        label=_("文件编号"),
        max_length=100,
        required=False,
        help_text=_("例如：县人大常委会公告〔2026〕第3号"),
    )


class RestoreForm(PortalForm):
    on = forms.DateField(label=_("恢复日期"), initial=_today)
    document_number = forms.CharField(
        label=_("文件编号"), max_length=100, required=False
    )


class TerminateForm(PortalForm):
    ground = forms.ChoiceField(label=_("法定事由"), choices=TerminationGround.choices)
    on = forms.DateField(label=_("终止日期"), initial=_today)
    document_number = forms.CharField(
        label=_("公告编号"),
        max_length=100,
        help_text=_("例如：县人大常委会公告〔2026〕第3号"),
        error_messages={"required": _("代表资格终止须填写公告编号。")},
    )


# --- groups and delegations ---------------------------------------------------------------


class _MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mandate) -> str:
        return _("%(name)s（%(card)s）") % {
            "name": obj.person.name,
            "card": obj.card_number,
        }


class _MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Mandate) -> str:
        return obj.person.name


def _current_mandates(congress: Congress):
    return (
        Mandate.objects.filter(congress=congress, term__is_current=True)
        .active()
        .select_related("person")
        .order_by_name("stroke")
    )


class GroupForm(PortalForm):
    name = forms.CharField(label=_("小组名称"), max_length=100)
    kind = forms.ChoiceField(label=_("小组类型"), choices=DeputyGroup.Kind.choices)
    leader = _MandateChoiceField(
        queryset=Mandate.objects.none(),
        label=_("组长"),
        required=False,
        empty_label=_("暂不指定"),
    )
    annual_plan = forms.CharField(
        label=_("年度活动计划"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _current_mandates(congress)


class GroupMembersForm(PortalForm):
    mandates = _MandateMultipleChoiceField(
        queryset=Mandate.objects.none(),
        label=_("选择代表"),
        error_messages={"required": _("请至少选择一名代表。")},
    )

    def __init__(self, *args, group: DeputyGroup, **kwargs):
        super().__init__(*args, **kwargs)
        # Deputies of any level elected in or living in the group's region.
        self.fields["mandates"].queryset = (
            Mandate.objects.eligible_for_group(group)
            .filter(term__is_current=True)
            .active()
            .exclude(memberships__group=group)
            .select_related("person", "congress")
            .order_by_name("stroke")
        )

        def label(mandate: Mandate) -> str:
            if mandate.congress_id == group.congress_id:
                return mandate.person.name
            return _("%(name)s（%(congress)s）") % {
                "name": mandate.person.name,
                "congress": mandate.congress.name,
            }

        self.fields["mandates"].label_from_instance = label


class DelegationForm(PortalForm):
    term = forms.ModelChoiceField(
        queryset=Term.objects.none(), label=_("届次"), empty_label=None
    )
    name = forms.CharField(label=_("代表团名称"), max_length=100)
    head = _MandateChoiceField(
        queryset=Mandate.objects.none(),
        label=_("团长"),
        required=False,
        empty_label=_("暂不指定"),
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        terms = congress.terms.order_by("-number")
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = _term_label
        current = next((t for t in terms if t.is_current), None)
        if current is not None:
            self.fields["term"].initial = current.pk
        self.fields["head"].queryset = _current_mandates(congress)


# --- activities -------------------------------------------------------------------------


class ActivityFilterForm(PortalForm):
    """Filters of the activity list (GET)."""

    q = forms.CharField(label=_("主题"), required=False)
    congress = forms.ModelChoiceField(
        queryset=Congress.objects.none(),
        label=_("人民代表大会"),
        required=False,
        empty_label=_("全部"),
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[("", _("全部")), *Activity.Kind.choices],
    )
    review = forms.ChoiceField(
        label=_("审核状态"),
        required=False,
        choices=[("", _("全部")), *Activity.Review.choices],
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=1949, max_value=2100
    )

    def __init__(self, *args, congresses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if congresses is not None:
            self.fields["congress"].queryset = congresses

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"].strip():
            queryset = queryset.filter(title__contains=data["q"].strip())
        if data["congress"]:
            queryset = queryset.filter(congress=data["congress"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["review"]:
            queryset = queryset.filter(review_status=data["review"])
        if data["year"]:
            queryset = queryset.filter(date__year=data["year"])
        return queryset


class ActivityForm(PortalForm):
    field_order = [
        "kind", "title", "date", "location", "organiser", "group",
        "include_group_members", "session", "description", "participants",
    ]  # fmt: skip

    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    date = forms.DateField(label=_("日期"), initial=_today)
    group = forms.ModelChoiceField(
        queryset=DeputyGroup.objects.none(),
        label=_("代表小组"),
        required=False,
        empty_label=_("不属于小组活动"),
    )
    include_group_members = forms.BooleanField(
        label=_("邀请所选代表小组的全体成员"), required=False
    )
    organiser = forms.CharField(label=_("组织单位"), max_length=100, required=False)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    description = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    participants = _MandateMultipleChoiceField(
        queryset=Mandate.objects.none(), label=_("参加代表"), required=False
    )
    # issue 16: sessions — pre-session work of a session.
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        label=_("会前活动所属会议"),
        required=False,
        empty_label=_("不是会前活动"),
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        self.fields["group"].queryset = congress.deputy_groups.order_by("name")
        self.fields["session"].queryset = Session.objects.filter(
            term__congress=congress, term__is_current=True
        ).select_related("term__congress")
        self.fields["participants"].queryset = _current_mandates(congress)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("participants") and not (
            cleaned.get("include_group_members") and cleaned.get("group")
        ):
            raise ValidationError(_("请选择参加代表，或邀请所选代表小组的全体成员。"))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        participants = list(data.get("participants") or [])
        if data.get("include_group_members") and data.get("group"):
            chosen = {m.pk for m in participants}
            participants += [
                m
                for m in _current_mandates(self.congress).filter(
                    memberships__group=data["group"]
                )
                if m.pk not in chosen
            ]
        return {
            "congress": self.congress,
            "kind": data["kind"],
            "title": data["title"],
            "date": data["date"],
            "group": data.get("group"),
            "organiser": data["organiser"],
            "location": data["location"],
            "description": data["description"],
            "participants": participants,
            "session": data.get("session"),
        }


class AttendanceForm(forms.Form):
    """One status select per attendance row (``status_<id>``)."""

    def __init__(self, *args, attendances: list[Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for attendance in attendances:
            name = f"status_{attendance.pk}"
            self.fields[name] = forms.ChoiceField(
                label=attendance.mandate.person.name,
                choices=Attendance.Status.choices,
                initial=attendance.status,
            )
            self.rows.append((attendance, name))

    def changes(self) -> list[tuple[Attendance, str]]:
        """Rows whose status was changed."""
        return [
            (attendance, self.cleaned_data[name])
            for attendance, name in self.rows
            if self.cleaned_data[name] != attendance.status
        ]

    def bound_rows(self):
        return [(attendance, self[name]) for attendance, name in self.rows]


class ReviewForm(PortalForm):
    decision = forms.ChoiceField(
        choices=[("approve", _("审核通过")), ("return", _("退回"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时须说明理由。"),
    )


class EvidenceForm(KeepsUploads, PortalForm):
    file = forms.FileField(
        label=_("佐证材料"),
        help_text=_("PDF、JPG、PNG、DOCX 或 XLSX 文件，不超过 10 MB。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}
        ),
        error_messages={"required": _("请选择要上传的文件。")},
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_file(self):
        return validate_upload(
            self.cleaned_data["file"],
            kinds=EVIDENCE_KINDS,
            max_bytes=EVIDENCE_MAX_BYTES,
        )


# --- the deputy's own pages and the public directory ------------------------------------


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (y, _("%(year)s年") % {"year": y}) for y in years
        ]


class PublicCongressForm(forms.Form):
    congress = forms.ModelChoiceField(
        queryset=Congress.objects.order_by("region__path"),
        label=_("人民代表大会"),
        empty_label=_("请选择人民代表大会"),
        error_messages={
            "required": _("请选择人民代表大会。"),
            "invalid_choice": _("请选择人民代表大会。"),
        },
    )
    # issue 18: a name search within the congress's directory.
    q = forms.CharField(
        label=_("代表姓名"),
        required=False,
        max_length=20,
        error_messages={"max_length": _("姓名不能超过20个字。")},
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


def tidy_filter_form(form: forms.Form) -> forms.Form:
    """The deputy list's filter form (django-filter's) with labels above their
    inputs and Chinese empty choices ("全部") instead of dashes."""
    form.label_suffix = ""
    for name, field in form.fields.items():
        if name == "order":
            continue
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(
                choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]
            )
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("全部")
        elif isinstance(field, forms.ChoiceField):
            field.widget.choices = [("", _("全部"))] + [
                c for c in field.choices if c[0] != ""
            ]
    return form


# --- roster import ---------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(KeepsUploads, PortalForm):
    file = forms.FileField(
        label=_("名册文件"),
        help_text=_("Excel 工作簿（.xlsx），不超过 10 MB，第1行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
        error_messages={
            "required": _("请选择要上传的名册文件。"),
            "empty": _("上传的文件是空的。"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if (upload.name or "").lower().endswith(".xls"):  # the usual mistake, explained
            raise ValidationError(
                _(
                    "不支持旧版 .xls 文件，请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后上传。"
                )
            )
        return validate_upload(upload, kinds=("xlsx",), max_bytes=MAX_UPLOAD_BYTES)
