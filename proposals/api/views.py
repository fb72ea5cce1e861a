"""API: suggestions/, assignments/ and their actions (API.md), decisions on
extension and return requests, and the public list of published replies."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from deputies.models import Activity, Delegation, Mandate
from portal.api.pagination import KeysetPagination
from portal.models import Congress, HandlingUnit, Session
from stations.models import Opinion

from .. import selectors, services
from ..models import (
    Assignment,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    SuggestionEvent,
)
from ..policies import (
    AssignmentPolicy,
    DeskPolicy,
    SessionPolicy,
    SuggestionPolicy,
    may_consult_congress,
    own_unit_ids,
    sees_all_internal_notes_in_api,
)
from . import serializers


def _input(request, serializer_class, **kwargs):
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return data.validated_data


class SuggestionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Bills and suggestions in the caller's scope, with the lifecycle actions."""

    pagination_class = KeysetPagination
    filterset_fields = [
        "status",
        "kind",
        "congress",
        "year",
        "category",
        "needs_supervision",
    ]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return (
            serializers.SuggestionSerializer
            if self.action == "list"
            else serializers.SuggestionDetailSerializer
        )

    def get_queryset(self):
        queryset = Suggestion.objects.visible_to(self.request.user).with_list_related()
        q = self.request.query_params.get("q", "").strip()
        if q:
            queryset = queryset.filter(selectors.title_or_lead_q(q))
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "cosigners",
                    queryset=Suggestion.cosigners.rel.related_model.objects.select_related(
                        "mandate__person"
                    ),
                ),
                Prefetch(
                    "assignments", queryset=Assignment.objects.select_related("unit")
                ),
                Prefetch(
                    "evaluations",
                    queryset=Evaluation.objects.select_related("mandate__person"),
                ),
                Prefetch(
                    "events",
                    queryset=SuggestionEvent.objects.select_related("actor", "unit"),
                ),
                "research_activities",
                "research_opinions",
            )
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["sees_all_internal_notes"] = sees_all_internal_notes_in_api(user)
        context["own_unit_ids"] = own_unit_ids(user)
        return context

    def _respond(self, suggestion, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=suggestion.pk)
        return Response(
            serializers.SuggestionDetailSerializer(
                fresh, context=self.get_serializer_context()
            ).data,
            status=code,
        )

    def _research(self, lead, basis):
        activities = list(Activity.objects.filter(pk__in=basis.get("activities", [])))
        opinions = list(Opinion.objects.filter(pk__in=basis.get("opinions", [])))
        if len(activities) != len(set(basis.get("activities", []))):
            raise ValidationError({"research_basis": [_("调研视察活动不存在。")]})
        if len(opinions) != len(set(basis.get("opinions", []))):
            raise ValidationError({"research_basis": [_("群众意见不存在。")]})
        return activities, opinions

    @extend_schema(
        request=serializers.SuggestionCreateSerializer,
        responses={201: serializers.SuggestionDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        values = _input(request, serializers.SuggestionCreateSerializer)
        lead = (
            Mandate.objects.current()
            .filter(person__user=request.user, congress_id=values["congress"])
            .select_related("congress__region", "term", "person", "delegation")
            .first()
        )
        if lead is None:
            raise ValidationError({"congress": [_("您不是该人民代表大会的本届代表。")]})
        session = None
        if values.get("session"):
            session = Session.objects.filter(
                pk=values["session"], term__congress_id=lead.congress_id
            ).first()
            if session is None:
                raise ValidationError({"session": [_("会议不存在。")]})
        basis = values.get("research_basis") or {}
        activities, opinions = self._research(lead, basis)
        cosigners = list(
            Mandate.objects.filter(pk__in=values["co_signers"]).select_related(
                "person__user"
            )
        )
        if len(cosigners) != len(set(values["co_signers"])):
            raise ValidationError({"co_signers": [_("联名代表不存在。")]})
        delegation = None
        if values.get("delegation"):
            delegation = Delegation.objects.filter(
                pk=values["delegation"], congress_id=lead.congress_id
            ).first()
            if delegation is None:
                raise ValidationError({"delegation": [_("代表团不存在。")]})
        suggestion = services.suggestion_create(
            delegation=delegation,
            lead=lead,
            kind=values["kind"],
            session=session,
            title=values["title"],
            problem=values["problem"],
            analysis=values["analysis"],
            proposals=values["proposals"],
            category=values.get("category", Suggestion.Category.OTHER),
            is_public=values["is_public"],
            research_note=basis.get("note", ""),
            research_date=basis.get("date"),
            research_place=basis.get("place", ""),
            research_people=basis.get("people", ""),
            research_activities=activities,
            research_opinions=opinions,
            co_signers=cosigners,
            actor=request.user,
        )
        return self._respond(suggestion, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.PresidiumBillSerializer,
        responses={201: serializers.SuggestionDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="presidium-bill")
    def presidium_bill(self, request):
        """A bill the session's presidium submits: on the agenda at once."""
        # Who may record one at all, before the body is read (as the page):
        # congress staff; anybody else gets 403, not the form's field errors.
        DeskPolicy.require(request.user, "act_on_staff_desk")
        values = _input(request, serializers.PresidiumBillSerializer)
        session = (
            Session.objects.filter(pk=values.pop("session"))
            .select_related("term__congress__region")
            .first()
        )
        if session is None:
            raise ValidationError({"session": [_("会议不存在。")]})
        SessionPolicy.require(request.user, "record_presidium_bill", session)
        suggestion = services.bill_submit_by_presidium(
            session=session, actor=request.user, **values
        )
        return self._respond(suggestion, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SuggestionUpdateSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "edit", suggestion)
        values = _input(request, serializers.SuggestionUpdateSerializer)
        basis = values.pop("research_basis", None)
        if values:
            suggestion = services.suggestion_update(
                suggestion=suggestion, actor=request.user, **values
            )
        if basis is not None:
            activities, opinions = self._research(suggestion.lead, basis)
            services.suggestion_update(
                suggestion=suggestion,
                research_note=basis.get("note", ""),
                research_date=basis.get("date"),
                research_place=basis.get("place", ""),
                research_people=basis.get("people", ""),
                actor=request.user,
            )
            services.suggestion_set_research(
                suggestion=suggestion,
                activities=activities,
                opinions=opinions,
                actor=request.user,
            )
        return self._respond(suggestion)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.partial_update(request, *args, **kwargs)

    # --- the deputy ---
    @extend_schema(request=None, responses=serializers.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "submit", suggestion)
        return self._respond(
            services.suggestion_submit(suggestion=suggestion, actor=request.user)
        )

    @extend_schema(
        request=serializers.OptionalReasonSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "withdraw", suggestion)
        values = _input(request, serializers.OptionalReasonSerializer)
        return self._respond(
            services.suggestion_withdraw(
                suggestion=suggestion, actor=request.user, **values
            )
        )

    @extend_schema(
        request=serializers.CosignSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "cosign", suggestion)
        cosigner = SuggestionPolicy.my_cosigner(request.user, suggestion)
        values = _input(request, serializers.CosignSerializer)
        services.cosigner_respond(
            cosigner=cosigner, accept=values["accept"], actor=request.user
        )
        return self._respond(suggestion)

    @extend_schema(
        request=serializers.EvaluateSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        suggestion = self.get_object()
        values = _input(request, serializers.EvaluateSerializer)
        SuggestionPolicy.require(request.user, "evaluate", suggestion)
        services.suggestion_evaluate(
            suggestion=suggestion, actor=request.user, **values
        )
        return self._respond(suggestion)

    # --- congress staff ---
    @extend_schema(request=None, responses=serializers.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "register", suggestion)
        return self._respond(
            services.suggestion_register(suggestion=suggestion, actor=request.user)
        )

    @extend_schema(
        request=serializers.ReasonSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "return", suggestion)
        values = _input(request, serializers.ReasonSerializer)
        return self._respond(
            services.suggestion_return(
                suggestion=suggestion, actor=request.user, **values
            )
        )

    @extend_schema(
        request=serializers.ReasonSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "reject", suggestion)
        values = _input(request, serializers.ReasonSerializer)
        return self._respond(
            services.suggestion_reject(
                suggestion=suggestion, actor=request.user, **values
            )
        )

    @extend_schema(
        request=serializers.MergeSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "merge", suggestion)
        values = _input(request, serializers.MergeSerializer)
        into = (
            Suggestion.objects.visible_to(request.user)
            .filter(pk=values["into"])
            .first()
        )
        if into is None:
            raise ValidationError({"into": [_("并入的议案建议不存在。")]})
        return self._respond(
            services.suggestion_merge(
                suggestion=suggestion, into=into, actor=request.user
            )
        )

    @extend_schema(
        request=serializers.AssignSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "assign", suggestion)
        values = _input(request, serializers.AssignSerializer)
        ids = [item["unit"] for item in values["units"]]
        units = HandlingUnit.objects.in_bulk(ids)
        if len(units) != len(set(ids)):
            raise ValidationError({"units": [_("承办单位不存在。")]})
        pairs = [(units[item["unit"]], item["role"]) for item in values["units"]]
        return self._respond(
            services.suggestion_assign(
                suggestion=suggestion,
                units=pairs,
                due_date=values.get("due_date"),
                actor=request.user,
            )
        )

    @extend_schema(
        request=serializers.BillDecisionSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="bill-decision")
    def bill_decision(self, request, pk=None):
        """The presidium's decision on a bill, recorded by its congress's staff."""
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "bill_decide", suggestion)
        values = _input(request, serializers.BillDecisionSerializer)
        return self._respond(
            services.bill_decide(suggestion=suggestion, actor=request.user, **values)
        )

    @extend_schema(
        request=serializers.BillResultSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="bill-result")
    def bill_result(self, request, pk=None):
        """The vote on a bill on the agenda (表决通过 / 未通过)."""
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "bill_result", suggestion)
        values = _input(request, serializers.BillResultSerializer)
        return self._respond(
            services.bill_record_result(
                suggestion=suggestion, result=values["result"], actor=request.user
            )
        )

    @extend_schema(
        request=serializers.ForwardSerializer,
        responses=serializers.SuggestionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """转交上级人大: the congress above handles (assigns) the suggestion."""
        suggestion = self.get_object()
        SuggestionPolicy.require(request.user, "forward", suggestion)
        values = _input(request, serializers.ForwardSerializer)
        return self._respond(
            services.suggestion_forward(
                suggestion=suggestion, note=values["note"], actor=request.user
            )
        )

    @extend_schema(responses=serializers.SuggestionSerializer(many=True))
    @action(detail=False, methods=["get"])
    def similar(self, request):
        """Up to 5 similar suggestions of a congress and year (``congress``, ``text``, ``year``?)."""
        try:
            congress_id = int(request.query_params.get("congress") or 0)
        except ValueError as exc:
            raise ValidationError({"congress": [_("请指定人民代表大会。")]}) from exc
        if not congress_id:
            raise ValidationError({"congress": [_("请指定人民代表大会。")]})
        try:
            year = int(request.query_params.get("year") or 0) or None
        except ValueError as exc:
            raise ValidationError({"year": [_("年度不正确。")]}) from exc
        congress = (
            Congress.objects.select_related("region").filter(pk=congress_id).first()
        )
        # The same scope as the write form's hint: a congress the user may not
        # consult is not found (issue 15: titles of other congresses leaked here).
        if congress is None or not may_consult_congress(request.user, congress):
            raise NotFound
        rows = selectors.similar_suggestions(
            request.user,
            congress=congress,
            year=year or timezone.localdate().year,
            text=request.query_params.get("text", ""),
        )
        # Titles of similar items of the same congress are shown to its deputies to
        # encourage merging; other fields only when visible.
        data = [
            {
                "id": row["s"].pk,
                "title": row["s"].title,
                "number_display": row["s"].number_display,
                "status": row["s"].status,
                "visible": row["visible"],
            }
            for row in rows
        ]
        return Response(data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignments: a unit sees only its own; congress staff their region's."""

    pagination_class = KeysetPagination
    filterset_fields = ["status", "role", "unit", "suggestion"]

    def get_serializer_class(self):
        return (
            serializers.AssignmentSerializer
            if self.action == "list"
            else serializers.AssignmentDetailSerializer
        )

    def get_queryset(self):
        queryset = (
            Assignment.objects.visible_to(self.request.user)
            .with_list_related()
            .prefetch_related(
                Prefetch(
                    "suggestion__evaluations",
                    queryset=Evaluation.objects.only(
                        "id",
                        "suggestion_id",
                        "mandate_id",
                        "round",
                        "result",
                        "attitude",
                    ),
                )
            )
        )
        if self.action == "list":  # the list shows no replies
            return queryset
        return queryset.prefetch_related(
            Prefetch("replies", queryset=Reply.objects.prefetch_related("commitments"))
        )

    def _respond(self, assignment):
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(serializers.AssignmentDetailSerializer(fresh).data)

    def _unit_action(self, request, action: str):
        assignment = self.get_object()
        AssignmentPolicy.require(request.user, action, assignment)
        return assignment

    @extend_schema(request=None, responses=serializers.AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        assignment = self._unit_action(request, "accept")
        return self._respond(
            services.assignment_accept(assignment=assignment, actor=request.user)
        )

    @extend_schema(
        request=serializers.ReasonSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def request_return(self, request, pk=None):
        assignment = self._unit_action(request, "request_return")
        values = _input(request, serializers.ReasonSerializer)
        services.assignment_request_return(
            assignment=assignment, actor=request.user, **values
        )
        return self._respond(assignment)

    @extend_schema(
        request=serializers.ContactSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        assignment = self._unit_action(request, "contact")
        values = _input(request, serializers.ContactSerializer)
        services.assignment_contact(assignment=assignment, actor=request.user, **values)
        return self._respond(assignment)

    @extend_schema(
        request=serializers.ExtensionSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def request_extension(self, request, pk=None):
        assignment = self._unit_action(request, "request_extension")
        values = _input(request, serializers.ExtensionSerializer)
        services.assignment_request_extension(
            assignment=assignment, actor=request.user, **values
        )
        return self._respond(assignment)

    @extend_schema(
        request=serializers.ReplyInputSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        assignment = self._unit_action(request, "reply")
        values = _input(request, serializers.ReplyInputSerializer)
        services.assignment_reply(assignment=assignment, actor=request.user, **values)
        return self._respond(assignment)

    @extend_schema(
        request=serializers.CoOpinionSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def co_opinion(self, request, pk=None):
        assignment = self._unit_action(request, "co_opinion")
        values = _input(request, serializers.CoOpinionSerializer)
        services.co_unit_opinion_send(
            assignment=assignment, actor=request.user, **values
        )
        return self._respond(assignment)

    @extend_schema(
        request=serializers.OptionalReasonSerializer,
        responses=serializers.AssignmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        assignment = self.get_object()
        AssignmentPolicy.require(request.user, "urge", assignment)
        values = _input(request, serializers.OptionalReasonSerializer)
        services.urge_create(
            assignment=assignment, actor=request.user, note=values["reason"]
        )
        return self._respond(assignment)


class _DecisionViewSet(viewsets.GenericViewSet):
    """Shared by extension and return requests: staff of the region decide."""

    model = None
    decide_service = None
    # The input of ``decide``: OPTIONS describes it (without one it answered 500).
    serializer_class = serializers.DecisionSerializer

    def get_queryset(self):
        return selectors.requests_to_decide(self.model, self.request.user)

    @extend_schema(
        request=serializers.DecisionSerializer,
        responses=serializers.DecisionResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item = self.get_object()
        AssignmentPolicy.require(request.user, "decide", item.assignment)
        values = _input(request, serializers.DecisionSerializer)
        type(self).decide_service(request=item, actor=request.user, **values)
        item.refresh_from_db()
        return Response({"id": item.pk, "status": item.status})


class ExtensionRequestViewSet(_DecisionViewSet):
    model = ExtensionRequest
    decide_service = staticmethod(services.extension_decide)


class ReturnRequestViewSet(_DecisionViewSet):
    model = ReturnRequest
    decide_service = staticmethod(services.return_decide)


class PublicSuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published replies to suggestions, searchable with ``q``."""

    permission_classes = [AllowAny]
    serializer_class = serializers.PublicSuggestionSerializer
    pagination_class = KeysetPagination
    filterset_fields = ["congress", "year", "category"]

    def get_queryset(self):
        return selectors.published_suggestions(
            q=self.request.query_params.get("q", "").strip()
        )
