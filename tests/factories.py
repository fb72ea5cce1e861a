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
        return services.region_create(**kwargs)


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")
    level = factory.LazyAttribute(lambda o: o.region.level)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.congress_create(**kwargs)


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"承办单位{n}")
    region = factory.SubFactory(RegionFactory)
