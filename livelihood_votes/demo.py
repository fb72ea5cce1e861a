"""Demo: 桃花乡's programme of this year with a completed vote, progress,
supervision and evaluation; next year's programme collecting ideas (§15)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from deputies.models import Mandate
from stations.models import Opinion

from . import services
from .models import Programme, Project

CANDIDATES = [
    (
        "桃花村至杏林村通组公路硬化",
        "硬化通组公路3.2公里，宽4.5米",
        "180",
        "县交通运输局补助+乡财政",
        "交通",
    ),
    (
        "集镇供水管网改造",
        "更换老旧供水管网5.6公里，新建加压泵站1座",
        "260",
        "乡财政+专项债",
        "住建",
    ),
    ("桃花社区老旧小区路灯安装", "安装太阳能路灯120盏", "45", "乡财政", "住建"),
    (
        "乡中心小学食堂改造",
        "改造食堂600平方米，更新厨房设备",
        "90",
        "县教育局+乡财政",
        "教育",
    ),
    (
        "村卫生室标准化建设",
        "改造4个村卫生室，配备基本诊疗设备",
        "70",
        "县卫健局补助",
        "卫健",
    ),
    ("杏林村河道清淤整治", "清淤整治河道2.1公里", "85", "乡财政", "水利"),
    (
        "居家养老服务站建设",
        "建设2个村级居家养老服务站",
        "60",
        "民政补助+乡财政",
        "民政",
    ),
    (
        "农贸市场提质改造",
        "改造集镇农贸市场摊位和排水",
        "150",
        "乡财政+社会资本",
        "市场",
    ),
    ("文化广场建设", "建设村级文化广场1处", "40", "乡财政", "文化"),
    ("公共停车场建设", "建设集镇公共停车场80个车位", "110", "乡财政", "交通"),
]


def _mandates_of(congress, users) -> list[Mandate]:
    """The deputies' current mandates in ``congress`` (to sign them in)."""
    return list(
        Mandate.objects.current()
        .active()
        .filter(congress=congress, person__user__in=users)
        .select_related("person")
    )


def seed(ctx) -> None:
    congress = ctx.congresses["桃花乡"]
    if Programme.objects.filter(congress=congress).exists():
        return
    today = ctx.today
    staff, gov_user = ctx.users["taohua_staff"], ctx.users["taohua_gov"]
    gov = ctx.units["桃花乡人民政府"]
    year = today.year
    programme = services.programme_create(
        congress=congress, year=year, seats=7, actor=staff
    )
    for title, description in [
        ("修建桃花村文化广场", "桃花村缺少群众文体活动场所"),
        ("新建乡政府办公楼", "改善乡政府办公条件"),
    ]:
        idea = services.idea_submit(
            programme=programme,
            title=title,
            description=description,
            source="village",
            actor=None,
        )
        if "办公楼" in title:
            services.idea_screen(
                idea=idea,
                accept=False,
                reason="属于负面清单：新建楼堂馆所",
                actor=staff,
            )
        else:
            services.idea_screen(idea=idea, accept=True, actor=staff)
    programme = services.programme_advance(
        programme=programme, actor=staff
    )  # screening
    programme = services.programme_advance(
        programme=programme, actor=staff
    )  # assessing
    for title, description, cost, funds, _kind in CANDIDATES:
        services.candidate_create(
            programme=programme,
            title=title,
            description=description,
            estimated_cost=Decimal(cost),
            fund_source=funds,
            lead_unit=gov,
            schedule="当年内完成",
            responsible_leader="乡长 郑文斌",
            actor=staff,
        )
    programme = services.programme_advance(
        programme=programme, actor=staff
    )  # candidates published
    programme = services.programme_advance(
        programme=programme, actor=staff
    )  # deliberation
    users = [ctx.users[f"taohua{n:02d}"] for n in range(1, 53)]
    candidates = list(programme.candidates.order_by("order"))
    for user, candidate in zip(users[:6], candidates[:6], strict=False):
        services.deliberation_comment(
            candidate=candidate, actor=user, text="群众呼声高，建议优先安排。"
        )
    services.deliberation_summarise(
        programme=programme,
        summary="代表普遍认为道路、供水、养老项目最为迫切。",
        actor=staff,
    )
    vote_round = services.round_create(
        programme=programme, mode="electronic", actor=staff
    )
    # 签到: most deputies type the hall's code on their phones, staff sign in
    # the ones without a phone; two are absent. The quorum comes from this.
    for user in users[:42]:
        services.round_check_in(
            vote_round=vote_round, code=vote_round.check_in_code, actor=user
        )
    services.round_attendance_record(
        vote_round=vote_round,
        mandates=_mandates_of(congress, users[42:50]),
        actor=staff,
    )
    services.round_open(vote_round=vote_round, actor=staff)
    rng = random.Random(7)  # noqa: S311 - reproducible demo ballots
    weights = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.66, 0.35, 0.3, 0.2]
    for user in users[:50]:
        chosen = [
            c.pk for c, w in zip(candidates, weights, strict=True) if rng.random() < w
        ][:7]
        services.ballot_cast(vote_round=vote_round, actor=user, approve=chosen)
    services.round_close(vote_round=vote_round, actor=staff)

    # 政府办: plans and progress; 人大督: a supervision group and visits.
    projects = list(
        Project.objects.filter(programme=programme).order_by("candidate__order")
    )
    start = today - timedelta(days=150)
    for index, project in enumerate(projects):
        services.project_submit_plan(
            project=project,
            plan="成立工作专班，按月推进，年底前完工。",
            start_date=start,
            planned_end=today + timedelta(days=60 + 20 * index),
            actor=gov_user,
        )
        for month, percent in enumerate([20, 45, 70 - 10 * (index % 3)], start=1):
            services.progress_report(
                project=project,
                date=start + timedelta(days=30 * month),
                progress=percent,
                money_paid=project.budget * Decimal(percent) / 100,
                note="按计划推进。",
                actor=gov_user,
            )
    mandates = list(Mandate.objects.filter(congress=congress).order_by("card_number"))
    group = services.supervision_group_create(
        programme=programme,
        name="民生实事项目第一监督小组",
        members=mandates[:6],
        projects=projects[:4],
        actor=staff,
    )
    visit = services.supervision_visit_record(
        project=projects[1],
        group=group,
        date=today - timedelta(days=20),
        findings="管网改造进度滞后，部分路段未恢复路面。",
        suggestion="加快施工进度，及时恢复路面。",
        actor=staff,
    )
    services.supervision_visit_answer(
        visit=visit, answer="已增加一个施工班组，月底前恢复路面。", actor=gov_user
    )
    services.change_request_create(
        project=projects[-1],
        kind="change",
        reason="选址调整",
        proposed_change="养老服务站由石门村调整至杏林村",
        actor=gov_user,
    )

    # 代表评 on last year's programme: a completed, evaluated programme.
    last = services.programme_create(
        congress=congress, year=year - 1, seats=3, actor=staff
    )
    last = services.programme_advance(programme=last, actor=staff)  # screening
    last = services.programme_advance(programme=last, actor=staff)  # assessing
    for title, cost in [
        ("桃花村安全饮水工程", "120"),
        ("乡敬老院改造", "80"),
        ("集镇污水管网", "200"),
        ("村组道路亮化", "60"),
    ]:
        services.candidate_create(
            programme=last,
            title=title,
            description=title,
            estimated_cost=Decimal(cost),
            lead_unit=gov,
            actor=staff,
        )
    last = services.programme_advance(programme=last, actor=staff)  # candidates
    last = services.programme_advance(programme=last, actor=staff)  # deliberation
    last_round = services.round_create(programme=last, mode="paper", actor=staff)
    services.round_attendance_record(
        vote_round=last_round, mandates=_mandates_of(congress, users[:49]), actor=staff
    )
    services.round_open(vote_round=last_round, actor=staff)
    ids = list(last.candidates.order_by("order").values_list("pk", flat=True))
    services.paper_counts_enter(
        vote_round=last_round,
        issued=49,
        returned=49,
        valid=48,
        void=1,
        approvals=dict(zip(ids, [46, 41, 38, 15], strict=True)),
        actor=staff,
    )
    services.round_close(vote_round=last_round, actor=staff)
    for project in Project.objects.filter(programme=last):
        services.project_submit_plan(
            project=project,
            plan="按计划实施",
            start_date=today - timedelta(days=400),
            planned_end=today - timedelta(days=60),
            actor=gov_user,
        )
        services.progress_report(
            project=project,
            date=today - timedelta(days=70),
            progress=100,
            money_paid=project.budget,
            note="已完工",
            actor=gov_user,
        )
    evaluation = services.evaluation_create(programme=last, mode="paper", actor=staff)
    services.evaluation_attendance_record(
        evaluation=evaluation,
        mandates=_mandates_of(congress, users[:50]),
        actor=staff,
    )
    evaluation = services.evaluation_open(evaluation=evaluation, actor=staff)
    counts = {}
    for project, (s, b, d) in zip(
        Project.objects.filter(programme=last).order_by("candidate__order"),
        [(40, 8, 2), (22, 20, 8), (12, 10, 28)],
        strict=True,
    ):
        counts[project.pk] = (s, b, d)
    services.evaluation_enter_paper(
        evaluation=evaluation, returned=50, counts=counts, actor=staff
    )
    services.evaluation_close(evaluation=evaluation, actor=staff)
    bad = Project.objects.filter(programme=last, grade="dissatisfied").first()
    if bad:
        services.project_rectify(
            project=bad,
            explanation="管网接户率低，部分农户未接入。",
            due=today + timedelta(days=120),
            actor=gov_user,
        )

    # Next year: collecting ideas, one pooled from a station opinion.
    upcoming = services.programme_create(
        congress=congress, year=year + 1, seats=7, actor=staff
    )
    services.idea_submit(
        programme=upcoming,
        title="建设桃花村农产品冷链仓库",
        description="方便果农储存鲜桃，减少损耗",
        location="桃花村",
        name="王大爷",
        phone="13907310021",
        actor=None,
    )
    services.idea_submit(
        programme=upcoming,
        title="增设集镇公共厕所",
        description="集镇赶集日如厕难",
        location="集镇",
        actor=None,
    )
    pooled = Opinion.objects.filter(
        status="pooled", station__region=ctx.regions["桃花乡"]
    ).first()
    if pooled:
        services.idea_from_opinion(programme=upcoming, opinion=pooled, actor=staff)
