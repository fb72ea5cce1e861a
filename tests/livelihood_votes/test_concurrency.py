"""52 deputies voting at once, each twice at the same moment, on PostgreSQL."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from livelihood_votes import selectors, services
from livelihood_votes.models import Ballot, Participation
from portal.services import TransitionError
from tests.livelihood_votes.conftest import open_round


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_52_deputies_voting_twice_at_once_give_52_ballots(lw):
    vote_round = open_round(lw)
    approve = [c.pk for c in lw.candidates[:7]]
    barrier = threading.Barrier(16)
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote(user):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        try:
            services.ballot_cast(vote_round=vote_round, actor=user, approve=approve)
            result = "ok"
        except TransitionError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(vote, [u for u in lw.users for _ in range(2)]))

    assert outcomes.count("ok") == 52
    assert outcomes.count("refused") == 52
    assert Ballot.objects.filter(round=vote_round).count() == 52
    assert Participation.objects.filter(round=vote_round).count() == 52
    services.round_close(vote_round=vote_round, actor=None)
    results = selectors.round_results(vote_round)
    assert results["participated"] == results["ballots"] == 52
    assert all(r["approvals"] == 52 for r in results["candidates"][:7])
