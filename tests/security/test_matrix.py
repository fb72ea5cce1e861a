"""Role × operation matrix and personal-data probe (issue 15, items 2 and 3).

Every HTML page, file and export of the URL conf, every operation of the OpenAPI
schema and every admin URL has a row in ``matrix.yaml`` saying what each persona
gets. A new URL or operation without a row fails
``test_every_url_and_operation_has_a_row``. Each row is requested as every
persona (GET for pages, the operation's method with an empty body for the API,
an empty POST for POST-only pages), each request in a savepoint rolled back
afterwards; every body is searched for the world's people's mobiles and ID
numbers. Full values may appear only in rows marked ``reveal: true``, whose
answers must say ``Cache-Control: no-store`` and write one
``personal_data.reveal`` audit row per person shown.

Known bugs (``known_bugs``) and leaks (``leaks``) are strict: when the code is
fixed the entry fails the run until it is removed.
"""

from __future__ import annotations

import json
import logging

import pytest
import yaml

from . import matrix as m
from .conftest import PERSONAS

ADMIN_PERSONAS = ("anon", "citizen", "county", "admin")
CHUNK = 40  # rows per test: the world is built once per test (about a second)

MATRIX = m.load() if m.MATRIX_FILE.exists() else {"pages": {}, "api": {}, "admin": {}}


def _methods(row: dict) -> dict:
    if "expect" in row:
        return {"API": row["expect"]}
    return {k: row[k] for k in ("GET", "POST") if k in row}


def size() -> dict:
    pages = MATRIX["pages"]
    pages_cells = sum(len(e) for row in pages.values() for e in _methods(row).values())
    api_cells = sum(len(row["expect"]) for row in MATRIX["api"].values())
    admin_urls = m.discover_urls()[1]
    admin_cells = sum(len(m.admin_row(MATRIX, k)["GET"]) for k in admin_urls)
    return {
        "operations": len(MATRIX["api"]),
        "api_cells": api_cells,
        "pages": len(pages),
        "page_cells": pages_cells,
        "admin_urls": len(admin_urls),
        "admin_cells": admin_cells,
        "personas": len(PERSONAS),
    }


def summary_line() -> str:
    s = size()
    return (
        f"security matrix: {s['operations']} API operations × {s['personas']} personas"
        f" ({s['api_cells']} cells), {s['pages']} pages × {s['personas']} personas"
        f" ({s['page_cells']} cells), {s['admin_urls']} admin URLs × "
        f"{len(ADMIN_PERSONAS)} personas ({s['admin_cells']} cells); "
        f"{len(MATRIX.get('known_bugs') or [])} known bugs, "
        f"{len(MATRIX.get('leaks') or [])} known leaks"
    )


def dump_rows(sections: dict) -> str:
    """matrix.yaml's layout: one row per URL, one flow mapping per method."""

    def flow(value) -> str:
        if not isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict) and set(value) <= set(PERSONAS):
            order = [*PERSONAS, *ADMIN_PERSONAS]
            value = dict(sorted(value.items(), key=lambda kv: order.index(kv[0])))
        return yaml.safe_dump(
            value,
            default_flow_style=True,
            allow_unicode=True,
            width=10**6,
            sort_keys=False,
        ).strip()

    lines = []
    for section, rows in sections.items():
        lines.append(f"{section}:")
        for key, row in rows.items():
            lines.append(f"  {json.dumps(key, ensure_ascii=False)}:")
            for field, value in row.items():
                if isinstance(value, dict) and not value:
                    continue
                lines.append(f"    {field}: {flow(value)}")
    return "\n".join(lines) + "\n"


# --- every URL and operation has a row ------------------------------------------------


def test_every_url_and_operation_has_a_row():
    print("\n" + summary_line())
    pages, admin = m.discover_urls()
    operations = m.discover_operations()
    rows = {m.base_key(k) for k in MATRIX["pages"]}
    api_rows = {m.base_key(k) for k in MATRIX["api"]}
    problems = []
    for name, route in pages.items():
        if name not in rows:
            problems.append(
                f"page {name!r} (/{route}) has no row in tests/security/matrix.yaml:"
                " add one under `pages:` with the outcome of every persona"
                " (`pytest tests/security/record_matrix.py` drafts it)"
            )
    for key in operations:
        if key not in api_rows:
            problems.append(
                f"API operation {key!r} has no row in tests/security/matrix.yaml:"
                " add one under `api:` with the outcome of every persona"
            )
    for name in admin:
        try:
            m.admin_row(MATRIX, name)
        except KeyError:
            problems.append(f"admin URL {name!r} matches no row under `admin:`")
    problems += [f"row {k!r} names no URL any more" for k in rows - set(pages)]
    problems += [
        f"row {k!r} names no operation any more" for k in api_rows - set(operations)
    ]
    for key, row in {**MATRIX["pages"], **MATRIX["api"]}.items():
        for expect in _methods(row).values():
            sampled = row.get("sampled") and set(expect) <= set(PERSONAS)
            if set(expect) != set(PERSONAS) and not sampled:
                problems.append(
                    f"row {key!r}: give every persona {PERSONAS}, or say why a"
                    " sample is enough under `sampled:`"
                )
    assert not problems, "\n".join(problems)


# --- the cells ---------------------------------------------------------------------------


def _chunks():
    params = []
    for section in ("pages", "api"):
        keys = sorted(MATRIX[section])
        for n in range(0, len(keys), CHUNK):
            params.append(
                pytest.param(section, keys[n : n + CHUNK], id=f"{section}-{n // CHUNK}")
            )
    admin = sorted(m.discover_urls()[1])
    for n in range(0, len(admin), 60):
        params.append(pytest.param("admin", admin[n : n + 60], id=f"admin-{n // 60}"))
    return params


@pytest.fixture
def quiet_request_log():
    """Thousands of expected 403/404s: their log lines (with tracebacks) cost
    more than the requests; outcomes, 500s included, are checked cell by cell."""
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _cells(section: str, keys: list, objects: dict):
    if section == "admin":
        _, admin = m.discover_urls()
        for key in keys:
            url = m.admin_url(admin[key])
            for persona, expected in m.admin_row(MATRIX, key)["GET"].items():
                yield key, {}, m.Cell(key, "GET", persona, url), expected
        return
    for key in keys:
        row = MATRIX[section][key]
        for method, expect in _methods(row).items():
            if section == "api":
                method, url = m.api_url(key, row, objects)
            else:
                url = m.page_url(m.base_key(key), row, objects)
            for persona, expected in expect.items():
                yield key, row, m.Cell(key, method, persona, url), expected


@pytest.mark.django_db
@pytest.mark.parametrize(("section", "keys"), _chunks())
def test_matrix(matrix_world, section, keys, quiet_request_log):
    clients = m.clients(matrix_world.users)
    bugs = {
        (b["row"], b["method"], b["persona"]): b for b in MATRIX.get("known_bugs") or []
    }
    leaks = {}
    for entry in MATRIX.get("leaks") or []:
        for persona in _as_list(entry["persona"]):
            for kind in _as_list(entry["kind"]):
                leaks[(entry["row"], entry["method"], persona, kind)] = entry
    seen_bugs, seen_leaks, problems = set(), set(), []
    for key, row, cell, expected in _cells(section, keys, matrix_world.objects):
        m.request(clients[cell.persona], cell, matrix_world.secrets)
        bug = bugs.get((key, cell.method, cell.persona))
        if bug:
            seen_bugs.add((key, cell.method, cell.persona))
            if m.accepts(expected, cell.outcome):
                problems.append(
                    f"FIXED {cell.where}: now {cell.outcome} as the matrix expects;"
                    " remove its known_bugs entry"
                )
            elif not m.accepts(bug["got"], cell.outcome):
                problems.append(
                    f"{cell.where}: got {cell.outcome}, expected {expected}"
                    f" (known bug recorded as {bug['got']})"
                )
        elif not m.accepts(expected, cell.outcome):
            problems.append(f"{cell.where}: got {cell.outcome}, expected {expected}")
        kinds = {kind for kind, _owner in cell.found}
        if row.get("reveal") and kinds:
            if not cell.no_store:
                kinds = {"reveal_without_no_store"}
            elif cell.audit_rows != len(m.owners(cell)):
                kinds = {"reveal_audit_mismatch"}
            else:
                kinds = set()
        for kind in kinds:
            leak_key = (key, cell.method, cell.persona, kind)
            if leak_key in leaks:
                seen_leaks.add(leak_key)
            else:
                problems.append(
                    f"PERSONAL DATA {cell.where}: {kind} of"
                    f" {sorted(m.owners(cell))} (audit rows {cell.audit_rows},"
                    f" no-store {cell.no_store})"
                )
    for bug_key in bugs:
        if bug_key[0] in keys and bug_key not in seen_bugs:
            problems.append(f"known_bugs entry {bug_key} matches no request")
    for leak_key in leaks:
        if leak_key[0] in keys and leak_key not in seen_leaks:
            problems.append(
                f"FIXED leak {leak_key}: the response no longer shows it;"
                " remove its leaks entry"
            )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
