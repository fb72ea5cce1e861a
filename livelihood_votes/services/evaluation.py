"""The deputies' evaluation (代表评): the secret satisfaction ballot, paper counts,
the grade, and rectification of a project graded 不满意."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Mandate
from portal.models import User
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
)

from ..models import (
    EvaluationParticipation,
    EvaluationRound,
    Programme,
    Project,
    SatisfactionBallot,
    SatisfactionCount,
    VoteRound,
)
from ..secrecy import shuffle_round
from ..selectors.common import grade
from .common import _deputy_mandate, _set_phase

P = Programme.Phase


def evaluation_open(
    *, programme: Programme, mode: str, actor: User | None
) -> EvaluationRound:
    """Open the deputies' satisfaction vote on this programme's projects."""
    programme.refresh_from_db()
    if mode not in VoteRound.Mode.values:
        raise DomainError(_("测评方式不正确。"), field="mode")
    if programme.phase != P.IMPLEMENTING:
        raise TransitionError(_("项目实施阶段才能组织代表测评。"))
    if hasattr(programme, "evaluation_round"):
        raise TransitionError(_("该计划已组织过代表测评。"))
    eligible = (
        Mandate.objects.current().active().filter(congress=programme.congress).count()
    )
    return EvaluationRound.objects.create(
        programme=programme, mode=mode, eligible=eligible
    )


def evaluation_cast(
    *, evaluation: EvaluationRound, actor: User, choices: dict[int, str]
) -> None:
    """One secret rating per project; the participation proves who took part."""
    with transaction.atomic():
        locked = (
            EvaluationRound.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=evaluation.pk)
        )
        if (
            locked.status != EvaluationRound.Status.OPEN
            or locked.mode != VoteRound.Mode.ELECTRONIC
        ):
            raise TransitionError(_("测评未在进行中。"))
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
        project_ids = set(locked.programme.projects.values_list("pk", flat=True))
        if set(choices) != project_ids:
            raise DomainError(_("请对每个项目作出评价。"), field="choices")
        if any(c not in SatisfactionBallot.Choice.values for c in choices.values()):
            raise DomainError(_("评价结果不正确。"), field="choices")
        try:
            with transaction.atomic():
                EvaluationParticipation.objects.create(round=locked, mandate=mandate)
        except IntegrityError as exc:
            raise TransitionError(_("您已经参加过本次测评。")) from exc
        SatisfactionBallot.objects.bulk_create(
            [
                SatisfactionBallot(round=locked, project_id=p, choice=c)
                for p, c in choices.items()
            ]
        )


def evaluation_enter_paper(
    *,
    evaluation: EvaluationRound,
    counts: dict[int, tuple[int, int, int]],
    actor: User | None,
) -> None:
    if evaluation.mode != VoteRound.Mode.PAPER:
        raise TransitionError(_("本次为电子测评。"))
    if evaluation.status != EvaluationRound.Status.OPEN:
        raise TransitionError(_("测评已结束，不能再录入票数。"))
    for project_id, (s, b, d) in counts.items():
        if s + b + d > evaluation.eligible:
            raise DomainError(_("测评票总数不能超过全体代表人数。"), field="counts")
        SatisfactionCount.objects.update_or_create(
            round=evaluation,
            project_id=project_id,
            defaults={"satisfied": s, "basically_satisfied": b, "dissatisfied": d},
        )


def evaluation_close(
    *, evaluation: EvaluationRound, actor: User | None
) -> EvaluationRound:
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status == EvaluationRound.Status.CLOSED:
            return locked
        if locked.mode == VoteRound.Mode.ELECTRONIC:
            tallies: dict[int, Counter] = {}
            for project_id, choice in locked.ballots.values_list(
                "project_id", "choice"
            ):
                tallies.setdefault(project_id, Counter())[choice] += 1
            for project_id in locked.programme.projects.values_list("pk", flat=True):
                t = tallies.get(project_id, Counter())
                SatisfactionCount.objects.update_or_create(
                    round=locked,
                    project_id=project_id,
                    defaults={
                        "satisfied": t["satisfied"],
                        "basically_satisfied": t["basically_satisfied"],
                        "dissatisfied": t["dissatisfied"],
                    },
                )
            # A deputy's ratings were inserted side by side with their
            # participation: rewrite both in random order (docs/ballot-secrecy.md).
            shuffle_round(
                ballot_model=SatisfactionBallot,
                participation_model=EvaluationParticipation,
                round_field="round",
                round_obj=locked,
                ballot_fields=("project_id", "choice"),
            )
        for count in locked.counts.select_related("project"):
            project = count.project
            project.grade = grade(
                count.satisfied, count.basically_satisfied, locked.eligible
            )
            project.save(update_fields=["grade"])
        locked.status, locked.closed_at = EvaluationRound.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _set_phase(locked.programme, P.EVALUATED, actor, _("代表测评结束"))
    return locked


def project_rectification_report(
    *, project: Project, report: str, actor: User | None
) -> Project:
    """The implementer reports how the 不满意 project was put right (整改情况)."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.grade != "dissatisfied" or locked.rectification_due is None:
            raise TransitionError(_("该项目没有整改要求。"))
        if locked.regrade:
            raise TransitionError(_("该项目整改后已再次测评。"))
        if not (report or "").strip():
            raise DomainError(_("请填写整改情况。"), field="report")
        locked.rectification_report = report.strip()
        locked.rectified_at = timezone.now()
        locked.save(update_fields=["rectification_report", "rectified_at"])
        audit_record(
            actor=actor,
            action="project.rectification_report",
            target=locked,
            region_path=locked.region_path,
        )
    return locked


def project_reevaluate(
    *,
    project: Project,
    satisfied: int,
    basically: int,
    dissatisfied: int,
    actor: User | None,
) -> Project:
    """The deputies evaluate a rectified project again (counts entered by staff);
    graded on the same bases as the first evaluation."""
    with transaction.atomic():
        locked = (
            Project.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=project.pk)
        )
        if locked.rectified_at is None:
            raise TransitionError(_("实施单位报告整改情况后才能再次测评。"))
        if locked.regrade:
            return locked
        eligible = (
            Mandate.objects.current()
            .active()
            .filter(congress=locked.programme.congress)
            .count()
        )
        if min(satisfied, basically, dissatisfied) < 0:
            raise DomainError(_("票数不能为负数。"), field="satisfied")
        if satisfied + basically + dissatisfied > eligible:
            raise DomainError(
                _("三项票数之和不能超过全体代表人数（%(n)s）。") % {"n": eligible},
                field="satisfied",
            )
        locked.regrade = grade(satisfied, basically, eligible)
        locked.save(update_fields=["regrade"])
        audit_record(
            actor=actor,
            action="project.reevaluate",
            target=locked,
            to_state=locked.regrade,
            data={
                "satisfied": satisfied,
                "basically": basically,
                "dissatisfied": dissatisfied,
                "eligible": eligible,
            },
            region_path=locked.region_path,
        )
    return locked


def project_rectify(
    *, project: Project, explanation: str, due: date, actor: User | None
) -> Project:
    """不满意: a written explanation and a rectification deadline; the project carries over."""
    if project.grade != "dissatisfied":
        raise DomainError(_("只有测评不满意的项目需要整改。"))
    if not (explanation or "").strip():
        raise DomainError(_("请填写书面说明。"), field="explanation")
    if due <= timezone.localdate():
        raise DomainError(_("整改期限应晚于今天。"), field="due")
    project.grade_explanation, project.rectification_due, project.carried_over = (
        explanation.strip(),
        due,
        True,
    )
    project.save(
        update_fields=["grade_explanation", "rectification_due", "carried_over"]
    )
    audit_record(
        actor=actor,
        action="project.rectify",
        target=project,
        region_path=project.region_path,
    )
    return project
