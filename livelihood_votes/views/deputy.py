"""Deputies' pages: "我的票决", the phone ballot, the evaluation ballot, and the
deliberation (代表议) where deputies comment and staff read by deputy group.

Ballot secrecy: after a ballot is cast nothing about the choice is kept — not
in the session, the URL (access logs) or a message. The receipt is rendered in
the POST response itself and never put in a URL (docs/ballot-secrecy.md).

Only deputies signed in (签到) for the round vote: the ballot page shows the
check-in form (the code on the hall screen) until they are.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.ratelimit import hit
from portal.services import DomainError, Forbidden

from .. import forms, selectors, services
from ..models import (
    Candidate,
    EvaluationRound,
    Programme,
    SatisfactionBallot,
    VoteRound,
)
from ..policies import CHECK_IN_ATTEMPTS, ProgrammePolicy, voter
from .common import deliberation_page, evaluation_for, forbidden, round_for


@login_required
@require_GET
def my_votes(request: HttpRequest) -> HttpResponse:
    """ "我的票决": open rounds and evaluations of the user's congresses, and
    programmes under deliberation."""
    return render(request, "livelihood/my_votes.html", selectors.my_votes(request.user))


def _check_in_context(session: VoteRound | EvaluationRound) -> dict[str, Any]:
    """The words and the form target of the shared check-in page."""
    if isinstance(session, VoteRound):
        return {
            "round": session,
            "subtitle": _("第%(n)s轮票决") % {"n": session.number},
            "action_url": reverse("livelihood:check_in", args=[session.pk]),
            "cast_hint": _("只有在会场签到的代表才能投票。"),
            "draft_hint": _("签到后，大会宣布开始投票时刷新本页即可投票。"),
            "paper_hint": _("本轮为纸质票表决：签到后请在会场填写纸质选票。"),
        }
    return {
        "evaluation": session,
        "subtitle": _("满意度测评"),
        "action_url": reverse("livelihood:evaluation_check_in", args=[session.pk]),
        "cast_hint": _("只有在会场签到的代表才能参加测评。"),
        "draft_hint": _("签到后，大会宣布开始测评时刷新本页即可测评。"),
        "paper_hint": _("本次为纸质票测评：签到后请在会场填写测评票。"),
    }


def _check_in_page(
    request: HttpRequest,
    session: VoteRound | EvaluationRound,
    *,
    form=None,
    status: int = 200,
) -> HttpResponse:
    """签到 before voting or rating: the code shown on the hall screen, on a
    numeric keypad (one template for rounds and evaluations)."""
    context = {
        "session": session,
        "programme": session.programme,
        "form": form or forms.CheckInForm(),
        **_check_in_context(session),
    }
    return render(request, "livelihood/check_in.html", context, status=status)


def _check_in_post(
    request: HttpRequest,
    session: VoteRound | EvaluationRound,
    *,
    check_in,
    ballot_url: str,
    closed_template: str,
) -> HttpResponse:
    """签到 with the hall's code (``check_in``: the round's or the evaluation's
    service), then back to the ballot; a wrong code: the form again with the
    reason; too many attempts per deputy, session and hour: 429."""
    mandate, reason = voter(request.user, session.programme.congress)
    if mandate is None:
        return forbidden(request, reason)
    form = forms.CheckInForm(request.POST)
    # The round's key is the API's too (one budget of attempts per round).
    key = f"{request.user.pk}:{session.pk}"
    if not isinstance(session, VoteRound):
        key = f"evaluation:{key}"
    if not hit(
        "livelihood.check_in",
        key,
        limit=CHECK_IN_ATTEMPTS,
    ):
        form.is_valid()
        form.add_error(
            None, _("签到码输错次数过多，请一小时后再试，或请工作人员为您签到。")
        )
        return _check_in_page(request, session, form=form, status=429)
    if form.is_valid():
        try:
            check_in(code=form.cleaned_data["code"], actor=request.user)
        except Forbidden as exc:
            return forbidden(request, exc.message)
        except DomainError as exc:
            if exc.conflict:
                return render(
                    request,
                    closed_template,
                    {
                        "round": session,
                        "evaluation": session,
                        "programme": session.programme,
                        "message": exc.message,
                    },
                    status=409,
                )
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("签到成功。"))
            return redirect(ballot_url)
    return _check_in_page(request, session, form=form, status=400)


def _ballot_state(
    request: HttpRequest, vote_round: VoteRound, mandate
) -> HttpResponse | None:
    """The page to show instead of the ballot: round closed, not signed in (the
    check-in form), not open yet, paper, already voted."""
    status = 200 if request.method == "GET" else 409
    context: dict[str, Any] = {"round": vote_round, "programme": vote_round.programme}
    if vote_round.status == VoteRound.Status.CLOSED:
        context["closed"] = True
        return render(request, "livelihood/vote_not_open.html", context, status=status)
    if not selectors.is_signed_in(vote_round, mandate):
        # Only signed-in deputies vote (ballot_cast refuses the others: 403).
        return _check_in_page(
            request, vote_round, status=200 if request.method == "GET" else 403
        )
    context["signed_in"] = True
    if vote_round.status != VoteRound.Status.OPEN:
        return render(request, "livelihood/vote_not_open.html", context, status=status)
    if vote_round.mode != VoteRound.Mode.ELECTRONIC:
        context["paper"] = True
        return render(request, "livelihood/vote_not_open.html", context, status=status)
    if selectors.has_voted(vote_round, mandate):
        return render(request, "livelihood/vote_done.html", context, status=status)
    return None


@login_required
@never_cache
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """签到 for a vote round with the hall's code, then back to the ballot."""
    vote_round = round_for(request, pk)
    return _check_in_post(
        request,
        vote_round,
        check_in=lambda **kw: services.round_check_in(vote_round=vote_round, **kw),
        ballot_url=reverse("livelihood:vote", args=[vote_round.pk]),
        closed_template="livelihood/vote_not_open.html",
    )


@login_required
@never_cache
@require_POST
def evaluation_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """签到 for an evaluation with the hall's code, then back to the ballot."""
    evaluation = evaluation_for(request, pk)
    return _check_in_post(
        request,
        evaluation,
        check_in=lambda **kw: services.evaluation_check_in(evaluation=evaluation, **kw),
        ballot_url=reverse("livelihood:evaluate", args=[evaluation.pk]),
        closed_template="livelihood/evaluate_not_open.html",
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone ballot: choose at most k, review, cast → a receipt, never the choice."""
    vote_round = round_for(request, pk)
    programme = vote_round.programme
    mandate, reason = voter(request.user, programme.congress)
    if mandate is None:
        return forbidden(request, reason)
    refusal = _ballot_state(request, vote_round, mandate)
    if refusal is not None:
        return refusal
    candidates = selectors.round_candidates(vote_round)
    context: dict[str, Any] = {
        "round": vote_round,
        "programme": programme,
        "candidates": candidates,
        "seats": vote_round.seats,
        "mandate": mandate,
    }
    if request.method == "GET":
        context.update(
            form=forms.BallotForm(candidates=candidates, seats=vote_round.seats)
        )
        context["selected"] = set()
        return render(request, "livelihood/vote.html", context)

    form = forms.BallotForm(request.POST, candidates=candidates, seats=vote_round.seats)
    context["form"] = form
    step = request.POST.get("step", "review")
    if not form.is_valid():
        context["selected"] = {
            int(v) for v in request.POST.getlist("approve") if str(v).isdigit()
        }
        return render(request, "livelihood/vote.html", context, status=400)
    approve = form.cleaned_data["approve"]
    context["selected"] = set(approve)
    if step == "edit":
        return render(request, "livelihood/vote.html", context)
    if step != "cast":
        context["chosen"] = [c for c in candidates if c.pk in approve]
        return render(request, "livelihood/vote_confirm.html", context)
    try:
        receipt = services.ballot_cast(
            vote_round=vote_round, actor=request.user, approve=approve
        )
    except Forbidden as exc:
        return forbidden(request, exc.message)
    except DomainError as exc:
        if exc.conflict:
            return _ballot_state(request, vote_round, mandate) or render(
                request,
                "livelihood/vote_not_open.html",
                context | {"message": exc.message},
                status=409,
            )
        web.apply_service_error(form, exc)
        return render(request, "livelihood/vote.html", context, status=400)
    # Rendered here, not redirected: the receipt must not travel in a URL.
    return render(
        request,
        "livelihood/vote_receipt.html",
        {"round": vote_round, "programme": programme, "receipt": receipt},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation ballot: 满意 / 基本满意 / 不满意 per project, secret."""
    evaluation = evaluation_for(request, pk)
    programme = evaluation.programme
    mandate, reason = voter(request.user, programme.congress)
    if mandate is None:
        return forbidden(request, reason)
    status = 200 if request.method == "GET" else 409
    context: dict[str, Any] = {"evaluation": evaluation, "programme": programme}
    closed = evaluation.status == EvaluationRound.Status.CLOSED
    if not closed and not selectors.is_signed_in(evaluation, mandate):
        # Only signed-in deputies rate (evaluation_cast refuses the others: 403).
        return _check_in_page(
            request, evaluation, status=200 if request.method == "GET" else 403
        )
    if closed or evaluation.mode != VoteRound.Mode.ELECTRONIC:
        context["paper"] = not closed
        return render(
            request, "livelihood/evaluate_not_open.html", context, status=status
        )
    if evaluation.status == EvaluationRound.Status.DRAFT:
        context["draft"] = True
        return render(
            request, "livelihood/evaluate_not_open.html", context, status=status
        )
    if selectors.has_evaluated(evaluation, mandate):
        return render(request, "livelihood/evaluate_done.html", context, status=status)
    projects = selectors.evaluation_projects(programme)
    if request.method == "GET":
        context["form"] = forms.EvaluationBallotForm(projects=projects)
        return render(request, "livelihood/evaluate.html", context)
    form = forms.EvaluationBallotForm(request.POST, projects=projects)
    context["form"] = form
    if not form.is_valid():
        return render(request, "livelihood/evaluate.html", context, status=400)
    step = request.POST.get("step", "review")
    if step == "edit":
        return render(request, "livelihood/evaluate.html", context)
    if step != "cast":
        labels = dict(SatisfactionBallot.Choice.choices)
        context["chosen"] = [
            (project, labels[form.cleaned_data[name]], form.cleaned_data[name])
            for project, name in form.project_fields
        ]
        return render(request, "livelihood/evaluate_confirm.html", context)
    try:
        services.evaluation_cast(
            evaluation=evaluation, actor=request.user, choices=form.choices()
        )
    except Forbidden as exc:
        return forbidden(request, exc.message)
    except DomainError as exc:
        if exc.conflict:
            return render(request, "livelihood/evaluate_done.html", context, status=409)
        web.apply_service_error(form, exc)
        return render(request, "livelihood/evaluate.html", context, status=400)
    return render(request, "livelihood/evaluate_receipt.html", context)


# --- deliberation (代表议) --------------------------------------------------------------


def _deliberation_access(request: HttpRequest, pk: int):
    """A published programme in scope (else 404) with the user's mandate in its
    congress; without one, only staff of the region may read (else 403)."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("congress__region"),
        pk=pk,
    )
    mandate = selectors.current_mandate(request.user, programme.congress)
    if mandate is None:
        ProgrammePolicy.require(request.user, "read_deliberation", programme)
    if programme.phase in Programme.UNPUBLISHED_PHASES:
        raise Http404
    return programme, mandate


@login_required
@require_GET
def deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    """Deputies comment on candidates; staff read them by deputy group and summarise."""
    programme, mandate = _deliberation_access(request, pk)
    return deliberation_page(request, programme, mandate)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's comment on a candidate (the service checks the mandate)."""
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related(
            "programme__congress__region"
        ),
        pk=pk,
    )
    programme = candidate.programme
    if programme.phase in Programme.UNPUBLISHED_PHASES:
        raise Http404
    form = forms.CommentForm(request.POST, prefix=f"c{candidate.pk}")
    if form.is_valid():
        try:
            services.deliberation_comment(
                candidate=candidate, actor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                return forbidden(request, exc.message)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("审议意见已提交。"))
            return redirect(
                reverse("livelihood:deliberation", args=[programme.pk])
                + f"#c{candidate.pk}"
            )
    mandate = selectors.current_mandate(request.user, programme.congress)
    return deliberation_page(
        request, programme, mandate, status=400, comment_forms={candidate.pk: form}
    )
