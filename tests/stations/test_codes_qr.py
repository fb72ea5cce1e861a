"""代表码 (issue 17): signed codes per deputy and station, decoded with zxing-cpp;
a scan opens the public card and an opinion form routed to the deputy and the
station; codes stop working when the mandate ends or the station closes."""

from __future__ import annotations

import io
from datetime import date

import pytest
import zxingcpp
from django.core import signing
from django.urls import reverse
from PIL import Image

from deputies import services as deputy_services
from deputies.choices import TerminationGround
from stations.models import Opinion, Station, StationMembership
from stations.network import codes

from .test_feedback import deputy_member
from .test_pages_public import opinion_data

pytestmark = pytest.mark.django_db


def _decode(png: bytes) -> str:
    # Read as a phone's QR scanner does: QR codes only. Searching every format,
    # zxing-cpp also "found" an ITF bar code in the modules of about one QR
    # code in 600 (5 of 3,000 random tokens), and CI failed on one.
    results = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def _membership(sw, mandate) -> StationMembership:
    return StationMembership.objects.get(
        station=sw.station, mandate=mandate, end_date__isnull=True
    )


def _deputy_token(sw, index=0):
    return codes.deputy_token(_membership(sw, sw.members[index]))


def test_the_png_decodes_to_the_signed_url_of_the_deputy(client, sw):
    token = _deputy_token(sw)
    response = client.get(reverse("stations:code_png", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    text = _decode(response.content)
    assert text == codes.code_url(token)
    assert text.endswith(reverse("stations:code", args=[token]))
    payload = signing.loads(token, salt=codes.SALT)
    assert payload == {
        "k": "d",
        "m": sw.members[0].pk,
        "s": sw.station.pk,
    }


def test_the_station_code_decodes_and_opens_the_station_card(client, sw):
    token = codes.station_token(sw.station)
    text = _decode(codes.png(codes.code_url(token)))
    path = text.removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response.status_code == 200
    assert "桃花乡代表联络站" in response.content.decode()


def test_the_card_shows_public_fields_only(client, sw):
    response = client.get(reverse("stations:code", args=[_deputy_token(sw)]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "丁一" in body
    assert "桃花乡代表联络站" in body
    person = sw.members[0].person
    assert person.mobile not in body
    assert person.id_number not in body


def test_an_opinion_sent_from_a_deputy_code_goes_to_that_deputy_and_station(client, sw):
    url = reverse("stations:code", args=[_deputy_token(sw, 1)])
    response = client.post(url, opinion_data(sw.station))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.station == sw.station
    assert list(opinion.deputies.all()) == [sw.members[1]]
    assert (
        reverse("stations:opinion_sent", args=[sw.station.pk]) in response["Location"]
    )


def test_the_public_submission_rate_limit_applies(client, sw, settings):
    url = reverse("stations:code", args=[codes.station_token(sw.station)])
    data = opinion_data(sw.station)
    statuses = [client.post(url, data).status_code for _ in range(12)]
    assert statuses[0] == 302
    assert statuses[-1] == 429


def test_a_code_stops_working_when_the_membership_ends(client, sw):
    token = _deputy_token(sw)
    membership = _membership(sw, sw.members[0])
    from stations import services

    services.station_end_membership(
        membership=membership, end_date=date(2026, 11, 1), actor=None
    )
    for name in ("stations:code", "stations:code_png"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 410
        assert "此码已失效" in response.content.decode()


def test_a_code_stops_working_when_the_mandate_is_terminated(client, sw):
    token = _deputy_token(sw)
    deputy_services.mandate_terminate(
        mandate=sw.members[0],
        ground=TerminationGround.values[0],
        on=date(2026, 11, 1),
        document_number="桃花乡人大主席团公告〔2026〕第1号",
        actor=None,
    )
    response = client.get(reverse("stations:code", args=[token]))
    assert response.status_code == 410
    assert "此码已失效" in response.content.decode()


def test_a_code_stops_working_when_the_station_closes(client, sw):
    deputy = _deputy_token(sw)
    station = codes.station_token(sw.station)
    Station.objects.filter(pk=sw.station.pk).update(status="inactive")
    for token in (deputy, station):
        response = client.get(reverse("stations:code", args=[token]))
        assert response.status_code == 410
    post = client.post(reverse("stations:code", args=[station]), {})
    assert post.status_code == 410
    assert not Opinion.objects.exists()


def test_a_forged_code_is_not_found(client, sw):
    forged = signing.dumps({"k": "s", "s": sw.station.pk}, salt="another")
    for token in (forged, "nonsense"):
        response = client.get(reverse("stations:code", args=[token]))
        assert response.status_code == 404
        assert "此码已失效" in response.content.decode()


def test_the_wall_sheet_is_a_pdf_with_every_active_deputy(client, sw, personas):
    client.force_login(sw.station_staff)
    response = client.get(reverse("stations:station_codes", args=[sw.station.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for mandate in sw.members:
        assert mandate.person.name in body
    response = client.get(reverse("stations:station_code_sheet", args=[sw.station.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_countys_staff_may_not_print_the_codes(client, sw, personas):
    client.force_login(personas.other_county_staff)
    for name in ("stations:station_codes", "stations:station_code_sheet"):
        assert client.get(reverse(name, args=[sw.station.pk])).status_code == 404
    client.force_login(sw.other_station_staff)
    assert (
        client.get(reverse("stations:station_codes", args=[sw.station.pk])).status_code
        == 404
    )


def test_a_deputy_sees_their_own_codes_only(client, sw):
    user, mandate = deputy_member(sw)
    client.force_login(user)
    response = client.get(reverse("stations:my_codes"))
    assert response.status_code == 200
    # A token carries its signing time (to the second), so compare what it says.
    payloads = [
        signing.loads(c["token"], salt=codes.SALT) for c in response.context["codes"]
    ]
    assert payloads == [
        {"k": "d", "m": mandate.pk, "s": _membership(sw, mandate).station_id}
    ]
    client.force_login(sw.station_staff)
    assert client.get(reverse("stations:my_codes")).status_code == 403


def test_the_code_page_refuses_other_methods(client, sw):
    token = codes.station_token(sw.station)
    assert client.put(reverse("stations:code", args=[token])).status_code == 405
    assert client.post(reverse("stations:code_png", args=[token])).status_code == 405
