"""portal.api.fast: the planned list serializer answers DRF's output, key for key.

Every list endpoint that uses it is read both ways on the demo province (rows
with and without a constituency, a delegation, a lead deputy, a reply), as the
roles that see different rows and fields (masked mobiles, revealed ones).
"""

import pytest
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from portal.api import fast
from portal.models import User

pytestmark = pytest.mark.django_db

READS = [
    ("xian_staff", "/api/v1/deputies/"),
    ("xian_staff", "/api/v1/deputies/?reveal=1"),
    ("sheng_staff", "/api/v1/deputies/?page_size=200"),
    ("xian_staff", "/api/v1/suggestions/"),
    ("daibiao01", "/api/v1/suggestions/"),
    ("xian_staff", "/api/v1/assignments/"),
    ("unit_jiaotong", "/api/v1/assignments/"),
    ("xian_staff", "/api/v1/opinions/"),
    ("sheng_staff", "/api/v1/opinions/"),
]


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def _read(username: str, url: str, *, planned: bool, monkeypatch) -> object:
    monkeypatch.setattr(fast, "ENABLED", planned)
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_planned_lists_answer_what_drf_answers(demo, monkeypatch):
    # One demo province for every read (seeding it is most of the test's time).
    for username, url in READS:
        planned = _read(username, url, planned=True, monkeypatch=monkeypatch)
        drf = _read(username, url, planned=False, monkeypatch=monkeypatch)
        assert planned == drf, (username, url)
        assert planned["results"], f"{username} {url}: an empty list proves nothing"
        # Same keys in the same order, row by row (the JSON clients see).
        assert [list(r) for r in planned["results"]] == [
            list(r) for r in drf["results"]
        ], (username, url)


def test_the_deputy_list_s_groups_are_each_mandate_s_groups(demo):
    """The list reads the page's memberships in one query (group_ids_of)."""
    from deputies.models import Mandate

    client = APIClient()
    client.force_authenticate(User.objects.get(username="sheng_staff"))
    rows = client.get("/api/v1/deputies/?page_size=200").json()["results"]
    assert any(r["groups"] for r in rows)
    for row in rows:
        mandate = Mandate.objects.get(pk=row["id"])
        assert row["groups"] == [g.pk for g in mandate.groups.all()], row["id"]


def test_missing_links_and_skipped_fields_are_drf_s(demo, monkeypatch):
    """A dotted source through a null foreign key: DRF's default, null or an
    omitted key (a read-only field without default), not an error."""

    from deputies.models import Mandate

    class Probe(serializers.ModelSerializer):
        constituency_name = serializers.CharField(
            source="constituency.name", default=""
        )
        delegation_kind = serializers.CharField(
            source="delegation.name", allow_null=True
        )
        delegation_head = serializers.IntegerField(
            source="delegation.head_id", read_only=True
        )
        electing = serializers.PrimaryKeyRelatedField(
            source="electing_congress", read_only=True
        )

        class Meta:
            model = Mandate
            list_serializer_class = fast.FastListSerializer
            fields = [
                "id",
                "constituency_name",
                "delegation_kind",
                "delegation_head",
                "electing",
                "card_number",
            ]

    mandates = list(
        Mandate.objects.select_related("constituency", "delegation").order_by("id")
    )
    assert any(m.delegation_id is None for m in mandates)
    assert any(m.delegation_id is not None for m in mandates)
    planned = Probe(mandates, many=True).data
    monkeypatch.setattr(fast, "ENABLED", False)
    assert Probe(mandates, many=True).data == planned
    without = next(
        r for r, m in zip(planned, mandates, strict=True) if m.delegation_id is None
    )
    assert "delegation_head" not in without
    assert without["delegation_kind"] is None
