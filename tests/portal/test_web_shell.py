"""The web shell: public home, login pages, staff dashboard and notifications."""

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import registry, services
from portal.models import Congress, Notification, Region, Role, User


@pytest.fixture
def county_congress(db):
    province = services.region_create(
        name="湖南省", level=Region.Level.PROVINCE, actor=None
    )
    county = services.region_create(
        name="湘源县", level=Region.Level.COUNTY, parent=province, actor=None
    )
    return services.congress_create(
        region=county,
        name="湘源县人民代表大会",
        level=Congress.Level.COUNTY,
        actor=None,
    )


@pytest.fixture
def alice(db):
    """A county congress staff member."""
    return User.objects.create_user(
        username="alice", password="Wk9!zhangsan", display_name="张晓丽"
    )


@pytest.fixture
def bob(db):
    """Another user, whose notifications alice must never see."""
    return User.objects.create_user(username="bob", password="Wk9!lisi-pass")


@pytest.fixture
def empty_registry(monkeypatch):
    """Dashboard plug-ins of the domain apps are not part of these tests."""
    monkeypatch.setattr(registry, "_todo_providers", [])
    monkeypatch.setattr(registry, "_cards", {})


def notify(user, n, *, prefix="通知"):
    for i in range(n):
        services.notification_create(
            recipient=user,
            kind="test",
            key=f"test:{user.pk}:{prefix}:{i}",
            title=f"{prefix}{i}",
            body="请及时办理。",
            actor=None,
        )


# --- Public site ---------------------------------------------------------------


@pytest.mark.django_db
def test_home_renders_chinese_with_csp_header(client):
    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "人大代表做什么" in html
    assert "找到您身边的代表联络站" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "<script>" not in html
    assert "style=" not in html


@pytest.mark.django_db
def test_home_links_to_login_for_anonymous_and_dashboard_for_staff(client, alice):
    assert reverse("login") in client.get("/").content.decode()

    client.force_login(alice)
    assert reverse("staff:dashboard") in client.get("/").content.decode()


# --- Login, logout, password ------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "工作人员登录" in html
    assert "用户名" in html
    assert "密码" in html


@pytest.mark.django_db
def test_login_with_valid_credentials_goes_to_dashboard(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "Wk9!zhangsan"}
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:dashboard")


@pytest.mark.django_db
def test_login_with_wrong_password_shows_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})

    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()


@pytest.mark.django_db
def test_logout_refuses_get_and_logs_out_on_post(client, alice):
    client.force_login(alice)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("public:home")
    assert client.get(reverse("staff:dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_change_needs_login_and_renders_in_chinese(client, alice):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))

    client.force_login(alice)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "修改密码" in response.content.decode()


def test_locked_page_says_account_locked_for_30_minutes():
    html = render_to_string("registration/locked.html")

    assert "登录失败次数过多" in html
    assert "锁定30分钟" in html


@pytest.mark.django_db
def test_repeated_failed_logins_show_locked_page(client, alice):
    for _ in range(5):
        response = client.post(
            reverse("login"), {"username": "alice", "password": "wrong"}
        )

    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已暂时锁定" in html
    assert "锁定30分钟" in html


# --- Dashboard --------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_redirects_anonymous_user_to_login(client):
    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('staff:dashboard')}"


@pytest.mark.django_db
def test_dashboard_shows_empty_todo_list(client, alice, empty_registry):
    client.force_login(alice)

    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "我的待办" in html
    assert "暂无待办事项" in html
    assert "张晓丽" in html


@pytest.mark.django_db
def test_dashboard_lists_todo_items_cards_and_roles(
    client, alice, county_congress, empty_registry
):
    services.role_grant_create(
        user=alice, role=Role.CONGRESS_STAFF, congress=county_congress, actor=None
    )
    registry.register_todo_provider(
        lambda user: [
            registry.TodoItem(
                title="交办建议第12号", url="/x/", due_date=date(2026, 3, 10)
            )
        ]
    )
    registry.register_card(
        registry.DashboardCard(
            key="suggestions",
            title="建议办理",
            template="staff/cards/stat.html",
            render=lambda user: {"stats": [{"label": "待交办", "value": 7}]},
        )
    )
    registry.register_card(
        registry.DashboardCard(
            key="hidden",
            title="不显示的卡片",
            template="staff/cards/stat.html",
            render=lambda user: None,
        )
    )
    client.force_login(alice)

    html = client.get(reverse("staff:dashboard")).content.decode()

    assert "交办建议第12号" in html
    assert "2026年3月10日" in html
    assert "建议办理" in html and "待交办" in html
    assert "不显示的卡片" not in html
    assert "人大工作人员" in html
    assert "湘源县人民代表大会" in html


@pytest.mark.django_db
def test_bell_shows_unread_count(client, alice, empty_registry):
    notify(alice, 3)
    client.force_login(alice)

    html = client.get(reverse("staff:dashboard")).content.decode()

    assert '<span class="bell__count">3</span>' in html


# --- Notifications ----------------------------------------------------------------


@pytest.mark.django_db
def test_notifications_list_shows_only_own_notifications(client, alice, bob):
    notify(alice, 2, prefix="给张晓丽的")
    notify(bob, 2, prefix="给李四的")
    client.force_login(alice)

    response = client.get(reverse("staff:notifications"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "给张晓丽的0" in html and "给张晓丽的1" in html
    assert "给李四的" not in html


@pytest.mark.django_db
def test_notifications_list_needs_login(client):
    response = client.get(reverse("staff:notifications"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_notifications_list_newest_first_and_paginated(client, alice):
    notify(alice, 25)
    client.force_login(alice)

    first = client.get(reverse("staff:notifications"))
    second = client.get(reverse("staff:notifications"), {"page": 2})

    assert [n.title for n in first.context["notifications"]][:2] == ["通知24", "通知23"]
    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    assert client.get(reverse("staff:notifications"), {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_notification_link_outside_site_is_not_rendered(client, alice):
    services.notification_create(
        recipient=alice,
        kind="t",
        key="t:1",
        title="站外",
        url="https://evil.example/",
        actor=None,
    )
    services.notification_create(
        recipient=alice, kind="t", key="t:2", title="站内", url="/staff/", actor=None
    )
    client.force_login(alice)

    html = client.get(reverse("staff:notifications")).content.decode()

    assert "evil.example" not in html
    assert '<a href="/staff/">站内</a>' in html


@pytest.mark.django_db
def test_mark_all_read_marks_only_own_notifications(client, alice, bob):
    notify(alice, 3)
    notify(bob, 2)
    client.force_login(alice)

    response = client.post(reverse("staff:notifications_mark_read"))

    assert response.status_code == 302
    assert response.url == reverse("staff:notifications")
    assert not Notification.objects.filter(recipient=alice, read_at=None).exists()
    assert Notification.objects.filter(recipient=bob, read_at=None).count() == 2
    html = client.get(response.url).content.decode()
    assert "已将 3 条通知标为已读" in html
    assert "bell__count" not in html


@pytest.mark.django_db
def test_mark_one_read_ignores_other_users_ids(client, alice, bob):
    notify(alice, 2)
    notify(bob, 1)
    mine = Notification.objects.filter(recipient=alice).first()
    theirs = Notification.objects.get(recipient=bob)
    client.force_login(alice)

    client.post(
        reverse("staff:notifications_mark_read"),
        {"ids": [mine.pk, theirs.pk], "next": "/staff/notifications/?page=1"},
    )

    assert Notification.objects.filter(recipient=alice, read_at=None).count() == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_read_does_not_redirect_off_site(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("staff:notifications_mark_read"), {"next": "https://evil.example/"}
    )

    assert response.url == reverse("staff:notifications")


@pytest.mark.django_db
def test_mark_read_refuses_get(client, alice):
    notify(alice, 1)
    client.force_login(alice)

    response = client.get(reverse("staff:notifications_mark_read"))

    assert response.status_code == 405
    assert Notification.objects.filter(read_at=None).count() == 1


@pytest.mark.django_db
def test_mark_read_needs_login(client, alice):
    notify(alice, 1)

    response = client.post(reverse("staff:notifications_mark_read"))

    assert response.status_code == 302
    assert Notification.objects.filter(read_at=None).count() == 1


@pytest.mark.django_db
def test_notifications_page_query_count_does_not_grow_with_rows(client, alice, bob):
    client.force_login(alice)
    url = reverse("staff:notifications")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    notify(alice, 2, prefix="a")
    count_queries()  # warm the session (renewed at most once a minute)
    few = count_queries()
    notify(alice, 10, prefix="b")
    many = count_queries()

    assert few == many


@pytest.mark.django_db
def test_mark_read_with_invalid_ids_changes_nothing(client, alice):
    notify(alice, 1)
    client.force_login(alice)

    response = client.post(reverse("staff:notifications_mark_read"), {"ids": "abc"})

    assert response.url == reverse("staff:notifications")
    assert Notification.objects.filter(read_at=None).count() == 1
