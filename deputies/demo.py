"""Demo deputies of all five levels (DESIGN.md §15; issue: deputies)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.chinese import id_check_digit
from portal.models import Congress

from . import services
from .choices import (
    Education,
    Gender,
    Occupation,
    Party,
    SuspensionGround,
    TerminationGround,
)
from .models import (
    Activity,
    Attendance,
    Constituency,
    Delegation,
    DeputyGroup,
    Mandate,
    Person,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛龚邵万"
    "钱严覃武戴莫孔向汤"
)
# Given names by the recorded gender: a woman is never 志刚 and a man never 桂英
# (issue 18). The demo accounts' names (portal.demo.ACCOUNTS) are in the pools.
# fmt: off
MALE_GIVEN = (
    "建国", "建军", "建平", "建华", "国强", "国庆", "志强", "志刚", "志明", "文斌", "文华", "海波", "海涛",
    "春生", "德明", "永强", "振华", "宏伟", "俊杰", "家豪", "明", "伟", "强", "磊", "勇", "杰", "涛", "刚",
    "斌", "军", "辉", "鹏", "浩", "峰", "超", "亮", "波", "毅", "卫东", "红军",
)
FEMALE_GIVEN = (
    "桂英", "桂兰", "桂芳", "秀兰", "秀英", "秀珍", "丽华", "丽娟", "晓燕", "海燕", "春梅", "雪梅", "玉兰",
    "玉梅", "美玲", "淑芬", "凤英", "红梅", "翠花", "小红", "丽", "芳", "娟", "艳", "娜", "霞", "敏", "静",
    "燕", "丹", "凤", "婷", "慧", "琳", "萍", "莉",
)
# fmt: on
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")


def given_name(name: str) -> str:
    """The given name of a Chinese full name (after a one- or two-character
    surname)."""
    return name[2:] if name[:2] in COMPOUND_SURNAMES else name[1:]


def gender_of_given(name: str) -> bool | None:
    """True for a name in the female pool, False in the male one, else None."""
    given = given_name(name)
    if given in FEMALE_GIVEN:
        return True
    if given in MALE_GIVEN:
        return False
    return None


OCCUPATIONS = [
    Occupation.FARMER,
    Occupation.FARMER,
    Occupation.WORKER,
    Occupation.PROFESSIONAL,
    Occupation.OFFICIAL,
    Occupation.ENTERPRISE,
    Occupation.OTHER,
]
ETHNICITIES = ["汉族"] * 8 + ["土家族", "苗族", "瑶族", "侗族"]


def _id_number(rng: random.Random, area: str, birth: date, female: bool) -> str:
    seq = rng.randrange(0, 50) * 2 + (0 if female else 1)
    body = f"{area[:6]}{birth:%Y%m%d}{rng.randrange(10):d}{seq:02d}"
    return body + id_check_digit(body)


def _person(
    rng: random.Random, area_code: str, *, name: str | None = None, user=None
) -> Person:
    existing = Person.objects.filter(user=user).first() if user is not None else None
    if existing:
        return existing
    female = rng.random() < 0.35
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
    if name is None:
        pool = FEMALE_GIVEN if female else MALE_GIVEN
        surname = "欧阳" if rng.random() < 0.02 else rng.choice(SURNAMES)
        name = surname + rng.choice(pool)
    else:
        # A name chosen for a demo account: the gender (and the ID number's
        # gender digit) follow it.
        known = gender_of_given(name)
        if known is not None:
            female = known
    occupation = rng.choice(OCCUPATIONS)
    return services.person_create(
        name=name,
        gender=Gender.FEMALE if female else Gender.MALE,
        ethnicity=rng.choice(ETHNICITIES),
        birth_date=birth,
        party=rng.choice(
            [Party.CPC, Party.CPC, Party.MASSES, Party.NON_PARTISAN, Party.CAPD]
        ),
        education=rng.choice(list(Education.values)),
        employer=rng.choice(
            [
                "桃花村村民委员会",
                "湘源县人民医院",
                "湘源县第一中学",
                "潇湘油茶有限公司",
                "湘源县农业农村局",
                "个体经营",
            ]
        ),
        post=rng.choice(
            ["村民", "医生", "教师", "总经理", "局长", "村党支部书记", "工人"]
        ),
        occupation=occupation,
        is_frontline=occupation
        in (Occupation.FARMER, Occupation.WORKER, Occupation.PROFESSIONAL),
        mobile=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        id_number=_id_number(rng, area_code, birth, female),
        biography=f"{name}，长期扎根基层，热心为群众办实事。",
        user=user,
        actor=None,
    )


def _constituencies(
    congress: Congress, names: list[str], kind: str
) -> list[Constituency]:
    return [
        Constituency.objects.get_or_create(
            congress=congress, name=n, defaults={"kind": kind}
        )[0]
        for n in names
    ]


def _mandates(
    rng,
    congress,
    count,
    constituencies,
    *,
    prefix,
    users=(),
    names=(),
    delegations=(),
    electing=(),
):
    """``constituencies`` for county and township congresses; ``electing``
    (congresses one level below, None for the army's unit) above them."""
    term = congress.current_term()
    area = congress.region.code or "430000"
    result = []
    for index in range(count):
        card = f"{prefix}{index + 1:03d}"
        existing = (
            Mandate.objects.filter(term=term, card_number=card)
            .select_related("person")
            .first()
        )
        if existing:
            result.append(existing)
            continue
        user = users[index] if index < len(users) else None
        name = names[index] if index < len(names) else None
        person = _person(rng, area, name=name, user=user)
        result.append(
            services.mandate_create(
                person=person,
                congress=congress,
                term=term,
                card_number=card,
                constituency=constituencies[index % len(constituencies)]
                if constituencies
                else None,
                electing_congress=electing[index % len(electing)] if electing else None,
                elected_by_army=bool(electing)
                and electing[index % len(electing)] is None,
                delegation=delegations[index % len(delegations)]
                if delegations
                else None,
                elected_on=term.start_date,
                actor=None,
            )
        )
    return result


def seed(ctx) -> None:
    """Deputies, constituencies, delegations, groups, activities, ledger and 述职."""
    rng = random.Random(20261129)  # noqa: S311 - reproducible demo data
    c = ctx.congresses
    taohua = c["桃花乡"]
    xiangyuan = c["湘源县"]

    # 桃花乡: exactly 52 deputies, all active, linked to taohua01…taohua52.
    taohua_units = _constituencies(
        taohua,
        ["桃花村选区", "杏林村选区", "桃花社区选区", "石门村选区"],
        Constituency.Kind.CONSTITUENCY,
    )
    taohua_users = [ctx.users[f"taohua{n:02d}"] for n in range(1, 53)]
    taohua_mandates = _mandates(
        rng, taohua, 52, taohua_units, prefix="THX19-", users=taohua_users
    )
    for mandate, user in zip(taohua_mandates, taohua_users, strict=True):
        if not user.display_name:
            user.display_name = mandate.person.name
            user.save(update_fields=["display_name"])

    # 湘源县: daibiao01, daibiao02 and 28 more; delegations per township.
    xy_units = _constituencies(
        xiangyuan, [f"第{n}选区" for n in range(1, 9)], Constituency.Kind.CONSTITUENCY
    )
    term = xiangyuan.current_term()
    delegations = [
        Delegation.objects.get_or_create(congress=xiangyuan, term=term, name=name)[0]
        for name in ["桃花乡代表团", "李家镇代表团", "城关街道代表团"]
    ]
    xy = _mandates(
        rng,
        xiangyuan,
        30,
        xy_units,
        prefix="XY19-",
        users=[ctx.users["daibiao01"], ctx.users["daibiao02"]],
        names=["李明", "张桂英"],
        delegations=delegations,
    )
    for delegation, head in zip(delegations, xy[:3], strict=True):
        if delegation.head_id is None:
            delegation.head = head
            delegation.save(update_fields=["head"])
    suspended, terminated = xy[-2], xy[-1]
    if suspended.status == Mandate.Status.ACTIVE:
        services.mandate_suspend(
            mandate=suspended,
            ground=SuspensionGround.DETAINED,
            on=date(2026, 11, 2),
            document_number="湘源县人大常委会公告〔2026〕第12号",
            actor=None,
        )
    if terminated.status == Mandate.Status.ACTIVE:
        services.mandate_terminate(
            mandate=terminated,
            ground=TerminationGround.MOVED_AWAY,
            on=date(2026, 11, 16),
            document_number="湘源县人大常委会公告〔2026〕第13号",
            actor=None,
        )

    # Other levels.
    # Above the county: elected by the congress one level below (原选举单位), or
    # by the army's electoral unit (None).
    xiaoxiang = c["潇湘市"]
    _mandates(
        rng,
        xiaoxiang,
        12,
        [],
        prefix="XX10-",
        users=[ctx.users["daibiao02"]],
        names=["张桂英"],
        electing=[c["湘源县"], c["云溪县"]],
    )
    province_electing = [c[n] for n in ("潇湘市", "云梦市") if n in c]
    _mandates(
        rng, c["湖南省"], 10, [], prefix="HN14-", electing=[*province_electing, None]
    )
    _mandates(
        rng, c["中华人民共和国"], 4, [], prefix="QG14-", electing=[c["湖南省"], None]
    )
    _mandates(
        rng,
        c["云溪县"],
        12,
        _constituencies(c["云溪县"], ["第一选区", "第二选区"], "constituency"),
        prefix="YX19-",
    )
    _mandates(
        rng,
        c["李家镇"],
        15,
        _constituencies(c["李家镇"], ["李家村选区"], "constituency"),
        prefix="LJ19-",
    )
    _mandates(
        rng,
        c["白沙镇"],
        10,
        _constituencies(c["白沙镇"], ["白沙村选区"], "constituency"),
        prefix="BS19-",
    )

    # Groups of every type.
    active_xy = [m for m in xy if m.status == Mandate.Status.ACTIVE]
    groups = [
        (taohua, "桃花村代表小组", DeputyGroup.Kind.REGIONAL, taohua_mandates[:13]),
        (taohua, "杏林村代表小组", DeputyGroup.Kind.REGIONAL, taohua_mandates[13:26]),
        (
            taohua,
            "桃花乡代表联络站代表小组",
            DeputyGroup.Kind.STATION,
            taohua_mandates[::4],
        ),
        (
            xiangyuan,
            "农业农村专业代表小组",
            DeputyGroup.Kind.PROFESSIONAL,
            active_xy[:10],
        ),
        (xiangyuan, "教育卫生行业代表小组", DeputyGroup.Kind.INDUSTRY, active_xy[8:18]),
        (
            xiangyuan,
            "油茶产业链代表小组",
            DeputyGroup.Kind.INDUSTRIAL_CHAIN,
            active_xy[15:24],
        ),
    ]
    made_groups = {}
    for congress, name, kind, members in groups:
        group = DeputyGroup.objects.filter(congress=congress, name=name).first()
        if group is None:
            group = services.group_create(
                congress=congress,
                name=name,
                kind=kind,
                leader=members[0],
                annual_plan="每季度开展一次集中活动，每月组织代表进站接待群众。",
                actor=None,
            )
            services.group_add_members(
                group=group,
                mandates=members,
                joined_on=congress.current_term().start_date,
                actor=None,
            )
        made_groups[name] = group

    # Activities: approved ones write ledger rows; one pending for staff to review.
    staff = ctx.users["xian_staff"]
    if not Activity.objects.filter(congress=xiangyuan).exists():
        plans = [
            (
                "research",
                "全县农村公路养护情况专题调研",
                date(2026, 11, 5),
                active_xy[:8],
                True,
            ),
            (
                "inspection",
                "视察县人民医院医疗服务能力建设",
                date(2026, 11, 12),
                active_xy[5:15],
                True,
            ),
            (
                "training",
                "第十九届县人大代表初任履职培训",
                date(2026, 10, 28),
                active_xy,
                True,
            ),
            (
                "group_activity",
                "油茶产业链代表小组走访合作社",
                date(2026, 11, 20),
                active_xy[15:24],
                False,
            ),
        ]
        for kind, title, on, participants, approve in plans:
            activity = services.activity_create(
                congress=xiangyuan,
                kind=kind,
                title=title,
                date=on,
                participants=participants,
                actor=staff,
                organiser="湘源县人大常委会选联工委",
                location="湘源县",
                group=made_groups["油茶产业链代表小组"]
                if kind == "group_activity"
                else None,
            )
            for index, mandate in enumerate(participants):
                status = (
                    Attendance.Status.EXCUSED
                    if index % 9 == 8
                    else Attendance.Status.ATTENDED
                )
                services.attendance_set(
                    activity=activity, mandate=mandate, status=status, actor=None
                )
            if approve:
                services.activity_review(activity=activity, approve=True, actor=staff)
    taohua_staff = ctx.users["taohua_staff"]
    if not Activity.objects.filter(congress=taohua).exists():
        activity = services.activity_create(
            congress=taohua,
            kind="inspection",
            title="视察桃花村饮水安全工程",
            date=date(2026, 11, 18),
            participants=taohua_mandates[:20],
            actor=taohua_staff,
            organiser="桃花乡人大主席团",
        )
        for mandate in taohua_mandates[:20]:
            services.attendance_set(
                activity=activity,
                mandate=mandate,
                status=Attendance.Status.ATTENDED,
                actor=None,
            )
        services.activity_review(activity=activity, approve=True, actor=taohua_staff)
        services.activity_create(
            congress=taohua,
            kind="research",
            title="桃花乡农村养老服务情况调研",
            date=date(2026, 11, 26),
            participants=taohua_mandates[20:30],
            actor=taohua_staff,
            organiser="桃花乡人大主席团",
        )

    # One report to voters.
    daibiao01 = xy[0]
    if not daibiao01.voter_reports.exists():
        services.voter_report_create(
            mandate=daibiao01,
            date=date(2026, 11, 22),
            venue="桃花村村民委员会会议室",
            audience="桃花村选民代表",
            audience_count=46,
            text="本人当选以来，参加县人大代表培训，围绕农村公路养护开展调研并提出建议。",
            satisfied=40,
            basically_satisfied=5,
            dissatisfied=1,
            is_published=True,
            actor=None,
        )

    # issue 16: organs
    from .organ_demo import seed as seed_organs

    seed_organs(ctx)
    # end issue 16: organs
