"""Writes and transitions of legislative consultation (基层立法联系点, issue 17).

A draft regulation of a province or city congress moves draft → open (its
comment period at least the rule ``consultation_min_days``) → closed →
summarised (every comment decided: adopted, partly, not adopted) → feedback
(the adoption reported back to the stations and shown publicly). Stations
record comments from receptions and deputies; the public sends them through
the public form."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Mandate
from portal import workflow
from portal.models import Congress, Role, User
from portal.notification_text import Message
from portal.notifications import users_with_role
from portal.rules import rules_for
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
    notification_create,
)

from .consultation_models import DraftComment, DraftEvent, LegislativeDraft
from .models import Reception, Station

D = LegislativeDraft.Status


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def draft_create(
    *,
    congress: Congress,
    title: str,
    text: str,
    closes_on: date,
    stations: list[Station],
    explanation: str = "",
    actor: User | None,
) -> LegislativeDraft:
    """A province or city congress prepares a draft regulation for comments
    through stations of its region (基层立法联系点)."""
    if congress.level not in LegislativeDraft.LEVELS:
        raise DomainError(
            _("只有省、设区的市人民代表大会及其常委会制定地方性法规。"),
            field="congress",
        )
    if not (title or "").strip() or not (text or "").strip():
        raise DomainError(_("请填写法规草案名称和草案全文。"), field="title")
    if not stations:
        raise DomainError(_("请选择征求意见的基层立法联系点。"), field="stations")
    outside = [
        s for s in stations if not s.region_path.startswith(congress.region.path)
    ]
    if outside:
        raise DomainError(_("只能选择本行政区域内的联络站。"), field="stations")
    with transaction.atomic():
        draft = LegislativeDraft.objects.create(
            congress=congress,
            title=title.strip()[:200],
            text=text.strip(),
            explanation=explanation,
            closes_on=closes_on,
            region_path=congress.region.path,
            created_by=_user(actor),
        )
        draft.stations.set(stations)
        workflow.record(
            DraftEvent,
            actor=actor,
            to_state=D.DRAFT,
            note=_("拟定征求意见稿"),
            event_fields={"draft": draft},
        )
        audit_record(
            actor=actor,
            action="legislative_draft.create",
            target=draft,
            region_path=draft.region_path,
        )
    return draft


def _refusal(draft: LegislativeDraft, to: str) -> str:
    reasons: dict[str, str] = {
        D.OPEN: _("只有待发布的草案才能发布征求意见。"),
        D.CLOSED: _("只有征求意见中的草案才能结束征求意见。"),
        D.SUMMARISED: _("征求意见结束后才能汇总意见。"),
        D.FEEDBACK: _("意见汇总后才能反馈采纳情况。"),
    }
    return reasons.get(to, _("当前状态不允许此操作。"))


def _station_users(draft: LegislativeDraft) -> list[User]:
    ids = list(draft.stations.values_list("pk", flat=True))
    users: dict[int, User] = {}
    for station_id in ids:
        for user in users_with_role(Role.STATION_STAFF, station_id=station_id):
            users[user.pk] = user
    return list(users.values())


def _notify_stations(
    draft: LegislativeDraft, *, kind: str, title: str | Message
) -> None:
    for user in _station_users(draft):
        notification_create(
            recipient=user,
            kind=kind,
            key=f"{kind}:{draft.pk}:{user.pk}",
            title=title,
            target=draft,
            url=draft.get_absolute_url(),
            actor=None,
        )


def _move(
    draft: LegislativeDraft,
    *,
    to: str,
    actor: User | None,
    changes: dict | None = None,
    timestamps: dict | None = None,
) -> tuple[LegislativeDraft, bool]:
    with transaction.atomic():
        locked = LegislativeDraft.objects.select_for_update().get(pk=draft.pk)
        moved = workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=DraftEvent,
            event_fields={"draft": locked},
            refuse=_refusal,
            changes=changes,
            timestamps=timestamps,
        )
        if moved:
            audit_record(
                actor=actor,
                action=f"legislative_draft.{to}",
                target=locked,
                region_path=locked.region_path,
            )
    return locked, moved


def draft_open(
    *, draft: LegislativeDraft, actor: User | None, today: date | None = None
) -> LegislativeDraft:
    """Publish the draft for comments (待发布 → 征求意见中); the stations chosen
    are told. The period runs at least ``consultation_min_days``."""
    today = today or timezone.localdate()
    minimum = rules_for(draft.congress).consultation_min_days
    if draft.status == D.DRAFT and (draft.closes_on - today).days < minimum:
        raise DomainError(
            _("征求意见期限不得少于%(n)s日，截止日期应不早于%(date)s。")
            % {"n": minimum, "date": (today + timedelta(days=minimum)).isoformat()},
            field="closes_on",
        )
    locked, moved = _move(draft, to=D.OPEN, actor=actor, changes={"opens_on": today})
    if moved:
        title = Message(
            gettext_noop("法规草案征求意见：%(title)s（%(date)s截止）"),
            {"title": locked.title, "date": locked.closes_on.isoformat()},
        )
        transaction.on_commit(
            lambda: _notify_stations(locked, kind="consultation.opened", title=title)
        )
    return locked


def draft_close(*, draft: LegislativeDraft, actor: User | None) -> LegislativeDraft:
    """End the comment period (征求意见中 → 征求意见结束)."""
    return _move(draft, to=D.CLOSED, actor=actor)[0]


def comment_add(
    *,
    draft: LegislativeDraft,
    station: Station,
    source: str,
    content: str,
    article: str = "",
    reception: Reception | None = None,
    mandate: Mandate | None = None,
    author_name: str = "",
    actor: User | None,
) -> DraftComment:
    """Record a comment a station collected (from a reception, a deputy or the
    public form) while the draft is open for comments."""
    if not LegislativeDraft.objects.filter(pk=draft.pk, status=D.OPEN).exists():
        raise TransitionError(_("该草案不在征求意见期间，不能提出意见。"))
    if source not in DraftComment.Source.values:
        raise DomainError(_("意见来源不正确。"), field="source")
    if not draft.stations.filter(pk=station.pk).exists():
        raise DomainError(_("该联络站不是本草案的征求意见点。"), field="station")
    if not (content or "").strip():
        raise DomainError(_("请填写意见内容。"), field="content")
    if source == DraftComment.Source.RECEPTION and (
        reception is None or reception.station_id != station.pk
    ):
        raise DomainError(_("请选择本站的接待记录。"), field="reception")
    if source == DraftComment.Source.DEPUTY and mandate is None:
        raise DomainError(_("请选择提出意见的代表。"), field="mandate")
    comment = DraftComment.objects.create(
        draft=draft,
        station=station,
        source=source,
        content=content.strip(),
        article=(article or "").strip()[:50],
        reception=reception if source == DraftComment.Source.RECEPTION else None,
        mandate=mandate if source == DraftComment.Source.DEPUTY else None,
        author_name=(author_name or "").strip()[:50],
        recorded_by=_user(actor),
    )
    return comment


def comment_decide(
    *, comment: DraftComment, adoption: str, note: str = "", actor: User | None
) -> DraftComment:
    """The publishing congress's staff decide whether a comment is adopted,
    after the comment period and before the feedback is published."""
    if adoption not in DraftComment.Adoption.values or adoption == "pending":
        raise DomainError(_("请选择采纳情况。"), field="adoption")
    with transaction.atomic():
        locked = (
            DraftComment.objects.select_for_update()
            .select_related("draft")
            .get(pk=comment.pk)
        )
        if locked.draft.status not in (D.CLOSED, D.SUMMARISED):
            raise TransitionError(_("征求意见结束后、反馈采纳情况前才能研究意见。"))
        locked.adoption = adoption
        locked.adoption_note = (note or "").strip()[:300]
        locked.save(update_fields=["adoption", "adoption_note"])
        workflow.record(
            DraftEvent,
            actor=actor,
            note=_("意见%(pk)s：%(adoption)s")
            % {"pk": locked.pk, "adoption": locked.get_adoption_display()},
            event_fields={"draft": locked.draft},
        )
    return locked


def draft_summarise(
    *, draft: LegislativeDraft, summary: str, actor: User | None
) -> LegislativeDraft:
    """Summarise the comments (征求意见结束 → 已汇总); every comment is decided first."""
    if not (summary or "").strip():
        raise DomainError(_("请填写意见汇总情况。"), field="summary")
    pending = draft.comments.filter(adoption=DraftComment.Adoption.PENDING).count()
    current = LegislativeDraft.objects.values_list("status", flat=True).get(pk=draft.pk)
    if pending and current == D.CLOSED:
        raise TransitionError(
            _("还有%(n)s条意见未研究采纳情况，不能汇总。") % {"n": pending}
        )
    return _move(
        draft, to=D.SUMMARISED, actor=actor, changes={"summary": summary.strip()}
    )[0]


def draft_publish_feedback(
    *, draft: LegislativeDraft, feedback: str, actor: User | None
) -> LegislativeDraft:
    """Report the adopted comments back to the stations and the public
    (已汇总 → 已反馈采纳情况)."""
    if not (feedback or "").strip():
        raise DomainError(_("请填写采纳情况说明。"), field="feedback")
    locked, moved = _move(
        draft,
        to=D.FEEDBACK,
        actor=actor,
        changes={"feedback": feedback.strip()},
        timestamps={"feedback_published_at": timezone.now()},
    )
    if moved:
        title = Message(
            gettext_noop("法规草案意见采纳情况已反馈：%(title)s"),
            {"title": locked.title},
        )
        transaction.on_commit(
            lambda: _notify_stations(locked, kind="consultation.feedback", title=title)
        )
    return locked
