"""Demo stations, rosters, receptions and opinions in every state (DESIGN.md §15)."""

from __future__ import annotations

from datetime import timedelta

from deputies.models import Mandate

from . import services
from .models import DutyDay, Opinion, Station

STATIONS = [
    # code, prefix, name, kind, region, address, hours, model station
    (
        "TH01",
        "TH",
        "桃花乡代表联络站",
        Station.Kind.TOWNSHIP,
        "桃花乡",
        "桃花乡人民政府一楼东侧",
        "每月10日、25日上午9:00—12:00",
        True,
        27.6512,
        111.2345,
    ),
    (
        "TH02",
        "THS",
        "桃花社区代表联络点",
        Station.Kind.POINT,
        "桃花社区",
        "桃花社区党群服务中心二楼",
        "每周三下午",
        False,
        27.6531,
        111.2402,
    ),
    (
        "XY01",
        "XYP",
        "湘源县工业园区代表联络站",
        Station.Kind.PARK,
        "湘源县",
        "湘源县工业园区管委会三楼",
        "每月第一个周五全天",
        False,
        27.7012,
        111.3011,
    ),
    (
        "XY02",
        "XYW",
        "湘源县网上代表联络站",
        Station.Kind.ONLINE,
        "湘源县",
        "网上联络站（本平台）",
        "全天受理",
        False,
        None,
        None,
    ),
    (
        "LJ01",
        "LJ",
        "李家镇代表联络站",
        Station.Kind.TOWNSHIP,
        "李家镇",
        "李家镇人民政府一楼",
        "每月15日上午",
        False,
        27.6201,
        111.1902,
    ),
    (
        "BS01",
        "BS",
        "白沙镇代表联络站",
        Station.Kind.TOWNSHIP,
        "白沙镇",
        "白沙镇便民服务中心",
        "每月5日上午",
        False,
        27.5511,
        111.4102,
    ),
]

SAMPLES = [
    (
        "王大爷",
        "13907310001",
        "transport",
        "桃花村至杏林村的村道有多处坑洼，雨天积水，学生上学不便，希望尽快修补。",
    ),
    (
        "李阿姨",
        "13907310002",
        "health",
        "村卫生室每周只开三天，老人看病要跑到乡卫生院，希望增加坐诊时间。",
    ),
    (
        "张师傅",
        "13907310003",
        "construction",
        "桃花社区老旧小区没有路灯，晚上出行不安全。",
    ),
    (
        "刘女士",
        "13907310004",
        "education",
        "乡中心小学附近上下学时段车辆多，建议设置护学岗和减速带。",
    ),
    (
        "陈先生",
        "13907310005",
        "agriculture",
        "今年油茶收购价偏低，希望政府帮助联系销路。",
    ),
    (
        "赵大姐",
        "13907310006",
        "social_security",
        "高龄津贴发放时间不固定，希望每月按时发放。",
    ),
    ("周先生", "13907310007", "environment", "杏林村河道垃圾较多，影响灌溉和环境。"),
    ("吴老伯", "13907310008", "governance", "邻居宅基地边界纠纷，希望有人出面调解。"),
    (
        "郑女士",
        "13907310009",
        "other",
        "希望联络站增加周末接待时间，方便在外务工人员反映问题。",
    ),
    (
        "孙先生",
        "13907310010",
        "transport",
        "桃花乡到县城的班车太少，建议增加早晚班次。",
    ),
    ("马大妈", "13907310011", "construction", "村里自来水经常停水，希望改造供水管网。"),
    ("黄先生", "13907310012", "economy", "建议在桃花乡建设农产品电商服务站。"),
]


def seed(ctx) -> None:
    if Station.objects.filter(code="TH01").exists():
        return
    today = ctx.today
    staff = ctx.users["station_taohua"]
    stations = {}
    for (
        code,
        prefix,
        name,
        kind,
        region,
        address,
        hours,
        is_model,
        lat,
        lng,
    ) in STATIONS:
        stations[code] = services.station_create(
            name=name,
            code=code,
            kind=kind,
            region=ctx.regions[region],
            tracking_prefix=prefix,
            address=address,
            opening_hours=hours,
            phone="0731-8888" + code[-2:] + "00"[:2],
            is_model=is_model,
            latitude=lat,
            longitude=lng,
            master=staff if code == "TH01" else None,
            description=f"{name}是人大代表联系群众、收集民意的平台，欢迎群众前来反映意见建议。",
            actor=None,
        )
    taohua = stations["TH01"]
    taohua.liaison_officers.add(ctx.users["taohua_staff"])
    services.station_staff_grant(user=staff, station=taohua, actor=None)

    # Deputies of several levels grouped into 桃花乡代表联络站.
    township = list(
        Mandate.objects.filter(congress=ctx.congresses["桃花乡"]).order_by(
            "card_number"
        )[:16]
    )
    county = list(
        Mandate.objects.filter(
            person__user__username__in=["daibiao01", "daibiao02"]
        ).filter(congress=ctx.congresses["湘源县"])
    )
    city = list(
        Mandate.objects.filter(
            person__user__username="daibiao02", congress=ctx.congresses["潇湘市"]
        )
    )
    start = today - timedelta(days=50)
    for mandate in township + county + city:
        role = (
            "rotating"
            if mandate.congress_id != ctx.congresses["桃花乡"].pk
            else "resident"
        )
        services.station_add_member(
            station=taohua, mandate=mandate, start_date=start, role=role, actor=None
        )
    point_members = township[8:14]
    for mandate in point_members:
        services.station_add_member(
            station=stations["TH02"], mandate=mandate, start_date=start, actor=None
        )
    lijia = list(Mandate.objects.filter(congress=ctx.congresses["李家镇"])[:6])
    for mandate in lijia:
        services.station_add_member(
            station=stations["LJ01"], mandate=mandate, start_date=start, actor=None
        )

    # Past duty days with attendance; upcoming ones published (and one draft).
    roster = township + county
    for weeks_ago in (6, 4, 2):
        day = services.duty_day_create(
            station=taohua,
            date=today - timedelta(days=7 * weeks_ago),
            slot="morning",
            deputies=roster[weeks_ago : weeks_ago + 3],
            topic="听取群众对乡村振兴的意见",
            actor=None,
        )
        DutyDay.objects.filter(pk=day.pk).update(is_published=True, status="published")
        services.duty_day_record_attendance(
            duty_day=day,
            attended=[m.pk for m in roster[weeks_ago : weeks_ago + 2]],
            actor=None,
        )
        services.reception_create(
            station=taohua,
            date=day.date,
            mode="reception_day",
            deputies=roster[weeks_ago : weeks_ago + 2],
            visitor_count=6 + weeks_ago,
            notes="接待群众，收集道路、医疗、养老等方面意见。",
            duty_day=day,
            actor=None,
        )
    for offset, slot, deputies in [
        (4, "morning", roster[0:3]),
        (11, "afternoon", [county[0], *roster[3:5]]),
        (18, "morning", roster[5:8]),
        (25, "full_day", [county[1], *roster[8:10]]),
    ]:
        day = services.duty_day_create(
            station=taohua,
            date=today + timedelta(days=offset),
            slot=slot,
            deputies=deputies,
            topic="代表接待日",
            actor=None,
        )
        services.duty_day_publish(duty_day=day, actor=staff, today=today)
    services.duty_day_create(
        station=taohua,
        date=today + timedelta(days=32),
        slot="morning",
        deputies=roster[10:12],
        actor=None,
    )
    services.reception_create(
        station=taohua,
        date=today - timedelta(days=9),
        mode="home_visit",
        deputies=roster[:1],
        visitor_count=3,
        notes="走访桃花村独居老人。",
        actor=None,
    )

    # Opinions in every state.
    jiaotong = ctx.units["湘源县交通运输局"]
    gov = ctx.units["桃花乡人民政府"]
    zhujian = ctx.units["湘源县住房和城乡建设局"]

    def new(index, **extra):
        name, phone, category, content = SAMPLES[index]
        return services.opinion_submit(
            station=extra.pop("station", taohua),
            name=name,
            phone=phone,
            category=category,
            content=content,
            deputies=roster[index % 5 : index % 5 + 1],
            source=extra.pop("source", "reception"),
            actor=None,
        )

    new(0)  # received
    services.opinion_triage(
        opinion=new(1),
        outcome="answered_on_site",
        note="已与乡卫生院协调，自下月起村卫生室每周开诊五天。",
        actor=staff,
    )
    services.opinion_triage(
        opinion=new(7),
        outcome="not_accepted",
        note="属民事纠纷，已告知可向村人民调解委员会申请调解或向人民法院起诉。",
        actor=staff,
    )
    # County departments are reached through the county congress (转县级人大办理):
    # the station forwards, 湘源县人大常委会's staff assign.
    county_staff = ctx.users["xian_staff"]

    def forwarded(index, note):
        return services.opinion_triage(
            opinion=new(index), outcome="escalated", note=note, actor=staff
        )

    assigned = services.opinion_assign(
        opinion=forwarded(2, "涉及县城规划区排水管网，转县人大交县住建局办理"),
        unit=zhujian,
        actor=county_staff,
        today=today,
    )
    Opinion.objects.filter(pk=assigned.pk).update(
        due_date=today - timedelta(days=2)
    )  # one overdue
    services.opinion_assign(opinion=new(3), unit=gov, actor=staff, today=today)
    replied = services.opinion_assign(
        opinion=new(4), unit=gov, actor=staff, today=today
    )
    services.opinion_reply(
        opinion=replied,
        text="乡政府已联系县供销社和两家油茶加工企业，下周召开产销对接会。",
        actor=ctx.users["taohua_gov"],
    )
    visited = services.opinion_assign(
        opinion=new(5), unit=gov, actor=staff, today=today
    )
    visited = services.opinion_reply(
        opinion=visited, text="已调整为每月10日前发放。", actor=ctx.users["taohua_gov"]
    )
    services.opinion_visit(
        opinion=visited,
        result="basically_satisfied",
        note="群众表示基本满意。",
        actor=staff,
    )
    closed = services.opinion_assign(
        opinion=forwarded(0, "县道养护属县交通运输局职责，转县人大交办"),
        unit=jiaotong,
        actor=county_staff,
        today=today,
    )
    closed = services.opinion_reply(
        opinion=closed,
        text="已将该村道纳入本年度农村公路养护计划，11月底前完成修补。",
        actor=ctx.users["unit_jiaotong"],
    )
    closed = services.opinion_visit(
        opinion=closed, result="satisfied", actor=county_staff
    )
    services.opinion_close(opinion=closed, actor=county_staff)
    again = services.opinion_assign(opinion=new(10), unit=gov, actor=staff, today=today)
    again = services.opinion_reply(
        opinion=again, text="已安排维修。", actor=ctx.users["taohua_gov"]
    )
    again = services.opinion_visit(
        opinion=again, result="dissatisfied", note="仍经常停水。", actor=staff
    )
    services.opinion_assign(
        opinion=again,
        unit=gov,
        actor=staff,
        today=today,
        note="群众不满意，乡政府会同供水站重新办理",
    )
    services.opinion_convert(
        opinion=new(9), mandate=county[0], actor=staff, note="转为县人大代表建议"
    )
    services.opinion_triage(
        opinion=new(11),
        outcome="pooled",
        note="纳入2027年民生实事项目征集",
        actor=staff,
    )
    services.opinion_triage(
        opinion=new(6),
        outcome="escalated",
        note="河道治理涉及全县流域，报县人大",
        actor=staff,
    )
    new(8, station=stations["XY02"], source="online")
