"""Create and edit forms: person + mandate in one form, new mandate for a
registered person, person edit; Chinese validation from the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Constituency, Mandate, Person
from portal.chinese import id_check_digit
from portal.models import AuditEvent
from tests.deputies.conftest import messages_of
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

CREATE = reverse("deputies:create")
BODY = "43010219800101123"
GOOD_ID = BODY + id_check_digit(BODY)
BAD_ID = BODY + ("0" if id_check_digit(BODY) != "0" else "1")


def person_data(**overrides):
    data = {
        "name": "黄晓梅",
        "gender": "female",
        "ethnicity": "土家族",
        "birth_date": "1980-01-01",
        "party": "cpc",
        "education": "bachelor",
        "employer": "湘源县第一中学",
        "post": "教师",
        "occupation": "professional",
        "is_frontline": "on",
        "mobile": "13712345678",
        "id_number": GOOD_ID,
        "biography": "长期在乡村学校任教。",
    }
    data.update(overrides)
    return data


def mandate_data(world, **overrides):
    constituency, _ = Constituency.objects.get_or_create(
        congress=world.county_congress, name="城关选区"
    )
    data = {
        "term": world.county_congress.current_term().pk,
        "card_number": "XY-500",
        "constituency": constituency.pk,
        "elected_on": "2026-10-20",
    }
    data.update(overrides)
    return data


def create_url(congress):
    return f"{CREATE}?congress={congress.pk}"


def test_admins_choose_a_congress_first(client, personas, terms, world):
    client.force_login(personas.admin)
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请先选择所属的人民代表大会" in html
    assert world.township_congress.name in html
    assert world.other_county_congress.name in html


def test_county_staff_register_only_their_own_congresss_deputies(
    client, personas, terms, world
):
    # Upper and lower congresses have no leadership relation: the township's
    # deputies are registered by the township's staff.
    client.force_login(personas.county_staff)
    html = client.get(CREATE).content.decode()
    assert "请先选择所属的人民代表大会" not in html
    assert 'name="card_number"' in html  # straight to the county's form
    response = client.post(
        create_url(world.township_congress),
        {
            **person_data(),
            "term": world.township_congress.current_term().pk,
            "card_number": "TH-500",
        },
    )
    assert response.status_code == 200  # the chooser again, with an error
    assert not Person.objects.exists()


def test_a_county_mandate_needs_a_constituency(client, personas, terms, world):
    client.force_login(personas.county_staff)
    response = client.post(
        create_url(world.county_congress),
        {**person_data(), **mandate_data(world, constituency="")},
    )
    assert response.status_code == 200
    assert "县、乡两级人大代表须填写选区。" in response.content.decode()
    assert not Person.objects.exists()


def test_township_staff_with_one_congress_goes_straight_to_the_form(
    client, personas, terms
):
    client.force_login(personas.township_staff)
    html = client.get(CREATE).content.decode()
    assert 'name="card_number"' in html
    assert 'name="delegation"' not in html  # township congresses have no delegations


def test_create_person_and_mandate(client, personas, terms, world):
    client.force_login(personas.county_staff)
    response = client.post(
        create_url(world.county_congress), {**person_data(), **mandate_data(world)}
    )
    mandate = Mandate.objects.get(card_number="XY-500")
    assert response.status_code == 302
    assert response.url == reverse("deputies:detail", args=[mandate.pk])
    assert mandate.person.name == "黄晓梅"
    assert mandate.person.is_frontline
    assert mandate.congress == world.county_congress
    assert AuditEvent.objects.filter(
        action="mandate.create", object_id=str(mandate.pk)
    ).exists()
    assert "已新增代表黄晓梅。" in messages_of(response)


def test_bad_id_check_digit_is_refused_in_chinese(client, personas, terms, world):
    client.force_login(personas.county_staff)
    response = client.post(
        create_url(world.county_congress),
        {**person_data(id_number=BAD_ID, mobile="12345"), **mandate_data(world)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码校验位不正确。" in html
    assert "请输入有效的11位大陆手机号码。" in html
    assert not Person.objects.filter(name="黄晓梅").exists()


def test_duplicate_card_number_creates_nothing(client, personas, terms, world):
    make_mandate(world.county_congress, "赵一", card_number="XY-500")
    client.force_login(personas.county_staff)
    response = client.post(
        create_url(world.county_congress), {**person_data(), **mandate_data(world)}
    )
    assert response.status_code == 200
    assert "代表证号“XY-500”已被使用。" in response.content.decode()
    assert not Person.objects.filter(name="黄晓梅").exists()  # rolled back


def test_photo_must_be_an_image(client, personas, terms, world):
    client.force_login(personas.county_staff)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = client.post(
        create_url(world.county_congress),
        {**person_data(photo=fake), **mandate_data(world)},
    )
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Person.objects.exists()


def test_leader_and_deputy_may_not_create(client, personas, terms):
    for user in (personas.leader, personas.deputy):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403


def test_other_county_staff_cannot_create_in_our_congress(
    client, personas, terms, world
):
    client.force_login(personas.other_county_staff)
    response = client.post(
        create_url(world.county_congress), {**person_data(), **mandate_data(world)}
    )
    assert response.status_code == 200  # the congress chooser again, with an error
    assert not Person.objects.exists()


def test_create_anonymous_and_wrong_method(client, personas, terms):
    response = client.get(CREATE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(personas.county_staff)
    assert client.put(CREATE).status_code == 405


# --- new mandate for a registered person -------------------------------------------


def test_add_a_township_mandate_to_a_county_deputy(client, personas, deputies, world):
    url = reverse("deputies:mandate_add", args=[deputies.own.pk])
    data = {
        "term": world.township_congress.current_term().pk,
        "card_number": "TH-050",
        "constituency": Constituency.objects.create(
            congress=world.township_congress, name="桃花村选区"
        ).pk,
    }
    # Not by the county's staff: the township congress registers its own.
    client.force_login(personas.county_staff)
    response = client.post(f"{url}?congress={world.township_congress.pk}", data)
    assert response.status_code == 200
    assert deputies.own.person.mandates.count() == 1
    client.force_login(personas.admin)
    response = client.post(f"{url}?congress={world.township_congress.pk}", data)
    assert response.status_code == 302
    assert deputies.own.person.mandates.count() == 2


def test_add_mandate_scoping(client, personas, deputies):
    url = reverse("deputies:mandate_add", args=[deputies.own.pk])
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403


# --- edit a person ------------------------------------------------------------------------


def edit_url(mandate):
    return reverse("deputies:person_edit", args=[mandate.pk])


def test_edit_form_never_sends_full_mobile_or_id(client, personas, deputies):
    client.force_login(personas.county_staff)
    html = client.get(edit_url(deputies.own)).content.decode()
    assert "13912345678" not in html
    assert deputies.own.person.id_number not in html
    assert 'placeholder="139****5678"' in html


def test_edit_keeps_mobile_when_left_empty(client, personas, deputies):
    mandate = deputies.own
    client.force_login(personas.county_staff)
    data = person_data(name="张桂英", mobile="", id_number="", post="村党支部书记")
    response = client.post(edit_url(mandate), data)
    assert response.status_code == 302
    person = Person.objects.get(pk=mandate.person_id)
    assert person.post == "村党支部书记"
    assert person.mobile == "13912345678"
    assert person.id_number == mandate.person.id_number
    assert AuditEvent.objects.filter(action="person.update").exists()


def test_edit_validates_in_chinese(client, personas, deputies):
    client.force_login(personas.county_staff)
    response = client.post(
        edit_url(deputies.own), person_data(name="张桂英", id_number=BAD_ID)
    )
    assert response.status_code == 200
    assert "身份证号码校验位不正确。" in response.content.decode()


def test_edit_scoping_and_method(client, personas, deputies):
    client.force_login(personas.other_county_staff)
    assert client.get(edit_url(deputies.own)).status_code == 404
    client.force_login(personas.leader)
    assert client.get(edit_url(deputies.own)).status_code == 403
    client.force_login(personas.county_staff)
    assert client.delete(edit_url(deputies.own)).status_code == 405
    client.logout()
    assert client.get(edit_url(deputies.own)).status_code == 302
