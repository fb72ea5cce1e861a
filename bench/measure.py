"""Measure the portal's pages against the floor (``make bench``, issue 14).

Serves the database in ``DATABASE_URL`` with the production server (gunicorn,
2 sync workers, production settings with ``PORTAL_BENCH=1`` so responses carry
their query count and SQL time), signs in as each role, and measures every
page below with ``--clients`` concurrent clients: p50/p95/p99, requests per
second, queries and SQL time per request, and the ratio of p50 to the floor (a
bare Django view answering 20 rows of one indexed query as JSON) measured in the
same run. Writes ``bench/results/latest.json`` and ``latest.md``.

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
    (
        "deputy list deep page (province staff)",
        "sheng_staff",
        "/deputies/?page=200",
        "html",
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
    ("opinion inbox (province staff)", "sheng_staff", "/stations/opinions/", "html"),
    ("opinion inbox (county staff)", "xian_staff", "/stations/opinions/", "html"),
    ("overdue board (province staff)", "sheng_staff", "/proposals/overdue/", "html"),
    ("overdue board (county staff)", "xian_staff", "/proposals/overdue/", "html"),
    ("my suggestions (daibiao01)", "daibiao01", "/proposals/", "html"),
    ("staff dashboard (province staff)", "sheng_staff", "/staff/", "html"),
    ("API assignments (unit staff)", "unit_jiaotong", "/api/v1/assignments/", "api"),
    ("API assignments (county staff)", "xian_staff", "/api/v1/assignments/", "api"),
    ("API suggestions (county staff)", "xian_staff", "/api/v1/suggestions/", "api"),
    ("API deputies (province staff)", "sheng_staff", "/api/v1/deputies/", "api"),
    ("public replies search 公路", None, "/proposals/public/?q=公路", "html"),
    ("public station finder", None, "/stations/", "html"),
]


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


def measure(base: str, requests: int, clients: int) -> list[dict]:
    sessions: dict[str | None, Client] = {}
    results = []
    for label, user, path, kind in PAGES:
        if user not in sessions:
            sessions[user] = Client(base, user)
        client = sessions[user]
        api = kind == "api"
        client.get(path, api)  # warm up
        samples = _run(client, path, api, requests, clients)
        wall = samples.pop()
        times = [s[1] * 1000 for s in samples]
        results.append(
            {
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
        print(f"{label}: p50 {results[-1]['p50_ms']} ms", flush=True)
    floor = results[0]["p50_ms"] or 1
    for row in results:
        row["x_floor"] = round(row["p50_ms"] / floor, 1)
    return results


def markdown(results: list[dict]) -> str:
    lines = [
        "| page | status | p50 ms | p95 | p99 | req/s | queries | SQL ms | KB | × floor |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['page']} | {','.join(map(str, r['status']))} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['req_per_s']} | {r['queries']} | "
            f"{r['sql_ms']} | {r['kb']} | {r['x_floor']} |"
        )
    return "\n".join(lines) + "\n"


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
    }
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
    args = parser.parse_args()
    server = serve(args.port)
    try:
        results = measure(f"http://127.0.0.1:{args.port}", args.requests, args.clients)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    table = markdown(results)
    (out / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    bad = [r for r in results if any(s >= 500 for s in r["status"])]
    if bad:
        raise SystemExit(f"5xx on: {', '.join(r['page'] for r in bad)}")


if __name__ == "__main__":
    main()
