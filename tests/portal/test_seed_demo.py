"""seed_demo builds the fictional province once and only in demo mode."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from portal.models import Congress, HandlingUnit, Region, RoleGrant, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Region.objects.count(),
        Congress.objects.count(),
        HandlingUnit.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    )


def test_seed_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[3] == 12 + 52


def test_demo_province_has_what_the_api_contract_names():
    call_command("seed_demo")
    for name in ["湖南省", "潇湘市", "湘源县", "云溪县", "桃花乡"]:
        assert Region.objects.filter(name=name).exists(), name
    for name in ["湘源县交通运输局", "湘源县住房和城乡建设局", "桃花乡人民政府"]:
        assert HandlingUnit.objects.filter(name=name).exists(), name
    for level in ["national", "province", "city", "county", "township"]:
        assert Congress.objects.filter(level=level).exists(), level
    county = Congress.objects.get(name="湘源县人民代表大会")
    assert county.current_term().sessions.exists()
    daibiao02 = User.objects.get(username="daibiao02")
    assert daibiao02.grants.count() == 2


def test_seed_if_empty_skips_a_used_database(personas):
    call_command("seed_demo", "--if-empty")
    assert not User.objects.filter(username="xian_staff").exists()


@override_settings(DEMO_MODE=False)
def test_seed_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="演示模式"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_demo_names_match_genders_and_document_numbers_their_issuers():
    """Issue 18: what every evaluator sees first is believable. A person's given
    name comes from the pool of their recorded gender; every 文号 the demo
    writes starts with its issuing body's own prefix."""
    from django.apps import apps

    from deputies.demo import FEMALE_GIVEN, MALE_GIVEN, given_name
    from deputies.models import Person, QualificationEvent
    from portal.demo import DOCUMENT_PREFIXES
    from proposals.commendations.models import Campaign
    from proposals.models import Reply, Suggestion
    from stations.consultation_models import StationHonour

    call_command("seed_demo")

    pools = {"male": MALE_GIVEN, "female": FEMALE_GIVEN}
    people = list(Person.objects.values_list("name", "gender"))
    assert len(people) > 100
    wrong = [(n, g) for n, g in people if given_name(n) not in pools[g]]
    assert not wrong, wrong

    # Every field holding a 文号, with who issued it.
    issuers = {
        (Reply, "document_number"): lambda r: r.assignment.unit.name,
        (QualificationEvent, "document_number"): (
            lambda e: e.mandate.congress.standing_committee_name
        ),
        (Suggestion, "bill_document_number"): lambda s: f"{s.congress.name}主席团",
        (Campaign, "document_number"): lambda c: c.congress.standing_committee_name,
        (StationHonour, "document_number"): (
            lambda h: h.awarded_by.standing_committee_name
        ),
    }
    found = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name.endswith("document_number")
    }
    assert found == set(issuers), "a new 文号 field: say who issues it"
    checked, problems = 0, []
    for (model, field), issuer_of in issuers.items():
        for obj in model.objects.exclude(**{field: ""}):
            number, issuer = getattr(obj, field), issuer_of(obj)
            checked += 1
            prefixes = DOCUMENT_PREFIXES.get(issuer, ())
            if not prefixes or not number.startswith(prefixes):
                problems.append((model.__name__, issuer, number))
            if not re.search(r"〔\d{4}〕第?\d+号$", number):
                problems.append((model.__name__, "form", number))
    assert checked >= 8
    assert not problems, problems
