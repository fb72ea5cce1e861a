"""Vote-day benchmark (issue 12): N deputies sign in (签到) with the hall code and
cast their ballot at the same moment, each pressing "投票" twice, against a
running portal (`make run`).

    make run &                         # in another terminal, on a fresh clone
    make bench-vote                    # = .venv/bin/python bench/vote_day.py

Expected: 0 errors, exactly N ballots and N receipts, the other N presses
answered 409. Prints the figures and the wall time of the signed part.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor


def call(
    base: str, path: str, token: str, body: dict | None = None
) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 (http only, our own server)
        base + path,
        data=data,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except Exception as exc:  # connection reset, timeout…
        return 0, {"error": repr(exc)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--deputies", type=int, default=160)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()

    setup = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "vote_day_setup",
            "--deputies",
            str(args.deputies),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    day = json.loads(setup.stdout.strip().splitlines()[-1])
    url = f"/api/v1/livelihood/rounds/{day['round']}"
    approve = day["candidates"][:7]
    lock = threading.Lock()
    statuses: Counter = Counter()
    receipts: list[str] = []
    errors: list[str] = []

    def record(kind: str, status: int, body: dict) -> None:
        with lock:
            statuses[(kind, status)] += 1
            if kind == "ballot" and status == 201:
                receipts.append(body["receipt"])
            if status == 0 or status >= 500:
                errors.append(f"{kind} {status} {body}")

    def deputy(token: str) -> None:
        status, body = call(args.base, f"{url}/check-in/", token, {"code": day["code"]})
        record("check-in", status, body)

    def press(token: str) -> None:
        status, body = call(args.base, f"{url}/ballot/", token, {"approve": approve})
        record("ballot", status, body)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(deputy, day["tokens"]))
    signed_in = time.perf_counter()
    status, body = call(args.base, f"{url}/open/", day["staff_token"], {})
    record("open", status, body)
    opened = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(press, [t for t in day["tokens"] for _ in range(2)]))
    finished = time.perf_counter()
    status, body = call(args.base, f"{url}/close/", day["staff_token"], {})
    record("close", status, body)
    status, results = call(args.base, f"{url}/results/", day["staff_token"])

    n = args.deputies
    report = {
        "deputies": n,
        "check_in_201_or_200": statuses[("check-in", 200)],
        "ballots_201": statuses[("ballot", 201)],
        "ballots_409": statuses[("ballot", 409)],
        "receipts_unique": len(set(receipts)),
        "errors": len(errors),
        "results_ballots": results.get("ballots"),
        "seconds_sign_in": round(signed_in - started, 2),
        "seconds_ballots": round(finished - opened, 2),
        "seconds_total": round(finished - started, 2),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    for line in errors[:10]:
        print(line, file=sys.stderr)
    ok = (
        report["errors"] == 0
        and report["check_in_201_or_200"] == n
        and report["ballots_201"] == n
        and report["ballots_409"] == n
        and report["receipts_unique"] == n
        and report["results_ballots"] == n
        and report["seconds_total"] <= 10
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
