"""Congress staff's pages (leaders read them too): the list, the review queue
with register / return / reject / merge, the one-form assignment, the overdue
board with urges, extension and return decisions with reassignment, and the
callbacks of satisfied ratings."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.rules import rules_for
from portal.services import DomainError, TransitionError
from portal.workdays import add_months

from .. import forms, selectors, services
from ..models import Assignment, Evaluation, ExtensionRequest, ReturnRequest
from ..policies import AssignmentPolicy, DeskPolicy, SessionPolicy, SuggestionPolicy
from .common import detail_form_action, next_or, render_detail, suggestion_or_404

# --- the list and the review queue -------------------------------------------------


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """议案建议: everything submitted in the staff's or leader's region."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    form = forms.SuggestionFilterForm(
        request.GET or None,
        years=selectors.years_of(selectors.staff_suggestions_base(user)),
        congresses=selectors.staff_congresses(user),
        user=user,
    )
    if form.is_bound and not form.is_valid():
        queryset, count = selectors.staff_suggestions(user, None)[0].none(), 0
    else:
        queryset, count = selectors.staff_suggestions(
            user, form.cleaned_data if form.is_bound else None
        )
    page, page_range = web.paginate(request, queryset, count=count)
    return render(
        request,
        "proposals/manage.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.status_row(s) for s in page.object_list],
            "can_manage": DeskPolicy.allows(user, "act_on_staff_desk"),
            "can_record_presidium_bill": selectors.presidium_bill_sessions(
                user
            ).exists(),
        },
    )


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """审查: submitted items, oldest first."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    page, page_range = web.paginate(request, selectors.review_queue(user))
    return render(
        request,
        "proposals/review.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": [
                {
                    **selectors.status_row(s),
                    # Only the item's own congress acts; a congress above reads.
                    "can_register": SuggestionPolicy.allows(user, "register", s),
                    "can_bill_decide": SuggestionPolicy.allows(user, "bill_decide", s),
                }
                for s in page.object_list
            ],
            "can_manage": DeskPolicy.allows(user, "act_on_staff_desk"),
            "return_form": forms.ReasonForm(prefix="ret"),
            "reject_form": forms.ReasonForm(prefix="rej"),
        },
    )


@login_required
@require_GET
def assign_queue(request: HttpRequest) -> HttpResponse:
    """待交办: registered suggestions awaiting their assignment, oldest first,
    each with the date to assign it by and a suggested unit (issue 18)."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    page, page_range = web.paginate(request, selectors.assign_queue(user))
    return render(
        request,
        "proposals/assign_queue.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": selectors.assign_queue_rows(user, list(page.object_list)),
            "lookback_days": selectors.SUGGESTION_LOOKBACK_DAYS,
        },
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """立案; from the detail page on to the 待交办 queue, where it is assigned."""
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, "register", suggestion)
    try:
        registered = services.suggestion_register(
            suggestion=suggestion, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(next_or(request, reverse("proposals:detail", args=[pk])))
    if registered.kind != registered.Kind.SUGGESTION:
        messages.success(
            request,
            _("已立案，编号%(number)s。") % {"number": registered.number_display},
        )
        return redirect(next_or(request, reverse("proposals:detail", args=[pk])))
    messages.success(
        request,
        _("已立案，编号%(number)s。该件已进入“待交办”，请及时交办。")
        % {"number": registered.number_display},
    )
    return redirect(next_or(request, reverse("proposals:assign_queue")))


@login_required
@require_POST
def bill_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the presidium's decision on a bill."""
    return detail_form_action(
        request,
        pk,
        action="bill_decide",
        form_class=forms.BillDecisionForm,
        form_key="bill_decision_form",
        run=lambda s, data: services.bill_decide(
            suggestion=s, actor=request.user, **data
        ),
        done=lambda s: (
            _("已记录主席团决定：%(status)s。") % {"status": s.get_status_display()}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def presidium_bill(request: HttpRequest) -> HttpResponse:
    """记录主席团提出的议案: on the agenda at once (services.bills)."""
    user = request.user
    DeskPolicy.require(user, "act_on_staff_desk")
    form = forms.PresidiumBillForm(
        request.POST or None, sessions=selectors.presidium_bill_sessions(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = data.pop("session")
        SessionPolicy.require(user, "record_presidium_bill", session)
        try:
            bill = services.bill_submit_by_presidium(
                session=session, actor=user, **data
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已记录主席团提出的议案，编号%(number)s，已列入会议议程。")
                % {"number": bill.number_display},
            )
            return redirect("proposals:detail", pk=bill.pk)
    return render(
        request,
        "proposals/presidium_bill.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def bill_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the vote on a bill on the agenda."""
    return detail_form_action(
        request,
        pk,
        action="bill_result",
        form_class=forms.BillResultForm,
        form_key="bill_result_form",
        run=lambda s, data: services.bill_record_result(
            suggestion=s, result=data["result"], actor=request.user
        ),
        done=lambda s: (
            _("已记录表决结果：%(status)s。") % {"status": s.get_status_display()}
        ),
    )


@login_required
@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """转交上级人大办理."""
    return detail_form_action(
        request,
        pk,
        action="forward",
        form_class=forms.OptionalReasonForm,
        form_key="forward_form",
        run=lambda s, data: services.suggestion_forward(
            suggestion=s, note=data["reason"], actor=request.user
        ),
        done=lambda s: _("已转交%(name)s办理。") % {"name": s.handling_congress.name},
    )


def _reason_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    prefix: str,
    service: Callable,
    done: str,
    form_key: str,
) -> HttpResponse:
    """Return or refuse to register, with the reason the deputy reads."""
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, action, suggestion)
    form = forms.ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(
                suggestion=suggestion,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(next_or(request, reverse("proposals:detail", args=[pk])))
    return render_detail(request, suggestion, status=400, **{form_key: form})


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action="return",
        prefix="ret",
        service=services.suggestion_return,
        done=_("已退回代表修改。"),
        form_key="return_form",
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action="reject",
        prefix="rej",
        service=services.suggestion_reject,
        done=_("已作不予立案处理。"),
        form_key="reject_form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """并案: fold a duplicate into a similar one of the same congress and year."""
    user = request.user
    suggestion = suggestion_or_404(request, pk)
    # The form lists merge candidates: only for who may merge (GET too).
    SuggestionPolicy.require(user, "merge", suggestion)
    candidates = selectors.merge_candidates(user, suggestion)
    form = forms.MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        into = next(c for c in candidates if c.pk == form.cleaned_data["into"])
        try:
            services.suggestion_merge(suggestion=suggestion, into=into, actor=user)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已并入“%(title)s”，代表仍将收到该件的答复。")
                % {"title": into.title},
            )
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/merge.html",
        {
            "s": suggestion,
            "form": form,
            "candidates": candidates,
            "manager": SuggestionPolicy.manages(user, suggestion),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """交办 in one form: a lead unit with co-units, or split units, and the due date."""
    user = request.user
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(user, "assign", suggestion)
    if not SuggestionPolicy.allows(user, "assign", suggestion):
        messages.error(
            request,
            _("该%(kind)s当前状态为“%(status)s”，不能交办。")
            % {
                "kind": suggestion.get_kind_display(),
                "status": suggestion.get_status_display(),
            },
        )
        return redirect("proposals:detail", pk=pk)
    rules = rules_for(suggestion.congress)
    unit = request.GET.get("unit", "")  # the queue's suggested unit, preselected
    form = forms.AssignForm(
        request.POST or None,
        initial={"lead_unit": int(unit)} if unit.isdigit() else None,
        units=selectors.assignable_units(user, suggestion),
        default_due=add_months(timezone.localdate(), rules.assignment_due_months),
        due_months=rules.assignment_due_months,
        max_months=rules.extension_max_months,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_assign(
                suggestion=suggestion,
                units=form.unit_roles(),
                due_date=form.cleaned_data["due_date"],
                actor=user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            # The service's "units" (the three unit pickers) is no form field,
            # so it lands above them as a non-field error.
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已交办，承办单位将收到通知。"))
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/assign.html",
        {"s": suggestion, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- supervision: the overdue board, urges, requests -------------------------------


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """逾期督办: open assignments past their due date, grouped by unit."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    today = timezone.localdate()
    page, page_range = web.paginate(request, selectors.overdue_board(user, today))
    return render(
        request,
        "proposals/overdue.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.assignment_row(a, today) for a in page.object_list],
            "can_manage": DeskPolicy.allows(user, "act_on_staff_desk"),
            "urge_form": forms.UrgeForm(),
        },
    )


@login_required
@require_POST
def urge(request: HttpRequest, pk: int) -> HttpResponse:
    """催办 an assignment (congress staff or the lead deputy)."""
    user = request.user
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "suggestion__lead__person", "unit"
        ).visible_to(user),
        pk=pk,
    )
    AssignmentPolicy.require(user, "urge", assignment)
    form = forms.UrgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.urge_create(assignment=assignment, actor=user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已向%(unit)s发出催办。") % {"unit": assignment.unit.name}
        )
    return redirect(
        next_or(request, reverse("proposals:detail", args=[assignment.suggestion_id]))
    )


@login_required
@require_GET
def requests_(request: HttpRequest) -> HttpResponse:
    """延期与退办: pending extension and return requests, and returned parts to
    assign to another unit."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    tab = request.GET.get("tab")
    if tab not in selectors.REQUEST_TABS:
        tab = "extension"
    counts, queryset = selectors.requests_desk(user, tab)
    page, page_range = web.paginate(request, queryset)
    return render(
        request,
        "proposals/requests.html",
        {
            "tab": tab,
            "counts": counts,
            "page_obj": page,
            "page_range": page_range,
            "can_manage": DeskPolicy.allows(user, "act_on_staff_desk"),
            "decision_form": forms.DecisionForm(),
        },
    )


def _decide(
    request: HttpRequest,
    model: type,
    pk: int,
    service: Callable,
    done_yes: str,
    done_no: str,
) -> HttpResponse:
    user = request.user
    item = selectors.requests_to_decide(model, user).filter(pk=pk).first()
    if item is None:
        raise Http404
    AssignmentPolicy.require(user, "decide", item.assignment)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意。"))
    else:
        approve = form.cleaned_data["approve"]
        try:
            service(
                request=item,
                approve=approve,
                note=form.cleaned_data["note"],
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done_yes if approve else done_no)
    return redirect(next_or(request, reverse("proposals:requests")))


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        ExtensionRequest,
        pk,
        services.extension_decide,
        _("已同意延期，办理期限已更新。"),
        _("已不同意延期。"),
    )


@login_required
@require_POST
def return_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        ReturnRequest,
        pk,
        services.return_decide,
        _("已同意退办，请改交其他单位。"),
        _("已不同意退办，原单位继续办理。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """改交: after an approved return, give the part to another unit."""
    user = request.user
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "unit", "suggestion__congress__region", "suggestion__lead__person"
        ).visible_to(user),
        pk=pk,
    )
    suggestion = assignment.suggestion
    AssignmentPolicy.require(user, "reassign", assignment)
    form = forms.ReassignForm(
        request.POST or None, units=selectors.units_for_reassigning(user, assignment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_reassign(
                assignment=assignment, unit=form.cleaned_data["unit"], actor=user
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=suggestion.pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已改交%(unit)s。") % {"unit": form.cleaned_data["unit"].name},
            )
            return redirect("proposals:detail", pk=suggestion.pk)
    return render(
        request,
        "proposals/reassign.html",
        {"a": assignment, "s": suggestion, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- callbacks of satisfied ratings ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def callbacks(request: HttpRequest) -> HttpResponse:
    """满意度回访: sample satisfied ratings of a congress and year, record the calls."""
    user = request.user
    DeskPolicy.require(user, "read_staff_desk")
    sample_form = forms.CallbackSampleForm(
        request.POST or None, congresses=selectors.managed_congresses(user)
    )
    if request.method == "POST":
        DeskPolicy.require(user, "sample_callbacks")
        if sample_form.is_valid():
            data = sample_form.cleaned_data
            chosen = services.evaluations_sample_for_callback(
                congress=data["congress"],
                year=data["year"],
                size=data["size"],
                actor=user,
            )
            if chosen:
                messages.success(
                    request,
                    _("已抽取%(n)s件满意评价，请逐件回访并记录。") % {"n": len(chosen)},
                )
            else:
                messages.warning(request, _("没有可抽查的满意评价。"))
            return redirect(
                f"{reverse('proposals:callbacks')}?congress={data['congress'].pk}&year={data['year']}"
            )
    queryset = selectors.callbacks_desk(
        user, congress_id=request.GET.get("congress"), year=request.GET.get("year")
    )
    page, page_range = web.paginate(request, queryset)
    return render(
        request,
        "proposals/callbacks.html",
        {
            "sample_form": sample_form,
            "page_obj": page,
            "page_range": page_range,
            "can_manage": DeskPolicy.allows(user, "act_on_staff_desk"),
            "note_form": forms.CallbackNoteForm(),
            "findings": Evaluation.CallbackFinding.choices,
        },
        status=400 if sample_form.is_bound else 200,
    )


@login_required
@require_POST
def callback_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = selectors.evaluations_for_callback(user).filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    SuggestionPolicy.require(user, "record_callback", evaluation.suggestion)
    form = forms.CallbackNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择回访结论并填写回访情况。"))
    else:
        try:
            recorded = services.evaluation_record_callback(
                evaluation=evaluation,
                note=form.cleaned_data["note"],
                finding=form.cleaned_data["finding"],
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if recorded.callback_finding == recorded.CallbackFinding.NOT_SATISFIED:
                messages.warning(
                    request,
                    _(
                        "回访情况已记录：代表实际不满意，该评价已标记；"
                        "本级人大工作人员可以在详情页安排重新办理。"
                    ),
                )
            else:
                messages.success(request, _("回访情况已记录。"))
    return redirect(next_or(request, reverse("proposals:callbacks")))


@login_required
@require_POST
def rehandle_after_callback(request: HttpRequest, pk: int) -> HttpResponse:
    """重新办理 an item a callback found the deputy was not really satisfied with."""
    return detail_form_action(
        request,
        pk,
        action="rehandle_after_callback",
        form_class=forms.OptionalReasonForm,
        form_key="rehandle_form",
        run=lambda s, data: services.suggestion_rehandle_after_callback(
            suggestion=s, reason=data["reason"], actor=request.user
        ),
        done=lambda s: (
            _("已根据回访结果交承办单位重新办理（第%(n)s轮）。") % {"n": s.round}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    """答复公开: the staff review a reply before the public site shows it (public
    interest; personal data and third parties removed), or withhold it."""
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, "review_disclosure", suggestion)
    if not SuggestionPolicy.allows(request.user, "review_disclosure", suggestion):
        messages.info(request, _("该议案建议没有待审核公开的答复。"))
        return redirect("proposals:detail", pk=pk)
    replies = selectors.replies_awaiting_disclosure(suggestion)
    form = forms.DisclosureForm(
        request.POST if request.method == "POST" else None, replies=replies
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_review_disclosure(
                suggestion=suggestion,
                publish=form.cleaned_data["publish"],
                texts=form.texts(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("答复已公开。")
                if form.cleaned_data["publish"]
                else _("已决定不予公开。"),
            )
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/disclosure.html",
        {"s": suggestion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """办理一件、解决一类: staff record what the handling produced."""
    return detail_form_action(
        request,
        pk,
        action="record_outcome",
        form_class=forms.OutcomeForm,
        form_key="outcome_form",
        run=lambda s, data: services.suggestion_record_outcome(
            suggestion=s, actor=request.user, **data
        ),
        done=lambda _s: _("办理成果已记录。"),
    )
