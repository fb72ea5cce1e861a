"""Key supervision (重点督办): congress staff set up an item of suggestions, the
leader who leads it and the staff plan supervision events ahead, record them
and evaluate the item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import KeySupervisionItem, PlannedSupervisionEvent
from ..policies import DeskPolicy, KeyItemPolicy


@login_required
@require_GET
def key_list(request: HttpRequest) -> HttpResponse:
    """重点督办 items in scope; a leader sees theirs first and can filter to them."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    mine_only = request.GET.get("mine") == "1"
    page, page_range = web.paginate(
        request, selectors.key_items(user, mine_only=mine_only)
    )
    return render(
        request,
        "proposals/key_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "mine_only": mine_only,
            "can_create": DeskPolicy.allows(user, "create_key_item"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    DeskPolicy.require(user, "create_key_item")
    form = forms.KeyItemForm(
        request.POST or None, **selectors.key_item_form_choices(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.key_item_create(
                congress=data["congress"],
                year=data["year"],
                title=data["title"],
                leader=data["leader"],
                suggestions=list(data["suggestions"]),
                plan=data["plan"],
                actor=user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("重点督办事项已确定。"))
            return redirect("proposals:key_detail", pk=item.pk)
    return render(
        request,
        "proposals/key_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _key_item(request: HttpRequest, pk: int) -> KeySupervisionItem:
    return get_object_or_404(
        selectors.key_items_for_detail().visible_to(request.user), pk=pk
    )


def _render_key(
    request: HttpRequest, item: KeySupervisionItem, status: int = 200, **bound: Form
) -> HttpResponse:
    context = selectors.key_item_detail(request.user, item)
    context.update(
        event_form=bound.get("event_form")
        or forms.SupervisionEventForm(initial={"date": context["today"]}),
        plan_form=bound.get("plan_form") or forms.PlannedEventForm(),
        evaluate_form=bound.get("evaluate_form") or forms.KeyEvaluateForm(item=item),
    )
    return render(request, "proposals/key_detail.html", context, status=status)


@login_required
@require_GET
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_key(request, _key_item(request, pk))


@login_required
@require_POST
def key_event(request: HttpRequest, pk: int) -> HttpResponse:
    item = _key_item(request, pk)
    KeyItemPolicy.require(request.user, "add_event", item)
    form = forms.SupervisionEventForm(request.POST)
    if form.is_valid():
        try:
            services.key_item_add_event(
                item=item, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("督办活动已记录。"))
            return redirect("proposals:key_detail", pk=pk)
    return _render_key(request, item, status=400, event_form=form)


@login_required
@require_POST
def key_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a supervision event on a later day (those who record events may)."""
    item = _key_item(request, pk)
    KeyItemPolicy.require(request.user, "add_event", item)
    form = forms.PlannedEventForm(request.POST)
    if form.is_valid():
        try:
            services.key_item_plan_event(
                item=item, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("督办活动已列入计划，将在活动前提醒。"))
            return redirect("proposals:key_detail", pk=pk)
    return _render_key(request, item, status=400, plan_form=form)


@login_required
@require_POST
def key_planned_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a planned supervision event of an item in scope."""
    planned = get_object_or_404(PlannedSupervisionEvent, pk=pk)
    item = _key_item(request, planned.item_id)
    KeyItemPolicy.require(request.user, "add_event", item)
    try:
        services.planned_event_cancel(planned=planned, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("计划的督办活动已取消。"))
    return redirect("proposals:key_detail", pk=item.pk)


@login_required
@require_POST
def key_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _key_item(request, pk)
    KeyItemPolicy.require(request.user, "evaluate", item)
    form = forms.KeyEvaluateForm(request.POST)
    if form.is_valid():
        try:
            services.key_item_evaluate(
                item=item,
                evaluation=form.cleaned_data["evaluation"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("督办评估已保存。"))
            return redirect("proposals:key_detail", pk=pk)
    return _render_key(request, item, status=400, evaluate_form=form)
