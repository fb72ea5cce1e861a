"""Helpers the livelihood services share: the phase change with its audit trail,
the rule lock, the deputy's mandate, the township government, and the sign-in
(签到) of vote rounds and evaluations: the electorate, staff's attendance
record, the deputy's check-in with the hall code and the quorum."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from deputies.models import Mandate
from deputies.services import ensure_mandate_can
from portal import workflow
from portal.models import Congress, HandlingUnit, User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    Forbidden,
    TransitionError,
    audit_record,
)

from ..models import (
    PhaseEvent,
    Programme,
    SignIn,
    VoteRound,
)
from ..querysets import electorate


def _set_phase(programme: Programme, to_phase: str, actor, note: str = "") -> Programme:
    """Move the (locked) programme to ``to_phase`` through the one transition
    helper: idempotent, refused off the phase map, a PhaseEvent written."""
    from_phase = programme.phase
    if not workflow.transition(
        programme,
        to=to_phase,
        field="phase",
        actor=actor,
        event_model=PhaseEvent,
        event_fields={"programme": programme},
        refuse=_phase_refusal,
        note=note,
    ):
        return programme
    audit_record(
        actor=actor,
        action="programme.phase",
        target=programme,
        from_state=from_phase,
        to_state=to_phase,
        reason=note,
        region_path=programme.region_path,
    )
    return programme


def _phase_refusal(programme: Programme, to_phase: str) -> str:
    return _("当前阶段为“%(now)s”，不能进入“%(to)s”。") % {
        "now": programme.get_phase_display(),
        "to": Programme.Phase(to_phase).label,
    }


def _rounds_locked(programme: Programme) -> bool:
    return programme.rounds.exclude(status=VoteRound.Status.DRAFT).exists()


def _deputy_mandate(user: User, congress: Congress, action: str) -> Mandate:
    """The user's current mandate in ``congress``; refuse others (403) and inactive ones."""
    mandate = (
        Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .select_related("person")
        .first()
    )
    if mandate is None:
        raise Forbidden(_("只有本级人民代表大会的代表可以参加。"))
    try:
        ensure_mandate_can(mandate, action)
    except DomainError as exc:
        raise Forbidden(exc.message) from exc
    return mandate


def _township_government(programme: Programme) -> HandlingUnit | None:
    """The township government implements a township programme's projects that
    have no lead unit; county congresses and above name a lead unit for each."""
    if programme.congress.level != Congress.Level.TOWNSHIP:
        return None
    return HandlingUnit.objects.filter(
        region_id=programme.congress.region_id,
        kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
    ).first()


# --- sign-in (签到), shared by vote rounds and evaluations ------------------------------

# RoundAttendance or EvaluationAttendance (each a ``SignIn`` with a ``round``
# key to its own session table): typed loosely, the stubs cannot express "a
# SignIn subclass whose ``round`` is the session passed with it".
AttendanceModel = Any


def _new_check_in_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _electorate(programme: Programme) -> QuerySet[Mandate]:
    """Who votes on the programme (``querysets.electorate``)."""
    return electorate(programme)


def _record_attendance(
    *,
    attendance_model: AttendanceModel,
    session: Model,
    programme: Programme,
    mandates: list[Mandate],
) -> int:
    """签到 by staff for a (locked) round or evaluation: these deputies are
    present (idempotent); returns how many are signed in now. Only deputies of
    the congress with an active mandate can be signed in."""
    allowed = set(_electorate(programme).values_list("pk", flat=True))
    wrong = [m for m in mandates if m.pk not in allowed]
    if wrong:
        raise DomainError(
            (
                _("%(names)s不是本次会议表决的在任代表，不能签到。")
                if programme.subdistrict_id
                else _("%(names)s不是本级人民代表大会在任的代表，不能签到。")
            )
            % {"names": "、".join(m.person.name for m in wrong)},
            field="present",
        )
    manager = attendance_model._default_manager
    manager.bulk_create(
        [
            attendance_model(round=session, mandate=m, method=SignIn.Method.STAFF)
            for m in mandates
        ],
        ignore_conflicts=True,
    )
    return manager.filter(round=session).count()


def _check_in(
    *,
    attendance_model: AttendanceModel,
    session: Any,
    mandate: Mandate,
    code: str,
) -> bool:
    """The deputy signs in with the code on the hall screen (a wrong code →
    a field error; a deputy who does not vote on this programme, e.g. one
    elected in another sub-district → 403). Returns False when already signed
    in, True when now."""
    if not _electorate(session.programme).filter(pk=mandate.pk).exists():
        raise Forbidden(_("您不是本次会议表决的代表，不能签到。"))
    # Full-width digits typed on a phone count; anything else simply fails.
    typed = unicodedata.normalize("NFKC", code or "").strip().replace(" ", "")
    if not session.check_in_code or not secrets.compare_digest(
        typed.encode(), session.check_in_code.encode()
    ):
        raise DomainError(_("签到码不正确，请核对会场大屏上的签到码。"), field="code")
    _attendance, created = attendance_model._default_manager.get_or_create(
        round=session, mandate=mandate, defaults={"method": SignIn.Method.CODE}
    )
    return created


def _quorum(
    *,
    attendance_model: AttendanceModel,
    session: Model,
    programme: Programme,
    refusal: str,
) -> dict[str, Any]:
    """Count all deputies and the signed-in ones and check the quorum (rule:
    ``livelihood_quorum_numerator/denominator`` of all deputies, from the
    sign-in, never typed). ``refusal`` is the translated reason below quorum,
    with ``present``, ``eligible``, ``num`` and ``den`` placeholders. Returns the
    figures to lock into the session."""
    voters = _electorate(programme)
    eligible = voters.count()
    present = attendance_model._default_manager.filter(
        round=session, mandate__in=voters
    ).count()
    rules = rules_for(programme.congress)
    num, den = rules.livelihood_quorum_numerator, rules.livelihood_quorum_denominator
    if present * den < eligible * num:
        raise TransitionError(
            refusal % {"present": present, "eligible": eligible, "num": num, "den": den}
        )
    return {
        "eligible": eligible,
        "present": present,
        "quorum": f"{num}/{den}",
        "rules": rules,
    }


def _base_count(base: str, *, eligible: int, present: int) -> int:
    """The count a majority or a grade is judged against: all deputies (the
    legal default) or the deputies present (签到)."""
    return present if base == "present" else eligible
