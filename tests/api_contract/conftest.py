"""The Schemathesis gate's world (``world.py``), seeded once per module (per
xdist worker) inside a transaction that is rolled back at the end, so the rest
of the suite on that worker finds the database as it was.

Each test item (one operation, one persona) runs in pytest-django's own
transaction inside it, and each generated case in a savepoint that is rolled
back (``test_schemathesis._run``), so every case meets the same world.
"""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from . import report
from .world import build_world


@pytest.fixture(scope="module")
def contract_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def in_process_requests():
    """Call the WSGI application as Django's test client does: the end of a
    request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _count_items():
    report.record("items")
