"""Demo data of the core: a fictional part of Hunan province (DESIGN.md §15).

Idempotent: every row is looked up by a natural key before it is created.
Domain apps extend the demo with their own ``<app>/demo.py`` ``seed(ctx)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from . import services
from .models import Congress, HandlingUnit, Region, Role, Session, User

DEMO_PASSWORD = "Demo#2026"  # noqa: S105 - demo mode only, documented in API.md


@dataclass
class DemoContext:
    """What the core seed made, for the apps' seeders to build on."""

    regions: dict[str, Region] = field(default_factory=dict)
    congresses: dict[str, Congress] = field(default_factory=dict)
    units: dict[str, HandlingUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    password_hash: str = ""
    today: date = field(default_factory=timezone.localdate)


# name, code, level, parent name
REGIONS = [
    ("中华人民共和国", "100000000000", Region.Level.NATIONAL, None),
    ("湖南省", "430000000000", Region.Level.PROVINCE, "中华人民共和国"),
    ("潇湘市", "434000000000", Region.Level.CITY, "湖南省"),
    ("云梦市", "435000000000", Region.Level.CITY, "湖南省"),
    ("湘源县", "434021000000", Region.Level.COUNTY, "潇湘市"),
    ("云溪县", "434022000000", Region.Level.COUNTY, "潇湘市"),
    ("梦泽县", "435021000000", Region.Level.COUNTY, "云梦市"),
    ("城关街道", "434021001000", Region.Level.SUBDISTRICT, "湘源县"),
    ("桃花乡", "434021201000", Region.Level.TOWNSHIP, "湘源县"),
    ("李家镇", "434021101000", Region.Level.TOWNSHIP, "湘源县"),
    ("白沙镇", "434022101000", Region.Level.TOWNSHIP, "云溪县"),
    ("荷塘乡", "435021201000", Region.Level.TOWNSHIP, "梦泽县"),
    ("桃花村", "434021201201", Region.Level.VILLAGE, "桃花乡"),
    ("杏林村", "434021201202", Region.Level.VILLAGE, "桃花乡"),
    ("桃花社区", "434021201001", Region.Level.VILLAGE, "桃花乡"),
    ("李家村", "434021101201", Region.Level.VILLAGE, "李家镇"),
    ("白沙村", "434022101201", Region.Level.VILLAGE, "白沙镇"),
]

# region, congress name, standing body, term number, term start, sessions
CONGRESSES = [
    (
        "中华人民共和国",
        "全国人民代表大会",
        "全国人民代表大会常务委员会",
        14,
        date(2023, 3, 5),
    ),
    (
        "湖南省",
        "湖南省人民代表大会",
        "湖南省人民代表大会常务委员会",
        14,
        date(2023, 1, 13),
    ),
    (
        "潇湘市",
        "潇湘市人民代表大会",
        "潇湘市人民代表大会常务委员会",
        10,
        date(2022, 1, 6),
    ),
    (
        "云梦市",
        "云梦市人民代表大会",
        "云梦市人民代表大会常务委员会",
        10,
        date(2022, 1, 8),
    ),
    (
        "湘源县",
        "湘源县人民代表大会",
        "湘源县人民代表大会常务委员会",
        19,
        date(2026, 10, 20),
    ),
    (
        "云溪县",
        "云溪县人民代表大会",
        "云溪县人民代表大会常务委员会",
        19,
        date(2026, 10, 22),
    ),
    (
        "梦泽县",
        "梦泽县人民代表大会",
        "梦泽县人民代表大会常务委员会",
        19,
        date(2026, 10, 26),
    ),
    ("桃花乡", "桃花乡人民代表大会", "桃花乡人民代表大会主席团", 19, date(2026, 9, 25)),
    ("李家镇", "李家镇人民代表大会", "李家镇人民代表大会主席团", 19, date(2026, 9, 27)),
    ("白沙镇", "白沙镇人民代表大会", "白沙镇人民代表大会主席团", 19, date(2026, 9, 26)),
    ("荷塘乡", "荷塘乡人民代表大会", "荷塘乡人民代表大会主席团", 19, date(2026, 9, 28)),
]

UNITS = [
    ("湘源县交通运输局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湘源县"),
    ("湘源县住房和城乡建设局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湘源县"),
    ("湘源县教育局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湘源县"),
    ("湘源县农业农村局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湘源县"),
    ("湘源县卫生健康局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湘源县"),
    ("湘源县人民法院", HandlingUnit.Kind.COURT, "湘源县"),
    ("桃花乡人民政府", HandlingUnit.Kind.TOWNSHIP_GOVERNMENT, "桃花乡"),
    ("李家镇人民政府", HandlingUnit.Kind.TOWNSHIP_GOVERNMENT, "李家镇"),
    ("云溪县交通运输局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "云溪县"),
    ("潇湘市交通运输局", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "潇湘市"),
    ("湖南省交通运输厅", HandlingUnit.Kind.GOVERNMENT_DEPARTMENT, "湖南省"),
]

# 发文机关代字: each issuing body's own prefixes for document numbers (文号),
# the full form first, then its abbreviation. Every 文号 the demo writes starts
# with one of its issuer's (issue 18): a unit's reply 湘源交复〔2026〕3号, the
# county standing committee's 湘源县人大常委会公告〔2026〕第12号 or
# 湘源人大常发〔2026〕15号, the presidium's 湘源县人大主席团〔2026〕1号.
DOCUMENT_PREFIXES: dict[str, tuple[str, ...]] = {
    "湘源县人民代表大会常务委员会": ("湘源县人大常委会", "湘源人大常"),
    "湘源县人民代表大会主席团": ("湘源县人大主席团",),
    "云溪县人民代表大会常务委员会": ("云溪县人大常委会", "云溪人大常"),
    "潇湘市人民代表大会常务委员会": ("潇湘市人大常委会", "潇人常"),
    "湖南省人民代表大会常务委员会": ("湖南省人大常委会", "湘人常"),
    "桃花乡人民代表大会主席团": ("桃花乡人大主席团", "桃人主"),
    "湘源县交通运输局": ("湘源交",),
    "湘源县住房和城乡建设局": ("湘源建",),
    "湘源县教育局": ("湘源教",),
    "湘源县农业农村局": ("湘源农",),
    "湘源县卫生健康局": ("湘源卫健",),
    "湘源县人民法院": ("湘源法",),
    "桃花乡人民政府": ("桃政",),
    "李家镇人民政府": ("李政",),
    "云溪县交通运输局": ("云溪交",),
    "潇湘市交通运输局": ("潇交",),
    "湖南省交通运输厅": ("湘交",),
}


def document_number(issuer: str, year: int, number: int, *, kind: str = "") -> str:
    """A 文号 of ``issuer`` (a key of ``DOCUMENT_PREFIXES``) in the short form:
    its own prefix, the kind of document (复, 发, 公告…), 〔year〕 and the number."""
    return f"{DOCUMENT_PREFIXES[issuer][0]}{kind}〔{year}〕{number}号"


# username, display name, [(role, scope kind, scope name)]
ACCOUNTS = [
    ("admin", "系统管理员", [(Role.ADMIN, None, None)]),
    ("sheng_staff", "刘晓燕", [(Role.CONGRESS_STAFF, "congress", "湖南省")]),
    ("xian_staff", "王建军", [(Role.CONGRESS_STAFF, "congress", "湘源县")]),
    ("other_xian_staff", "陈丽华", [(Role.CONGRESS_STAFF, "congress", "云溪县")]),
    ("leader", "周国强", [(Role.LEADER, "congress", "湘源县")]),
    ("daibiao01", "李明", [(Role.DEPUTY, "congress", "湘源县")]),
    (
        "daibiao02",
        "张桂英",
        [(Role.DEPUTY, "congress", "湘源县"), (Role.DEPUTY, "congress", "潇湘市")],
    ),
    ("unit_jiaotong", "赵志刚", [(Role.UNIT_STAFF, "unit", "湘源县交通运输局")]),
    ("unit_zhujian", "孙海燕", [(Role.UNIT_STAFF, "unit", "湘源县住房和城乡建设局")]),
    # The station grant is added by the stations app once the station exists.
    ("station_taohua", "黄秀兰", []),
    ("taohua_staff", "吴建平", [(Role.CONGRESS_STAFF, "congress", "桃花乡")]),
    ("taohua_gov", "郑文斌", [(Role.TOWNSHIP_GOV, "unit", "桃花乡人民政府")]),
]


def _user(ctx: DemoContext, username: str, display_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "password": ctx.password_hash,
            "email": f"{username}@example.org",
            **extra,
        },
    )
    ctx.users[username] = user
    return user


def seed_core(ctx: DemoContext | None = None) -> DemoContext:
    """Regions, congresses with current terms and sessions, units and the core accounts."""
    ctx = ctx or DemoContext()
    ctx.password_hash = make_password(DEMO_PASSWORD)

    for name, code, level, parent_name in REGIONS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = services.region_create(
                name=name,
                code=code,
                level=level,
                parent=ctx.regions.get(parent_name),
                actor=None,
            )
        ctx.regions[name] = region

    for region_name, name, standing, term_number, term_start in CONGRESSES:
        region = ctx.regions[region_name]
        congress = Congress.objects.filter(region=region).first()
        if congress is None:
            congress = services.congress_create(
                region=region,
                name=name,
                level=region.level,
                standing_committee_name=standing,
                term_number=term_number,
                term_start=term_start,
                actor=None,
            )
        ctx.congresses[region_name] = congress
        term = congress.current_term()
        if term is not None and not term.sessions.exists():
            tz = timezone.get_current_timezone()
            Session.objects.create(
                term=term,
                number=1,
                start_date=term_start,
                end_date=term_start + timedelta(days=2),
                bill_deadline=datetime.combine(
                    term_start + timedelta(days=1), time(18, 0), tzinfo=tz
                ),
            )

    for name, kind, region_name in UNITS:
        unit, _created = HandlingUnit.objects.get_or_create(
            region=ctx.regions[region_name], name=name, defaults={"kind": kind}
        )
        ctx.units[name] = unit

    for username, display_name, grants in ACCOUNTS:
        extra = {"is_staff": True, "is_superuser": True} if username == "admin" else {}
        user = _user(ctx, username, display_name, **extra)
        for role, scope_kind, scope_name in grants:
            kwargs = {}
            if scope_kind == "congress":
                kwargs["congress"] = ctx.congresses[scope_name]
            elif scope_kind == "unit":
                kwargs["unit"] = ctx.units[scope_name]
            services.role_grant_create(user=user, role=role, **kwargs, actor=None)

    for unit_name, username in [
        ("湘源县交通运输局", "unit_jiaotong"),
        ("湘源县住房和城乡建设局", "unit_zhujian"),
        ("桃花乡人民政府", "taohua_gov"),
    ]:
        unit = ctx.units[unit_name]
        if unit.head_id is None:
            unit.head = ctx.users[username]
            unit.save(update_fields=["head"])

    # The 52 deputies of the 桃花乡 congress (their mandates come with deputies/).
    taohua = ctx.congresses["桃花乡"]
    for number in range(1, 53):
        username = f"taohua{number:02d}"
        user = _user(ctx, username, "")
        services.role_grant_create(
            user=user, role=Role.DEPUTY, congress=taohua, actor=None
        )
    return ctx
