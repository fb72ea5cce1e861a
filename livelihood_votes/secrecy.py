"""Erase what links a ballot to its voter when a round closes.

The threat model is docs/ballot-secrecy.md. While a round is open, a ballot
and its participation row are written in one transaction, so the database
relates them through system information (the same ``xmin``, physical order in
the heap and the WAL that follows the order of voting). At the close, in the
transaction that counts, every ballot and every participation row of the round
is deleted and re-inserted in a random order with new random keys; after the
commit the two tables are rewritten (``VACUUM FULL`` on PostgreSQL, ``VACUUM``
on SQLite) so the old row versions are gone from the files, not only marked
free.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

logger = logging.getLogger(__name__)
_random = secrets.SystemRandom()


def _rewrite(model: type[Model], rows: list[dict[str, Any]], *, uuid_pk: bool) -> None:
    _random.shuffle(rows)
    objs = []
    for row in rows:
        if uuid_pk:
            row["id"] = uuid.uuid4()
        objs.append(model(**row))
    model._default_manager.bulk_create(objs)


def shuffle_round(
    *,
    ballot_model: type[Model],
    participation_model: type[Model],
    round_field: str,
    round_obj: Model,
    ballot_fields: tuple[str, ...],
) -> None:
    """Re-insert the round's ballots and participations in a random order.

    Call inside the closing transaction, after counting.
    """
    where = {round_field: round_obj}
    ballots = list(ballot_model._default_manager.filter(**where).values(*ballot_fields))
    mandates = list(
        participation_model._default_manager.filter(**where).values("mandate_id")
    )
    ballot_model._default_manager.filter(**where).delete()
    participation_model._default_manager.filter(**where).delete()
    _rewrite(
        ballot_model, [{**b, round_field: round_obj} for b in ballots], uuid_pk=True
    )
    _rewrite(
        participation_model,
        [{**m, round_field: round_obj} for m in mandates],
        uuid_pk=False,
    )
    tables = [ballot_model._meta.db_table, participation_model._meta.db_table]
    transaction.on_commit(lambda: reclaim(tables))


# How long the rewrite waits for transactions that began before the close.
RECLAIM_WAIT_SECONDS = 60.0
# Transactions PostgreSQL counts against VACUUM: any client transaction of the
# server that has an xid (a writer, in any database) or a snapshot here.
_OLDER_TRANSACTIONS = """
    SELECT count(*) FROM pg_stat_activity
     WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
       AND xact_start < %s
       AND (backend_xid IS NOT NULL
            OR (backend_xmin IS NOT NULL AND datname = current_database()))
"""


def reclaim(tables: list[str], *, wait_seconds: float | None = None) -> bool:
    """Rewrite the tables' files so no dead row version survives (after commit).

    ``VACUUM FULL`` copies a deleted row into the new file while a transaction
    older than the delete is still running ("recently dead"): one that holds a
    snapshot in this database, or any writer of the server, in any database.
    A report or a request running across the close would so keep the old rows,
    in voting order, in the file. The rewrite first waits (up to
    ``RECLAIM_WAIT_SECONDS``) until no such transaction is left; past that it
    rewrites anyway and logs how many held it, and returns False (the operator
    runs ``VACUUM FULL`` again, docs/ballot-secrecy.md). True when rewritten
    with nothing older running."""
    if connection.in_atomic_block:  # still inside an outer transaction: cannot VACUUM
        return False
    holding = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT statement_timestamp()")
            closed_at = cursor.fetchone()[0]
            wait = RECLAIM_WAIT_SECONDS if wait_seconds is None else wait_seconds
            deadline = time.monotonic() + wait
            while True:
                cursor.execute(_OLDER_TRANSACTIONS, [closed_at])
                holding = cursor.fetchone()[0]
                if not holding or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            if holding:
                logger.warning(
                    "ballot secrecy: %s transaction(s) older than the close are"
                    " still running; VACUUM FULL %s may keep the old rows — run"
                    " it again when they have ended",
                    holding,
                    ", ".join(tables),
                )
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"VACUUM FULL {quoted}")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return not holding
