"""Demo data of stations as networks and grassroots governance (issue 17):
桃花社区代表联络点 as a point of 桃花乡代表联络站, assessments (last year's
approved as 示范站, this year's a draft), 宣讲/普法/调解 activities, mediation
cases and 社情民意 reports in every state."""

from __future__ import annotations

from datetime import timedelta

from deputies.models import Mandate

from ..models import Opinion, Station, StationAssessment
from . import services

# Points per item of the default checklist (out of 10 each): last year's 示范站.
LAST_YEAR = {
    "premises_site": 10,
    "premises_facilities": 9,
    "people_grouping": 10,
    "people_staff": 10,
    "rules_posted": 10,
    "rules_records": 9,
    "activities_duty": 10,
    "activities_governance": 9,
    "results_opinions": 10,
    "results_satisfaction": 9,
}


def seed(ctx) -> None:
    taohua = Station.objects.filter(code="TH01").first()
    if taohua is None or StationAssessment.objects.filter(station=taohua).exists():
        return
    today = ctx.today
    station_staff = ctx.users["station_taohua"]
    county_staff = ctx.users["xian_staff"]
    # 一站多点: the community point belongs to the township station.
    Station.objects.filter(code="TH02").update(parent=taohua)

    last = services.assessment_create(
        station=taohua, year=today.year - 1, actor=station_staff
    )
    services.assessment_score(
        assessment=last,
        scores=LAST_YEAR,
        evidence={
            "premises_site": "联络站挂牌照片、公示栏照片",
            "rules_posted": "接待、交办、反馈、考核四项制度上墙",
            "results_opinions": "全年收集群众意见86件，按期办结81件",
        },
        actor=station_staff,
    )
    services.assessment_submit(assessment=last, actor=station_staff)
    services.assessment_approve(assessment=last, actor=county_staff)
    this_year = services.assessment_create(
        station=taohua, year=today.year, actor=station_staff
    )
    services.assessment_score(
        assessment=this_year,
        scores={"premises_site": 10, "premises_facilities": 8, "people_staff": 10},
        evidence={"premises_facilities": "新增网络接待终端一台"},
        actor=station_staff,
    )
    park = Station.objects.filter(code="XY01").first()
    if park is not None:
        park_assessment = services.assessment_create(
            station=park, year=today.year, actor=None
        )
        services.assessment_score(
            assessment=park_assessment,
            scores=dict.fromkeys(LAST_YEAR, 7),
            evidence={"activities_duty": "每月第一个周五开展接待"},
            actor=None,
        )
        services.assessment_submit(assessment=park_assessment, actor=None)

    members = list(
        Mandate.objects.filter(
            station_memberships__station=taohua,
            station_memberships__end_date__isnull=True,
        ).order_by("pk")[:3]
    )
    services.activity_record(
        station=taohua,
        kind="policy_publicity",
        date=today - timedelta(days=40),
        title="宣讲城乡居民医保缴费政策",
        deputies=members[:2],
        participants=56,
        notes="代表结合身边事讲解医保缴费档次和报销比例，现场解答问题12个。",
        actor=station_staff,
    )
    services.activity_record(
        station=taohua,
        kind="law_publicity",
        date=today - timedelta(days=25),
        title="民法典进村入户普法宣传",
        deputies=members[1:3],
        participants=38,
        notes="围绕相邻关系、婚姻家庭开展普法，发放资料200份。",
        actor=station_staff,
    )
    mediation = services.activity_record(
        station=taohua,
        kind="mediation",
        date=today - timedelta(days=12),
        title="杏林村宅基地边界纠纷调解",
        deputies=members[:1],
        participants=6,
        actor=station_staff,
    )
    opinions = list(Opinion.objects.filter(station=taohua).order_by("pk")[:2])
    if opinions:
        case = services.mediation_open(
            opinion=opinions[0],
            parties="张德明、刘桂兰",
            subject="宅基地边界和排水沟纠纷",
            deputies=members[:1],
            activity=mediation,
            actor=station_staff,
        )
        services.mediation_close(
            case=case,
            success=True,
            outcome="双方同意以原界桩为准，排水沟由双方共同出资改建，签订调解协议。",
            actor=station_staff,
        )
    if len(opinions) > 1:
        services.mediation_open(
            opinion=opinions[1],
            parties="陈国平、周小红",
            subject="农田灌溉用水纠纷",
            actor=station_staff,
        )

    answered = services.social_report_create(
        station=taohua,
        title="关于桃花乡留守老人助餐服务需求的情况反映",
        content="桃花乡60岁以上留守老人约1200人，多名代表在接待中听到群众希望在村部设立助餐点，建议统筹养老服务资金予以支持。",
        category="social_security",
        actor=station_staff,
    )
    services.social_report_submit(report=answered, actor=station_staff)
    services.social_report_answer(
        report=answered,
        answer="已转乡人民政府研究，拟在桃花村、杏林村先行试点村级助餐点，明年春季投入使用。",
        actor=ctx.users["taohua_staff"],
    )
    pending = services.social_report_create(
        station=taohua,
        title="关于桃花社区夜间道路照明不足的情况反映",
        content="桃花社区主干道有约800米无路灯，群众夜间出行不便，反映较为集中。",
        category="construction",
        actor=station_staff,
    )
    services.social_report_submit(report=pending, actor=station_staff)
    deputy = (
        Mandate.objects.filter(
            person__user__username="daibiao01", congress=ctx.congresses["湘源县"]
        )
        .select_related("congress")
        .first()
    )
    if deputy is not None:
        forwarded = services.social_report_create(
            author=deputy,
            title="关于县城学校周边交通拥堵的社情民意",
            content="县城第二小学上下学时段校门口车辆拥堵严重，家长建议增设临时停车区并安排交警疏导。",
            category="transport",
            actor=deputy.person.user,
        )
        services.social_report_submit(report=forwarded, actor=deputy.person.user)
        from portal.models import HandlingUnit

        unit = HandlingUnit.objects.filter(name="湘源县交通运输局").first()
        if unit is not None:
            services.social_report_forward(
                report=forwarded,
                unit=unit,
                note="请研究答复",
                actor=county_staff,
            )
        services.social_report_create(
            author=deputy,
            title="关于农村快递末端网点建设的建议（草稿）",
            content="多个村反映快递只送到乡镇，群众取件需往返十余公里。",
            category="economy",
            actor=deputy.person.user,
        )
