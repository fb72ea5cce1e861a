"""Staff search: title text or the lead deputy's exact name (issue 14)."""

from proposals import selectors

from .conftest import registered


def test_keyword_finds_title_text_or_lead_name(pw, personas):
    road = registered(pw, title="关于加强农村公路养护的建议")
    water = registered(
        pw,
        lead=pw.other_deputy,
        title="关于农村饮水安全的建议",
        research_activities=[],
        research_note="走访三个村",
        research_date=pw.activity.date,
        research_place="李家村",
        research_people="村民代表",
    )

    def found(q):
        return set(selectors.staff_suggestions(personas.county_staff, {"q": q})[0])

    assert found("公路") == {road}
    assert found("农村") == {road, water}
    assert found("王二") == {water}  # the lead's exact name
    assert found("王") == set()  # not part of a name
    assert found("饮水公路") == set()


def test_public_replies_search_finds_every_word(client, pw, world, personas):
    from django.urls import reverse

    from .test_pages_public import published

    clinic = published(
        pw,
        world,
        personas,
        title="关于提升村卫生室水平的建议",
        problem="基层医疗服务能力不足",
    )
    url = reverse("proposals:public_list")
    # Words of the title and of the problem, in any order (issue 18: "卫生室 服务").
    assert clinic.title in client.get(url, {"q": "卫生室 服务"}).content.decode()
    assert clinic.title in client.get(url, {"q": "服务  卫生室"}).content.decode()
    assert clinic.title not in client.get(url, {"q": "卫生室 食堂"}).content.decode()
