"""Read models of state organs' contacts and 列席常委会会议 (issue 16), shared by
the HTML pages and the API. Lookups go through ``visible_to`` (out of scope →
404); lists are annotated in the database (constant queries per page).

Progress of a plan: *due* = planned deputies × contacts per deputy; *done* =
contacts of the organ's planned deputies this year (one per deputy and
contact); *expected by now* = due × the share of the plan's year elapsed. A plan
is *behind* when done < expected by now.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from portal.models import Congress, User
from portal.registry import TODO_LIMIT, TodoItem
from portal.rules import rules_for_many

from .models import Mandate
from .organ_models import (
    MeetingInvitation,
    MeetingOpinion,
    OrganContact,
    OrganContactPlan,
    StandingMeeting,
)
from .organ_policies import (
    InvitationPolicy,
    MeetingPolicy,
    OpinionPolicy,
    OrganContactPolicy,
    OrganPlanPolicy,
    OrganWorkspacePolicy,
)
from .querysets import governed_congresses, own_mandate_ids

Participation = OrganContact.participants.through
PlanDeputy = OrganContactPlan.deputies.through

INVITATION_BADGES = {
    MeetingInvitation.Status.INVITED: "warn",
    MeetingInvitation.Status.ACCEPTED: "ok",
    MeetingInvitation.Status.DECLINED: "muted",
    MeetingInvitation.Status.ATTENDED: "ok",
    MeetingInvitation.Status.ABSENT: "danger",
}


def _subcount(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT of ``queryset`` rows per outer row, ``group`` being the field
    correlated with ``OuterRef`` (one sub-select per row, no join fan-out)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
        output_field=IntegerField(),
    )


def year_elapsed(year: int, today: date | None = None) -> float:
    """The share of ``year`` elapsed on ``today`` (0 before it, 1 after it)."""
    today = today or timezone.localdate()
    if today.year < year:
        return 0.0
    if today.year > year:
        return 1.0
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return ((today - start).days + 1) / days


def plans_with_progress(queryset: QuerySet[OrganContactPlan]):
    """Plans annotated with ``deputy_count``, ``contact_count`` and ``done``
    (contacts of planned deputies), in one query."""
    return queryset.annotate(
        deputy_count=_subcount(
            PlanDeputy.objects.filter(organcontactplan_id=OuterRef("pk")),
            "organcontactplan_id",
        ),
        contact_count=_subcount(
            OrganContact.objects.filter(plan_id=OuterRef("pk")), "plan_id"
        ),
        done=_subcount(
            Participation.objects.filter(
                organcontact__plan_id=OuterRef("pk"),
                mandate_id__in=PlanDeputy.objects.filter(
                    organcontactplan_id=OuterRef(OuterRef("pk"))
                ).values("mandate_id"),
            ),
            "organcontact__plan_id",
        ),
    )


def progress_row(plan: OrganContactPlan, today: date | None = None) -> dict[str, Any]:
    """One annotated plan's figures (see the module's docstring)."""
    due = plan.deputy_count * plan.contacts_per_deputy  # type: ignore[attr-defined]
    expected = math.floor(due * year_elapsed(plan.year, today))
    done = plan.done  # type: ignore[attr-defined]
    return {
        "plan": plan,
        "due": due,
        "done": done,
        "expected": expected,
        "behind": done < expected,
        "percent": min(100, round(100 * done / due)) if due else 0,
    }


# --- plans ---------------------------------------------------------------------------


def plan_list(user: User, year: int | None = None) -> QuerySet[OrganContactPlan]:
    """The plans the user may see (their organ's, or their region's), annotated
    for their progress (``progress_rows``), by region and organ."""
    plans = OrganContactPlan.objects.visible_to(user).with_list_related()
    if year is not None:
        plans = plans.filter(year=year)
    return plans_with_progress(plans).order_by(
        "-year", "unit__region__path", "unit__name", "pk"
    )


def progress_rows(plans) -> list[dict[str, Any]]:
    """``progress_row`` of each annotated plan (one list page)."""
    today = timezone.localdate()
    return [progress_row(p, today) for p in plans]


def plan_get(user: User, pk: int) -> OrganContactPlan:
    """A plan the user may see (else 404)."""
    return get_object_or_404(
        plans_with_progress(OrganContactPlan.objects.visible_to(user))
        .with_list_related()
        .select_related("created_by"),
        pk=pk,
    )


def plan_detail(user: User, plan: OrganContactPlan) -> dict[str, Any]:
    """Planned deputies with their contacts this plan, the contacts (newest
    first, with participants), progress and the ``can_*`` flags."""
    deputies = (
        plan.deputies.select_related("person")
        .annotate(
            contacts=Count(
                "organ_contacts", filter=Q(organ_contacts__plan=plan), distinct=True
            )
        )
        .order_by("name_stroke_key", "pk")
    )
    participants: Any = Prefetch(
        "participants",
        queryset=Mandate.objects.select_related("person").order_by(
            "name_stroke_key", "pk"
        ),
    )
    contacts = (
        OrganContact.objects.filter(plan=plan)
        .prefetch_related(participants)
        .select_related("created_by")
        .order_by("-date", "-pk")
    )
    contact_rows = [
        {
            "contact": c,
            "can_follow_up": OrganContactPolicy.allows(
                user, "follow_up", _with_plan(c, plan)
            ),
        }
        for c in contacts
    ]
    return {
        **OrganPlanPolicy.flags(user, plan),
        "plan": plan,
        "progress": progress_row(plan),
        "deputies": [
            {
                "mandate": m,
                "contacts": m.contacts,
                "short": m.contacts < plan.contacts_per_deputy,
            }
            for m in deputies
        ],
        "contacts": contact_rows,
    }


def _with_plan(contact: OrganContact, plan: OrganContactPlan) -> OrganContact:
    contact.plan = plan  # the plan is loaded already: no query per row
    return contact


def contact_get(user: User, pk: int) -> OrganContact:
    """A contact the user may see (else 404)."""
    return get_object_or_404(
        OrganContact.objects.visible_to(user).select_related(
            "plan__unit__region", "plan__congress__region"
        ),
        pk=pk,
    )


def contacts_visible(user: User) -> QuerySet[OrganContact]:
    """Contacts the user may see with their organ and participants (API)."""
    return (
        OrganContact.objects.visible_to(user)
        .select_related("plan__unit")
        .prefetch_related("participants")
    )


# --- coverage ------------------------------------------------------------------------


def coverage(user: User, year: int, today: date | None = None) -> dict[str, Any]:
    """Congress staff's coverage of ``year``: active current deputies of the
    congresses they govern contacted by at least one organ, by level; frontline
    deputies contacted; the plans behind schedule."""
    contacted = Participation.objects.filter(
        mandate_id=OuterRef("pk"), organcontact__date__year=year
    )
    mandates = Mandate.objects.filter(
        congress__in=governed_congresses(user), term__is_current=True
    ).active()
    rows = list(
        mandates.values("congress__level")
        .annotate(
            total=Count("pk"),
            contacted=Count("pk", filter=Q(Exists(contacted))),
            frontline=Count("pk", filter=Q(person__is_frontline=True)),
            frontline_contacted=Count(
                "pk", filter=Q(Exists(contacted), person__is_frontline=True)
            ),
        )
        .order_by()
    )
    by_level = {r["congress__level"]: r for r in rows}
    level_rows = [
        _with_shares({**by_level[value], "level": label})
        for value, label in Congress.Level.choices
        if value in by_level
    ]
    totals = _with_shares(
        {
            key: sum(r[key] for r in rows)
            for key in ("total", "contacted", "frontline", "frontline_contacted")
        }
    )
    plans = OrganContactPlan.objects.visible_to(user).filter(year=year)
    progress = [
        progress_row(p, today)
        for p in plans_with_progress(plans.with_list_related()).order_by(
            "unit__region__path", "unit__name", "pk"
        )
    ]
    return {
        "year": year,
        "levels": level_rows,
        "totals": totals,
        "plans": progress,
        "behind": [row for row in progress if row["behind"]],
    }


def _percent(numerator: int, denominator: int) -> int | None:
    return round(100 * numerator / denominator) if denominator else None


def _with_shares(row: dict[str, Any]) -> dict[str, Any]:
    """A coverage row with its rates: contacted ÷ deputies (``rate``), frontline
    deputies among those contacted (``frontline_share``) and frontline deputies
    contacted ÷ frontline deputies (``frontline_rate``), in per cent."""
    return {
        **row,
        "rate": _percent(row["contacted"], row["total"]),
        "frontline_share": _percent(row["frontline_contacted"], row["contacted"]),
        "frontline_rate": _percent(row["frontline_contacted"], row["frontline"]),
    }


# --- standing-committee meetings ----------------------------------------------------


def meeting_list(user: User) -> QuerySet[StandingMeeting]:
    """Meetings the user may see with their invitation counts, newest first."""
    return (
        StandingMeeting.objects.visible_to(user)
        .select_related("congress", "term")
        .annotate(
            invited=Count("invitations"),
            accepted=Count("invitations", filter=Q(invitations__status="accepted")),
            attended=Count("invitations", filter=Q(invitations__status="attended")),
        )
        .order_by("-date", "-pk")
    )


def meeting_get(user: User, pk: int) -> StandingMeeting:
    """A meeting the user may see (else 404)."""
    return get_object_or_404(
        StandingMeeting.objects.visible_to(user).select_related(
            "congress__region", "term"
        ),
        pk=pk,
    )


def meeting_detail(user: User, meeting: StandingMeeting) -> dict[str, Any]:
    """Invitations (in name order) with their opinions and the ``can_*`` flags;
    a deputy sees only their own invitation."""
    flags = MeetingPolicy.flags(user, meeting)
    invitations = (
        MeetingInvitation.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("mandate__person")
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=MeetingOpinion.objects.select_related("unit").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("mandate__name_stroke_key", "pk")
    )
    rows = []
    for invitation in invitations:
        invitation.meeting = meeting
        rows.append(
            {
                "invitation": invitation,
                "badge": INVITATION_BADGES.get(invitation.status, "muted"),
                **InvitationPolicy.flags(user, invitation),
                "opinions": [
                    {
                        "opinion": o,
                        **OpinionPolicy.flags(user, _opinion_of(o, invitation)),
                    }
                    for o in invitation.opinions.all()
                ],
            }
        )
    return {**flags, "meeting": meeting, "invitations": rows}


def _opinion_of(opinion: MeetingOpinion, invitation: MeetingInvitation):
    opinion.invitation = invitation
    return opinion


def invitation_get(user: User, pk: int) -> MeetingInvitation:
    """An invitation the user may see (else 404)."""
    return get_object_or_404(
        MeetingInvitation.objects.visible_to(user).select_related(
            "meeting__congress__region", "mandate__person", "mandate__congress"
        ),
        pk=pk,
    )


def opinion_get(user: User, pk: int) -> MeetingOpinion:
    """An opinion the user may see (else 404)."""
    return get_object_or_404(
        MeetingOpinion.objects.visible_to(user).select_related(
            "invitation__meeting__congress__region", "invitation__mandate__person"
        ),
        pk=pk,
    )


def invitation_coverage(user: User) -> list[dict[str, Any]]:
    """Per congress the user governs (county level and above): its active
    current deputies invited to at least N meetings this term (rule
    ``standing_meeting_invitations_per_term``), and who has not been."""
    congresses = list(
        governed_congresses(user)
        .exclude(level=Congress.Level.TOWNSHIP)
        .select_related("region")
    )
    if not congresses:
        return []
    rules = rules_for_many(congresses)
    invited = MeetingInvitation.objects.filter(
        mandate_id=OuterRef("pk"), meeting__term_id=OuterRef("term_id")
    )
    mandates = (
        Mandate.objects.filter(congress__in=congresses, term__is_current=True)
        .active()
        .annotate(
            invitations=_subcount(invited.values("mandate_id"), "mandate_id"),
        )
    )
    counts = {
        row["congress_id"]: row
        for row in mandates.values("congress_id").annotate(total=Count("pk")).order_by()
    }
    rows = []
    for congress in congresses:
        if congress.pk not in counts:
            continue
        needed = rules[congress.pk].standing_meeting_invitations_per_term
        of_congress = mandates.filter(congress=congress)
        covered = of_congress.filter(invitations__gte=needed).count()
        missing = list(
            of_congress.filter(invitations__lt=needed)
            .select_related("person")
            .order_by("name_stroke_key", "pk")[:50]
        )
        rows.append(
            {
                "congress": congress,
                "needed": needed,
                "total": counts[congress.pk]["total"],
                "covered": covered,
                "missing": missing,
            }
        )
    return rows


# --- the deputy's own page -----------------------------------------------------------


def my_organ_work(user: User) -> dict[str, Any]:
    """Who contacted me (organs, newest first) and my invitations to attend."""
    own = own_mandate_ids(user)
    contacts = (
        OrganContact.objects.filter(
            pk__in=Participation.objects.filter(mandate_id__in=own).values(
                "organcontact_id"
            )
        )
        .select_related("plan__unit")
        .order_by("-date", "-pk")[:100]
    )
    invitations = list(
        MeetingInvitation.objects.own(user)
        .select_related("meeting__congress__region", "mandate__person")
        .prefetch_related("opinions")
        .order_by("-meeting__date", "-pk")[:100]
    )
    return {
        "contacts": contacts,
        "invitations": [
            {
                "invitation": i,
                "badge": INVITATION_BADGES.get(i.status, "muted"),
                **InvitationPolicy.flags(user, i),
            }
            for i in invitations
        ],
    }


# --- to-dos --------------------------------------------------------------------------


def organ_todos(user: User) -> list[TodoItem]:
    """A deputy's invitations awaiting an answer; an organ's staff's contacts
    with a follow-up open; congress staff's 列席 opinions in follow-up (by due
    date)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    today = timezone.localdate()
    for invitation in (
        MeetingInvitation.objects.own(user)
        .filter(status="invited", meeting__date__gte=today)
        .select_related("meeting__congress")
        .order_by("meeting__date", "pk")[:TODO_LIMIT]
    ):
        items.append(
            TodoItem(
                title=_t("请答复列席邀请：%(meeting)s")
                % {"meeting": invitation.meeting},
                url=reverse("deputies:organ_my"),
                due_date=invitation.meeting.date,
                kind="deputies.invitation_respond",
            )
        )
    for contact in (
        OrganContact.objects.of_own_organs(user)
        .follow_up_open()
        .select_related("plan__unit")
        .order_by("date", "pk")[:TODO_LIMIT]
    ):
        items.append(
            TodoItem(
                title=_t("联系代表后需跟进：%(subject)s（%(follow_up)s）")
                % {"subject": contact.subject, "follow_up": contact.follow_up[:30]},
                url=reverse("deputies:organ_plan_detail", args=[contact.plan_id]),
                kind="deputies.organ_follow_up",
            )
        )
    following = (
        MeetingOpinion.objects.visible_to(user)
        .filter(status="following")
        .select_related("invitation__meeting", "invitation__mandate__person")
        .order_by("due_date", "pk")[:TODO_LIMIT]
    )
    if OrganWorkspacePolicy.allows(user, "browse_meetings"):
        for opinion in following:
            items.append(
                TodoItem(
                    title=_t("列席代表意见跟踪办理：%(name)s“%(text)s”")
                    % {
                        "name": opinion.invitation.mandate.person.name,
                        "text": opinion.text[:20],
                    },
                    url=reverse(
                        "deputies:organ_meeting_detail",
                        args=[opinion.invitation.meeting_id],
                    ),
                    due_date=opinion.due_date,
                    kind="deputies.meeting_opinion",
                )
            )
    return items
