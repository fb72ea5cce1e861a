"""The phone's bottom tab bar: per role, from the nav registry, at most five
items, the active one marked; 写建议 is a tab only."""

import re

import pytest

from portal.registry import nav_for, tabs_for

pytestmark = pytest.mark.django_db


def _tabs(user):
    return [item.key for item in tabs_for(user)]


def test_each_role_gets_its_everyday_places(personas):
    assert _tabs(personas.deputy) == ["write_suggestion", "livelihood_my_votes"]
    assert _tabs(personas.leader) == ["reports", "suggestions"]
    assert _tabs(personas.county_staff) == ["suggestions", "stations"]
    assert _tabs(personas.unit_staff) == ["assignments", "unit_opinions"]
    assert _tabs(personas.township_gov) == ["livelihood_projects"]
    assert _tabs(personas.nobody) == []


def test_a_tab_only_shortcut_stays_out_of_the_menu(personas):
    assert "write_suggestion" not in {i.key for i in nav_for(personas.deputy)}
    assert "my_suggestions" in {i.key for i in nav_for(personas.deputy)}


def test_dashboard_renders_five_tabs_with_the_active_one_marked(client, personas):
    client.force_login(personas.deputy)
    html = client.get("/staff/").content.decode()
    bar = re.search(r'<nav class="tabbar".*?</nav>', html, re.S).group(0)
    items = re.findall(r'<a class="tabbar__item"[^>]*>', bar)
    assert len(items) == 5
    assert [i for i in items if 'aria-current="page"' in i] == [
        '<a class="tabbar__item" href="/staff/" aria-current="page">'
    ]
    assert 'href="/proposals/new/"' in bar and 'href="#staff-menu"' in bar
    assert 'id="staff-menu"' in html


def test_public_pages_have_no_tab_bar(client):
    assert 'class="tabbar"' not in client.get("/").content.decode()
