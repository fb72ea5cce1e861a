"""Bills (议案) decided by the presidium, and forwarding a suggestion up.

A bill is not handled by a unit. The presidium (主席团) of the congress's session
decides (地方各级人民代表大会和地方各级人民政府组织法 第二十四条; 全国人民代表大会
组织法 第十六条; 代表法 第九条):

- put it on the agenda (列入会议议程) → ``on_agenda``; it is deliberated and put to
  the vote → ``adopted`` / ``not_adopted``; the lead deputy may withdraw it before
  the vote (代表法 第九条 is silent on withdrawal; the rules of procedure allow it,
  e.g. 湖南省人民代表大会议事规则: 列入会议议程的议案，在交付大会表决前，提案人要求
  撤回的，经主席团同意，会议对该议案的审议即行终止);
- refer it first to a special committee (先交有关的专门委员会审议、提出报告) where the
  congress has them → ``committee_review``, then decide again;
- not put it on the agenda: it is then handled as a suggestion (代表法 第十条 and
  the rules of procedure: 不列入会议议程的，作为代表建议处理). The same record becomes a
  suggestion and keeps its history.

The staff of the bill's own congress record the presidium's decision; staff of a
congress above only read (levels have no leadership relation).

Forwarding up: a township suggestion on a county matter is forwarded by the
township's staff to the county congress, which assigns it to county units; the
reply returns to the township deputy, who rates it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.models import Congress, Role, Sequence, Session, User
from portal.notification_text import Message
from portal.rules import rules_for
from portal.services import DomainError, TransitionError

from ..models import Suggestion
from .common import S, _award_registration, _event, _lock, _move, _notify

D = Suggestion.BillDecision


def _require_bill(suggestion: Suggestion) -> None:
    if suggestion.kind != Suggestion.Kind.BILL:
        raise TransitionError(_("只有议案由主席团决定是否列入会议议程。"))


def bill_submit_by_presidium(
    *,
    session: Session,
    title: str,
    problem: str,
    analysis: str,
    proposals: str,
    category: str = Suggestion.Category.OTHER,
    document_number: str = "",
    note: str = "",
    actor: User | None,
    now: datetime | None = None,
) -> Suggestion:
    """Record a bill the session's presidium submits (大会主席团提出的议案).

    The presidium submits it to the congress itself: it goes on the agenda at
    once and is deliberated by the delegations, then put to the vote (全国人民代表
    大会议事规则 第二十二条: 主席团提出的议案，由主席团交各代表团审议后提交大会表决;
    地方组织法 第二十二条 lists the presidium among the bodies that may submit).
    It has no lead deputy and no co-signers, so no co-signer threshold applies and
    no deputy's ledger is credited. Only while the session is not over."""
    if category not in Suggestion.Category.values:
        raise DomainError(_("类别不正确。"), field="category")
    texts = {
        "title": (title or "").strip(),
        "problem": (problem or "").strip(),
        "analysis": (analysis or "").strip(),
        "proposals": (proposals or "").strip(),
    }
    for field, value in texts.items():
        if not value:
            raise DomainError(_("该字段是必填项。"), field=field)
    if len(texts["title"]) > (Suggestion._meta.get_field("title").max_length or 200):
        raise DomainError(_("标题不能超过200个字。"), field="title")
    now = now or timezone.now()
    if timezone.localdate(now) > session.end_date:
        raise DomainError(_("会议已经闭幕，主席团不能再提出议案。"), field="session")
    congress = session.term.congress
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=Suggestion.Kind.BILL,
            proposer=Suggestion.Proposer.PRESIDIUM,
            congress=congress,
            term=session.term,
            session=session,
            year=session.start_date.year,
            category=category,
            lead=None,
            delegation=None,
            region_path=congress.region.path,
            created_by=actor,
            status=S.DRAFT,
            **texts,
        )
        _event(suggestion, "create", actor, to_status=S.DRAFT)
        _move(suggestion, S.SUBMITTED, actor, action="submit", submitted_at=now)
        number = Sequence.take(
            f"suggestion:{congress.pk}:{suggestion.year}:{Suggestion.Kind.BILL}"
        )
        _move(
            suggestion,
            S.ON_AGENDA,
            actor,
            action="bill_agenda",
            note=(note or "").strip(),
            number=number,
            registered_at=now,
            bill_decision=D.AGENDA,
            bill_decision_note=(note or "").strip(),
            bill_document_number=(document_number or "").strip()[:100],
            bill_decided_at=now,
        )
    return suggestion


def bill_decide(
    *,
    suggestion: Suggestion,
    decision: str,
    note: str = "",
    document_number: str = "",
    actor: User | None,
) -> Suggestion:
    """Record the presidium's decision on a submitted (or committee-reviewed) bill."""
    if decision not in D.values:
        raise DomainError(_("决定不正确。"), field="decision")
    note = (note or "").strip()
    document_number = (document_number or "").strip()[:100]
    with transaction.atomic():
        locked = _lock(suggestion)
        _require_bill(locked)
        rules = rules_for(locked.congress)
        if decision == D.COMMITTEE and not rules.bill_committee_review:
            raise DomainError(
                _("本级人民代表大会未设专门委员会，主席团不能先交专门委员会审议。"),
                field="decision",
            )
        if decision == D.NOT_AGENDA and locked.by_presidium:
            raise DomainError(
                _("主席团提出的议案由主席团提交大会审议，不作为代表建议处理。"),
                field="decision",
            )
        if decision == D.COMMITTEE and locked.status == S.COMMITTEE_REVIEW:
            raise TransitionError(_("该议案已在专门委员会审议，请记录主席团的决定。"))
        changes = {
            "bill_decision": decision,
            "bill_decision_note": note,
            "bill_document_number": document_number,
            "bill_decided_at": timezone.now(),
        }
        if decision == D.AGENDA:
            number = locked.number or Sequence.take(
                f"suggestion:{locked.congress_id}:{locked.year}:{locked.kind}"
            )
            moved = _move(
                locked,
                S.ON_AGENDA,
                actor,
                action="bill_agenda",
                note=note,
                number=number,
                registered_at=locked.registered_at or timezone.now(),
                **changes,
            )
            if moved:
                _award_registration(locked, actor)
        elif decision == D.COMMITTEE:
            _move(
                locked,
                S.COMMITTEE_REVIEW,
                actor,
                action="bill_committee",
                note=note,
                **changes,
            )
        else:
            _to_suggestion(locked, note=note, changes=changes, actor=actor)
    return locked


def _to_suggestion(
    locked: Suggestion, *, note: str, changes: dict, actor: User | None
) -> None:
    """不列入会议议程: the same record is handled as a suggestion from registration."""
    from portal import workflow

    if not workflow.check(locked, to=S.REGISTERED, refuse=_bill_refusal):
        return
    number = Sequence.take(
        f"suggestion:{locked.congress_id}:{locked.year}:{Suggestion.Kind.SUGGESTION}"
    )
    # Kind changes first so the record reads as the suggestion it becomes; the
    # timeline keeps every step it took as a bill.
    locked.kind = Suggestion.Kind.SUGGESTION
    _move(
        locked,
        S.REGISTERED,
        actor,
        action="bill_not_agenda",
        note=note,
        kind=Suggestion.Kind.SUGGESTION,
        converted_from_bill=True,
        number=number,
        registered_at=timezone.now(),
        **changes,
    )
    _award_registration(locked, actor)


def _bill_refusal(suggestion: Suggestion, target: str) -> str:
    return _("该议案当前状态为“%(status)s”，不能作出主席团决定。") % {
        "status": suggestion.get_status_display()
    }


def bill_record_result(
    *, suggestion: Suggestion, result: str, actor: User | None
) -> Suggestion:
    """The vote on a bill on the agenda: 表决通过 or 未通过."""
    targets = {"adopted": S.ADOPTED, "not_adopted": S.NOT_ADOPTED}
    if result not in targets:
        raise DomainError(_("表决结果不正确。"), field="result")
    with transaction.atomic():
        locked = _lock(suggestion)
        _require_bill(locked)
        if locked.status not in (S.ON_AGENDA, targets[result]):
            raise TransitionError(
                _("只有列入会议议程的议案可以记录表决结果（当前状态为“%(status)s”）。")
                % {"status": locked.get_status_display()}
            )
        _move(
            locked,
            targets[result],
            actor,
            action="bill_result",
            closed_at=timezone.now(),
        )
    return locked


def suggestion_forward(
    *, suggestion: Suggestion, note: str = "", actor: User | None
) -> Suggestion:
    """转交上级人大: a registered suggestion on a matter of the congress above is
    handled by that congress (it assigns its units); the deputy still rates it."""
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.kind != Suggestion.Kind.SUGGESTION:
            raise TransitionError(_("议案不能转交上级人大办理。"))
        if locked.handling_congress is not None:
            raise TransitionError(
                _("该建议已转交%(name)s办理。")
                % {"name": locked.handling_congress.name}
            )
        if locked.status != S.REGISTERED:
            raise TransitionError(
                _(
                    "只有已立案、尚未交办的建议可以转交上级人大（当前状态为“%(status)s”）。"
                )
                % {"status": locked.get_status_display()}
            )
        upper = Congress.objects.nearest(locked.congress.region, above=True)
        if upper is None:
            raise TransitionError(_("没有上一级人民代表大会可以转交。"))
        locked.handling_congress = upper
        locked.forwarded_at = timezone.now()
        locked.save(update_fields=["handling_congress", "forwarded_at"])
        _event(
            locked,
            "forward",
            actor,
            note=_("转交%(name)s办理") % {"name": upper.name}
            + (f"：{note.strip()}" if note and note.strip() else ""),
        )
        transaction.on_commit(lambda: _notify_forwarded(locked, upper))
    return locked


def _notify_forwarded(suggestion: Suggestion, upper: Congress) -> None:
    staff = User.objects.filter(
        grants__role=Role.CONGRESS_STAFF, grants__congress=upper
    ).distinct()
    _notify(
        staff,
        kind="suggestion.forwarded",
        key=f"forwarded:{suggestion.pk}",
        title=Message(
            gettext_noop("%(from)s转来建议待交办：%(title)s"),
            {"from": suggestion.congress.name, "title": suggestion.title},
        ),
        target=suggestion,
    )
