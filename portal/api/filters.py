import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, HandlingUnit, Region, Session

from .fields import IdFilter


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    parent = IdFilter(field_name="parent_id", label=_("上级区划"))
    within = IdFilter(method="filter_within", label=_("某区划及其下级"))

    class Meta:
        model = Region
        fields = ["level", "code"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))

    def filter_within(self, queryset, name, value):
        region = Region.objects.filter(pk=value).first()
        return queryset.subtree(region) if region else queryset.none()


class CongressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="contains", label=_("搜索")
    )

    class Meta:
        model = Congress
        fields = ["level", "region"]


class SessionFilter(django_filters.FilterSet):
    congress = IdFilter(field_name="term__congress_id", label=_("人民代表大会"))
    current = django_filters.BooleanFilter(
        field_name="term__is_current", label=_("本届")
    )

    class Meta:
        model = Session
        fields = ["congress", "term"]


class HandlingUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="contains", label=_("搜索")
    )

    class Meta:
        model = HandlingUnit
        fields = ["kind", "region", "is_active"]
