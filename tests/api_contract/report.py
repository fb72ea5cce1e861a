"""Counts of the Schemathesis gate, summed over xdist workers and printed at the
end of the run: operations, cases, failures by check, allow-listed failures."""

from __future__ import annotations

from collections import Counter

import pytest

STATS: Counter[str] = Counter()
OPERATIONS: set[str] = set()

_KEY = "schemathesis_gate"
_totals: Counter[str] = Counter()
_operations: set[str] = set()


def record(key: str, amount: int = 1) -> None:
    STATS[key] += amount


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the counts to the controller
        workeroutput[_KEY] = {"stats": dict(STATS), "operations": sorted(OPERATIONS)}
    else:
        _totals.update(STATS)
        _operations.update(OPERATIONS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    output = getattr(node, "workeroutput", {}).get(_KEY)
    if output:
        _totals.update(output["stats"])
        _operations.update(output["operations"])


def pytest_terminal_summary(terminalreporter):
    if not _totals:
        return
    failures = {
        key.removeprefix("failure:"): count
        for key, count in sorted(_totals.items())
        if key.startswith("failure:")
    }
    allowed = {
        key.removeprefix("allowed:"): count
        for key, count in sorted(_totals.items())
        if key.startswith("allowed:")
    }
    terminalreporter.write_sep("-", "Schemathesis (tests/api_contract)")
    terminalreporter.write_line(
        f"operations: {len(_operations)}, test items: {_totals['items']}, "
        f"cases: {_totals['cases']} (examples {_totals['phase:examples']}, "
        f"coverage {_totals['phase:coverage']}, fuzzing {_totals['phase:fuzzing']})"
    )
    terminalreporter.write_line(f"failures by check: {failures or 0}")
    terminalreporter.write_line(f"allow-listed: {allowed or 0}")
