"""The inbox searches the text or the tracking code, and its station filter
stays short at province scale (issue 14)."""

from stations import selectors, services


def _submit(station, content):
    return services.opinion_submit(
        station=station, name="张三", phone="13812345678", content=content, actor=None
    )


def test_inbox_finds_text_and_tracking_codes(client, sw, personas):
    lamp = _submit(sw.station, "村口路灯不亮，夜里出行不便")
    road = _submit(sw.station, "河道垃圾需要清理")
    client.force_login(sw.station_staff)

    def found(q):
        html = client.get("/stations/opinions/", {"q": q}).content.decode()
        return {o.tracking_code for o in (lamp, road) if o.tracking_code in html}

    assert found("路灯") == {lamp.tracking_code}
    assert found("河道垃圾") == {road.tracking_code}
    assert found("灯路") == set()
    assert found(road.tracking_code.lower()) == {road.tracking_code}


def test_station_choices_are_bounded_but_keep_the_chosen_one(sw, personas, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_STATIONS_SHOWN", 1)
    everyone = selectors.inbox_station_choices(personas.admin)
    assert len(everyone) == 1
    other = {sw.station.pk, sw.other_station.pk} - {everyone[0][0]}
    chosen = selectors.inbox_station_choices(personas.admin, str(other.pop()))
    assert len(chosen) == 2
    # Out of scope is not offered even when asked for.
    assert (
        len(selectors.inbox_station_choices(sw.station_staff, sw.other_station.pk)) == 1
    )
