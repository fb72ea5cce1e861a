"""Public projections of the livelihood programmes (DESIGN.md §6, §9): the list by
township and year, a programme's candidates, results, progress and grades, and
an idea followed by its tracking code. Free text (descriptions, progress notes,
screening reasons) passes ``portal.privacy.scrub_public``, so the public page and
the anonymous API show the same scrubbed data."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Region
from portal.privacy import scrub_public

from ..models import (
    Candidate,
    EvaluationRound,
    Idea,
    Programme,
    ProgressReport,
    Project,
    RoundResult,
    SatisfactionCount,
    VoteRound,
)
from .common import (
    GRADE_BADGES,
    GRADE_LABELS,
    candidates_of,
    count_of,
    grade_badge,
    grade_label,
    majority_base_of,
    round_results,
    stepper,
)

P = Programme.Phase
PHOTOS_SHOWN = 3


def public_programmes(*, county: str = "", year: str = "") -> dict[str, Any]:
    """Programmes by township and year, newest first, filtered by county and year
    (the raw query values; unknown ones are ignored), with the filter choices.
    Names and counts only: there is no free text to scrub."""
    programmes = Programme.objects.select_related("congress__region__parent").annotate(
        candidate_count=count_of(
            Candidate.objects.filter(programme=OuterRef("pk")), "programme"
        ),
        project_count=count_of(
            Project.objects.filter(programme=OuterRef("pk")), "programme"
        ),
    )
    counties = list(
        Region.objects.filter(
            level=Region.Level.COUNTY,
            pk__in=Programme.objects.values("congress__region__parent_id"),
        ).order_by("path")
    )
    years = list(
        Programme.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    chosen_county = None
    if county.isdigit():
        chosen_county = next((c for c in counties if c.pk == int(county)), None)
        if chosen_county is not None:
            programmes = programmes.filter(region_path__startswith=chosen_county.path)
    chosen_year = None
    if year.isdigit() and int(year) in years:
        chosen_year = int(year)
        programmes = programmes.filter(year=chosen_year)
    return {
        "programmes": programmes.order_by("-year", "region_path", "id"),
        "counties": counties,
        "years": years,
        "county": chosen_county,
        "year": chosen_year,
    }


def public_round_results(vote_round: VoteRound) -> dict[str, Any]:
    """A closed round's result as the public sees it (page and anonymous API)."""
    return scrub_public(round_results(vote_round))


def receipt_counted(vote_round: VoteRound, receipt: str) -> bool:
    """Was a ballot with this receipt counted in the (closed) round?"""
    if not re.fullmatch(r"[0-9A-F]{1,16}", receipt):
        return False  # receipts are hex: anything else was never issued
    return vote_round.ballots.filter(receipt=receipt).exists()


def _public_candidate(candidate: Candidate) -> dict[str, Any]:
    return {
        "title": candidate.title,
        "estimated_cost": candidate.estimated_cost,
        "lead_unit": candidate.lead_unit.name if candidate.lead_unit else "",
        "description": candidate.description,
    }


def _public_project(
    project: Project, reports: list[ProgressReport], photos: list[ProgressReport]
) -> dict[str, Any]:
    latest = reports[0] if reports else None
    return {
        "pk": project.pk,
        "title": project.candidate.title,
        "status_label": project.get_status_display(),
        "grade_label": grade_label(project),
        "grade_badge": grade_badge(project),
        "carried_over": project.carried_over,
        "progress": project.progress,
        "budget": project.budget,
        "money_paid": project.money_paid,
        "implementing_unit": project.implementing_unit.name,
        "latest": {"date": latest.date, "note": latest.note} if latest else None,
        "photos": [
            {"pk": report.pk, "date": report.date} for report in photos[:PHOTOS_SHOWN]
        ],
    }


def public_programme(programme: Programme) -> dict[str, Any]:
    """One programme in public: candidates once published, results with
    aggregate counts after close, progress with photos, grades."""
    published = programme.phase not in Programme.UNPUBLISHED_PHASES
    candidates = list(candidates_of(programme)) if published else []
    results = [
        round_results(vote_round)
        | {"number": vote_round.number, "mode": vote_round.get_mode_display()}
        for vote_round in programme.rounds.filter(
            status=VoteRound.Status.CLOSED
        ).order_by("number")
    ]
    photos = ProgressReport.objects.exclude(photo="").order_by("-date", "-id")
    latest = ProgressReport.objects.order_by("-date", "-id")
    projects = programme.projects.select_related(
        "candidate", "implementing_unit"
    ).prefetch_related(
        Prefetch("reports", queryset=photos, to_attr="photo_reports"),
        Prefetch("reports", queryset=latest, to_attr="all_reports"),
    )
    projection = scrub_public(
        {
            "candidates": [_public_candidate(c) for c in candidates],
            "results": results,
            "projects": [
                _public_project(p, p.all_reports, p.photo_reports) for p in projects
            ],
        }
    )
    return {
        "programme": programme,
        "steps": stepper(programme.phase),
        "published": published,
        "collecting": programme.phase == P.COLLECTING,
        **projection,
    }


def public_project_get(pk: int) -> Project:
    """A public project (``ProjectQuerySet.public``) with what its page shows in
    the same query; 404 for any other."""
    return get_object_or_404(
        Project.objects.public().select_related(
            "candidate", "programme__congress__region__parent", "implementing_unit"
        ),
        pk=pk,
    )


def _public_vote(project: Project) -> list[dict[str, Any]]:
    """The project's count in each closed round it stood in: the aggregate the
    announcement publishes (approvals, deputies, seats), nothing of a ballot."""
    results = (
        RoundResult.objects.filter(
            candidate_id=project.candidate_id, round__status=VoteRound.Status.CLOSED
        )
        .select_related("round")
        .order_by("round__number")
    )
    return [
        {
            "number": r.round.number,
            "mode": r.round.get_mode_display(),
            "eligible": r.round.eligible,
            "present": r.round.present,
            "seats": r.round.seats,
            "majority_of": majority_base_of(r.round),
            "approvals": r.approvals,
            "selected": r.selected,
            "tied": r.tied,
        }
        for r in results
    ]


def _public_evaluation(project: Project) -> dict[str, Any] | None:
    """代表评 once the evaluation has closed (the grade is set then): the grade
    and the three counts; nothing before."""
    if not project.grade:
        return None
    count = (
        SatisfactionCount.objects.filter(
            project=project, round__status=EvaluationRound.Status.CLOSED
        )
        .select_related("round")
        .first()
    )
    if count is None:
        return None
    return {
        "grade": project.grade,
        "grade_label": grade_label(project),
        "grade_badge": grade_badge(project),
        "satisfied": count.satisfied,
        "basically_satisfied": count.basically_satisfied,
        "dissatisfied": count.dissatisfied,
        "eligible": count.round.eligible,
        "carried_over": project.carried_over,
        "rectification_due": project.rectification_due,
        "regrade_label": GRADE_LABELS.get(project.regrade, ""),
        "regrade_badge": GRADE_BADGES.get(project.regrade, "muted"),
    }


def public_project(project: Project) -> dict[str, Any]:
    """One adopted project in public (fetch it with ``public_project_get``): its
    description, congress, the vote's aggregate result, the implementing unit,
    every progress report (date, %, money, note, photo) and the deputies'
    evaluation once published. Free text passes the privacy scrub; who reported
    progress, ballots, receipts and sign-ins are never read."""
    programme = project.programme
    reports = ProgressReport.objects.filter(project=project).only(
        "id", "date", "progress", "money_paid", "note", "photo"
    )
    projection = scrub_public(
        {
            "pk": project.pk,
            "title": project.candidate.title,
            "description": project.candidate.description,
            "schedule": project.candidate.schedule,
            "status": project.status,
            "status_label": project.get_status_display(),
            "budget": project.budget,
            "money_paid": project.money_paid,
            "progress": project.progress,
            "start_date": project.start_date,
            "planned_end": project.planned_end,
            "implementing_unit": project.implementing_unit.name,
            "vote": _public_vote(project),
            "reports": [
                {
                    "pk": r.pk,
                    "date": r.date,
                    "progress": r.progress,
                    "money_paid": r.money_paid,
                    "note": r.note,
                    "has_photo": bool(r.photo),
                }
                for r in reports
            ],
            "evaluation": _public_evaluation(project),
        },
        keep=("pk", "status", "grade"),
    )
    return {
        "programme": programme,
        "congress": programme.congress,
        "project": projection,
    }


def public_photos() -> QuerySet[ProgressReport]:
    """Progress reports with a photo (public, like the progress itself)."""
    return ProgressReport.objects.exclude(photo="")


def idea_tracking(code: str) -> dict[str, Any] | None:
    """An idea followed by its tracking code: status and screening reason only."""
    idea = (
        Idea.objects.select_related("programme__congress")
        .only(
            "id",
            "tracking_code",
            "title",
            "status",
            "screening_reason",
            "created_at",
            "programme__id",
            "programme__year",
            "programme__phase",
            "programme__congress__id",
            "programme__congress__name",
        )
        .filter(tracking_code=code)
        .first()
    )
    if idea is None:
        return None
    return scrub_public(
        {
            "tracking_code": idea.tracking_code,
            "title": idea.title,
            "status": idea.status,
            "status_label": idea.get_status_display(),
            "screening_reason": idea.screening_reason,
            "created_at": idea.created_at,
            "programme": {
                "pk": idea.programme.pk,
                "year": idea.programme.year,
                "congress_name": idea.programme.congress.name,
            },
        },
        keep=("tracking_code", "status"),
    )
