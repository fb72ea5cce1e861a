"""Deputy groups and delegations pages."""

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import Delegation, DeputyGroup, GroupMembership
from tests.deputies.conftest import messages_of

pytestmark = pytest.mark.django_db

GROUPS = reverse("deputies:group_list")
GROUP_NEW = reverse("deputies:group_create")
DELEGATIONS = reverse("deputies:delegation_list")
DELEGATION_NEW = reverse("deputies:delegation_create")


@pytest.fixture
def group(deputies, world):
    group = services.group_create(
        congress=world.county_congress,
        name="农业农村专业代表小组",
        kind="professional",
        leader=deputies.county[0],
        actor=None,
    )
    services.group_add_members(group=group, mandates=deputies.county[1:3], actor=None)
    return group


@pytest.fixture
def other_group(deputies, world):
    return services.group_create(
        congress=world.other_county_congress,
        name="云溪县区域小组",
        kind="regional",
        actor=None,
    )


def test_group_list_is_scoped(client, personas, group, other_group):
    client.force_login(personas.county_staff)
    response = client.get(GROUPS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "农业农村专业代表小组" in html
    assert "云溪县区域小组" not in html


def test_group_list_forbidden_and_method(client, personas, group):
    assert client.get(GROUPS).status_code == 302
    client.force_login(personas.unit_staff)
    assert client.get(GROUPS).status_code == 403
    client.force_login(personas.county_staff)
    assert client.post(GROUPS).status_code == 405


def test_group_detail_lists_members(client, personas, group):
    client.force_login(personas.county_staff)
    response = client.get(reverse("deputies:group_detail", args=[group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("王建国", "丁一", "李秀英"):
        assert name in html
    assert "添加成员" in html


def test_group_detail_scoping(client, personas, group):
    url = reverse("deputies:group_detail", args=[group.pk])
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.leader)
    html = client.get(url).content.decode()
    assert "添加成员" not in html and "移出" not in html
    client.force_login(personas.county_staff)
    assert client.post(url).status_code == 405


def test_create_group(client, personas, deputies, world):
    client.force_login(personas.county_staff)
    url = f"{GROUP_NEW}?congress={world.county_congress.pk}"
    response = client.post(
        url,
        {
            "name": "油茶产业链代表小组",
            "kind": "industrial_chain",
            "leader": deputies.county[3].pk,
        },
    )
    group = DeputyGroup.objects.get(name="油茶产业链代表小组")
    assert response.status_code == 302
    assert group.leader == deputies.county[3]
    assert list(group.members.all()) == [deputies.county[3]]


def test_create_group_duplicate_name(client, personas, group, world):
    client.force_login(personas.county_staff)
    response = client.post(
        f"{GROUP_NEW}?congress={world.county_congress.pk}",
        {"name": "农业农村专业代表小组", "kind": "professional"},
    )
    assert response.status_code == 200
    assert "该人大已有同名代表小组。" in response.content.decode()


def test_create_group_forbidden(client, personas, terms):
    client.force_login(personas.leader)
    assert client.get(GROUP_NEW).status_code == 403
    client.logout()
    assert client.get(GROUP_NEW).status_code == 302


def test_add_and_remove_members(client, personas, group, deputies):
    client.force_login(personas.county_staff)
    add = reverse("deputies:group_add_members", args=[group.pk])
    response = client.post(add, {"mandates": [deputies.county[4].pk, deputies.own.pk]})
    assert response.status_code == 302
    assert "已将 2 名代表加入小组。" in messages_of(response)
    assert group.members.count() == 5

    remove = reverse(
        "deputies:group_remove_member", args=[group.pk, deputies.county[0].pk]
    )
    response = client.post(remove)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.leader is None
    assert not GroupMembership.objects.filter(
        group=group, mandate=deputies.county[0]
    ).exists()


def test_members_must_be_elected_in_the_groups_region(
    client, personas, group, deputies
):
    client.force_login(personas.county_staff)
    add = reverse("deputies:group_add_members", args=[group.pk])
    response = client.post(add, {"mandates": [deputies.other_county.pk]})
    assert response.status_code == 200  # not a choice: the form says so
    assert group.members.count() == 3
    # A township deputy elected within the county may join the county's group.
    response = client.post(add, {"mandates": [deputies.township.pk]})
    assert response.status_code == 302
    assert group.members.count() == 4


def test_member_changes_forbidden(client, personas, group, deputies):
    add = reverse("deputies:group_add_members", args=[group.pk])
    remove = reverse(
        "deputies:group_remove_member", args=[group.pk, deputies.county[1].pk]
    )
    client.force_login(personas.other_county_staff)
    assert client.post(add, {"mandates": [deputies.county[4].pk]}).status_code == 404
    assert client.post(remove).status_code == 404
    client.force_login(personas.leader)
    assert client.post(add, {"mandates": [deputies.county[4].pk]}).status_code == 403
    assert client.post(remove).status_code == 403
    client.force_login(personas.county_staff)
    assert client.get(add).status_code == 405
    assert client.get(remove).status_code == 405
    assert group.members.count() == 3


# --- delegations ------------------------------------------------------------------------


def test_delegations_per_congress_and_term(client, personas, deputies, world):
    term = world.county_congress.current_term()
    services.delegation_create(
        congress=world.county_congress,
        term=term,
        name="桃花乡代表团",
        head=deputies.county[0],
        actor=None,
    )
    services.delegation_create(
        congress=world.other_county_congress,
        term=world.other_county_congress.current_term(),
        name="白沙镇代表团",
        actor=None,
    )
    client.force_login(personas.county_staff)
    html = client.get(DELEGATIONS).content.decode()
    assert "桃花乡代表团" in html
    assert "湘源县人民代表大会第十九届" in html
    assert "白沙镇代表团" not in html


def test_create_delegation(client, personas, deputies, world):
    client.force_login(personas.county_staff)
    url = f"{DELEGATION_NEW}?congress={world.county_congress.pk}"
    data = {
        "term": world.county_congress.current_term().pk,
        "name": "李家镇代表团",
        "head": deputies.county[1].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Delegation.objects.get(name="李家镇代表团").head == deputies.county[1]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "该届已有同名代表团。" in response.content.decode()


def test_township_congress_is_not_offered_for_delegations(
    client, personas, terms, world
):
    client.force_login(personas.township_staff)
    assert client.get(DELEGATION_NEW).status_code == 403
    client.force_login(personas.county_staff)
    response = client.get(f"{DELEGATION_NEW}?congress={world.township_congress.pk}")
    assert "请先选择" in response.content.decode()


def test_delegation_pages_forbidden_and_method(client, personas, terms):
    assert client.get(DELEGATIONS).status_code == 302
    client.force_login(personas.deputy)
    assert client.get(DELEGATIONS).status_code == 403
    client.force_login(personas.leader)
    assert client.get(DELEGATIONS).status_code == 200
    assert client.get(DELEGATION_NEW).status_code == 403
    client.force_login(personas.county_staff)
    assert client.post(DELEGATIONS).status_code == 405
    assert client.delete(DELEGATION_NEW).status_code == 405
