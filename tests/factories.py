"""factory_boy factories for plain rows. Workflow states are reached through services."""

import factory
from django.contrib.auth.hashers import make_password

from portal import services
from portal.models import Congress, HandlingUnit, Region, User

TEST_PASSWORD = "Test#Pass2026"
_PASSWORD_HASH = make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = _PASSWORD_HASH


class RegionFactory(factory.django.DjangoModelFactory):
    """Regions go through ``region_create`` so their path is right."""

    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"区划{n}")
    level = Region.Level.COUNTY
    parent = None
    code = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.region_create(**kwargs, actor=None)


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")
    level = factory.LazyAttribute(lambda o: o.region.level)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.congress_create(**kwargs, actor=None)


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"承办单位{n}")
    region = factory.SubFactory(RegionFactory)


# --- deputies ---------------------------------------------------------------------

_id_counter = iter(range(1, 10**6))


def valid_id_number(birth: str = "19800101", area: str = "430102") -> str:
    """A resident ID number with a correct check digit, unique per call."""
    from portal.chinese import id_check_digit

    body = f"{area}{birth}{next(_id_counter) % 1000:03d}"
    return body + id_check_digit(body)


def make_mandate(
    congress,
    name: str = "",
    *,
    user=None,
    card_number: str = "",
    constituency=None,
    electing_congress=None,
    elected_by_army: bool | None = None,
    **person_fields,
):
    """A person with one mandate in ``congress``'s current term, through the services.

    Where the mandate was won defaults as the services require: county and
    township deputies in the congress's "第一选区"; city level and above elected
    by the first congress one level below, or the army where there is none.
    """
    from deputies import services as deputy_services
    from deputies.models import Constituency
    from portal.models import Congress

    name = name or f"代表{next(_id_counter)}"
    person = deputy_services.person_create(
        name=name,
        gender=person_fields.pop("gender", "male"),
        mobile=person_fields.pop("mobile", "13800138000"),
        id_number=person_fields.pop("id_number", valid_id_number()),
        user=user,
        **person_fields,
        actor=None,
    )
    term = congress.current_term()
    if congress.level in deputy_services.DIRECTLY_ELECTED_LEVELS:
        if constituency is None:
            constituency, _ = Constituency.objects.get_or_create(
                congress=congress, name="第一选区"
            )
    elif electing_congress is None and not elected_by_army:
        electing_congress = (
            Congress.objects.filter(region__parent_id=congress.region_id)
            .order_by("pk")
            .first()
        )
    return deputy_services.mandate_create(
        person=person,
        congress=congress,
        term=term,
        card_number=card_number or f"C{person.pk:05d}",
        constituency=constituency,
        electing_congress=electing_congress,
        elected_by_army=bool(elected_by_army)
        or electing_congress is None
        and congress.level not in deputy_services.DIRECTLY_ELECTED_LEVELS,
        actor=None,
    )
