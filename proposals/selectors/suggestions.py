"""Read models of bills and suggestions: the deputy's list and write form, similar
suggestions, the detail page every audience opens, and the staff's lists."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from deputies.models import Activity, Attendance, Mandate, Person
from deputies.querysets import own_mandate_ids
from portal import search
from portal.models import Congress, HandlingUnit, Session
from portal.rules import rules_for
from portal.scoping import acting_q
from stations.models import Opinion

from ..models import (
    Assignment,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
)
from ..policies import (
    RESEARCH_ACTIVITY_KINDS,
    AssignmentPolicy,
    SuggestionPolicy,
    own_unit_ids,
    rated_round,
    rating_mandate,
    sees_internal_notes,
)
from ..querysets import SuggestionQuerySet, governed_congresses
from .common import (
    ROLE_ORDER,
    STATUS_BADGES,
    assignment_row,
    timeline,
    units_first_lead,
)

S = Suggestion.Status
A = Assignment.Status
SIMILAR_LIMIT = 5
MERGE_CANDIDATES = 10
# Research links offered on the form: what the deputy did in the last two years.
RESEARCH_DAYS = 730
# What a suggestion may be merged into (the service checks it again).
MERGE_TARGETS = (S.SUBMITTED, S.REGISTERED, S.ASSIGNED)

_TITLE_HEAD = re.compile(r"^关于")
_TITLE_TAIL = re.compile(r"(的)?(建议|议案|意见|批评)$")


# --- the deputy's list and write form ----------------------------------------------


def own_suggestions(user: Any, filters: dict[str, Any] | None) -> SuggestionQuerySet:
    """我的议案建议: what the user leads or co-signs (not declined), newest first;
    ``filters``: the cleaned filter form (status, kind, year, q), or None."""
    mine = own_mandate_ids(user)
    cosigned = list(
        CoSigner.objects.filter(mandate_id__in=mine)
        .exclude(status=CoSigner.Status.DECLINED)
        .values_list("suggestion_id", flat=True)
    )
    queryset = Suggestion.objects.visible_to(user).filter(
        Q(lead_id__in=mine) | Q(pk__in=cosigned)
    )
    if filters:
        for field in ("status", "kind", "year"):
            if filters.get(field):
                queryset = queryset.filter(**{field: filters[field]})
        if filters.get("q"):
            queryset = queryset.filter(title__has_text=filters["q"])
    return queryset.with_list_related().order_by("-created_at", "-id")


def current_mandates(user: Any) -> list[Mandate]:
    """The user's current mandates, the congresses they may write to."""
    return list(
        Mandate.objects.current()
        .filter(person__user=user)
        .select_related("congress__region", "term", "person", "delegation")
        .order_by("congress__region__path")
    )


def draft_form_choices(
    user: Any, mandates: list[Mandate], suggestion: Suggestion | None = None
) -> dict[str, Any]:
    """Choices of the write form: the user's sessions, their research of the last
    two years (and what the draft links already), fellow deputies to invite."""
    today = timezone.localdate()
    since = today - timedelta(days=RESEARCH_DAYS)
    mandate_ids = [m.pk for m in mandates]
    congress_ids = [m.congress_id for m in mandates]
    # 无调研不建议: only inspections and research the deputy did not miss (an
    # invitation counts at submit once the attendance is recorded).
    activities = Activity.objects.filter(
        kind__in=RESEARCH_ACTIVITY_KINDS,
        pk__in=Attendance.objects.filter(mandate_id__in=mandate_ids)
        .exclude(status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED])
        .values("activity_id"),
    )
    opinions = Opinion.objects.filter(
        Q(
            pk__in=Opinion.deputies.through.objects.filter(
                mandate_id__in=mandate_ids
            ).values("opinion_id")
        )
        | Q(converted_for_id__in=mandate_ids)
    )
    recent_activities, recent_opinions = (
        Q(date__gte=since),
        Q(created_at__date__gte=since),
    )
    invited: set[int] = set()
    if suggestion is not None:
        recent_activities |= Q(pk__in=suggestion.research_activities.values("pk"))
        recent_opinions |= Q(pk__in=suggestion.research_opinions.values("pk"))
        invited = set(suggestion.cosigners.values_list("mandate_id", flat=True))
    fellows = (
        Mandate.objects.current()
        .active()
        .filter(congress_id__in=congress_ids)
        .exclude(person__user=user)
        .select_related("person", "congress")
        .order_by("congress__region__path", "name_stroke_key", "id")
    )
    if suggestion is not None:
        fellows = fellows.filter(term_id=suggestion.term_id)
    groups: dict[str, list] = {}
    for mandate in fellows:
        if mandate.pk not in invited:
            groups.setdefault(mandate.congress.name, []).append(
                (mandate.pk, mandate.person.name)
            )
    sessions = (
        Session.objects.filter(
            term__congress_id__in=congress_ids,
            term__is_current=True,
            end_date__gte=today,
        )
        .select_related("term__congress")
        .order_by("start_date")
    )
    return {
        "mandates": mandates,
        "suggestion": suggestion,
        "sessions": sessions,
        "activities": activities.filter(recent_activities).order_by("-date", "-id"),
        "opinions": opinions.filter(recent_opinions).order_by("-created_at", "-id"),
        "cosigner_choices": list(groups.items()),
    }


def draft_initial(suggestion: Suggestion) -> dict[str, Any]:
    """The write form's initial values for editing ``suggestion``."""
    return {
        "kind": suggestion.kind,
        "congress": suggestion.congress_id,
        "session": suggestion.session_id,
        "title": suggestion.title,
        "problem": suggestion.problem,
        "analysis": suggestion.analysis,
        "proposals": suggestion.proposals,
        "category": suggestion.category,
        "is_public": suggestion.is_public,
        "research_note": suggestion.research_note,
        "research_date": suggestion.research_date,
        "research_place": suggestion.research_place,
        "research_people": suggestion.research_people,
        "research_activities": list(
            suggestion.research_activities.values_list("pk", flat=True)
        ),
        "research_opinions": list(
            suggestion.research_opinions.values_list("pk", flat=True)
        ),
    }


def opinions_converted_for(user: Any) -> QuerySet:
    """Opinions a station converted into a suggestion for the user to draft."""
    return Opinion.objects.filter(converted_for__person__user=user)


def mandates_by_id(ids: list[int]) -> list[Mandate]:
    """The mandates of deputies invited to co-sign (the services notify their users)."""
    return list(Mandate.objects.filter(pk__in=ids).select_related("person__user"))


# --- similar suggestions -----------------------------------------------------------


def probe(title: str) -> str:
    """The words of a title that say what it is about: every title reads
    "关于……的建议", which would otherwise make all of them look alike."""
    text = (title or "").strip()
    text = _TITLE_HEAD.sub("", text)
    return _TITLE_TAIL.sub("", text) or text


def similar_rows(found: list[Suggestion], user: Any) -> list[dict[str, Any]]:
    """Similar suggestions with whether the user may open each one. Titles of the
    same congress are shown to its deputies to encourage merging early."""
    if not found:
        return []
    ids = [s.pk for s in found]
    visible = set(
        Suggestion.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    return [
        {
            "s": s,
            "visible": s.pk in visible,
            "status": Suggestion.Status(s.status).label,
        }
        for s in found
    ]


def similar_suggestions(
    user: Any,
    *,
    congress: Congress,
    year: int,
    text: str,
    exclude_pk: int | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[dict[str, Any]]:
    """Up to ``limit`` suggestions of a congress and year like ``text`` (the hint
    beside the write form, the API's ``similar``)."""
    found = Suggestion.objects.similar_to(
        congress=congress, year=year, text=text, exclude_pk=exclude_pk, limit=limit
    )
    return similar_rows(found, user)


def similar_to_suggestion(suggestion: Suggestion, user: Any) -> list[dict[str, Any]]:
    """Suggestions of the same congress and year like this one's title."""
    return similar_suggestions(
        user,
        congress=suggestion.congress,
        year=suggestion.year,
        text=probe(suggestion.title),
        exclude_pk=suggestion.pk,
    )


# --- the detail page ---------------------------------------------------------------


def suggestions_for_detail() -> SuggestionQuerySet:
    """What the detail page and the actions on it read of the suggestion itself."""
    return Suggestion.objects.with_list_related().select_related(
        "congress__region", "term", "merged_into", "handling_congress"
    )


def cosigners_prefetch() -> Prefetch:
    """The co-signers with their names, in stroke order (the policy reads them too)."""
    return Prefetch(
        "cosigners",
        queryset=CoSigner.objects.select_related("mandate__person").order_by(
            "mandate__name_stroke_key"
        ),
    )


def _detail_assignments(suggestion: Suggestion) -> list[Assignment]:
    assignments = list(
        suggestion.assignments.select_related("unit")
        .prefetch_related(
            "co_opinions",
            Prefetch("replies", queryset=Reply.objects.prefetch_related("commitments")),
            Prefetch("contacts"),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.pending(),
                to_attr="pending_extensions",
            ),
            Prefetch(
                "return_requests",
                queryset=ReturnRequest.objects.pending(),
                to_attr="pending_returns",
            ),
        )
        .annotate(
            replaced=Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("suggestion"),
                    role=OuterRef("role"),
                    pk__gt=OuterRef("pk"),
                ).exclude(status=A.RETURNED)
            ),
        )
        .order_by("id")
    )
    assignments.sort(key=lambda a: (a.status == A.RETURNED, ROLE_ORDER.get(a.role, 9)))
    return assignments


def suggestion_detail(user: Any, suggestion: Suggestion) -> dict[str, Any]:
    """Everything the detail page shows to ``user``: text, research, co-signers,
    units with their replies, ratings, the timeline, and the actions the user may
    take now (``can_*`` from :class:`SuggestionPolicy`)."""
    today = timezone.localdate()
    prefetch_related_objects(
        [suggestion],
        cosigners_prefetch(),
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.select_related("mandate__person"),
        ),
    )
    lead = SuggestionPolicy.is_lead(user, suggestion)
    manager = SuggestionPolicy.manages(user, suggestion)
    staff_view = sees_internal_notes(user, suggestion)
    unit_ids = own_unit_ids(user)
    flags = SuggestionPolicy.flags(user, suggestion)
    my_cosigner = SuggestionPolicy.my_cosigner(user, suggestion)
    assignments = _detail_assignments(suggestion)
    handling = suggestion.status in Suggestion.HANDLING_STATES
    lead_units = {a.unit_id for a in assignments if a.role == Assignment.Role.LEAD}
    rows = []
    for a in assignments:
        mine = a.unit_id in unit_ids
        rows.append(
            {
                **assignment_row(a, today, handling),
                **AssignmentPolicy.flags(user, a),
                "mine": mine,
                "show_contacts": staff_view or lead or mine,
                # A co-unit's opinion goes to the lead unit; staff read it too.
                "show_co_opinion": staff_view or mine or bool(lead_units & unit_ids),
                "replies": list(a.replies.all()),
            }
        )
    evaluations = list(suggestion.evaluations.all())
    # Co-signers and merged deputies rate the latest answered round (policies).
    rater = rating_mandate(user, suggestion)
    my_mandate_id = (
        rater.pk
        if rater
        else (
            suggestion.lead_id
            if lead
            else (my_cosigner.mandate_id if my_cosigner else None)
        )
    )
    my_round = (
        rated_round(suggestion, decides=my_mandate_id == suggestion.lead_id)
        or suggestion.round
    )
    my_evaluation = next(
        (
            e
            for e in evaluations
            if my_mandate_id and e.mandate_id == my_mandate_id and e.round == my_round
        ),
        None,
    )
    show_similar = flags["can_edit"] or flags["can_merge"]
    live_units = [
        a.unit.name for a in assignments if a.status in Assignment.OPEN_STATES
    ]
    return {
        "s": suggestion,
        "badge": STATUS_BADGES.get(suggestion.status, "muted"),
        "is_lead": lead,
        "manager": manager,
        "staff_view": staff_view,
        "cosigners": list(suggestion.cosigners.all()),
        "my_cosigner": my_cosigner,
        "assignment_rows": rows,
        "evaluations": evaluations,
        "my_evaluation": my_evaluation,
        "events": timeline(
            suggestion.events.select_related("actor", "unit"),
            sees_all=staff_view,
            unit_ids=unit_ids,
        ),
        "activities": list(suggestion.research_activities.all()),
        "opinions": list(
            suggestion.research_opinions.only(
                "id", "tracking_code", "category", "content"
            )
        ),
        "merged_children": list(
            suggestion.merged_children.select_related("lead__person")
        ),
        "similar": similar_to_suggestion(suggestion, user) if show_similar else [],
        "key_items": list(suggestion.key_items.visible_to(user).only("id", "title"))
        if staff_view
        else [],
        **flags,
        "withdraw_rule": SuggestionPolicy.withdraw_rule(user, suggestion, live_units),
        "bill_committee_review": (
            flags["can_bill_decide"]
            and rules_for(suggestion.congress).bill_committee_review
        ),
        "can_complete": {
            a.pk
            for a in assignments
            if AssignmentPolicy.allows(user, "complete_commitments", a)
        },
        # The lead deputy's receipt (回执) of commitments the unit reports done.
        "can_confirm": lead,
        # Staff review a reply before publication and record the outcome type.
        "today": today,
    }


def merge_candidates(user: Any, suggestion: Suggestion) -> list[Suggestion]:
    """并案: similar suggestions of the same congress and year the user may see
    and ``suggestion`` may be merged into, most similar first."""
    found = Suggestion.objects.similar_to(
        congress=suggestion.congress,
        year=suggestion.year,
        text=probe(suggestion.title),
        exclude_pk=suggestion.pk,
        limit=MERGE_CANDIDATES,
    )
    ids = [s.pk for s in found if s.status in MERGE_TARGETS]
    return sorted(
        Suggestion.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("lead__person"),
        key=lambda s: ids.index(s.pk),
    )


def assignable_units(user: Any, suggestion: Suggestion) -> QuerySet:
    """Active units of the suggestion's congress's region (and below) the user sees."""
    return (
        HandlingUnit.objects.visible_to(user)
        .active()
        .filter(region__path__startswith=suggestion.congress.region.path)
        .order_by("region__path", "name")
    )


# --- the staff's lists -------------------------------------------------------------


def title_or_lead_q(q: str) -> Q:
    """The staff lists' keyword: part of the title, or the lead deputy's exact
    name. The people of that name are looked up first (the name's bigram
    index), so the title search stays one indexed condition when nobody has the
    name (``portal.search``: ``has_text`` in an OR costs a function per row)."""
    q = q.strip()
    return _title_or_leads(q, "has_text", _leads_named(q))


def _leads_named(name: str) -> list[int]:
    """The mandates of the people called exactly ``name`` (at most 200)."""
    return list(
        Mandate.objects.filter(
            person__in=Person.objects.filter(name__has_text=name, name=name).values(
                "pk"
            )
        ).values_list("pk", flat=True)[:200]
    )


def _title_or_leads(word: str, lookup: str, leads: list[int]) -> Q:
    """``word`` in the title through ``lookup`` (``has_text`` or ``contains``,
    ``portal.search.narrowed``), or one of ``leads`` leads the suggestion."""
    found = Q(**{f"title__{lookup}": word})
    return found | Q(lead_id__in=leads) if leads else found


def staff_congresses(user: Any) -> QuerySet:
    """The congresses of the staff list's filter."""
    return governed_congresses(user)


def staff_suggestions(
    user: Any, filters: dict[str, Any] | None
) -> tuple[SuggestionQuerySet, int | None]:
    """议案建议: everything submitted in the regions the user governs, with the
    units (lead first); ``filters``: the cleaned filter form, or None. With the
    number of rows when a keyword search counted them already (else None)."""
    queryset = staff_suggestions_base(user)
    count = None
    if filters:
        for field in ("status", "kind", "year", "congress"):
            if filters.get(field):
                queryset = queryset.filter(**{field: filters[field]})
        if filters.get("q"):
            leads = {word: _leads_named(word) for word in search.words(filters["q"])}
            queryset, count = search.narrowed(
                queryset,
                lambda word, lookup: _title_or_leads(word, lookup, leads[word]),
                filters["q"],
            )
    return (
        queryset.with_list_related()
        .prefetch_related(Prefetch("assignments", queryset=units_first_lead()))
        .select_related("congress__region")
        .order_by("-year", "-submitted_at", "-id")
    ), count


def staff_suggestions_base(user: Any) -> SuggestionQuerySet:
    """Everything but drafts in the regions the user governs (the list's years)."""
    return Suggestion.objects.visible_to(user).governed_by(user).exclude(status=S.DRAFT)


def review_queue(user: Any) -> SuggestionQuerySet:
    """审查: submitted items in the user's regions, oldest first, with the number
    of confirmed co-signers."""
    return (
        Suggestion.objects.visible_to(user)
        .governed_by(user)
        .filter(status=S.SUBMITTED)
        .with_list_related()
        .annotate(
            confirmed=Count(
                "cosigners", filter=Q(cosigners__status=CoSigner.Status.CONFIRMED)
            )
        )
        .order_by("submitted_at", "id")
    )


def presidium_bill_sessions(user: Any) -> QuerySet:
    """Sessions not yet over of the congresses the user acts for (not through a
    sub-district grant: a presidium's bill belongs to the whole congress)."""
    return (
        Session.objects.filter(
            acting_q(user, "term__congress_id"), end_date__gte=timezone.localdate()
        )
        .select_related("term__congress__region")
        .order_by("start_date", "pk")
    )
