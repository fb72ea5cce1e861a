"""The filter set of the opinions API (``GET /api/v1/opinions/``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.api.fields import IdFilter

from .models import Opinion


class OpinionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Opinion.Status.choices)
    category = django_filters.ChoiceFilter(choices=Opinion.Category.choices)
    station = IdFilter(label=_("联络站"))
    current_unit = IdFilter(label=_("承办单位"))
    needs_supervision = django_filters.BooleanFilter(label=_("转人大督办"))
    congress = IdFilter(label=_("所属人大"))
    escalated_to = IdFilter(label=_("上报人大"))
    mine = django_filters.BooleanFilter(
        method="received_by_me", label=_("我收集的群众意见（代表）")
    )
    handled_here = django_filters.BooleanFilter(
        method="handled_by_me", label=_("本级办理的（本站或本级人大）")
    )

    class Meta:
        model = Opinion
        fields: list[str] = []

    def received_by_me(self, queryset, name, value):
        if value is None:
            return queryset
        mine = Opinion.objects.received_by(self.request.user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)

    def handled_by_me(self, queryset, name, value):
        if value is None:
            return queryset
        here = queryset.handled_by(self.request.user)
        return here if value else queryset.exclude(pk__in=here.values("pk"))
