"""Issue 18, English: the switch before login, generated strings translated when
shown, the admin's login-security section and audit log in Chinese, and Chinese
user content marked ``lang="zh-hans"`` on English pages."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.management.commands.makemessages import EXTRA_KEYWORDS
from portal.models import AuditEvent
from portal.registry import audit_action_label
from tests.portal.test_i18n import _require_compiled_catalogue
from tests.stations.conftest import sw  # noqa: F401 - fixture
from tests.stations.test_pages_opinions import submit

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SWITCH = f'action="{reverse("set_language")}"'


@pytest.fixture(autouse=True)
def _compiled():
    _require_compiled_catalogue()
    yield
    translation.deactivate()


# --- the language switch before login ------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/stations/"])
def test_public_pages_and_login_offer_the_language_switch(client, url):
    html = client.get(url).content.decode()
    assert SWITCH in html
    assert 'name="language" value="en"' in html


def test_anonymous_visitor_switches_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en"' in html and "Staff login" in html
    assert "工作人员登录" not in html
    assert 'name="language" value="zh-hans"' in html  # the way back
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作人员登录" in client.get("/accounts/login/").content.decode()


# --- generated strings: to-do titles, term numbers, labels ------------------------------


def _gettext_aliases() -> set[str]:
    """Every name a gettext function is imported as, anywhere in the apps."""
    aliases = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if {".venv", "var", "bench", "tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == (
                "django.utils.translation"
            ):
                aliases |= {a.asname for a in node.names if a.asname}
    return aliases


def test_every_gettext_alias_is_extracted_by_makemessages():
    # xgettext knows _, gettext, gettext_lazy, ngettext...; any other alias must be a
    # keyword of portal's makemessages, or its strings never reach the catalogue.
    assert _gettext_aliases() - {"_"} <= set(EXTRA_KEYWORDS)


def test_to_do_titles_are_in_english(client, sw):  # noqa: F811
    received = submit(sw.station)
    client.force_login(sw.station_staff)
    html = client.get(reverse("staff:dashboard"), **EN).content.decode()
    assert f"Constituent opinion awaiting routing: {received.tracking_code}" in html
    assert "待分流" not in html


def test_presidium_to_do_title_in_english():
    with translation.override("en"):
        title = translation.gettext("%(kind)s待主席团审议：%(title)s") % {
            "kind": "Project change",
            "title": "X",
        }
    assert title == "Project change awaiting deliberation by the presidium: X"


def test_term_numbers_are_digits_in_english():
    template = Template("{% load deputies_tags %}{{ 19|term_label }}")
    with translation.override("en"):
        assert template.render(Context()) == "Term 19"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "第十九届"


def test_deputy_page_in_english_has_no_chinese_term_number(client, sw, personas):  # noqa: F811
    mandate = sw.members[0]
    client.force_login(personas.township_staff)
    html = client.get(reverse("deputies:detail", args=[mandate.pk]), **EN)
    html = html.content.decode()
    assert "Term 19" in html
    assert "第十九届" not in html and "Term 十九" not in html


def test_vote_round_name_in_english():
    from livelihood_votes.models import VoteRound

    vote_round = SimpleNamespace(programme="2026 Plan", number=2)
    with translation.override("en"):
        assert VoteRound.__str__(vote_round) == "2026 Plan, round 2"
    with translation.override("zh-hans"):
        assert VoteRound.__str__(vote_round) == "2026 Plan 第2轮"


# --- the admin: login security and the audit log ----------------------------------------


def test_admin_login_security_section_in_chinese(client, personas):
    client.force_login(personas.admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "登录安全" in html and "登录失败记录" in html and "登录日志" in html
    assert "Axes" not in html and "Access attempts" not in html
    AccessAttempt.objects.create(
        username="somebody",
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=3,
    )
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    html = changelist.content.decode()
    assert "尝试时间" in html and "失败次数" in html
    assert "Attempt Time" not in html and "Failed Logins" not in html


def test_admin_login_security_section_in_english(client, personas):
    client.force_login(personas.admin)
    html = client.get(reverse("admin:index"), **EN).content.decode()
    assert "Login security" in html and "登录安全" not in html


def test_admin_audit_log_shows_action_and_state_names(client, personas):
    # The personas' role grants wrote "grant.create" rows.
    assert AuditEvent.objects.filter(action="grant.create").exists()
    client.force_login(personas.admin)
    url = reverse("admin:portal_auditevent_changelist")
    html = client.get(url).content.decode()
    assert "授予角色" in html
    assert not re.search(r">\s*grant\.create\s*<", html)
    html = client.get(url, **EN).content.decode()
    assert "Grant a role" in html


def test_composed_audit_labels_follow_the_language():
    with translation.override("zh-hans"):
        assert (
            str(audit_action_label("fund_budget.approved"))
            == "代表活动经费预算：已批准"
        )
        assert str(audit_action_label("suggestion.assign")) == "代表建议：交办"
    with translation.override("en"):
        assert str(audit_action_label("suggestion.assign")) == "Suggestion: Assignment"
        assert str(audit_action_label("leave.decide")) == "Decide on session leave"
    assert audit_action_label("no.such_code") == "no.such_code"


def test_every_audit_code_in_the_code_has_a_name():
    """Static codes passed to audit_record / AuditEvent have a registered name."""
    codes = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if {".venv", "var", "bench", "tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(
                    node.func, "attr", None
                )
                first = node.args[1] if len(node.args) > 1 else None
                for keyword in node.keywords:
                    if keyword.arg == "action" and name in {
                        "audit_record",
                        "AuditEvent",
                    }:
                        first = keyword.value
                if (
                    name in {"audit_record", "AuditEvent", "_audit"}
                    and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and "." in first.value
                ):
                    codes.add(first.value)
    assert len(codes) > 50
    unnamed = sorted(c for c in codes if audit_action_label(c) == c)
    assert unnamed == []


# --- Chinese user content on English pages ----------------------------------------------


def test_station_page_marks_chinese_content_in_english(client, sw):  # noqa: F811
    url = reverse("stations:station", args=[sw.station.pk])
    html = client.get(url, **EN).content.decode()
    assert '<h1 lang="zh-hans">桃花乡代表联络站</h1>' in html
    html = client.get(url).content.decode()
    assert "<h1>桃花乡代表联络站</h1>" in html
    assert 'lang="zh-hans">桃花乡' not in html


def test_opinion_and_deputy_pages_mark_chinese_content(client, sw, personas):  # noqa: F811
    opinion = submit(sw.station)
    client.force_login(sw.station_staff)
    html = client.get(
        reverse("stations:opinion", args=[opinion.pk]), **EN
    ).content.decode()
    assert 'class="st-content" lang="zh-hans">村口道路坑洼' in html
    client.force_login(personas.township_staff)
    html = client.get(
        reverse("deputies:detail", args=[sw.members[0].pk]), **EN
    ).content.decode()
    assert '<h1><span lang="zh-hans">丁一</span>' in html
    html = client.get(reverse("deputies:list"), **EN).content.decode()
    assert 'lang="zh-hans">丁一</a>' in html


def test_content_lang_helpers():
    template = Template("{% load portal_i18n %}<p{% content_lang %}>{{ v|zh }}</p>")
    with translation.override("en"):
        assert (
            template.render(Context({"v": "<张>"}))
            == '<p lang="zh-hans"><span lang="zh-hans">&lt;张&gt;</span></p>'
        )
    with translation.override("zh-hans"):
        assert template.render(Context({"v": "张"})) == "<p>张</p>"


# --- the English navigation at 1366 px ----------------------------------------------------


def test_wide_nav_wraps_instead_of_scrolling():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    wide = css[css.index("@media (min-width: 64rem)") :]
    rule = wide[
        wide.index(".staff-nav__list {") : wide.index(
            "}", wide.index(".staff-nav__list {")
        )
    ]
    assert "flex-wrap: wrap" in rule and "overflow-x: visible" in rule


def test_ethnic_groups_and_form_help_in_english(client, sw, personas):  # noqa: F811
    client.force_login(personas.township_staff)
    html = client.get(reverse("deputies:list"), **EN).content.decode()
    assert '<option value="鄂温克族">Ewenki</option>' in html
    html = client.get(reverse("deputies:detail", args=[sw.members[0].pk]), **EN)
    assert "<dd>Han</dd>" in html.content.decode()
    client.logout()
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    html = client.get(url, **EN).content.decode()
    assert "Describe clearly where and when" in html
    assert "请写清问题发生的地点" not in html
    assert "请写清问题发生的地点" in client.get(url).content.decode()


def test_rule_set_default_wording_in_english(world):
    from proposals import categories
    from stations.selectors import deputy_title

    template = Template("{% load portal_i18n %}{{ v|rule_text }}|{{ w|rule_text }}")
    context = Context({"v": "优秀人大代表", "w": "本县自定的类别"})
    with translation.override("en"):
        assert template.render(context) == "Outstanding deputy|本县自定的类别"
        choices = dict(categories.choices(world.county_congress))
        assert choices["A"] == "A Resolved or basically resolved"
        assert deputy_title("桃花乡人民代表大会") == "Deputy to the 桃花乡人民代表大会"
    with translation.override("zh-hans"):
        assert template.render(context) == "优秀人大代表|本县自定的类别"
        assert deputy_title("桃花乡人民代表大会") == "桃花乡人大代表"


def test_evaluation_round_name_in_english():
    from livelihood_votes.models import EvaluationRound

    evaluation = SimpleNamespace(programme="2026 Plan")
    with translation.override("en"):
        assert EvaluationRound.__str__(evaluation) == "2026 Plan, evaluation"
    with translation.override("zh-hans"):
        assert EvaluationRound.__str__(evaluation) == "2026 Plan 测评"
