"""The world the Schemathesis gate calls into: the demo province
(``seed_demo``), a few states the demo leaves behind it, the four personas'
API tokens, and the rows the fuzzer's numbers are aimed at."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command

from deputies.models import Mandate, Person
from livelihood_votes import services as livelihood
from livelihood_votes.models import Programme
from portal import services
from portal.models import Congress, HandlingUnit, User

# The four personas and the demo accounts that play them (API.md, "Demo accounts").
PERSONAS = {
    "anonymous": None,
    "deputy": "daibiao01",
    "unit_staff": "unit_jiaotong",
    "congress_staff": "xian_staff",
}

# ``{id}`` in a path: the model whose rows fuzzed ids are mapped onto (in scope
# of the persona or not: both answers are part of the contract).
PATH_MODELS = {
    "activities": "deputies.Activity",
    "assignments": "proposals.Assignment",
    "congresses": "portal.Congress",
    "deputies": "deputies.Mandate",
    "deputy-groups": "deputies.DeputyGroup",
    "extension-requests": "proposals.ExtensionRequest",
    "handling-units": "portal.HandlingUnit",
    "livelihood/programs": "livelihood_votes.Programme",
    "livelihood/rounds": "livelihood_votes.VoteRound",
    "notifications": "portal.Notification",
    "opinions": "stations.Opinion",
    "public/livelihood-results": "livelihood_votes.VoteRound",
    "public/suggestions": "proposals.Suggestion",
    "regions": "portal.Region",
    "return-requests": "proposals.ReturnRequest",
    "sessions": "portal.Session",
    "stations": "stations.Station",
    "suggestions": "proposals.Suggestion",
}

# Integer fields of request bodies (at any depth) that name a row: in the
# fuzzing phase the generated whole numbers are mapped onto rows, so cases get
# past "does not exist" to the services behind it.
BODY_MODELS = {
    "congress": "portal.Congress",
    "unit": "portal.HandlingUnit",
    "station": "stations.Station",
    "deputy": "deputies.Mandate",
    "mandate": "deputies.Mandate",
    "lead_unit": "portal.HandlingUnit",
    "session": "portal.Session",
    "delegation": "deputies.Delegation",
    "into": "proposals.Suggestion",
    "subdistrict": "portal.Region",
    "co_signers": "deputies.Mandate",
    "participants": "deputies.Mandate",
    "present": "deputies.Mandate",
    "approve": "livelihood_votes.Candidate",
    "ids": "portal.Notification",
    "activities": "deputies.Activity",
    "opinions": "stations.Opinion",
}


@dataclass
class ContractWorld:
    tokens: dict[str, str]
    pools: dict[str, list[int]] = field(default_factory=dict)
    tracking_codes: list[str] = field(default_factory=list)

    def headers(self, persona: str) -> dict[str, str]:
        token = self.tokens.get(persona)
        return {"Authorization": f"Token {token}"} if token else {}

    def pick(self, label: str, value):
        """The fuzzer's whole number, mapped onto a row of ``label``; other values
        (negative, not a number) are left as generated."""
        pool = self.pools.get(label)
        if not pool or isinstance(value, bool) or not isinstance(value, int):
            return value
        if value < 0:
            return value
        return pool[value % len(pool)]


def _in_flight() -> None:
    """States the demo leaves behind it, so their answers are tried too: a
    programme collecting ideas from the public, one whose vote round is open
    (the demo's rounds are all closed), deputies whose birth date is not known
    (a roster imported without one)."""
    congress = Congress.objects.get(name="桃花乡人民代表大会")
    staff = User.objects.get(username="taohua_staff")
    year = max(
        Programme.objects.filter(congress=congress).values_list("year", flat=True)
    )
    livelihood.programme_create(congress=congress, year=year + 2, seats=2, actor=staff)
    programme = livelihood.programme_create(
        congress=congress, year=year + 1, seats=2, actor=staff
    )
    for _phase in ("screening", "assessing"):
        programme = livelihood.programme_advance(programme=programme, actor=staff)
    unit = HandlingUnit.objects.get(name="桃花乡人民政府")
    for title in ("村道硬化", "路灯安装", "饮水改造"):
        livelihood.candidate_create(
            programme=programme,
            title=title,
            description=title,
            estimated_cost=Decimal("10"),
            lead_unit=unit,
            actor=staff,
        )
    for _phase in ("candidates", "deliberation"):
        programme = livelihood.programme_advance(programme=programme, actor=staff)
    vote_round = livelihood.round_create(
        programme=programme, mode="electronic", actor=staff
    )
    mandates = Mandate.objects.current().active().filter(congress=congress)
    livelihood.round_attendance_record(
        vote_round=vote_round, mandates=list(mandates[:40]), actor=staff
    )
    livelihood.round_open(vote_round=vote_round, actor=staff)
    unknown = Person.objects.filter(mandates__congress__name="湘源县人民代表大会")
    Person.objects.filter(pk__in=unknown.order_by("pk").values("pk")[:3]).update(
        birth_date=None
    )


def build_world() -> ContractWorld:
    """Seed the world (in the caller's transaction) and describe it."""
    call_command("seed_demo", stdout=io.StringIO())
    _in_flight()
    tokens = {}
    for persona, username in PERSONAS.items():
        if username:
            user = User.objects.get(username=username)
            tokens[persona] = services.api_token_issue(user=user, actor=user).key
    labels = {*PATH_MODELS.values(), *BODY_MODELS.values()}
    pools = {
        label: list(
            apps.get_model(label)
            .objects.order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        for label in labels
    }
    opinion = apps.get_model("stations.Opinion")
    return ContractWorld(
        tokens=tokens,
        pools=pools,
        tracking_codes=list(
            opinion.objects.order_by("pk").values_list("tracking_code", flat=True)
        ),
    )
