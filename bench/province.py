"""Province-scale data set for ``make bench`` (issue 14, DESIGN.md §13).

    .venv/bin/python bench/province.py --scale 1.0     # Hunan-sized, on PostgreSQL

Adds, around the demo data (``seed_demo``), a province like Hunan at ``--scale``
(1.0 ≈ 145,000 mandates, 10,000 stations, 300,000 opinions, 100,000 suggestions
with 150,000 assignments and 20,000 livelihood candidates; the demo county
湘源县 holds ≥ 5,000 deputies, 20,000 opinions and 10,000 suggestions). Rows
are written with batched ``bulk_create`` (no services: no audit rows, no
notifications) in one transaction per kind; the script is idempotent by a
marker region (a second run does nothing). ``--scale 0.002`` builds a tiny set
for CI so the harness never rots.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦傅方邹孟熊白秦邱江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
GIVEN = "建国华明丽红军英平伟芳娟敏静秀兰桂英志强海燕文斌晓霞玉梅春林波勇杰涛超磊鹏飞洋婷雪琴云峰刚辉俊德胜利"
TOPICS = [
    ("农村公路养护", "transport"),
    ("中小学食堂改造", "education"),
    ("村卫生室建设", "health"),
    ("油茶产业发展", "agriculture"),
    ("老旧小区改造", "construction"),
    ("河道垃圾治理", "environment"),
    ("养老服务设施", "social"),
    ("农村饮水安全", "construction"),
    ("集镇停车管理", "transport"),
    ("高标准农田建设", "agriculture"),
]
MARKER = "999999999999"  # a region code no real region has (12 digits)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The builder is a local tool: development settings (no secret key needed).
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
    )


def _batched(model, rows, size=5000):
    created = []
    for start in range(0, len(rows), size):
        created += model.objects.bulk_create(rows[start : start + size])
    return created


def build(scale: float, seed: int = 2026) -> dict[str, int]:
    _setup()
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from deputies.models import Mandate, Person
    from livelihood_votes.models import Candidate, Programme
    from portal.chinese import id_check_digit
    from portal.models import Congress, HandlingUnit, Region, Session, Term
    from portal.names import pinyin_sort_key, stroke_sort_key
    from proposals.models import Assignment, Suggestion
    from stations import tracking
    from stations.models import Opinion, Station

    if Region.objects.filter(code=MARKER).exists():
        print("已存在基准数据，跳过。/ Bench data already built.")
        return {}
    rng = random.Random(seed)
    today = timezone.localdate()
    province = Region.objects.get(level="province", name="湖南省")
    demo_county = Region.objects.get(level="county", name="湘源县")
    counts: dict[str, int] = {}
    started = time.perf_counter()

    def n(full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * scale))

    # --- regions: cities → counties → townships, paths computed here ------------
    def regions(parent, level, names):
        rows = _batched(
            Region,
            [
                Region(
                    name=name,
                    level=level,
                    parent=parent,
                    path=f"tmp-{MARKER}-{rng.random()}",
                    depth=parent.depth + 1,
                )
                for name in names
            ],
        )
        for row in rows:
            row.path = f"{parent.path}{row.pk:06d}/"
        Region.objects.bulk_update(rows, ["path"], batch_size=5000)
        return rows

    with transaction.atomic():
        Region.objects.create(
            name="基准数据标记", level="village", code=MARKER, path=f"{MARKER}/"
        )
        cities = regions(province, "city", [f"基准{i + 1}市" for i in range(n(13))])
        counties = []
        per_city = max(1, round(n(122) / len(cities)))
        for city in cities:
            counties += regions(
                city, "county", [f"{city.name[:-1]}{j + 1}县" for j in range(per_city)]
            )
        townships = []
        per_county = max(1, round(n(1900, 2) / len(counties)))
        for county in counties:
            townships += regions(
                county,
                "township",
                [f"{county.name[:-1]}{k + 1}乡" for k in range(per_county)],
            )
        # The demo county grows to a large county's size.
        demo_townships = regions(
            demo_county,
            "township",
            [f"湘源第{k + 1}镇" for k in range(n(30, 1))],
        )
        townships += demo_townships
    counts["regions"] = len(cities) + len(counties) + len(townships)

    # --- congresses with a current term and a session -----------------------------
    with transaction.atomic():
        level_of = {"city": "city", "county": "county", "township": "township"}
        congress_rows = [
            Congress(
                name=f"{r.name}人民代表大会",
                level=level_of[r.level],
                region=r,
                standing_committee_name=(
                    f"{r.name}人民代表大会主席团"
                    if r.level == "township"
                    else f"{r.name}人民代表大会常务委员会"
                ),
            )
            for r in (*cities, *counties, *townships)
        ]
        congresses = _batched(Congress, congress_rows)
        terms = _batched(
            Term,
            [
                Term(
                    congress=c,
                    number=19 if c.level == "township" else 15,
                    start_date=date(2026, 9, 25),
                    end_date=date(2031, 9, 24),
                    is_current=True,
                )
                for c in congresses
            ],
        )
        _batched(
            Session,
            [
                Session(
                    term=t,
                    number=1,
                    start_date=date(2026, 9, 25),
                    end_date=date(2026, 9, 27),
                )
                for t in terms
            ],
        )
        term_of = {t.congress_id: t for t in terms}
        congress_of = {c.region_id: c for c in congresses}
        for existing in Congress.objects.filter(
            region__in=[province, demo_county]
        ).select_related("region"):
            congress_of[existing.region_id] = existing
            term_of[existing.pk] = existing.current_term()
    counts["congresses"] = len(congresses)

    # --- handling units --------------------------------------------------------------
    with transaction.atomic():
        unit_rows = []
        departments = [
            "交通运输局",
            "教育局",
            "卫生健康局",
            "农业农村局",
            "住房和城乡建设局",
            "生态环境局",
        ]
        for r in (*cities, *counties, province):
            for d in departments:
                unit_rows.append(
                    HandlingUnit(name=f"{r.name}{d}", kind="gov_dept", region=r)
                )
        for r in townships:
            unit_rows.append(
                HandlingUnit(name=f"{r.name}人民政府", kind="township_gov", region=r)
            )
        units = _batched(HandlingUnit, unit_rows)
        units += list(HandlingUnit.objects.filter(region=demo_county))
        units_of: dict[int, list] = {}
        for u in units:
            units_of.setdefault(u.region_id, []).append(u)
    counts["units"] = len(units)

    # --- persons and mandates ----------------------------------------------------
    plan = [(province, n(800))]
    plan += [(c, max(1, n(5000) // len(cities))) for c in cities]
    plan += [(c, max(1, n(30000) // len(counties))) for c in counties]
    plan += [(demo_county, n(300))]
    plan += [(t, max(1, n(110000) // len(townships))) for t in townships]
    demo_share = sum(k for r, k in plan if r in demo_townships)
    if demo_share < n(4700):  # the demo county's subtree holds ≥ 5k deputies
        extra = n(4700) - demo_share
        plan += [(demo_townships[0], extra)]
    mandates_of: dict[int, list] = {}
    used_ids: set[str] = set()
    total = 0
    for start in range(0, len(plan), 200):
        chunk = plan[start : start + 200]
        with transaction.atomic():
            persons, pending = [], []
            for region, k in chunk:
                for _ in range(k):
                    name = _name(rng)
                    first17 = ""
                    while not first17 or first17 in used_ids:  # unique at 145k
                        first17 = f"4301{rng.randint(10, 99)}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
                    used_ids.add(first17)
                    persons.append(
                        Person(
                            name=name,
                            name_stroke_key=stroke_sort_key(name),
                            name_pinyin=pinyin_sort_key(name),
                            gender=rng.choice(("male", "female")),
                            mobile=f"13{rng.randint(100000000, 999999999)}",
                            id_number=first17 + id_check_digit(first17),
                            is_frontline=rng.random() < 0.5,
                        )
                    )
                    pending.append(region)
            persons = _batched(Person, persons)
            rows = []
            card = {}
            for person, region in zip(persons, pending, strict=True):
                congress = congress_of[region.pk]
                card[congress.pk] = card.get(congress.pk, 0) + 1
                rows.append(
                    Mandate(
                        person=person,
                        congress=congress,
                        term=term_of[congress.pk],
                        card_number=f"B{congress.pk:05d}{card[congress.pk]:05d}",
                        status="active",
                    )
                )
            for m in _batched(Mandate, rows):
                mandates_of.setdefault(m.congress_id, []).append(m)
                total += 1
    counts["mandates"] = total

    # --- stations and opinions -----------------------------------------------------
    with transaction.atomic():
        station_rows = []
        per_township = max(1, round(n(10000) / len(townships)))
        for t in townships:
            for s in range(per_township):
                code = f"BS{t.pk:06d}{s:02d}"
                station_rows.append(
                    Station(
                        code=code,
                        tracking_prefix="BS",
                        name=f"{t.name}第{s + 1}代表联络站",
                        kind="township" if s == 0 else "point",
                        region=t,
                        region_path=t.path,
                        status="active",
                    )
                )
        stations = _batched(Station, station_rows)
    counts["stations"] = len(stations)
    demo_stations = [s for s in stations if s.region in demo_townships] or stations
    statuses = ["received", "assigned", "replied", "closed", "closed"]
    n_opinions = n(300000)
    n_demo = min(n(20000), n_opinions)
    opinion_total = 0
    for start in range(0, n_opinions, 20000):
        with transaction.atomic():
            rows = []
            for i in range(start, min(start + 20000, n_opinions)):
                station = rng.choice(demo_stations if i < n_demo else stations)
                topic, category = rng.choice(TOPICS)
                key = tracking.new_key()
                rows.append(
                    Opinion(
                        station=station,
                        congress=congress_of.get(station.region_id),
                        tracking_key=key,
                        tracking_code=tracking.format_code("BS", key),
                        submitter_name=_name(rng),
                        submitter_phone=f"13{rng.randint(100000000, 999999999)}",
                        content=f"关于{topic}的意见：{station.name}附近群众反映{topic}问题，希望尽快解决。",
                        category="other",
                        status=rng.choice(statuses),
                        region_path=station.region_path,
                    )
                )
            opinion_total += len(_batched(Opinion, rows))
    counts["opinions"] = opinion_total

    # --- suggestions and assignments ---------------------------------------------
    n_suggestions = n(100000)
    n_demo_s = min(n(10000), n_suggestions)
    demo_congress = congress_of[demo_county.pk]
    county_congresses = [congress_of[c.pk] for c in counties] + [demo_congress]
    s_statuses = [
        "submitted",
        "registered",
        "assigned",
        "assigned",
        "replied",
        "closed",
    ]
    suggestion_total = assignment_total = 0
    # Official numbers continue after those the demo already gave.
    number_of: dict[int, int] = {
        row["congress"]: row["top"] or 0
        for row in Suggestion.objects.filter(year=2026, kind="suggestion")
        .values("congress")
        .annotate(top=Max("number"))
    }
    for start in range(0, n_suggestions, 10000):
        with transaction.atomic():
            rows = []
            for i in range(start, min(start + 10000, n_suggestions)):
                congress = (
                    demo_congress if i < n_demo_s else rng.choice(county_congresses)
                )
                lead = rng.choice(mandates_of[congress.pk])
                topic, category = rng.choice(TOPICS)
                status = rng.choice(s_statuses)
                number = None
                if status != "submitted":
                    number_of[congress.pk] = number_of.get(congress.pk, 0) + 1
                    number = number_of[congress.pk]
                rows.append(
                    Suggestion(
                        congress=congress,
                        term=term_of[congress.pk],
                        year=2026,
                        number=number,
                        title=f"关于加强{topic}的建议",
                        problem=f"{topic}方面存在短板，群众反映强烈。",
                        analysis="资金投入不足，责任落实不到位。",
                        proposals=f"统筹资金，建立{topic}长效机制。",
                        category=category,
                        lead=lead,
                        status=status,
                        region_path=congress.region.path,
                        submitted_at=timezone.now(),
                        research_note="实地走访",
                        research_date=today - timedelta(days=30),
                        research_place="村委会",
                        research_people="群众代表",
                    )
                )
            created = _batched(Suggestion, rows)
            suggestion_total += len(created)
            assignments = []
            for s in created:
                if s.status in ("submitted", "registered"):
                    continue
                pool = units_of.get(s.congress.region_id) or units
                # A lead unit and, for most, co-handling units: about 2.25 a
                # suggestion, so two thirds of 100,000 give the 150,000 of issue 14.
                picks = rng.sample(pool, k=min(len(pool), rng.choice((1, 2, 3, 3))))
                for j, unit in enumerate(picks):
                    due = today + timedelta(days=rng.randint(-20, 80))
                    assignments.append(
                        Assignment(
                            suggestion=s,
                            unit=unit,
                            role="lead" if j == 0 else "co",
                            status="accepted" if s.status == "assigned" else "replied",
                            assigned_on=due - timedelta(days=90),
                            due_date=due,
                            original_due_date=due,
                            region_path=s.region_path,
                        )
                    )
            assignment_total += len(_batched(Assignment, assignments))
    counts["suggestions"] = suggestion_total
    counts["assignments"] = assignment_total

    # --- livelihood programmes and candidates ---------------------------------------
    with transaction.atomic():
        programmes = _batched(
            Programme,
            [
                Programme(
                    congress=congress_of[t.pk],
                    year=2027,
                    seats=7,
                    region_path=t.path,
                )
                for t in townships
            ],
        )
        per_programme = max(1, round(n(20000) / len(programmes)))
        candidates = _batched(
            Candidate,
            [
                Candidate(
                    programme=p,
                    title=f"{rng.choice(TOPICS)[0]}项目{k + 1}",
                    description="建设内容与规模",
                    estimated_cost=rng.randint(20, 500),
                    order=k + 1,
                )
                for p in programmes
                for k in range(per_programme)
            ],
        )
    counts["candidates"] = len(candidates)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def ensure_database(url: str, fresh: bool) -> None:
    """Create the PostgreSQL database of ``url`` if missing (``fresh``: drop it first)."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--fresh", action="store_true", help="drop and rebuild the bench database"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("make bench 需要 PostgreSQL（DATABASE_URL）/ needs PostgreSQL")
    ensure_database(url, args.fresh)
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--if-empty"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    counts = build(args.scale)
    for key, value in counts.items():
        print(f"{key}: {value}")
    # Fresh planner statistics (expression indexes included) after bulk loading,
    # as autovacuum would give a production database in a while.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
