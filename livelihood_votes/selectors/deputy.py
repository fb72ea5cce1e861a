"""Read models of the deputies' pages: "我的票决" and where a deputy stands in a
round or an evaluation. Never what a deputy chose: only that they took part."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from deputies.models import Mandate

from ..models import (
    EvaluationAttendance,
    EvaluationParticipation,
    EvaluationRound,
    Participation,
    Programme,
    RoundAttendance,
    VoteRound,
)

MY_ROUNDS_SHOWN = 20


def my_votes(user) -> dict[str, Any]:
    """Open, coming (draft: signing in) and closed rounds and open or signing-in
    evaluations of the user's congresses (with whether they signed in and took part), and
    programmes under deliberation."""
    mandates = Mandate.objects.current().filter(person__user=user)
    congress_ids = mandates.values("congress_id")
    rounds = list(
        VoteRound.objects.filter(programme__congress_id__in=congress_ids)
        .select_related("programme__congress")
        .annotate(
            voted=Exists(
                Participation.objects.filter(round=OuterRef("pk"), mandate__in=mandates)
            ),
            signed_in=Exists(
                RoundAttendance.objects.filter(
                    round=OuterRef("pk"), mandate__in=mandates
                )
            ),
        )
        # open, then draft (signing in), then closed
        .order_by("-status", "-programme__year", "-number")[:MY_ROUNDS_SHOWN]
    )
    evaluations = list(
        EvaluationRound.objects.filter(
            programme__congress_id__in=congress_ids,
            status__in=[EvaluationRound.Status.DRAFT, EvaluationRound.Status.OPEN],
        )
        .select_related("programme__congress")
        .annotate(
            taken=Exists(
                EvaluationParticipation.objects.filter(
                    round=OuterRef("pk"), mandate__in=mandates
                )
            ),
            signed_in=Exists(
                EvaluationAttendance.objects.filter(
                    round=OuterRef("pk"), mandate__in=mandates
                )
            ),
        )
    )
    deliberating = list(
        Programme.objects.filter(
            congress_id__in=congress_ids, phase__in=Programme.DELIBERATION_PHASES
        )
        .select_related("congress")
        .order_by("-year")
    )
    return {
        "open_rounds": [r for r in rounds if r.status == VoteRound.Status.OPEN],
        "draft_rounds": [r for r in rounds if r.status == VoteRound.Status.DRAFT],
        "closed_rounds": [r for r in rounds if r.status == VoteRound.Status.CLOSED],
        "evaluations": evaluations,
        "deliberating": deliberating,
        "is_deputy": mandates.exists(),
    }


def has_voted(vote_round: VoteRound, mandate: Mandate) -> bool:
    """The deputy's participation row in the round exists (not what they chose)."""
    return Participation.objects.filter(round=vote_round, mandate=mandate).exists()


def has_evaluated(evaluation: EvaluationRound, mandate: Mandate) -> bool:
    """The deputy took part in the evaluation."""
    return EvaluationParticipation.objects.filter(
        round=evaluation, mandate=mandate
    ).exists()
