"""API: public ideas, programmes, candidates, vote rounds, ballots, results (API.md).

Reads go through the same selectors as the pages (public results through the
privacy scrub); who may act is asked of ``livelihood_votes.policies``.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Mandate
from portal.api.schema import rate_limited, refused_transition
from portal.models import Congress, HandlingUnit, Region
from portal.ratelimit import (
    client_address,
    client_ip,
    hit,
    public_submission_allowed,
)
from portal.rules import rules_for

from .. import selectors, services
from ..models import Programme, VoteRound
from ..policies import CHECK_IN_ATTEMPTS, ProgrammePolicy, RoundPolicy
from . import serializers


def _input(request, serializer_class):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


@rate_limited
class PublicIdeaCreateView(APIView):
    """A citizen proposes a livelihood project (rate limited like opinions)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=serializers.PublicIdeaCreateSerializer,
        responses={201: serializers.ReceiptSerializer},
    )
    def post(self, request):
        values = _input(request, serializers.PublicIdeaCreateSerializer)
        congress = Congress.objects.filter(
            pk=values.pop("congress"), level="township"
        ).first()
        programme = (
            congress
            and Programme.objects.filter(congress=congress, phase="collecting")
            .order_by("-year")
            .first()
        )
        if programme is None:
            raise ValidationError(
                {"congress": [_("该乡镇目前没有正在征集的民生实事项目。")]}
            )
        if not public_submission_allowed(
            "idea",
            address=client_address(request),
            phone=values.get("phone") or "",
            limit=rules_for(congress).public_submissions_per_hour,
        ):
            raise Throttled(detail=_("提交过于频繁，请一小时后再试。"))
        idea = services.idea_submit(
            programme=programme, ip_address=client_ip(request), **values, actor=None
        )
        return Response(
            {"tracking_code": idea.tracking_code}, status=status.HTTP_201_CREATED
        )


class ProgrammeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Programmes in scope; township congress staff create them and their candidates and rounds."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_fields = ["congress", "year", "phase"]

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("congress")
            .order_by("-year", "id")
        )

    @extend_schema(
        request=serializers.ProgrammeCreateSerializer,
        responses={201: serializers.ProgrammeSerializer},
    )
    def create(self, request, *args, **kwargs):
        values = _input(request, serializers.ProgrammeCreateSerializer)
        # A 街道工委's staff act for the county congress in their sub-district
        # only; which congress and sub-district they may use is the policy's
        # "create" check below (a congress outside it → 403).
        congresses = (
            Congress.objects.all()
            if values.get("subdistrict") is not None
            else Congress.objects.visible_to(request.user)
        )
        congress = (
            congresses.filter(pk=values["congress"]).select_related("region").first()
        )
        if congress is None:
            raise ValidationError(
                {"congress": [_("人民代表大会不存在或不在您的范围内。")]}
            )
        subdistrict = None
        if values.get("subdistrict") is not None:
            subdistrict = Region.objects.filter(
                pk=values["subdistrict"],
                level=Region.Level.SUBDISTRICT,
                path__startswith=congress.region.path,
            ).first()
            if subdistrict is None:
                raise ValidationError(
                    {"subdistrict": [_("街道不存在或不属于该人民代表大会。")]}
                )
        # The programme to be created, as the policy sees it.
        ProgrammePolicy.require(
            request.user,
            "create",
            Programme(
                congress=congress,
                region_path=(subdistrict or congress.region).path,
            ),
        )
        programme = services.programme_create(
            congress=congress,
            year=values["year"],
            seats=values["seats"],
            budget=values.get("budget"),
            budget_upper=values.get("budget_upper"),
            subdistrict=subdistrict,
            actor=request.user,
        )
        return Response(
            serializers.ProgrammeSerializer(programme).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["get"], responses=serializers.CandidateSerializer(many=True)
    )
    @extend_schema(
        methods=["post"],
        request=serializers.CandidateCreateSerializer,
        responses={201: serializers.CandidateSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def candidates(self, request, pk=None):
        programme = self.get_object()
        if request.method == "GET":
            # Paginated like every list (API.md "Conventions"), as the schema says.
            page = self.paginate_queryset(selectors.candidates_of(programme))
            return self.get_paginated_response(
                serializers.CandidateSerializer(page, many=True).data
            )
        ProgrammePolicy.require(request.user, "manage", programme)
        values = _input(request, serializers.CandidateCreateSerializer)
        unit_id = values.pop("lead_unit", None)
        unit = None
        if unit_id:
            unit = (
                HandlingUnit.objects.filter(pk=unit_id).select_related("region").first()
            )
            if unit is None:
                raise ValidationError({"lead_unit": [_("责任单位不存在。")]})
        candidate = services.candidate_create(
            programme=programme, lead_unit=unit, actor=request.user, **values
        )
        return Response(
            serializers.CandidateSerializer(candidate).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.AdvanceSerializer, responses=serializers.ProgrammeSerializer
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """One phase at a time: ``{"to": phase}``; a skip → 409 with the reason."""
        programme = self.get_object()
        ProgrammePolicy.require(request.user, "manage", programme)
        values = _input(request, serializers.AdvanceSerializer)
        programme = services.programme_advance(
            programme=programme, to=values["to"], actor=request.user
        )
        return Response(serializers.ProgrammeSerializer(programme).data)

    @extend_schema(request=None, responses=serializers.ProgrammeSerializer)
    @action(detail=True, methods=["post"], url_path="conclude-vote")
    def conclude_vote(self, request, pk=None):
        """End the vote with the projects selected so far (seats left unfilled)."""
        programme = self.get_object()
        ProgrammePolicy.require(request.user, "manage", programme)
        programme = services.programme_conclude_vote(
            programme=programme, actor=request.user
        )
        return Response(serializers.ProgrammeSerializer(programme).data)

    @extend_schema(
        request=serializers.RoundCreateSerializer,
        responses={201: serializers.RoundSerializer},
    )
    @action(detail=True, methods=["post"])
    def rounds(self, request, pk=None):
        programme = self.get_object()
        ProgrammePolicy.require(request.user, "manage", programme)
        values = _input(request, serializers.RoundCreateSerializer)
        vote_round = services.round_create(
            programme=programme, actor=request.user, **values
        )
        return Response(
            serializers.RoundSerializer(vote_round).data, status=status.HTTP_201_CREATED
        )


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Vote rounds: staff open and close; deputies of the congress cast ballots."""

    serializer_class = serializers.RoundSerializer

    def get_queryset(self):
        if self.action in ("ballot", "check_in"):
            # The same scope (out of it → 404); the service locks and reads the
            # round itself, so nothing to count or prefetch for a vote day's
            # hundreds of presses.
            return VoteRound.objects.visible_to(self.request.user).order_by("id")
        return (
            VoteRound.objects.visible_to(self.request.user)
            .select_related("programme__congress")
            .prefetch_related("candidates")
            .annotate(signed_in=Count("attendances", distinct=True))
            .order_by("id")
        )

    def _staff_round(self, request):
        vote_round = self.get_object()
        RoundPolicy.require(request.user, "manage", vote_round)
        return vote_round

    @extend_schema(request=None, responses=serializers.RoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the round; the quorum is counted from the sign-in (below → 409)."""
        vote_round = self._staff_round(request)
        vote_round = services.round_open(vote_round=vote_round, actor=request.user)
        return Response(serializers.RoundSerializer(vote_round).data)

    @extend_schema(
        request=serializers.RoundAttendanceSerializer,
        responses=serializers.SignedInSerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """签到 by staff: ``{"present": [deputy ids as in GET /api/v1/deputies/]}``."""
        vote_round = self._staff_round(request)
        values = _input(request, serializers.RoundAttendanceSerializer)
        ids = set(values["present"])
        mandates = list(Mandate.objects.filter(pk__in=ids).select_related("person"))
        unknown = ids - {m.pk for m in mandates}
        if unknown:
            raise ValidationError(
                {
                    "present": [
                        _("代表编号不存在：%(ids)s")
                        % {"ids": "、".join(str(i) for i in sorted(unknown))}
                    ]
                }
            )
        count = services.round_attendance_record(
            vote_round=vote_round, mandates=mandates, actor=request.user
        )
        return Response({"signed_in": count})

    @extend_schema(
        request=serializers.CheckInSerializer, responses=serializers.CheckedInSerializer
    )
    @rate_limited
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """The deputy signs in with the code on the hall screen."""
        vote_round = self.get_object()
        values = _input(request, serializers.CheckInSerializer)
        # The same attempt limit as the phone page: a 6-digit code is not to be
        # guessed from outside the hall.
        if not hit(
            "livelihood.check_in",
            f"{request.user.pk}:{vote_round.pk}",
            limit=CHECK_IN_ATTEMPTS,
        ):
            raise Throttled(
                detail=_("签到码输错次数过多，请一小时后再试，或请工作人员为您签到。")
            )
        created = services.round_check_in(
            vote_round=vote_round, code=values["code"], actor=request.user
        )
        return Response({"checked_in": True, "already": not created})

    @extend_schema(request=None, responses=serializers.RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        vote_round = self._staff_round(request)
        vote_round = services.round_close(vote_round=vote_round, actor=request.user)
        return Response(serializers.RoundSerializer(vote_round).data)

    @extend_schema(
        request=serializers.PaperCountsSerializer, responses=serializers.RoundSerializer
    )
    @action(detail=True, methods=["post"], url_path="paper-counts")
    def paper_counts(self, request, pk=None):
        vote_round = self._staff_round(request)
        values = _input(request, serializers.PaperCountsSerializer)
        try:
            approvals = {int(k): v for k, v in values.pop("approvals").items()}
        except ValueError as exc:
            raise ValidationError({"approvals": [_("候选项目编号不正确。")]}) from exc
        vote_round = services.paper_counts_enter(
            vote_round=vote_round, approvals=approvals, actor=request.user, **values
        )
        return Response(serializers.RoundSerializer(vote_round).data)

    @extend_schema(
        request=serializers.BallotSerializer,
        responses={201: serializers.ReceiptSerializer},
    )
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        vote_round = self.get_object()  # out of scope → 404, never 403/409
        values = _input(request, serializers.BallotSerializer)
        receipt = services.ballot_cast(
            vote_round=vote_round, actor=request.user, approve=values["approve"]
        )
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: serializers.ResultsSerializer, 409: refused_transition()}
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Results of a closed round; before it closes, 409 (API.md)."""
        vote_round = self.get_object()
        return Response(selectors.round_results(vote_round))


class PublicResultsView(APIView):
    """Results of closed rounds are public."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.ResultsSerializer)
    def get(self, request, pk):
        vote_round = get_object_or_404(VoteRound, pk=pk, status=VoteRound.Status.CLOSED)
        data = selectors.public_round_results(vote_round)
        receipt = request.query_params.get("receipt", "").strip().upper()
        if receipt:
            # The deputy checks their ballot was counted; the receipt says nothing
            # of what it chose nor of who holds it (docs/ballot-secrecy.md).
            data["receipt_counted"] = selectors.receipt_counted(vote_round, receipt)
        return Response(data)
