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

import secrets
import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

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


def reclaim(tables: list[str]) -> None:
    """Rewrite the tables' files so no dead row version survives (after commit)."""
    if connection.in_atomic_block:  # still inside an outer transaction: cannot VACUUM
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"VACUUM FULL {quoted}")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
