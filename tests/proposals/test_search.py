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
        return set(selectors.staff_suggestions(personas.county_staff, {"q": q}))

    assert found("公路") == {road}
    assert found("农村") == {road, water}
    assert found("王二") == {water}  # the lead's exact name
    assert found("王") == set()  # not part of a name
    assert found("饮水公路") == set()
