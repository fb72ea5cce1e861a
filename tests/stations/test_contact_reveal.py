"""A citizen's mobile is masked for every role (issue 15): the unit replying and
the staff steering the loop reveal it with a logged action, and the response
that shows it is never stored (``Cache-Control: no-store``)."""

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from stations import services
from stations.models import Opinion

pytestmark = pytest.mark.django_db

API = "/api/v1/opinions"
PHONE = "13812345678"
MASKED = "138****5678"


def submit(sw):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone=PHONE,
        content="村口道路坑洼，雨天积水。",
        category="transport",
        actor=None,
    )


def assigned(sw):
    return services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)


def reveals(opinion):
    return AuditEvent.objects.filter(
        action="personal_data.reveal", object_id=str(opinion.pk)
    )


def who(sw, personas, name):
    return getattr(sw, name, None) or getattr(personas, name)


# --- masked by default, for every role ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["station_staff", "unit_staff", "township_staff", "county_staff", "leader"],
)
def test_every_role_reads_the_number_masked(client, api_as, sw, personas, name):
    opinion = assigned(sw)
    user = who(sw, personas, name)
    client.force_login(user)
    html = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert PHONE not in html and MASKED in html
    body = api_as(user).get(f"{API}/{opinion.pk}/").json()
    assert body["submitter_phone"] == MASKED
    listed = api_as(user).get(f"{API}/").json()["results"]
    assert [row["submitter_phone"] for row in listed] == [MASKED]
    assert not reveals(opinion).exists()


# --- the logged reveal --------------------------------------------------------------


@pytest.mark.parametrize("name", ["station_staff", "unit_staff", "township_staff"])
def test_the_loop_reveals_the_number_once_logged(client, sw, personas, name):
    opinion = assigned(sw)
    user = who(sw, personas, name)
    client.force_login(user)
    page = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert "显示完整号码" in page
    response = client.post(
        reverse("stations:opinion_reveal_contact", args=[opinion.pk]),
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="tel:{PHONE}"' in html and "本次查看已记入操作记录" in html
    assert "no-store" in response["Cache-Control"]
    (event,) = reveals(opinion)
    assert event.actor == user and event.ip_address == "10.1.2.3"
    assert event.data == {"field": "submitter_phone"}
    assert event.region_path == opinion.region_path


def test_the_api_reveal_answers_the_number_unstored_and_logged(api_as, sw):
    opinion = assigned(sw)
    response = api_as(sw.unit_staff).post(f"{API}/{opinion.pk}/reveal-contact/")
    assert response.status_code == 200
    assert response.json() == {"submitter_phone": PHONE}
    assert "no-store" in response["Cache-Control"]
    assert reveals(opinion).count() == 1


@pytest.mark.parametrize("name", ["county_staff", "province_staff", "leader"])
def test_upper_congresses_and_leaders_may_not_reveal(
    client, api_as, sw, personas, name
):
    """They supervise the loop; they do not call the citizen (403, reason)."""
    opinion = assigned(sw)
    user = who(sw, personas, name)
    client.force_login(user)
    page = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert "显示完整号码" not in page
    response = client.post(
        reverse("stations:opinion_reveal_contact", args=[opinion.pk])
    )
    assert response.status_code == 403
    api = api_as(user).post(f"{API}/{opinion.pk}/reveal-contact/")
    assert api.status_code == 403
    assert "承办单位和联络站工作人员" in api.json()["detail"]
    assert PHONE not in api.content.decode()
    assert not reveals(opinion).exists()


def test_a_unit_no_longer_handling_it_may_not_reveal(api_as, sw):
    opinion = assigned(sw)
    opinion = services.opinion_reply(opinion=opinion, text="已修复", actor=None)
    opinion = services.opinion_visit(
        opinion=opinion, result=Opinion.VisitResult.DISSATISFIED, note="", actor=None
    )
    services.opinion_assign(opinion=opinion, unit=sw.other_unit, actor=None)
    response = api_as(sw.unit_staff).post(f"{API}/{opinion.pk}/reveal-contact/")
    assert response.status_code in (403, 404)
    assert api_as(sw.other_unit_staff).post(
        f"{API}/{opinion.pk}/reveal-contact/"
    ).json() == {"submitter_phone": PHONE}


@pytest.mark.parametrize(
    "name", ["other_station_staff", "other_county_staff", "other_unit_staff"]
)
def test_out_of_scope_is_404(client, api_as, sw, personas, name):
    opinion = assigned(sw)
    user = who(sw, personas, name)
    client.force_login(user)
    url = reverse("stations:opinion_reveal_contact", args=[opinion.pk])
    assert client.post(url).status_code == 404
    assert api_as(user).post(f"{API}/{opinion.pk}/reveal-contact/").status_code == 404
    assert not reveals(opinion).exists()


def test_anonymous_and_get_are_refused(client, sw):
    opinion = submit(sw)
    url = reverse("stations:opinion_reveal_contact", args=[opinion.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(sw.station_staff)
    assert client.get(url).status_code == 405
    assert not reveals(opinion).exists()
