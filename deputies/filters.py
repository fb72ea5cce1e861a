"""The one filter set of the deputy list, shared by the HTML list, the Excel
export and the API (``deputies/``)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, Region, Term
from portal.web import choices
from portal.web.forms import (
    int_or_none,
    show_cached_options,
    show_nearby_congresses,
)

from .choices import ETHNICITY_CHOICES, Gender, Occupation
from .models import Delegation, DeputyGroup, Mandate


class MandateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名或代表证号"))
    level = django_filters.ChoiceFilter(
        field_name="congress__level", choices=Congress.Level.choices, label=_("层级")
    )
    congress = django_filters.ModelChoiceFilter(
        queryset=Congress.objects.all(), label=_("人民代表大会")
    )
    term = django_filters.ModelChoiceFilter(
        queryset=Term.objects.all(), label=_("届次")
    )
    status = django_filters.ChoiceFilter(
        choices=Mandate.Status.choices, label=_("状态")
    )
    group = django_filters.ModelChoiceFilter(
        field_name="groups", queryset=DeputyGroup.objects.all(), label=_("代表小组")
    )
    delegation = django_filters.ModelChoiceFilter(
        queryset=Delegation.objects.all(), label=_("代表团")
    )
    gender = django_filters.ChoiceFilter(
        field_name="person__gender", choices=Gender.choices, label=_("性别")
    )
    ethnicity = django_filters.ChoiceFilter(
        field_name="person__ethnicity", choices=ETHNICITY_CHOICES, label=_("民族")
    )
    occupation = django_filters.ChoiceFilter(
        field_name="person__occupation", choices=Occupation.choices, label=_("代表构成")
    )
    frontline = django_filters.BooleanFilter(
        field_name="person__is_frontline", label=_("一线代表")
    )
    current = django_filters.BooleanFilter(
        field_name="term__is_current", label=_("本届")
    )
    order = django_filters.ChoiceFilter(
        method="order_by_name",
        choices=[("stroke", _("按姓氏笔画")), ("pinyin", _("按拼音"))],
        label=_("排序"),
        empty_label=None,
    )

    class Meta:
        model = Mandate
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self._user = user
        if user is not None:
            # Choices limited to what the user may see, so nothing leaks in a <select>.
            congresses = Congress.objects.visible_to(user)
            self.filters["congress"].queryset = congresses
            self.filters["term"].queryset = Term.objects.filter(
                congress__in=congresses
            ).select_related("congress")
            self.filters["group"].queryset = DeputyGroup.objects.visible_to(user)
            self.filters["delegation"].queryset = Delegation.objects.filter(
                congress__in=congresses
            )

    def show_nearby_choices(self, form) -> None:
        """For the HTML list only: the congress <select> shows the nearby
        congresses (``portal.web.forms.show_nearby_congresses``), the term
        <select> the terms of the chosen congress, else of the user's own. Any
        value in scope still validates, so links to a township's list work."""
        if self._user is None:
            return
        # The filters' querysets are determined by the user (``__init__``).
        user = self._user
        top = show_nearby_congresses(
            form, "congress", self.filters["congress"].queryset, user=user
        )
        if top is None:
            return
        chosen = int_or_none(form.data.get(form.add_prefix("congress")))
        terms = self.filters["term"].queryset
        if chosen is not None:
            terms = terms.filter(congress_id=chosen)
        else:
            terms = terms.filter(congress__region__depth=top)
        chosen_term = int_or_none(form.data.get(form.add_prefix("term")))
        terms = (
            self.filters["term"]
            .queryset.filter(Q(pk__in=terms.values("pk")) | Q(pk=chosen_term))
            .order_by("congress__region__path", "-number")
        )
        form.fields["term"].widget.choices = [
            ("", form.fields["term"].empty_label or "")
        ] + choices.cached(
            terms,
            lambda terms: [(t.pk, str(t)) for t in terms],
            depends_on=[Congress, Region],
            extra=("term options", chosen, chosen_term, top),
            user=user,
        )
        for name in ("group", "delegation"):
            show_cached_options(form, name, depends_on=[Congress, Term], user=user)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def order_by_name(self, queryset, name, value):
        return queryset.order_by_name(value or "stroke")

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("order"):
            queryset = queryset.order_by_name("stroke")
        if self.form.cleaned_data.get("group"):
            queryset = queryset.distinct()
        return queryset
