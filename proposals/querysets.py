"""Reads of bills and suggestions, with scoping (DESIGN.md §11)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from portal.scoping import acting_q, governed_q, managed_q, scope_for


def governed_congresses(user) -> models.QuerySet:
    """Congresses of the regions the user governs (congress staff, leaders, admins),
    in region order: the congress filter of the staff's lists."""
    from portal.models import Congress

    return Congress.objects.filter(governed_q(user, "region__path")).order_by(
        "region__path"
    )


def acting_items_q(user, prefix: str = "") -> Q:
    """``Suggestion.acting_congress_id`` in the user's acting congresses."""
    own = acting_q(user, f"{prefix}congress_id", f"{prefix}region_path") & Q(
        **{f"{prefix}handling_congress__isnull": True}
    )
    if scope_for(user).is_admin:
        return Q()
    return own | acting_q(user, f"{prefix}handling_congress_id")


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuggestionQuerySet:
        """Congress staff/leaders: everything but drafts in their region; a deputy:
        what they lead, co-sign (drafts too, to confirm) or had merged into another;
        unit staff: suggestions assigned to their unit. Drafts are their lead's only."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "region_path") & ~Q(status="draft")
        # The deputy's own, as id lists (``own_mandate_ids``): index lookups on
        # lead and id, never a join of every suggestion with its lead's person
        # nor a sub-query in the OR (issue 14). Nothing for non-deputies.
        from deputies.querysets import own_mandate_ids

        from .models import CoSigner

        mine = own_mandate_ids(user)
        if mine:
            related = set(
                CoSigner.objects.filter(mandate_id__in=mine).values_list(
                    "suggestion_id", flat=True
                )
            ) | set(
                self.model.objects.filter(
                    lead_id__in=mine, merged_into__isnull=False
                ).values_list("merged_into_id", flat=True)
            )
            q |= Q(lead_id__in=mine) | Q(pk__in=sorted(related))
        if scope.unit_ids:
            from .models import Assignment

            q |= Q(
                pk__in=Assignment.objects.filter(unit_id__in=scope.unit_ids).values(
                    "suggestion_id"
                )
            ) & ~Q(status="draft")
        return self.filter(q)

    def governed_by(self, user) -> SuggestionQuerySet:
        """Everything in the regions the user governs (drafts included: chain it
        after ``visible_to`` to leave them out)."""
        return self.filter(governed_q(user, "region_path"))

    def managed_by(self, user) -> SuggestionQuerySet:
        """Everything in the regions the user manages as congress staff."""
        return self.filter(managed_q(user, "region_path"))

    def acted_on_by(self, user, prefix: str = "") -> SuggestionQuerySet:
        """Items whose workflow steps the user takes: those of the user's own
        congress not forwarded away, and those forwarded to it (to-dos, desks)."""
        return self.filter(acting_items_q(user, prefix))

    def published(self) -> SuggestionQuerySet:
        """Replies the public may read: public-interest suggestions whose deputy
        agreed, once the reply is published."""
        return self.filter(is_public=True, published_at__isnull=False)

    def with_list_related(self) -> SuggestionQuerySet:
        """What a list row reads: the lead deputy joined, the congress and the
        session read by their ids (fewer tables for PostgreSQL to plan on every
        page, docs/performance.md rule 16)."""
        return self.select_related("lead__person").prefetch_related(
            "congress", "session"
        )

    def for_year(self, congress, year: int) -> SuggestionQuerySet:
        """One congress's suggestions of one year."""
        return self.filter(congress=congress, year=year)

    def similar_to(
        self, *, congress, year: int, text: str, exclude_pk=None, limit: int = 5
    ) -> list:
        """Up to ``limit`` suggestions of the same congress and year like ``text``.

        PostgreSQL: pg_trgm similarity (works on Chinese characters). Elsewhere:
        character-bigram overlap computed over the year's suggestions.
        """
        from django.db import connection

        text = (text or "").strip()
        if len(text) < 2:
            return []
        base = self.for_year(congress, year).exclude(status__in=["draft", "withdrawn"])
        if exclude_pk:
            base = base.exclude(pk=exclude_pk)
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramSimilarity

            return list(
                base.annotate(
                    similarity=TrigramSimilarity("title", text)
                    + TrigramSimilarity("problem", text) * 0.5
                )
                .filter(similarity__gt=0.15)
                .order_by("-similarity", "-id")[:limit]
            )
        probe = _bigrams(text)
        scored = []
        for item in base.only("id", "title", "problem", "status", "number", "year")[
            :5000
        ]:
            score = _jaccard(probe, _bigrams(item.title)) + 0.5 * _jaccard(
                probe, _bigrams(item.problem)
            )
            if score > 0.15:
                item.similarity = score
                scored.append(item)
        scored.sort(key=lambda i: (-i.similarity, -i.pk))
        return scored[:limit]


_FRAME = ("关于", "的建议", "的议案", "建议", "议案", "进一步", "加强", "的")


def _bigrams(text: str) -> set[str]:
    """Character bigrams without the frame every title shares (关于……的建议)."""
    for word in _FRAME:
        text = text.replace(word, " ")
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssignmentQuerySet:
        """Unit staff: their unit's assignments only; congress staff: their region;
        a deputy: the assignments of their own suggestions; admins: all (as
        their suggestions)."""
        scope = scope_for(user)
        if scope.is_admin:
            # Not through the OR below: governed_q is Q() ("everything") for an
            # admin, and Q() | X is X (Django drops an empty Q), so an admin saw
            # only their own units' assignments (404 on every assignment).
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "region_path") | Q(unit_id__in=scope.unit_ids)
        from deputies.querysets import own_mandate_ids

        if mine := own_mandate_ids(user):
            q |= Q(suggestion__lead_id__in=mine)
        return self.filter(q)

    def governed_by(self, user) -> AssignmentQuerySet:
        """Assignments in the regions the user governs."""
        return self.filter(governed_q(user, "region_path"))

    def of_own_units(self, user) -> AssignmentQuerySet:
        """Assignments of the units the user works in."""
        return self.filter(unit_id__in=scope_for(user).unit_ids)

    def on_unit_desk(self, user) -> AssignmentQuerySet:
        """The units' desk ("我的承办"): the user's units' assignments; admins see
        every unit's."""
        if scope_for(user).is_admin:
            return self.all()
        return self.of_own_units(user)

    def live(self) -> AssignmentQuerySet:
        """Assignments still in force (a returned part is replaced by a new one)."""
        return self.exclude(status="returned")

    def open(self) -> AssignmentQuerySet:
        """Assignments a unit still has to answer."""
        return self.filter(status__in=["pending", "accepted", "return_requested"])

    def overdue(self, today: date) -> AssignmentQuerySet:
        """Open assignments past their due date while the units are at work."""
        return self.open().filter(
            due_date__lt=today, suggestion__status__in=["assigned", "rehandling"]
        )

    def with_list_related(self) -> AssignmentQuerySet:
        """What a list row reads: the unit, the suggestion with its lead and congress."""
        return self.select_related(
            "unit", "suggestion__lead__person", "suggestion__congress"
        )


class RequestQuerySet(models.QuerySet):
    """Extension and return requests of assignments."""

    def governed_by(self, user) -> RequestQuerySet:
        """Requests in the regions the user governs."""
        return self.filter(governed_q(user, "assignment__region_path"))

    def managed_by(self, user) -> RequestQuerySet:
        """Requests in the regions the user manages (decides) as congress staff."""
        return self.filter(managed_q(user, "assignment__region_path"))

    def acted_on_by(self, user) -> RequestQuerySet:
        """Requests the user decides: of the user's own congress's items."""
        return self.filter(acting_items_q(user, "assignment__suggestion__"))

    def pending(self) -> RequestQuerySet:
        return self.filter(status="pending")


class EvaluationQuerySet(models.QuerySet):
    def governed_by(self, user) -> EvaluationQuerySet:
        """Ratings of suggestions in the regions the user governs."""
        return self.filter(governed_q(user, "suggestion__region_path"))


class KeyItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> KeyItemQuerySet:
        """Key items of the regions the user governs, and those the user leads;
        admins: all (not through the OR: Q() | X is X, see AssignmentQuerySet)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(governed_q(user, "region_path") | Q(leader=user))
