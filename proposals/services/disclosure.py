"""Disclosure (答复公开, DESIGN.md §5): the staff review a reply before the public
site shows it — public interest, personal data and third parties removed — within
the rule's working days (``disclosure_working_days``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.services import DomainError, TransitionError

from ..models import Reply, Suggestion
from .common import _event, _lock


def _awaiting(suggestion: Suggestion):
    """The answering units' replies not yet published (what the review decides on)."""
    return (
        Reply.objects.filter(
            assignment__suggestion=suggestion,
            assignment__role__in=["lead", "split"],
            published_at__isnull=True,
        )
        .exclude(assignment__status="returned")
        .select_related("assignment__unit")
        .order_by("round", "id")
    )


def suggestion_review_disclosure(
    *,
    suggestion: Suggestion,
    publish: bool,
    texts: dict[int, str] | None = None,
    note: str = "",
    actor: User | None,
) -> Suggestion:
    """Publish the replies awaiting review (with the staff's redacted texts, by
    reply id; the original text where none is given) or withhold them (not of
    public interest: a reason is required). Nothing reaches the public site
    without this review; the public projection scrubs personal data again."""
    texts = texts or {}
    if not publish and not (note or "").strip():
        raise DomainError(_("不予公开的，请说明理由。"), field="note")
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.disclosure_due_on is None:
            raise TransitionError(_("该议案建议没有待审核公开的答复。"))
        if publish and not locked.is_public:
            raise DomainError(_("代表要求不公开，该答复不能公开。"), field="publish")
        replies = list(_awaiting(locked).select_for_update())
        unknown = set(texts) - {r.pk for r in replies}
        if unknown:
            raise DomainError(_("公开文本对应的答复不正确。"), field="texts")
        now = timezone.now()
        if publish:
            for reply in replies:
                text = (texts.get(reply.pk) or reply.text).strip()
                if not text:
                    raise DomainError(_("公开文本不能为空。"), field="texts")
                reply.public_text, reply.published_at = text, now
                reply.save(update_fields=["public_text", "published_at"])
            locked.published_at = locked.published_at or now
        locked.disclosure_due_on = None
        locked.disclosure_reviewed_at = now
        locked.save(
            update_fields=[
                "published_at",
                "disclosure_due_on",
                "disclosure_reviewed_at",
            ]
        )
        _event(
            locked,
            "disclosure_published" if publish else "disclosure_withheld",
            actor,
            note=(note or "").strip(),
            internal=not publish,
        )
    return locked
