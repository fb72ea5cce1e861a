"""The opinion inbox and an opinion's page with the closed-loop actions: one set
of pages for station staff (triage, assign, visit, close, convert), congress
staff and leaders of the region (read; staff act), and handling units (their
own opinions, reply). ``stations.policies.OpinionPolicy`` says who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal import web
from portal.personal_data import mark_personal_data
from portal.ratelimit import client_ip
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import Opinion
from ..policies import OpinionPolicy, works_with_stations


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Opinions in the user's scope, due first, with filters and counts per status."""
    user = request.user
    today = timezone.localdate()
    station_choices = selectors.inbox_station_choices(user, request.GET.get("station"))
    form = forms.OpinionFilterForm(request.GET, station_choices=station_choices)
    # A station out of scope or a made-up status: nothing, and the form says why.
    valid = form.is_valid()
    opinions, counts = selectors.inbox(
        user, form.cleaned_data if valid else None, today
    )
    status = form.cleaned_data.get("status", "") if valid else ""
    total = selectors.inbox_total(counts, status)
    page, page_range = web.paginate(request, opinions, count=total)
    return render(
        request,
        "stations/inbox.html",
        {
            "form": form,
            "rows": selectors.inbox_rows(page.object_list, today),
            "page_obj": page,
            "page_range": page_range,
            "status_counts": selectors.inbox_status_tabs(counts),
            "total": selectors.inbox_total(counts, None),
            "counted": counts is not None,
            "current_status": status,
            "unit_only": not works_with_stations(user),
            "show_station": len(station_choices) != 1,
        },
    )


@login_required
@require_GET
def my_opinions(request: HttpRequest) -> HttpResponse:
    """我收集的群众意见: a deputy's received opinions, their status and reply."""
    page, page_range = web.paginate(request, selectors.deputy_opinions(request.user))
    return render(
        request,
        "stations/deputy_opinions.html",
        {
            "rows": selectors.deputy_opinion_rows(page.object_list),
            "page_obj": page,
            "page_range": page_range,
        },
    )


def _get_opinion(request: HttpRequest, pk: int) -> Opinion:
    """An opinion the user sees (out of scope → 404)."""
    opinion = selectors.opinion_for_detail(request.user, pk)
    if opinion is None:
        raise Http404
    return opinion


# --- the loop actions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Action:
    """One closed-loop action: its form on the page, who may post it at all (the
    policy action; the state is the service's to refuse), the one service call
    and the success message."""

    form_key: str
    build_form: Callable[[Any, Opinion], django_forms.Form]
    permission: str
    perform: Callable[[Opinion, Any, dict[str, Any]], Any]
    success: Any


ACTIONS: dict[str, _Action] = {
    "triage": _Action(
        "triage_form",
        lambda data, o: forms.TriageForm(
            data,
            outcomes=Opinion.TRANSITIONS[o.status],
            forward_label=selectors.forward_label(selectors.handling_congress(o)),
        ),
        "manage",
        lambda o, user, d: services.opinion_triage(
            opinion=o, outcome=d["outcome"], note=d["note"], actor=user
        ),
        gettext_lazy("意见%(code)s已分流。"),
    ),
    "assign": _Action(
        "assign_form",
        lambda data, o: forms.AssignForm(
            data,
            units=selectors.assignable_units(o),
            forward_label=selectors.forward_label(selectors.handling_congress(o))
            if Opinion.Status.ESCALATED in Opinion.TRANSITIONS[o.status]
            else "",
        ),
        "manage",
        lambda o, user, d: services.opinion_assign(
            opinion=o,
            unit=d["unit"],
            due_date=d["due_date"],
            note=d["note"],
            actor=user,
        ),
        gettext_lazy("意见%(code)s已交办。"),
    ),
    "reply": _Action(
        "reply_form",
        lambda data, o: forms.ReplyForm(data),
        "answer",
        lambda o, user, d: services.opinion_reply(
            opinion=o, text=d["text"], publish=d["publish"], actor=user
        ),
        gettext_lazy("意见%(code)s的答复已提交。"),
    ),
    "visit": _Action(
        "visit_form",
        lambda data, o: forms.VisitForm(data),
        "manage",
        lambda o, user, d: services.opinion_visit(
            opinion=o, result=d["result"], note=d["note"], actor=user
        ),
        gettext_lazy("意见%(code)s的回访结果已登记。"),
    ),
    "close": _Action(
        "close_form",
        lambda data, o: forms.CloseForm(data),
        "manage",
        lambda o, user, d: services.opinion_close(
            opinion=o, note=d["note"], actor=user
        ),
        gettext_lazy("意见%(code)s已办结。"),
    ),
    "convert": _Action(
        "convert_form",
        lambda data, o: forms.ConvertForm(data, station=o.station),
        "manage",
        lambda o, user, d: services.opinion_convert(
            opinion=o, mandate=d["mandate"], note=d["note"], actor=user
        ),
        gettext_lazy("意见%(code)s已转为代表建议。"),
    ),
}


def _detail_context(
    request: HttpRequest,
    opinion: Opinion,
    *,
    revealed_phone: str = "",
    **bound_forms: Any,
) -> dict[str, Any]:
    """The opinion page, with a form for each action offered now (a bound one
    when it comes back with errors)."""
    context = selectors.opinion_detail(
        request.user, opinion, timezone.localdate(), revealed_phone=revealed_phone
    )
    for name, action in ACTIONS.items():
        if context[f"can_{name}"]:
            context[action.form_key] = bound_forms.get(
                action.form_key
            ) or action.build_form(None, opinion)
    context["open_form"] = next(iter(bound_forms), "")
    return context


@login_required
@require_GET
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _get_opinion(request, pk)
    return render(
        request, "stations/opinion_detail.html", _detail_context(request, opinion)
    )


@login_required
@require_POST
def opinion_reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The "显示完整号码" button: the service logs the reveal, the page shows the
    number (``Cache-Control: no-store``)."""
    opinion = _get_opinion(request, pk)
    phone = services.opinion_contact_reveal(
        actor=request.user, opinion=opinion, ip_address=client_ip(request)
    )
    mark_personal_data(request)
    return render(
        request,
        "stations/opinion_detail.html",
        _detail_context(request, opinion, revealed_phone=phone),
    )


@login_required
@require_GET
def opinion_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's photo, for staff who may see the opinion only."""
    opinion = _get_opinion(request, pk)
    if not opinion.photo:
        raise Http404
    response = FileResponse(opinion.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _action_view(name: str) -> Callable[..., HttpResponse]:
    """A POST action on an opinion: scope (404), permission (403), form, one service."""
    action = ACTIONS[name]

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        opinion = _get_opinion(request, pk)
        OpinionPolicy.require(request.user, action.permission, opinion)
        form = action.build_form(request.POST, opinion)
        if form.is_valid():
            try:
                action.perform(opinion, request.user, form.cleaned_data)
            except DomainError as exc:
                if exc.conflict:
                    messages.error(request, exc.message)
                    return redirect("stations:opinion", pk=opinion.pk)
                web.apply_service_error(form, exc)
            else:
                messages.success(
                    request, str(action.success) % {"code": opinion.tracking_code}
                )
                return redirect("stations:opinion", pk=opinion.pk)
        context = _detail_context(request, opinion, **{action.form_key: form})
        # The action may not be offered in this state: say so rather than lose the input.
        context.setdefault(action.form_key, form)
        return render(request, "stations/opinion_detail.html", context, status=400)

    view.__name__ = view.__qualname__ = f"opinion_{name}"
    view.__doc__ = f"POST the {name} action of an opinion."
    return view


opinion_triage = _action_view("triage")
opinion_assign = _action_view("assign")
opinion_reply = _action_view("reply")
opinion_visit = _action_view("visit")
opinion_close = _action_view("close")
opinion_convert = _action_view("convert")
