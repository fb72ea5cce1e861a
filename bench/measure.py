"""Measure the portal's pages against the floor (``make bench``, issue 14).

Serves the database in ``DATABASE_URL`` with the production server (gunicorn,
2 sync workers, production settings with ``PORTAL_BENCH=1`` so responses carry
their query count and SQL time), signs in as each role, and measures every
page below with ``--clients`` concurrent clients: p50/p95/p99, requests per
second, queries and SQL time per request, and the ratio of p50 to the floor (a
bare Django view answering 20 rows of one indexed query as JSON) measured with
the same clients just before and just after each page (``measure``). Writes
``bench/results/latest.json`` and ``latest.md``.

    .venv/bin/python bench/measure.py --requests 40 --clients 4
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Demo#2026"  # noqa: S105 - the demo accounts' documented password

# (label, user or None for anonymous, path, kind)
PAGES = [
    ("floor", None, "/bench/floor/", "floor"),
    ("deputy list p1 (province staff)", "sheng_staff", "/deputies/", "html"),
    # The last page a list offers (bounded pagination: 100 pages of 50).
    (
        "deputy list last page (province staff)",
        "sheng_staff",
        "/deputies/?page=100",
        "deep",
    ),
    ("deputy search 张建 (province staff)", "sheng_staff", "/deputies/?q=张建", "html"),
    (
        "deputy search 张建国 (county staff)",
        "xian_staff",
        "/deputies/?q=张建国",
        "html",
    ),
    ("suggestion list (province staff)", "sheng_staff", "/proposals/manage/", "html"),
    ("suggestion list (county staff)", "xian_staff", "/proposals/manage/", "html"),
    (
        "suggestion list last page (province staff)",
        "sheng_staff",
        "/proposals/manage/?page=100",
        "deep",
    ),
    (
        "suggestion search 公路 (province)",
        "sheng_staff",
        "/proposals/manage/?q=公路",
        "html",
    ),
    (
        "suggestion search 养老服 (province)",
        "sheng_staff",
        "/proposals/manage/?q=养老服",
        "html",
    ),
    (
        "suggestion search 农村饮水 (province)",
        "sheng_staff",
        "/proposals/manage/?q=农村饮水",
        "html",
    ),
    ("opinion inbox (province staff)", "sheng_staff", "/stations/opinions/", "html"),
    ("opinion inbox (county staff)", "xian_staff", "/stations/opinions/", "html"),
    (
        "opinion inbox last page (province staff)",
        "sheng_staff",
        "/stations/opinions/?page=100",
        "deep",
    ),
    (
        "opinion search 河道 (province)",
        "sheng_staff",
        "/stations/opinions/?q=河道",
        "html",
    ),
    (
        "opinion search 停车管 (province)",
        "sheng_staff",
        "/stations/opinions/?q=停车管",
        "html",
    ),
    (
        "opinion search 村卫生室 (province)",
        "sheng_staff",
        "/stations/opinions/?q=村卫生室",
        "html",
    ),
    ("overdue board (province staff)", "sheng_staff", "/proposals/overdue/", "html"),
    ("overdue board (county staff)", "xian_staff", "/proposals/overdue/", "html"),
    ("my suggestions (daibiao01)", "daibiao01", "/proposals/", "html"),
    ("staff dashboard (province staff)", "sheng_staff", "/staff/", "html"),
    ("report page (province staff)", "sheng_staff", "/staff/reports/view/", "html"),
    ("report page (county staff)", "xian_staff", "/staff/reports/view/", "html"),
    ("API assignments (unit staff)", "unit_jiaotong", "/api/v1/assignments/", "api"),
    ("API assignments (county staff)", "xian_staff", "/api/v1/assignments/", "api"),
    ("API suggestions (county staff)", "xian_staff", "/api/v1/suggestions/", "api"),
    ("API deputies (province staff)", "sheng_staff", "/api/v1/deputies/", "api"),
    ("API opinions (province staff)", "sheng_staff", "/api/v1/opinions/", "api"),
    ("public replies search 公路", None, "/proposals/public/?q=公路", "html"),
    ("public station finder", None, "/stations/", "html"),
]

# Issue 14's targets, as ratios of p50 (p99) to the floor's p50 in the same run.
TARGETS = {"html": (20, 60), "deep": (20, 60), "api": (10, None)}


class Client:
    """One signed-in browser: a cookie jar, or an API token."""

    def __init__(self, base: str, username: str | None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.token = ""
        if username:
            self._login(username)

    def _login(self, username: str) -> None:
        page = self.opener.open(self.base + "/accounts/login/", timeout=60).read()
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise SystemExit("登录页没有 CSRF 令牌 / no CSRF token on the login page")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": PASSWORD,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + "/accounts/login/",
            data=body,
            headers={"Referer": self.base + "/accounts/login/"},
        )
        self.opener.open(request, timeout=60).read()
        if not any(c.name == "sessionid" for c in self.jar):
            raise SystemExit(f"{username} 登录失败 / sign-in failed")
        token_request = urllib.request.Request(  # noqa: S310
            self.base + "/api/v1/auth/token/",
            data=json.dumps({"username": username, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(token_request, timeout=60) as response:  # noqa: S310
            self.token = json.loads(response.read())["token"]

    def get(self, path: str, api: bool) -> tuple[int, float, int, float, int]:
        headers = {"Authorization": f"Token {self.token}"} if api and self.token else {}
        url = self.base + urllib.parse.quote(path, safe="/?=&")
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener() if api else self.opener
        start = time.perf_counter()
        try:
            with opener.open(request, timeout=120) as response:
                body = response.read()
                status = response.status
                queries = int(response.headers.get("X-Portal-Queries", "0"))
                sql = float(response.headers.get("X-Portal-SQL-ms", "0"))
        except urllib.error.HTTPError as exc:
            body, status, queries, sql = exc.read(), exc.code, 0, 0.0
        return status, time.perf_counter() - start, queries, sql, len(body)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _run(client: Client, path: str, api: bool, requests: int, clients: int) -> list:
    """``requests`` GETs with ``clients`` at a time; the last item is the wall time."""
    lock = threading.Lock()
    samples: list = []

    def one(_i: int) -> None:
        sample = client.get(path, api)
        with lock:
            samples.append(sample)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(requests)))
    return [*samples, time.perf_counter() - started]


def _floor_ms(client: Client, requests: int, clients: int) -> list[float]:
    samples = _run(client, FLOOR_PATH, False, requests, clients)
    samples.pop()
    return [s[1] * 1000 for s in samples]


FLOOR_PATH = "/bench/floor/"


def measure(base: str, requests: int, clients: int) -> list[dict]:
    """Every page, each beside the floor measured just before and just after it
    with the same clients: a 2-core machine's speed drifts by 2× within a run (other
    tenants, CPU boost), and a page is compared with the floor of its own
    minute. The run's floor row is the median of those floors."""
    sessions: dict[str | None, Client] = {}
    results = []
    anonymous = sessions.setdefault(None, Client(base, None))
    for label, user, path, kind in PAGES:
        if user not in sessions:
            sessions[user] = Client(base, user)
        client = sessions[user]
        api = kind == "api"
        client.get(path, api)  # warm up
        before = _floor_ms(anonymous, requests, clients) if kind != "floor" else []
        samples = _run(client, path, api, requests, clients)
        wall = samples.pop()
        # The floor of the page's own minute: measured just before and just
        # after it (a floor of 40 requests alone moved 3x between pages).
        after = _floor_ms(anonymous, requests, clients) if kind != "floor" else []
        floor_here = round(statistics.median(before + after), 1) if before else None
        times = [s[1] * 1000 for s in samples]
        results.append(
            {
                "floor_p50_ms": floor_here,
                "page": label,
                "path": path,
                "user": user or "anonymous",
                "status": sorted({s[0] for s in samples}),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 0.95), 1),
                "p99_ms": round(_percentile(times, 0.99), 1),
                "req_per_s": round(len(samples) / wall, 1),
                "queries": max(s[2] for s in samples),
                "sql_ms": round(statistics.median(s[3] for s in samples), 1),
                "kb": round(statistics.median(s[4] for s in samples) / 1024, 1),
            }
        )
        print(
            f"{label}: p50 {results[-1]['p50_ms']} ms (floor {floor_here} ms)",
            flush=True,
        )
    floors = [r["floor_p50_ms"] for r in results if r["floor_p50_ms"]]
    if floors:  # the floor row: the median of the floors measured beside pages
        results[0]["floor_p50_ms"] = round(statistics.median(floors), 1)
        results[0]["floor_range_ms"] = [min(floors), max(floors)]
    first_pages = {(r["user"], r["path"]): r for r in results}
    for row, (_label, _user, path, kind) in zip(results, PAGES, strict=True):
        floor = row["floor_p50_ms"] or results[0]["p50_ms"] or 1
        row["kind"] = kind
        row["x_floor"] = round(row["p50_ms"] / floor, 1)
        row["p99_x_floor"] = round(row["p99_ms"] / floor, 1)
        p50_target, p99_target = TARGETS.get(kind, (None, None))
        meets = p50_target is None or row["x_floor"] <= p50_target
        if p99_target is not None:
            meets = meets and row["p99_x_floor"] <= p99_target
        if kind == "deep":
            first = first_pages.get((row["user"], path.split("?")[0]))
            if first:
                row["x_first_page"] = round(row["p50_ms"] / (first["p50_ms"] or 1), 2)
                meets = meets and row["x_first_page"] <= 1.5
        row["meets_target"] = meets if kind != "floor" else None
    return results


def floor_text(row: dict) -> str:
    if "floor_range_ms" in row:
        low, high = row["floor_range_ms"]
        return f"{row['floor_p50_ms']} ({low}–{high})"
    return str(row.get("floor_p50_ms") or "")


def markdown(results: list[dict]) -> str:
    lines = [
        "| page | status | p50 ms | p95 | p99 | req/s | queries | SQL ms | KB "
        "| floor p50 ms | × floor (p50/p99) | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = {True: "ok", False: "MISSED", None: ""}[r.get("meets_target")]
        deep = f", {r['x_first_page']}× p1" if "x_first_page" in r else ""
        lines.append(
            f"| {r['page']} | {','.join(map(str, r['status']))} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['req_per_s']} | {r['queries']} | "
            f"{r['sql_ms']} | {r['kb']} | {floor_text(r)} | "
            f"{r['x_floor']} / {r['p99_x_floor']}{deep} "
            f"| {target} |"
        )
    return "\n".join(lines) + "\n"


def _manage(*args: str, timeout: int = 900) -> dict:
    """``manage.py <args>`` against the bench database; its last line of JSON."""
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    done = subprocess.run(  # noqa: S603 - our own manage.py, no shell
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_jobs(base: str) -> dict:
    """What is not a page: exports (time, peak RSS), the background report
    build, and a vote day against the same production server."""
    jobs: dict = {}
    for user in ("xian_staff", "sheng_staff"):
        print(f"export as {user}…", flush=True)
        jobs[f"export {user}"] = _manage("bench_export", "--user", user)
    print("vote day…", flush=True)
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "vote_day.py"), "--base", base],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    try:
        start = done.stdout.index("{")
        jobs["vote day"] = json.loads(done.stdout[start : done.stdout.rindex("}") + 1])
        jobs["vote day"]["ok"] = done.returncode == 0
    except ValueError:
        jobs["vote day"] = {"error": done.stderr.strip()[-300:]}
    return jobs


def jobs_markdown(jobs: dict) -> str:
    lines = ["", "| job | figures |", "|---|---|"]
    for name, figures in jobs.items():
        shown = ", ".join(f"{k} {v}" for k, v in figures.items() if k != "tokens")
        lines.append(f"| {name} | {shown} |")
    return "\n".join(lines) + "\n"


def _redis_answers(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "PORTAL_BENCH": "1",
        # The synthetic province's accounts use the demo password.
        "PORTAL_ALLOW_DEMO_PASSWORD": "1",
    }
    # Production runs with Redis for the cache and sessions: so does the bench
    # when one answers (its own database number), unless told otherwise.
    if "REDIS_CACHE_URL" not in env and _redis_answers("127.0.0.1", 6379):
        env["REDIS_CACHE_URL"] = "redis://127.0.0.1:6379/5"
    subprocess.run(  # noqa: S603 - production static files (manifest storage)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("服务未能启动 / the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument(
        "--no-jobs", action="store_true", help="pages only (no export/report/vote)"
    )
    args = parser.parse_args()
    jobs: dict = {}
    if not args.no_jobs:
        # The background report build, timed; its result stored for the page.
        for user in ("xian_staff", "sheng_staff"):
            print(f"report build as {user}…", flush=True)
            jobs[f"report build {user}"] = _manage(
                "bench_report", "--user", user, "--store"
            )
    server = serve(args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        results = measure(base, args.requests, args.clients)
        if not args.no_jobs:
            jobs.update(measure_jobs(base))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"pages": results, "jobs": jobs}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    table = markdown(results) + jobs_markdown(jobs)
    (out / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    bad = [r for r in results if any(s >= 500 for s in r["status"])]
    if bad:
        raise SystemExit(f"5xx on: {', '.join(r['page'] for r in bad)}")
    failed = [name for name, figures in jobs.items() if "error" in figures]
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
