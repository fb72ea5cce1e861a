"""The deputy list's filter shows nearby congresses, validates any in scope (issue 14)."""

from tests.factories import make_mandate


def test_deputy_list_offers_nearby_congresses_and_takes_any_in_scope(
    client, world, personas, terms
):
    """Province staff: the congress <select> lists the province down to the
    counties, not the townships; a link to a township's list still works."""
    make_mandate(world.township_congress, "刘春", card_number="TH-001")
    make_mandate(world.county_congress, "王建国", card_number="XY-001")
    client.force_login(personas.province_staff)
    page = client.get("/deputies/").content.decode()
    assert f'<option value="{world.county_congress.pk}">' in page
    assert f'<option value="{world.township_congress.pk}">' not in page
    chosen = client.get(f"/deputies/?congress={world.township_congress.pk}")
    html = chosen.content.decode()
    assert chosen.status_code == 200
    assert f'<option value="{world.township_congress.pk}" selected>' in html
    assert "刘春" in html and "王建国" not in html
