"""The API keeps its contract under property-based testing (issue 15; SECURITY.md
5.1.3, 5.1.4): every operation of the OpenAPI schema served at /api/schema/,
for four personas (anonymous, a deputy, a unit's staff, a county congress's
staff), in the examples, coverage and fuzzing phases of Schemathesis, against
the demo province (conftest.py), in this process (WSGI).

Three checks: no answer is a server error (``not_a_server_error``), every
status code is documented for its operation (``status_code_conformance``), and
every body matches its documented schema (``response_schema_conformance``). A
failure is the product's to fix — the code, or the schema where it lies about
what validation accepts — unless it is on ``ALLOWED`` below, with its reason.

Each persona calls with its own API token (``Authorization: Token …``, as
integrators do); the generator also fills the schema's security parameters
(a token header, a session cookie) with values of any shape, the persona's
token replacing a generated one. Each case runs in a savepoint that is rolled
back, so every case meets the same world, and a server error's traceback is
part of the failure's report.

Bounded and deterministic: a fixed seed, derandomised Hypothesis, no example
database, ``FUZZ_EXAMPLES`` cases per operation and persona in the fuzzing
phase (the examples phase runs the schema's own examples: it has none yet);
the coverage phase once per operation, as congress staff (the persona that
gets past authentication and scope checks on most operations). The counts are
printed at the end of the run (``report.py``).
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import got_request_exception
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.errors import FailureGroup

from . import report
from .world import BODY_MODELS, PATH_MODELS, PERSONAS

pytestmark = pytest.mark.django_db

# The CI budget; a deeper run by hand, e.g. ``API_FUZZ_EXAMPLES=40
# API_COVERAGE_PERSONAS=all pytest tests/api_contract -n 2``.
FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
COVERAGE_PERSONAS = os.environ.get("API_COVERAGE_PERSONAS", "congress_staff")
SEED = 20260515
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@dataclass(frozen=True)
class Allowed:
    """A reviewed failure: ``check`` on ``operation`` (``METHOD /path``) is not
    held against the product, for ``reason``."""

    operation: str
    check: str
    reason: str


# Reviewed allow-list. Keep it short; every entry says why it is not a bug.
ALLOWED: list[Allowed] = []


def _config(*, coverage: bool, fuzzing: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": FUZZ_EXAMPLES,
                # Credentials are generated too (a token or session cookie of
                # any shape); a persona's own token replaces the generated one.
                "with-security-parameters": True,
            },
            "phases": {
                "examples": {"enabled": fuzzing},
                "coverage": {"enabled": coverage},
                "fuzzing": {"enabled": fuzzing},
                "stateful": {"enabled": False},
            },
        }
    )


APP = get_wsgi_application()
SCHEMA_URL = "/api/schema/?format=json"
fuzz_schema = schemathesis.openapi.from_wsgi(
    SCHEMA_URL, APP, config=_config(coverage=False, fuzzing=True)
)
coverage_schema = schemathesis.openapi.from_wsgi(
    SCHEMA_URL, APP, config=_config(coverage=True, fuzzing=False)
)


def _check_names(failure) -> list[str]:
    return list(getattr(type(failure), "checks", ())) or [type(failure).__name__]


def _is_allowed(failure) -> Allowed | None:
    for entry in ALLOWED:
        if failure.operation == entry.operation and entry.check in _check_names(
            failure
        ):
            return entry
    return None


def _model_for_path(path: str) -> str | None:
    rest = path.removeprefix("/api/v1/")
    for prefix in sorted(PATH_MODELS, key=len, reverse=True):
        if rest.startswith(prefix + "/{"):
            return PATH_MODELS[prefix]
    return None


def _map_body(world, value):
    if isinstance(value, list):
        return [_map_body(world, item) for item in value]
    if not isinstance(value, dict):
        return value
    mapped = {}
    for key, item in value.items():
        label = BODY_MODELS.get(key)
        if label and isinstance(item, list):
            mapped[key] = [world.pick(label, element) for element in item]
        elif label:
            mapped[key] = world.pick(label, item)
        else:
            mapped[key] = _map_body(world, item)
    return mapped


def _aim_at_rows(case, world) -> None:
    """Fuzzed numbers that name rows are mapped onto the demo's rows (in scope
    and out of it), so a case gets past "not found" to the code behind it."""
    label = _model_for_path(case.path)
    if label and "id" in case.path_parameters:
        case.path_parameters["id"] = world.pick(label, case.path_parameters["id"])
    if "tracking_code" in case.path_parameters and world.tracking_codes:
        # Every other generated code (by its length) becomes a real one.
        value = case.path_parameters["tracking_code"]
        if isinstance(value, str) and len(value) % 2 == 0:
            codes = world.tracking_codes
            case.path_parameters["tracking_code"] = codes[len(value) % len(codes)]
    if isinstance(case.body, dict):
        case.body = _map_body(world, case.body)


def _phase(case) -> str:
    meta = getattr(case, "meta", None)
    return meta.phase.name.value if meta is not None else "explicit"


def _run(case, persona: str, world) -> None:
    __tracebackhide__ = True
    phase = _phase(case)
    if phase == "fuzzing":
        _aim_at_rows(case, world)
    report.record("cases")
    report.record(f"phase:{phase}")
    errors: list[str] = []

    def on_exception(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    got_request_exception.connect(on_exception, weak=False)
    try:
        with transaction.atomic():
            response = case.call(headers=world.headers(persona))
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(on_exception)
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        remaining = []
        for failure in group.exceptions:
            entry = _is_allowed(failure)
            name = _check_names(failure)[0]
            if entry is None:
                report.record(f"failure:{name}")
                remaining.append(failure)
            else:
                report.record(f"allowed:{name}")
        if remaining:
            message = f"persona: {persona}\n{group.message}"
            if errors:
                message += "\nServer traceback:\n" + "\n".join(errors)
            raise FailureGroup(remaining, message) from None


@pytest.mark.parametrize("persona", list(PERSONAS))
@fuzz_schema.parametrize()
def test_fuzzing(case, persona, contract_world, in_process_requests):
    report.OPERATIONS.add(case.operation.label)
    _run(case, persona, contract_world)


@pytest.mark.parametrize(
    "persona",
    list(PERSONAS) if COVERAGE_PERSONAS == "all" else COVERAGE_PERSONAS.split(","),
)
@coverage_schema.parametrize()
def test_coverage(case, persona, contract_world, in_process_requests):
    report.OPERATIONS.add(case.operation.label)
    _run(case, persona, contract_world)
