"""The English catalogue: complete, placeholder-safe, and actually used by the pages."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# printf-style: %(name)s, %s, %d, %5.2f ...; "%%" is a literal percent sign.
PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
# str.format-style: {}, {0}, {name}, {name!r:>10}; "{{" and "}}" are literal braces.
BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}")


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """LocaleMiddleware leaves the request's language active in the thread after the
    response; restore the default so later tests on this worker see Chinese."""
    yield
    translation.deactivate()


def _catalogue():
    return polib.pofile(str(PO_PATH))


def placeholders(text: str) -> tuple[frozenset, Counter]:
    """Named placeholders (a set) and unnamed ones (counted, since order and number matter)."""
    named: set[str] = set()
    unnamed: Counter = Counter()
    for match in PERCENT.finditer(text):
        token = match.group(0)
        if token == "%%":
            continue
        if match.group("name") is not None:
            named.add(token)
        else:
            unnamed[token] += 1
    for match in BRACE.finditer(text):
        field = match.group("field")
        if field is None:  # escaped {{ or }}
            continue
        name = re.split(r"[!:.\[]", field, maxsplit=1)[0]
        if name and not name.isdigit():
            named.add("{" + field + "}")
        else:
            unnamed["{" + field + "}"] += 1
    return frozenset(named), unnamed


def _pairs(entry):
    """(source, translation) pairs of one entry, plural forms included."""
    if entry.msgid_plural:
        for index, text in sorted(entry.msgstr_plural.items()):
            yield (entry.msgid if index == 0 else entry.msgid_plural), text
    else:
        yield entry.msgid, entry.msgstr


def test_catalogue_exists_and_is_english():
    assert PO_PATH.exists(), PO_PATH
    po = _catalogue()
    assert po.metadata.get("Language") == "en"
    assert "nplurals=2" in po.metadata.get("Plural-Forms", "")
    assert len(po) > 0


def test_catalogue_is_fully_translated_and_not_fuzzy():
    po = _catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    empty_plural = [
        e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())
    ]
    assert untranslated == []
    assert fuzzy == []
    assert empty_plural == []
    assert po.percent_translated() == 100


def test_translations_are_not_copies_of_the_chinese():
    han = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’]")
    offenders = [
        (source, text)
        for e in _catalogue()
        if not e.obsolete
        for source, text in _pairs(e)
        if han.search(text)
    ]
    assert offenders == []


def test_placeholders_are_kept():
    mismatches = []
    for entry in _catalogue():
        if entry.obsolete:
            continue
        for source, text in _pairs(entry):
            if placeholders(source) != placeholders(text):
                mismatches.append((source, text))
    assert mismatches == []


def test_placeholder_helper():
    assert placeholders("共 %(total)s 条，%(unread)s 条未读 100%%") == (
        frozenset({"%(total)s", "%(unread)s"}),
        Counter(),
    )
    assert placeholders("%s 和 %d，{name} 与 {} {{literal}}") == (
        frozenset({"{name}"}),
        Counter({"%s": 1, "%d": 1, "{}": 1}),
    )
    assert placeholders("%(a)s") != placeholders("%(b)s")


def _require_compiled_catalogue():
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        pytest.fail(
            f"{MO_PATH} is missing or older than the .po file: "
            "run `manage.py compilemessages` (make test does this) before the tests."
        )


@pytest.mark.django_db
def test_home_page_in_english_on_request(client):
    _require_compiled_catalogue()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Your deputies are right by your side" in html
    assert "Find a deputy liaison station near you" in html
    assert "Staff login" in html
    assert "人大代表就在您身边" not in html


@pytest.mark.django_db
def test_home_page_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert "人大代表就在您身边" in html
    assert "找到您身边的代表联络站" in html
    assert "Your deputies are right by your side" not in html


@pytest.mark.django_db
def test_login_page_in_english_on_request(client):
    _require_compiled_catalogue()
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log in" in html
    assert "Username" in html or "username" in html
