"""The engine of the role × operation matrix (issue 15, "make it stay fixed").

``matrix.yaml`` holds, for every HTML page/file/export URL of the URL conf, every
operation of the OpenAPI schema and every admin URL, the outcome each persona
must get. This module finds what exists (``discover``), loads the table,
requests every cell against the world of ``conftest.py`` and probes every body
for personal data of the world's people.

Outcomes: an HTTP status (200, 400, 403, 404, 405…), ``login`` for a redirect to
the login page (the portal's or the admin's), ``302`` for any other redirect;
``"400|409"`` accepts either.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MATRIX_FILE = Path(__file__).with_name("matrix.yaml")
# A row the world has no object for: every persona gets 404. Above every
# table's id range (conftest.distinct_pks: table n from n × 10 000), with room
# for more than 99 tables (issue 17 passed 100).
MISSING_PK = 9_999_999

# Mainland mobiles and 18-digit resident ID numbers, not inside longer runs.
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


# --- what exists -------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (
                f"{namespace}:{entry.name}" if namespace else entry.name
            )
            yield prefix + str(entry.pattern), name


def discover_urls() -> tuple[dict[str, str], dict[str, str]]:
    """(pages, admin): URL name (or the route where a URL has none) → route.

    The API (``api/v1/``) is left to the schema, which knows its methods."""
    pages, admin = {}, {}
    for route, name in _walk(get_resolver()):
        if route.startswith("api/v1/"):
            continue
        key = name or route
        (admin if route.startswith("admin/") else pages).setdefault(key, route)
    return pages, admin


def discover_operations() -> dict[str, str]:
    """ "METHOD /path/{param}/" → operationId, from drf-spectacular's generator."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations[f"{method.upper()} {path}"] = operation["operationId"]
    return operations


# --- the table ----------------------------------------------------------------------


def load() -> dict:
    return yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8"))


def base_key(key: str) -> str:
    """ "deputies:detail @own" is a variant of the row "deputies:detail"."""
    return key.split(" @", 1)[0]


def admin_row(matrix: dict, key: str) -> dict:
    rows = matrix["admin"]
    if key in rows:
        return rows[key]
    for pattern, row in rows.items():
        if fnmatchcase(key, pattern):
            return row
    raise KeyError(key)


def accepts(expected, actual) -> bool:
    return str(actual) in str(expected).split("|")


# --- requests ---------------------------------------------------------------------------


@dataclass
class Cell:
    key: str
    method: str
    persona: str
    url: str
    outcome: object = None
    # (kind, owner) of every full value of the world's people in the body.
    found: set = field(default_factory=set)
    no_store: bool = False
    audit_rows: int = 0

    @property
    def where(self) -> str:
        return f"{self.key} {self.method} as {self.persona} ({self.url})"


def clients(users: dict) -> dict:
    made = {}
    for persona, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        made[persona] = client
    return made


def _value(objects: dict, name):
    if isinstance(name, str) and name.startswith("="):
        return name[1:]
    if name not in objects:
        raise KeyError(f"matrix.yaml names an object the world lacks: {name!r}")
    obj = objects[name]
    if obj is None:
        return MISSING_PK
    return getattr(obj, "pk", obj)


def page_url(route_name: str, row: dict, objects: dict) -> str:
    kwargs = {k: _value(objects, v) for k, v in (row.get("kwargs") or {}).items()}
    url = reverse(route_name, kwargs=kwargs)
    return url + ("?" + row["query"] if row.get("query") else "")


def api_url(key: str, row: dict, objects: dict) -> tuple[str, str]:
    method, path = base_key(key).split(" ", 1)
    for name, value in (row.get("kwargs") or {}).items():
        path = path.replace("{" + name + "}", str(_value(objects, value)))
    if "{" in path:
        raise KeyError(f"{key}: matrix.yaml gives no kwargs for {path}")
    return method, path + ("?" + row["query"] if row.get("query") else "")


def admin_url(route: str) -> str:
    """Admin routes filled from the route itself: the model's first row."""
    parts = route.split("/")
    url = route.replace("<path:content_type_id>/<path:object_id>", "1/1")
    for param in ("<path:object_id>", "<id>"):  # <id>: the user's password form
        if param in url:
            model = apps.get_model(parts[1], parts[2])
            first = model._default_manager.order_by("pk").first()
            url = url.replace(param, str(first.pk if first else MISSING_PK))
    if route.startswith("admin/^(?P<app_label>"):
        url = "admin/portal/"
    if "(?P<url>" in route:
        url = "admin/no-such-page/"
    return "/" + url


def _body(response) -> str:
    # Never response.close() here: the test client has closed the response
    # already (a streamed one once its content is read), with Django's
    # close_old_connections disconnected from request_finished. A second close
    # sends request_finished with it connected, and inside the test's
    # transaction (autocommit off) close_old_connections closes the connection:
    # PostgreSQL's pool takes it back, and the next query fails with "Cannot
    # open a new connection in an atomic block" (SQLite ignores the close of
    # its in-memory test database, so the matrix passed there).
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data[:2] == b"PK":  # xlsx: the cells are in the XML parts
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(
                    archive.read(name)
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    if data[:4] == b"%PDF":
        return ""  # not searched: its text is compressed (see README of the matrix)
    return data.decode("utf-8", "replace")


def outcome_of(response):
    if 300 <= response.status_code < 400:
        path = urlsplit(response.headers.get("Location", "")).path
        if path in (reverse("login"), reverse("admin:login")):
            return "login"
    return response.status_code


def request(client: Client, cell: Cell, secrets: dict) -> Cell:
    """One request in a savepoint that is rolled back, so an action that works
    (an empty POST may submit a draft) leaves the world as it was."""
    from portal.models import AuditEvent

    reveals = AuditEvent.objects.filter(action="personal_data.reveal")
    # A cell that logs out (accounts/logout/) must not log the persona out of
    # the next ones: the session row comes back with the rollback, the cookie here.
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    cache.clear()  # rate limits and cached scopes start afresh for every cell
    with transaction.atomic():
        before = reveals.count()
        if cell.method in ("GET", "DELETE"):
            response = client.generic(cell.method, cell.url)
        elif cell.url.startswith("/api/"):
            response = client.generic(
                cell.method, cell.url, data="{}", content_type="application/json"
            )
        else:
            response = client.post(cell.url, {})
        text = _body(response)  # streamed files read the database while streaming
        if connection.closed_in_transaction:
            raise AssertionError(
                f"{cell.where} closed the database connection inside the test's"
                " transaction (a view, middleware or signal calling"
                " connection.close() or close_old_connections())"
            )
        cell.audit_rows = reveals.count() - before
        transaction.set_rollback(True)
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    cell.outcome = outcome_of(response)
    cell.no_store = "no-store" in response.headers.get("Cache-Control", "")
    for pattern in (_MOBILE, _ID_NUMBER):
        for match in pattern.findall(text):
            if match in secrets:
                cell.found.add(secrets[match])
    return cell


def owners(cell: Cell) -> set:
    return {owner for _kind, owner in cell.found}
