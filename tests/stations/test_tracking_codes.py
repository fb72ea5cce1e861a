"""Tracking codes (issue 13): 50 random bits in Crockford base32, read out easily,
looked up forgivingly, rate limited, and saying nothing beyond "not found"."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from stations import selectors, services, tracking
from stations.models import Opinion

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/opinions/"
CODE = re.compile(
    r"^TH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$"
)


def submit(sw):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="村口道路坑洼，雨天积水严重。",
        actor=None,
    )


def test_keys_carry_fifty_random_bits_from_secrets(monkeypatch):
    assert len(tracking.ALPHABET) == 32 and tracking.RANDOM_CHARS == 10
    assert not set("ILOU") & set(tracking.ALPHABET)
    drawn = []

    def choice(seq):
        drawn.append(seq)
        return seq[0]

    monkeypatch.setattr(tracking.secrets, "choice", choice)
    assert tracking.new_key() == "0000000000"
    assert len(drawn) == 10


def test_codes_are_grouped_for_the_phone_and_differ(sw):
    codes = {submit(sw).tracking_code for _ in range(20)}
    assert len(codes) == 20
    assert all(CODE.match(code) for code in codes)
    assert tracking.format_code("TH", "7K3M9QXF2W") == "TH-7K3M-9QXF-2W"


def test_a_code_does_not_follow_from_the_previous_one(sw):
    first, second = submit(sw), submit(sw)
    assert first.tracking_key[:-1] != second.tracking_key[:-1]


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "{lower}",
        "  {spaced}  ",
        "{compact}",
        "{without_prefix}",
        "{confused}",
    ],
)
def test_lookup_forgives_case_spaces_dashes_and_confusable_letters(sw, typed):
    opinion = submit(sw)
    # A key with 0 and 1 in it, to type as O and I/L.
    Opinion.objects.filter(pk=opinion.pk).update(
        tracking_key="7K0M91XF2W", tracking_code="TH-7K0M-91XF-2W"
    )
    code = "TH-7K0M-91XF-2W"
    value = typed.format(
        code=code,
        lower=code.lower(),
        spaced="th 7k0m 91xf 2w",
        compact="TH7K0M91XF2W",
        without_prefix="7K0M-91XF-2W",
        confused="th-7kom-9lxf-2w",
    )
    found = selectors.opinion_by_code(value)
    assert found is not None and found.pk == opinion.pk


@pytest.mark.parametrize(
    "typed", ["BS-7K0M-91XF-2W", "TH-7K0M-91XF-2X", "TH-2026-0001", "", "TH"]
)
def test_lookup_finds_nothing_for_a_wrong_prefix_or_key(sw, typed):
    opinion = submit(sw)
    Opinion.objects.filter(pk=opinion.pk).update(
        tracking_key="7K0M91XF2W", tracking_code="TH-7K0M-91XF-2W"
    )
    assert selectors.opinion_by_code(typed) is None


def test_tracking_page_and_api_accept_a_spaced_lower_case_code(client, api, sw):
    opinion = submit(sw)
    spaced = opinion.tracking_code.replace("-", " ").lower()
    page = client.get(reverse("stations:track"), {"code": spaced})
    assert page.status_code == 200 and opinion.tracking_code in page.content.decode()
    compact = opinion.tracking_code.replace("-", "").lower()
    body = api.get(f"{PUBLIC}{compact}/").json()
    assert body["tracking_code"] == opinion.tracking_code


def test_unknown_and_malformed_codes_answer_the_same_not_found(api, client, sw):
    submit(sw)
    unknown = api.get(f"{PUBLIC}TH-7K3M-9QXF-2W/")
    malformed = api.get(f"{PUBLIC}TH-2026-0001/")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json() == malformed.json()
    page = client.get(reverse("stations:track"), {"code": "TH-7K3M-9QXF-2W"})
    assert page.status_code == 404 and "没有找到" in page.content.decode()


def test_the_page_and_the_api_share_one_lookup_budget(api, client, sw, monkeypatch):
    monkeypatch.setattr(selectors, "TRACK_LOOKUPS_PER_HOUR", 4)
    opinion = submit(sw)
    for _ in range(2):
        assert (
            client.get(reverse("stations:track"), {"code": "TH-X"}).status_code == 404
        )
        assert api.get(f"{PUBLIC}TH-7K3M-9QXF-2W/").status_code == 404
    # Past the budget even a right code is refused, on either side.
    assert api.get(f"{PUBLIC}{opinion.tracking_code}/").status_code == 429
    response = client.get(reverse("stations:track"), {"code": opinion.tracking_code})
    assert response.status_code == 429
    other = api.get(f"{PUBLIC}{opinion.tracking_code}/", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_the_data_migration_gives_existing_opinions_new_random_codes(sw, world):
    first, second = submit(sw), submit(sw)
    Opinion.objects.filter(pk=first.pk).update(
        tracking_code="TH-2026-0031", tracking_key="OLD0000031", congress=None
    )
    Opinion.objects.filter(pk=second.pk).update(
        tracking_code="TH-2026-0032", tracking_key="OLD0000032", congress=None
    )
    migration = importlib.import_module(
        "stations.migrations.0005_opinion_new_tracking_codes"
    )
    migration.forwards(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert CODE.match(first.tracking_code) and CODE.match(second.tracking_code)
    assert first.tracking_code != second.tracking_code
    assert first.tracking_key == first.tracking_code.replace("-", "")[2:]
    assert first.congress == world.township_congress
    assert selectors.opinion_by_code("TH-2026-0031") is None
    assert selectors.opinion_by_code(first.tracking_code).pk == first.pk
