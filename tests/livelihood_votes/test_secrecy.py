"""The secret ballot (docs/ballot-secrecy.md), tried as an administrator with full
database access would after the round closes: ballots cast in a known order must
not be matched to their voters by any channel the database offers."""

import pytest
from django.db import connection

from livelihood_votes import services
from livelihood_votes.models import (
    Ballot,
    EvaluationParticipation,
    EvaluationRound,
    Participation,
    SatisfactionBallot,
)
from portal.models import AuditEvent, Notification
from tests.livelihood_votes.conftest import open_evaluation, open_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VOTERS = 14  # a wrong order matching by chance: 1 in 14! (8.7e10)


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _live_and_stored_tuples(table: str) -> tuple[int, int]:
    """Live rows, and every tuple the heap file still holds (dead ones included)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    live = _rows(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
    pages = _rows(
        "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table]
    )[0][0]
    stored = 0
    for page in range(pages):
        stored += _rows(
            "SELECT count(*) FROM heap_page_items(get_raw_page(%s, %s)) "
            "WHERE lp_flags = 1 AND t_data IS NOT NULL",
            [table, page],
        )[0][0]
    return live, stored


def _assert_no_old_rows(tables) -> None:
    """No tuple but the live ones in the tables' files. A writer elsewhere on
    the server that began before the close (another test worker's database)
    makes VACUUM FULL keep the old rows; ``secrecy.reclaim`` waits for it, and
    here the check waits as long as such a writer runs, then rewrites again."""
    from livelihood_votes import secrecy

    for _ in range(6):
        if all(stored == live for live, stored in map(_live_and_stored_tuples, tables)):
            return
        secrecy.reclaim(list(tables))
    for table in tables:
        live, stored = _live_and_stored_tuples(table)
        assert stored == live, table


def _patterns(lw) -> list[list[int]]:
    """A distinct, recognisable ballot for each voter (which candidates, in order)."""
    ids = [c.pk for c in lw.candidates]
    patterns = []
    for n in range(VOTERS):
        chosen = [ids[i] for i in range(10) if (n + 1) >> i & 1][:7]
        patterns.append(sorted(chosen))
    assert len({tuple(p) for p in patterns}) == VOTERS
    return patterns


def test_closed_round_cannot_be_linked_to_voters_from_the_database(lw):
    vote_round = open_round(lw)
    patterns = _patterns(lw)
    voters = lw.users[:VOTERS]
    receipts = []
    for user, approve in zip(voters, patterns, strict=True):
        receipts.append(
            services.ballot_cast(vote_round=vote_round, actor=user, approve=approve)
        )
    voter_mandates = [m.pk for m in lw.deputies[:VOTERS]]

    # While open, the link is the one the threat model names: the same xmin.
    xmins_open = _rows(
        "SELECT xmin::text FROM livelihood_votes_ballot WHERE round_id = %s "
        "ORDER BY ctid",
        [vote_round.pk],
    )
    assert len({x for (x,) in xmins_open}) == VOTERS

    services.round_close(vote_round=vote_round, actor=None)

    ballots = _rows(
        "SELECT xmin::text, ctid::text, id::text, approvals::text "
        "FROM livelihood_votes_ballot WHERE round_id = %s ORDER BY ctid",
        [vote_round.pk],
    )
    parts = _rows(
        "SELECT xmin::text, ctid::text, id, mandate_id "
        "FROM livelihood_votes_participation WHERE round_id = %s ORDER BY ctid",
        [vote_round.pk],
    )
    assert len(ballots) == len(parts) == VOTERS
    # 1. Transaction ids: all ballots share one xmin, all participations too.
    assert len({b[0] for b in ballots}) == 1
    assert len({p[0] for p in parts}) == 1
    # 2. Physical order (ctid) and keys no longer follow the voting order.
    by_ctid = [Ballot.objects.get(id=b[2]).approvals for b in ballots]
    assert by_ctid != patterns and sorted(by_ctid) == sorted(patterns)
    by_uuid = list(
        Ballot.objects.filter(round=vote_round)
        .order_by("id")
        .values_list("approvals", flat=True)
    )
    assert by_uuid != patterns
    parts_by_ctid = [p[3] for p in parts]
    parts_by_id = list(
        Participation.objects.filter(round=vote_round)
        .order_by("id")
        .values_list("mandate_id", flat=True)
    )
    assert parts_by_ctid != voter_mandates and parts_by_id != voter_mandates
    # 3. Pairing the n-th ballot with the n-th participation recovers nothing.
    mandate_to_pattern = dict(zip(voter_mandates, patterns, strict=True))
    paired = list(zip(parts_by_ctid, by_ctid, strict=True))
    assert sum(mandate_to_pattern[m] == b for m, b in paired) < VOTERS // 2
    # 4. No dead tuple of the old rows survives in the table files.
    _assert_no_old_rows(("livelihood_votes_ballot", "livelihood_votes_participation"))
    # 5. No audit row, notification or other table names a ballot or a receipt.
    ballot_ids = {b[2] for b in ballots}
    for text in AuditEvent.objects.values_list("data", "object_id", "object_repr"):
        blob = str(text)
        assert not any(r in blob for r in receipts)
        assert not any(i in blob for i in ballot_ids)
    assert not Notification.objects.filter(body__regex="|".join(receipts)).exists()
    # The receipts are kept: each deputy can still find theirs counted.
    assert set(
        Ballot.objects.filter(round=vote_round).values_list("receipt", flat=True)
    ) == set(receipts)


def test_closed_evaluation_cannot_be_linked_to_voters(lw):
    from livelihood_votes.models import Project

    vote_round = open_round(lw)
    ids = [c.pk for c in lw.candidates]
    for user in lw.users[:40]:
        services.ballot_cast(vote_round=vote_round, actor=user, approve=ids[:7])
    services.round_close(vote_round=vote_round, actor=None)
    evaluation = open_evaluation(lw)
    projects = list(Project.objects.filter(programme=lw.programme).order_by("pk"))
    choices = ["satisfied", "basically_satisfied", "dissatisfied"]
    # Voter n rates every project with choice n % 3 (shifted per project): each
    # voter's row pattern is recognisable.
    plan = []
    for n, user in enumerate(lw.users[:VOTERS]):
        ratings = {p.pk: choices[(n + i) % 3] for i, p in enumerate(projects)}
        services.evaluation_cast(evaluation=evaluation, actor=user, choices=ratings)
        plan.append([ratings[p.pk] for p in projects])
    services.evaluation_close(evaluation=evaluation, actor=None)

    rows = _rows(
        "SELECT xmin::text, project_id, choice FROM livelihood_votes_satisfactionballot "
        "WHERE round_id = %s ORDER BY ctid",
        [evaluation.pk],
    )
    assert len({r[0] for r in rows}) == 1
    # The sign-in (签到) was written before and apart from the ratings: its rows
    # share no transaction with them and cover everyone present (52 signed in,
    # VOTERS rated), so they say who was present, not who rated how.
    signed = _rows(
        "SELECT xmin::text FROM livelihood_votes_evaluationattendance "
        "WHERE round_id = %s",
        [evaluation.pk],
    )
    assert len(signed) == len(lw.deputies) > VOTERS
    assert not {r[0] for r in signed} & {r[0] for r in rows}
    # Reading the rows in physical order, k projects at a time, no longer gives
    # the voters' rating patterns in order.
    k = len(projects)
    chunks = [[r[2] for r in rows[i : i + k]] for i in range(0, len(rows), k)]
    assert chunks != plan
    assert EvaluationParticipation.objects.filter(round=evaluation).count() == VOTERS
    assert SatisfactionBallot.objects.filter(round=evaluation).count() == VOTERS * k
    _assert_no_old_rows(
        (
            "livelihood_votes_satisfactionballot",
            "livelihood_votes_evaluationparticipation",
        )
    )
    assert EvaluationRound.objects.get(pk=evaluation.pk).status == "closed"


def test_a_transaction_open_across_the_close_does_not_keep_the_old_rows(lw):
    """A report or request that began before the close could still see the old
    rows, so VACUUM FULL would copy them (in voting order) into the new file;
    the rewrite waits for it to end (``secrecy.reclaim``)."""
    import threading
    import time

    import psycopg
    from django.conf import settings

    vote_round = open_round(lw)
    for user, approve in zip(lw.users[:VOTERS], _patterns(lw), strict=True):
        services.ballot_cast(vote_round=vote_round, actor=user, approve=approve)
    db = settings.DATABASES["default"]
    reader = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    assert reader.execute("SELECT count(*) FROM livelihood_votes_ballot").fetchone()
    ended = threading.Event()

    def end_the_report() -> None:
        time.sleep(1.5)
        reader.execute("COMMIT")
        reader.close()
        ended.set()

    thread = threading.Thread(target=end_the_report)
    thread.start()
    try:
        services.round_close(vote_round=vote_round, actor=None)
    finally:
        thread.join(timeout=30)
    assert ended.is_set()
    for table in ("livelihood_votes_ballot", "livelihood_votes_participation"):
        live, stored = _live_and_stored_tuples(table)
        assert stored == live, table
