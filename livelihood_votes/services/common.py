"""Helpers the livelihood services share: the phase change with its audit trail,
the rule lock, the deputy's mandate, the township government."""

from __future__ import annotations

from django.utils.translation import gettext as _

from deputies.models import Mandate
from deputies.services import ensure_mandate_can
from portal import workflow
from portal.models import Congress, HandlingUnit, User
from portal.services import (
    DomainError,
    Forbidden,
    audit_record,
)

from ..models import (
    PhaseEvent,
    Programme,
    VoteRound,
)


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
    return HandlingUnit.objects.filter(
        region_id=programme.congress.region_id,
        kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
    ).first()
