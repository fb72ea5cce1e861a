"""The deputy's own pages: 我的履职 and confirming attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.services import DomainError

from .. import forms, selectors, services


@login_required
@require_GET
def my_performance(request: HttpRequest) -> HttpResponse:
    """我的履职: per mandate, the year's ledger, points and rankings; activities to confirm."""
    user = request.user
    mandates = selectors.my_mandates(user)
    years = selectors.performance_years(mandates)
    year_form = forms.YearForm(
        request.GET if "year" in request.GET else None, years=years
    )
    year = (
        year_form.cleaned_data["year"]
        if year_form.is_bound and year_form.is_valid()
        else timezone.localdate().year
    )
    if not year_form.is_bound:
        year_form = forms.YearForm(initial={"year": year}, years=years)
    context = selectors.my_performance(user, mandates, year)
    return render(
        request, "deputies/my_performance.html", {**context, "year_form": year_form}
    )


@login_required
@require_POST
def attendance_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = selectors.own_attendance_get(request.user, pk)
    try:
        services.attendance_confirm(attendance=attendance, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已确认参加“%(title)s”。") % {"title": attendance.activity.title}
        )
    return redirect("deputies:my_performance")
