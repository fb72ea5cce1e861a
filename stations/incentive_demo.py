"""Demo activity funds and legislative consultation (issue 17): this year's
budgets of 湘源县人大, 桃花乡人大, a deputy group and the 桃花乡 station with
spending in every state; a draft regulation of the province open for comments
(closing in two days, so its reminder shows) and one of 潇湘市 whose adopted
comments are published."""

from __future__ import annotations

from datetime import timedelta

from deputies.models import Activity, DeputyGroup, Mandate

from . import consultation_services as consult
from . import funds_services as funds
from .consultation_models import LegislativeDraft
from .funds_models import FundBudget
from .models import Reception, Station


def seed(ctx) -> None:
    if FundBudget.objects.exists() or LegislativeDraft.objects.exists():
        return
    today = ctx.today
    year = today.year
    county, taohua = ctx.congresses["湘源县"], ctx.congresses["桃花乡"]
    xian, taohua_staff = ctx.users["xian_staff"], ctx.users["taohua_staff"]
    station_user = ctx.users["station_taohua"]
    th01 = Station.objects.get(code="TH01")

    county_budget = funds.budget_approve(
        budget=funds.budget_create(
            congress=county,
            year=year,
            holder="congress",
            note="县人大代表闭会期间活动经费",
            actor=xian,
        ),
        actor=xian,
    )
    activity = (
        Activity.objects.filter(congress=county, date__year=year)
        .order_by("-date")
        .first()
    )
    if activity is not None:
        spending = funds.spending_create(
            budget=county_budget,
            date=activity.date,
            amount_fen=1_860_000,
            purpose="代表集中视察用车及资料",
            activity=activity,
            actor=xian,
        )
        funds.spending_decide(spending=spending, approve=True, actor=xian)
    group = DeputyGroup.objects.filter(congress=county).order_by("id").first()
    if group is not None:
        funds.budget_create(
            congress=county,
            year=year,
            holder="group",
            group=group,
            note="代表小组年度活动经费",
            actor=xian,
        )

    township_budget = funds.budget_approve(
        budget=funds.budget_create(
            congress=taohua, year=year, holder="congress", actor=taohua_staff
        ),
        actor=taohua_staff,
    )
    station_budget = funds.budget_approve(
        budget=funds.budget_create(
            congress=taohua,
            year=year,
            holder="station",
            station=th01,
            note="联络站接待日、下访和学习培训",
            actor=taohua_staff,
        ),
        actor=taohua_staff,
    )
    receptions = list(
        Reception.objects.filter(station=th01, date__year=year).order_by("-date")[:3]
    )
    lines = [
        (80_000, "接待日宣传资料印刷", True, ""),
        (45_000, "代表下访交通补贴", None, ""),
        (260_000, "会议室空调更换", False, "不属于代表活动经费开支范围"),
    ]
    for n, (amount, purpose, approve, note) in enumerate(lines):
        spending = funds.spending_create(
            budget=station_budget,
            date=receptions[n].date if n < len(receptions) else today,
            amount_fen=amount,
            purpose=purpose,
            reception=receptions[n] if n < len(receptions) else None,
            actor=station_user,
        )
        if approve is not None:
            funds.spending_decide(
                spending=spending, approve=approve, note=note, actor=taohua_staff
            )
    del township_budget

    _consultation(ctx, th01)


def _consultation(ctx, th01: Station) -> None:
    today = ctx.today
    province, city = ctx.congresses["湖南省"], ctx.congresses["潇湘市"]
    sheng = ctx.users["sheng_staff"]
    station_user = ctx.users["station_taohua"]
    others = list(Station.objects.exclude(pk=th01.pk).order_by("code")[:2])
    open_draft = consult.draft_create(
        congress=province,
        title="湖南省乡村振兴促进条例（草案征求意见稿）",
        explanation="为促进乡村全面振兴，省人大常委会拟制定本条例，现通过基层立法联系点征求意见。",
        text=(
            "第一条 为了全面实施乡村振兴战略，促进农业全面升级、农村全面进步、"
            "农民全面发展，根据有关法律、行政法规，结合本省实际，制定本条例。\n"
            "第二条 本省行政区域内全面实施乡村振兴战略，开展促进乡村产业振兴、"
            "人才振兴、文化振兴、生态振兴、组织振兴等活动，适用本条例。\n"
            "第三条 县级以上人民政府应当将乡村振兴促进工作纳入国民经济和社会发展规划。"
        ),
        closes_on=today + timedelta(days=2),
        stations=[th01, *others],
        actor=sheng,
    )
    open_draft = consult.draft_open(
        draft=open_draft, actor=sheng, today=today - timedelta(days=28)
    )
    reception = Reception.objects.filter(station=th01).order_by("-date").first()
    if reception is not None:
        consult.comment_add(
            draft=open_draft,
            station=th01,
            source="reception",
            reception=reception,
            article="第二条",
            content="建议在第二条中明确村集体经济组织在产业振兴中的作用。",
            actor=station_user,
        )
    deputy = Mandate.objects.filter(station_memberships__station=th01).first()
    if deputy is not None:
        consult.comment_add(
            draft=open_draft,
            station=th01,
            source="deputy",
            mandate=deputy,
            article="第三条",
            content="建议增加对返乡创业人员的用地和金融扶持条款。",
            actor=station_user,
        )
    consult.comment_add(
        draft=open_draft,
        station=th01,
        source="public",
        author_name="刘先生",
        content="希望条例对农村养老服务设施建设作出规定。",
        actor=None,
    )

    done = consult.draft_create(
        congress=city,
        title="潇湘市城乡供水条例（草案）",
        text=(
            "第一条 为了保障城乡供水安全，规范供水活动，维护供水用水双方合法权益，"
            "制定本条例。\n第二条 本市行政区域内城乡供水的规划、建设、经营、使用和"
            "管理，适用本条例。"
        ),
        closes_on=today - timedelta(days=20),
        stations=[th01],
        actor=None,
    )
    done = consult.draft_open(draft=done, actor=None, today=today - timedelta(days=60))
    adopted = consult.comment_add(
        draft=done,
        station=th01,
        source="public",
        content="建议明确农村供水管网老化改造的责任主体和资金来源。",
        actor=None,
    )
    declined = (
        consult.comment_add(
            draft=done,
            station=th01,
            source="reception",
            reception=reception,
            content="建议对山区农户免收水费。",
            actor=station_user,
        )
        if reception is not None
        else None
    )
    done = consult.draft_close(draft=done, actor=None)
    consult.comment_decide(
        comment=adopted, adoption="adopted", note="已在第十二条增加规定", actor=None
    )
    if declined is not None:
        consult.comment_decide(
            comment=declined,
            adoption="not_adopted",
            note="水价由价格主管部门依法核定，不宜在条例中规定",
            actor=None,
        )
    done = consult.draft_summarise(
        draft=done, summary="通过桃花乡基层立法联系点收集意见2条。", actor=None
    )
    consult.draft_publish_feedback(
        draft=done,
        feedback="采纳意见1条（农村供水管网改造责任），未采纳1条并已说明理由。",
        actor=None,
    )
