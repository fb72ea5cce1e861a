"""Deputies' activity funds (代表活动经费): congress staff draft and approve the
budgets of their congress, deputy groups and stations, approve spending and
close the year; station staff record their station's spending. The list is
also the report: budget vs spent, per deputy, in 万元."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.services import DomainError

from .. import funds_services as services
from .. import incentive_forms as forms
from .. import incentive_selectors as selectors
from ..funds_models import FundBudget, FundSpending
from ..incentive_policies import FundPolicy, IncentiveDeskPolicy, acting_congresses


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    IncentiveDeskPolicy.require(request.user, "read_funds")
    year = _year(request)
    page, page_range = web.paginate(request, selectors.budgets(request.user, year))
    return render(
        request,
        "stations/funds/list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "year": year,
            "totals": selectors.fund_totals(request.user, year),
            "can_create": IncentiveDeskPolicy.allows(request.user, "create_budget"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    IncentiveDeskPolicy.require(request.user, "create_budget")
    return web.form_page(
        request,
        forms.BudgetForm(
            request.POST or None, congresses=acting_congresses(request.user)
        ),
        save=lambda data: services.budget_create(
            congress=data["congress"],
            year=data["year"],
            holder=data["holder"],
            group=data["group"],
            station=data["station"],
            amount_fen=forms.yuan_to_fen(data["amount_yuan"]),
            note=data["note"],
            actor=request.user,
        ),
        success=_("预算已编制。"),
        to=lambda budget: reverse("stations:fund_detail", args=[budget.pk]),
        template="stations/funds/form.html",
    )


def _budget(request: HttpRequest, pk: int) -> FundBudget:
    return get_object_or_404(
        selectors.budgets(request.user).select_related("congress__region"), pk=pk
    )


def _render(request, budget, status=200, spending_form=None) -> HttpResponse:
    context = selectors.budget_detail(request.user, budget)
    links = selectors.spending_links(budget)
    context["spending_form"] = spending_form or forms.SpendingForm(
        initial={"date": timezone.localdate()}, **links
    )
    context["decide_form"] = forms.DecideForm()
    return render(request, "stations/funds/detail.html", context, status=status)


@login_required
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _budget(request, pk))


def _budget_step(request, pk, service, done) -> HttpResponse:
    budget = _budget(request, pk)
    FundPolicy.require(request.user, "act", budget)
    return web.button_step(
        request,
        lambda: service(budget=budget, actor=request.user),
        done,
        "stations:fund_detail",
        pk=pk,
    )


@login_required
@require_POST
def fund_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _budget_step(request, pk, services.budget_approve, _("预算已批准。"))


@login_required
@require_POST
def fund_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _budget_step(request, pk, services.budget_close, _("预算已结算。"))


@login_required
@require_POST
def spending_create(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    FundPolicy.require(request.user, "manage", budget)
    form = forms.SpendingForm(request.POST, **selectors.spending_links(budget))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.spending_create(
                budget=budget,
                date=data["date"],
                amount_fen=forms.yuan_to_fen(data["amount_yuan"]) or 0,
                purpose=data["purpose"],
                activity=data["activity"],
                reception=data["reception"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("支出已登记，待审批。"))
            return redirect("stations:fund_detail", pk=pk)
    return _render(request, budget, status=400, spending_form=form)


@login_required
@require_POST
def spending_decide(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_object_or_404(
        FundSpending.objects.visible_to(request.user).select_related(
            "budget__congress"
        ),
        pk=pk,
    )
    budget = spending.budget
    FundPolicy.require(request.user, "act", budget)
    return web.form_step(
        request,
        forms.DecideForm(request.POST),
        lambda data: services.spending_decide(
            spending=spending,
            approve=data["decision"] == "approve",
            note=data["note"],
            actor=request.user,
        ),
        _("审批结果已记录。"),
        "stations:fund_detail",
        pk=budget.pk,
        invalid=_("请选择审批结果。"),
    )
