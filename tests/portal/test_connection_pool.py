"""PostgreSQL connections are bounded in every mode (issue 15): a burst of
requests on many threads shares each process's pool of DATABASE_POOL_MAX
connections instead of opening one per thread (which filled the server's 100)."""

import threading
import time

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 30


def test_settings_use_a_bounded_pool():
    database = settings.DATABASES["default"]
    pool = database["OPTIONS"]["pool"]
    assert 1 <= pool["max_size"] <= 20
    assert pool["timeout"] > 0
    # The pool keeps the connections; Django must not keep them per thread.
    assert database["CONN_MAX_AGE"] == 0
    assert connection.pool is not None


def _connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_burst_of_threads_never_holds_more_than_the_pool():
    """Thirty request threads at once, each as Django serves a request (a query,
    then ``close_old_connections`` from ``request_finished``): the server never
    sees more than the pool's connections from them."""
    limit = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def request() -> None:
        try:
            start.wait()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.2)")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    peak = 0
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, _connections_to_this_database())
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert errors == []
    assert 0 < peak <= limit
