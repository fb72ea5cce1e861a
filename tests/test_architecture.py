"""What the linters cannot say about the house (CONTRIBUTING.md).

- every public service is keyword-only and names its ``actor``;
- no public surface — any page an anonymous visitor can reach by following
  links, any anonymous API endpoint — shows personal data planted in every
  free-text field and every contact field of the demo province.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import URLPattern, URLResolver, get_resolver, reverse

APPS = ["portal", "deputies", "stations", "proposals", "livelihood_votes"]


# --- services -------------------------------------------------------------------


def _service_modules():
    for app in APPS:
        module = importlib.import_module(f"{app}.services")
        yield module
        if hasattr(module, "__path__"):  # a services/ package
            for info in pkgutil.iter_modules(module.__path__):
                yield importlib.import_module(f"{app}.services.{info.name}")
    # issue 17: networks — the stations' network services live in their package.
    yield importlib.import_module("stations.network.services")


def _public_services():
    for module in _service_modules():
        for name, func in vars(module).items():
            if (
                name.startswith("_")
                or not inspect.isfunction(func)
                or func.__module__ != module.__name__
            ):
                continue
            yield f"{module.__name__}.{name}", func


def test_there_are_services_to_check():
    assert len(list(_public_services())) > 60


@pytest.mark.parametrize(
    "name,func", list(_public_services()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_public_service_is_keyword_only_with_a_required_actor(name, func):
    params = inspect.signature(func).parameters.values()
    positional = [
        p.name
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    assert not positional, f"{name}: positional parameters {positional}"
    actor = inspect.signature(func).parameters.get("actor")
    assert actor is not None, f"{name}: no actor parameter"
    assert actor.default is inspect.Parameter.empty, f"{name}: actor has a default"


# --- the personal-data probe -------------------------------------------------------

MOBILE = "19900001111"
ID_PREFIX = "9901011980"  # region 990101 does not exist: only planted numbers match
EMAIL = "leak.probe@example.com"
PLANT = f" 联系电话{MOBILE} 身份证{ID_PREFIX}01011234 邮箱{EMAIL}"
SECRETS = re.compile("|".join(re.escape(s) for s in (MOBILE, ID_PREFIX, EMAIL)))

# Text that is not free text typed by people (codes, templates, stored files).
_SKIP_TEXT = {"rules", "payload", "errors", "preview", "snapshot", "key"}


def _plant_personal_data() -> None:
    """Append the secrets to every free-text field; put them in every contact field."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            text_fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.TextField)
                and not f.choices
                and f.name not in _SKIP_TEXT
            ]
            if text_fields:
                model._base_manager.update(
                    **{f: Concat(F(f), Value(PLANT)) for f in text_fields}
                )
            names = {f.name for f in model._meta.concrete_fields}
            contact = {
                f: Value(MOBILE) for f in ("mobile", "submitter_phone") if f in names
            }
            if contact:
                model._base_manager.update(**contact)
            if "id_number" in names:
                model._base_manager.exclude(id_number="").update(
                    id_number=Concat(
                        Value(ID_PREFIX),
                        models.functions.LPad(
                            models.functions.Cast("id", models.CharField()),
                            8,
                            Value("0"),
                        ),
                    )
                )
            if "email" in names and isinstance(
                model._meta.get_field("email"), models.EmailField
            ):
                model._base_manager.exclude(email="").update(email=EMAIL)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


_NOT_PAGES = ("/static/", "/media/", "/admin/", "/api/", "/accounts/logout")


def _crawl(client, start: list[str], limit: int = 600) -> dict[str, str]:
    """Every page an anonymous visitor reaches from ``start`` by following links."""
    seen: set[str] = set(start)
    queue = deque(start)
    pages: dict[str, str] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            pages.setdefault(url, "")
            continue
        body = response.content.decode()
        pages[url] = body
        parser = _Links()
        parser.feed(body)
        for href in parser.links:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(_NOT_PAGES) or "lang" in parts.query:
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)
    return pages


def _api_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_patterns(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            if "format" in pattern:
                continue
            yield pattern


def _fill(pattern: str, values: dict[str, list[str]]) -> list[str]:
    path = "/" + pattern.replace("^", "").replace("$", "")
    names = re.findall(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", path)
    names = [a or b for a, b in names]
    if not names:
        return [path]
    if len(names) > 1:
        return []
    candidates = values.get(names[0], values["pk"])
    filled = []
    for value in candidates:
        url = re.sub(r"\(\?P<\w+>[^)]*\)|<(?:\w+:)?\w+>", value, path, count=1)
        filled.append(url)
    return filled


@pytest.mark.django_db
def test_no_public_surface_shows_personal_data(client):
    from stations.models import Opinion

    call_command("seed_demo")
    _plant_personal_data()

    # Public pages: everything reachable from the home page without signing in,
    # plus the tracking pages of real opinions (reached by typing a code).
    codes = list(Opinion.objects.values_list("tracking_code", flat=True)[:10])
    # issue 18: deputies' public pages (the directory's cards lead there from a
    # GET form, so they are named here too).
    from deputies.models import Mandate

    deputy_pages = [
        reverse("stations:deputy", args=[pk])
        for pk in Mandate.objects.public()
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    ]
    pages = _crawl(client, ["/", *deputy_pages])
    assert len([b for b in pages.values() if b]) >= 15, sorted(pages)
    # Every kind of public page is among them (issue 18: a livelihood project's).
    project_page = reverse("livelihood:public_list") + "p/projects/"
    assert any(url.startswith(project_page) and pages[url] for url in pages)
    assert all(pages.get(url) for url in deputy_pages), deputy_pages
    leaks = {url for url, body in pages.items() if SECRETS.search(body)}

    # Anonymous API: every endpoint, with ids of real rows and real codes.
    values = {
        "pk": [str(i) for i in range(1, 31)],
        "tracking_code": codes,
    }
    answered = 0
    for pattern in _api_patterns():
        for url in _fill(pattern, values):
            response = client.get(url)
            if response.status_code == 200:
                answered += 1
                if SECRETS.search(response.content.decode()):
                    leaks.add(url)
    assert answered >= 10
    track = reverse("stations:track")
    for code in codes:
        for url in (f"/api/v1/public/opinions/{code}/", f"{track}?code={code}"):
            response = client.get(url)
            assert response.status_code == 200, url
            if SECRETS.search(response.content.decode()):
                leaks.add(url)
    assert not leaks, sorted(leaks)
