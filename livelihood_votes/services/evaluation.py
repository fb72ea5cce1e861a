"""The deputies' evaluation (代表评): the secret satisfaction ballot, paper counts,
the grade, and rectification of a project graded 不满意."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Mandate
from portal.models import User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    Forbidden,
    TransitionError,
    audit_record,
)

from ..models import (
    EvaluationAttendance,
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
from .common import (
    _base_count,
    _check_in,
    _deputy_mandate,
    _electorate,
    _new_check_in_code,
    _quorum,
    _record_attendance,
    _set_phase,
)

P = Programme.Phase


def _lock(evaluation: EvaluationRound) -> EvaluationRound:
    return (
        EvaluationRound.objects.select_for_update()
        .select_related("programme__congress")
        .get(pk=evaluation.pk)
    )


def evaluation_create(
    *, programme: Programme, mode: str, actor: User | None
) -> EvaluationRound:
    """Set up the deputies' satisfaction vote on this programme's projects at
    the session: it starts with the sign-in (签到, status draft) and a code for
    the hall screen; ``evaluation_open`` starts the rating once the quorum is
    signed in."""
    if mode not in VoteRound.Mode.values:
        raise DomainError(_("测评方式不正确。"), field="mode")
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.phase != P.IMPLEMENTING:
            raise TransitionError(_("项目实施阶段才能组织代表测评。"))
        if EvaluationRound.objects.filter(programme=locked).exists():
            raise TransitionError(_("该计划已组织过代表测评。"))
        evaluation = EvaluationRound.objects.create(
            programme=locked,
            mode=mode,
            eligible=_electorate(locked).count(),
            check_in_code=_new_check_in_code(),
        )
        audit_record(
            actor=actor,
            action="evaluation.create",
            target=evaluation,
            to_state=evaluation.status,
            region_path=locked.region_path,
        )
    return evaluation


def evaluation_attendance_record(
    *, evaluation: EvaluationRound, mandates: list[Mandate], actor: User | None
) -> int:
    """签到 by staff for the evaluation (idempotent); returns how many are signed
    in now. Until the evaluation closes."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if locked.status == EvaluationRound.Status.CLOSED:
            raise TransitionError(_("测评已结束，不能再签到。"))
        count = _record_attendance(
            attendance_model=EvaluationAttendance,
            session=locked,
            programme=locked.programme,
            mandates=mandates,
        )
        audit_record(
            actor=actor,
            action="evaluation.attendance",
            target=locked,
            data={"mandates": sorted(m.pk for m in mandates)},
            region_path=locked.programme.region_path,
        )
        return count


def evaluation_check_in(*, evaluation: EvaluationRound, code: str, actor: User) -> bool:
    """A deputy signs in for the evaluation with the code on the hall screen.
    Returns False when already signed in (idempotent), True when signed in now."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if locked.status == EvaluationRound.Status.CLOSED:
            raise TransitionError(_("测评已结束，不能再签到。"))
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
        return _check_in(
            attendance_model=EvaluationAttendance,
            session=locked,
            mandate=mandate,
            code=code,
        )


def evaluation_open(
    *, evaluation: EvaluationRound, actor: User | None
) -> EvaluationRound:
    """Start the rating: count all deputies and the signed-in ones, check the
    quorum (from the sign-in, as for a vote round) and lock the rules (quorum,
    grading base). Ratings are accepted only from now on."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if locked.status == EvaluationRound.Status.OPEN:
            return locked
        if locked.status != EvaluationRound.Status.DRAFT:
            raise TransitionError(_("测评已结束。"))
        counted = _quorum(
            attendance_model=EvaluationAttendance,
            session=locked,
            programme=locked.programme,
            refusal=_(
                "已签到代表%(present)s人，不足全体代表%(eligible)s人的"
                "%(num)s/%(den)s，不能开始测评。"
            ),
        )
        locked.eligible, locked.present = counted["eligible"], counted["present"]
        locked.rules = {
            "eligible": counted["eligible"],
            "present": counted["present"],
            "quorum": counted["quorum"],
            "grade_base": counted["rules"].livelihood_grade_base,
            "projects": sorted(locked.programme.projects.values_list("pk", flat=True)),
        }
        locked.status, locked.opened_at = EvaluationRound.Status.OPEN, timezone.now()
        locked.save(
            update_fields=["eligible", "present", "rules", "status", "opened_at"]
        )
        audit_record(
            actor=actor,
            action="evaluation.open",
            target=locked,
            from_state="draft",
            to_state="open",
            data=locked.rules,
            region_path=locked.programme.region_path,
        )
    return locked


def evaluation_cast(
    *, evaluation: EvaluationRound, actor: User, choices: dict[int, str]
) -> None:
    """One secret rating per project; the participation proves who took part.
    Only a deputy signed in for the evaluation may rate (403 otherwise). As for
    ballots, nothing else is written (docs/ballot-secrecy.md)."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if (
            locked.status != EvaluationRound.Status.OPEN
            or locked.mode != VoteRound.Mode.ELECTRONIC
        ):
            raise TransitionError(_("测评未在进行中。"))
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
        if not EvaluationAttendance.objects.filter(
            round=locked, mandate=mandate
        ).exists():
            raise Forbidden(
                _("您尚未签到。请在会场签到（输入大屏上的签到码）后再参加测评。")
            )
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
    returned: int,
    counts: dict[int, tuple[int, int, int]],
    actor: User | None,
) -> EvaluationRound:
    """Tellers enter a paper evaluation: the ballots taken back (收回票数, at most
    the deputies signed in) and per project 满意 / 基本满意 / 不满意 (together at
    most the ballots taken back). Field errors when they do not add up."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if locked.mode != VoteRound.Mode.PAPER:
            raise TransitionError(_("本次为电子测评。"))
        if locked.status == EvaluationRound.Status.DRAFT:
            raise TransitionError(_("测评尚未开始，不能录入票数。"))
        if locked.status != EvaluationRound.Status.OPEN:
            raise TransitionError(_("测评已结束，不能再录入票数。"))
        signed_in = locked.attendances.filter(
            mandate__in=_electorate(locked.programme)
        ).count()
        errors: dict[str, list[str]] = {}
        if returned < 0:
            errors["returned"] = [_("收回票数不能为负数。")]
        elif returned > signed_in:
            errors["returned"] = [
                _("收回测评票%(returned)s张，多于已签到代表%(n)s人，请核对。")
                % {"returned": returned, "n": signed_in}
            ]
        projects = dict(
            locked.programme.projects.select_related("candidate").values_list(
                "pk", "candidate__title"
            )
        )
        if set(counts) != set(projects):
            errors["counts"] = [_("请录入每个项目的测评票数。")]
        else:
            over = [
                projects[pk]
                for pk, (s, b, d) in counts.items()
                if min(s, b, d) < 0 or s + b + d > returned
            ]
            if over:
                errors["counts"] = [
                    _(
                        "%(titles)s的满意、基本满意、不满意票数之和超过收回票数"
                        "（%(returned)s张），请核对。"
                    )
                    % {
                        "titles": "、".join(f"“{t}”" for t in over),
                        "returned": returned,
                    }
                ]
        if errors:
            raise ValidationError(errors)
        locked.ballots_returned = returned
        locked.save(update_fields=["ballots_returned"])
        for project_id, (s, b, d) in counts.items():
            SatisfactionCount.objects.update_or_create(
                round=locked,
                project_id=project_id,
                defaults={"satisfied": s, "basically_satisfied": b, "dissatisfied": d},
            )
        audit_record(
            actor=actor,
            action="evaluation.paper_counts",
            target=locked,
            data={
                "returned": returned,
                "counts": {str(k): list(v) for k, v in counts.items()},
            },
            region_path=locked.programme.region_path,
        )
    return locked


def evaluation_close(
    *, evaluation: EvaluationRound, actor: User | None
) -> EvaluationRound:
    """Close the evaluation and grade each project against the base the rules
    locked at open (all deputies, or those signed in by the close). Electronic
    ratings are counted, then ratings and participations are re-inserted in a
    random order (docs/ballot-secrecy.md)."""
    with transaction.atomic():
        locked = _lock(evaluation)
        if locked.status == EvaluationRound.Status.CLOSED:
            return locked
        if locked.status != EvaluationRound.Status.OPEN:
            raise TransitionError(_("测评尚未开始。"))
        signed_in = locked.attendances.filter(
            mandate__in=_electorate(locked.programme)
        ).count()
        if locked.mode == VoteRound.Mode.ELECTRONIC:
            tallies: dict[int, Counter] = {}
            for project_id, choice in locked.ballots.values_list(
                "project_id", "choice"
            ):
                tallies.setdefault(project_id, Counter())[choice] += 1
            taken = locked.participations.count()
            if any(sum(t.values()) != taken for t in tallies.values()):
                raise DomainError(_("测评票数与参加测评人数不一致，请核查。"))
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
        elif locked.ballots_returned is None:
            raise DomainError(_("请先录入纸质测评票数。"))
        base_kind = locked.rules.get("grade_base", "all")
        base = _base_count(base_kind, eligible=locked.eligible, present=signed_in)
        for count in locked.counts.select_related("project"):
            project = count.project
            project.grade = grade(count.satisfied, count.basically_satisfied, base)
            project.save(update_fields=["grade"])
        locked.rules = {**locked.rules, "signed_in": signed_in, "grade_of": base}
        locked.status, locked.closed_at = EvaluationRound.Status.CLOSED, timezone.now()
        locked.save(update_fields=["rules", "status", "closed_at"])
        _set_phase(locked.programme, P.EVALUATED, actor, _("代表测评结束"))
        audit_record(
            actor=actor,
            action="evaluation.close",
            target=locked,
            from_state="open",
            to_state="closed",
            region_path=locked.programme.region_path,
        )
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
        eligible = _electorate(locked.programme).count()
        if min(satisfied, basically, dissatisfied) < 0:
            raise DomainError(_("票数不能为负数。"), field="satisfied")
        if satisfied + basically + dissatisfied > eligible:
            raise DomainError(
                _("三项票数之和不能超过全体代表人数（%(n)s）。") % {"n": eligible},
                field="satisfied",
            )
        # The second evaluation has no sign-in of its own: with the base
        # "present", the ballots entered stand for the deputies present.
        base_kind = rules_for(locked.programme.congress).livelihood_grade_base
        base = _base_count(
            base_kind,
            eligible=eligible,
            present=satisfied + basically + dissatisfied,
        )
        locked.regrade = grade(satisfied, basically, base)
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
                "grade_base": base_kind,
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
