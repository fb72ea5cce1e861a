"""Demo commendations (issue 17): a published 优秀人大代表 result, a 优秀代表建议
campaign under review, a 示范代表联络站 campaign nominating (its deadline close,
so the reminder shows) and a 提醒谈话 with a 零履职 deputy."""

from __future__ import annotations

from datetime import timedelta

from deputies.archive import zero_performance
from deputies.models import Mandate

from ..models import Suggestion
from . import services
from .models import Campaign


def seed(ctx) -> None:
    if Campaign.objects.exists():
        return
    today = ctx.today
    county = ctx.congresses["湘源县"]
    staff = ctx.users["xian_staff"]
    year = today.year

    deputies = services.campaign_create(
        congress=county,
        year=year,
        kind="excellent_deputy",
        title=f"{year}年度湘源县优秀人大代表评选",
        description="按年度履职积分排名推荐，结合代表小组意见审核。",
        nomination_deadline=today - timedelta(days=20),
        actor=staff,
    )
    services.campaign_open(campaign=deputies, actor=staff)
    services.campaign_draw_nominations(campaign=deputies, actor=staff)
    services.campaign_close_nominations(campaign=deputies, actor=staff)
    for n, nomination in enumerate(deputies.nominations.order_by("id")[:5]):
        services.nomination_review(
            nomination=nomination,
            accept=n < 3,
            note="" if n < 3 else "履职积分相近，名额有限",
            actor=staff,
        )
    services.campaign_approve(
        campaign=deputies,
        document_number=f"湘源人大常发〔{year}〕15号",
        approved_on=today - timedelta(days=7),
        actor=staff,
    )
    services.campaign_publish(campaign=deputies, actor=staff)

    suggestions = services.campaign_create(
        congress=county,
        year=year,
        kind="excellent_suggestion",
        title=f"{year}年度湘源县优秀代表建议评选",
        nomination_deadline=today - timedelta(days=2),
        actor=staff,
    )
    services.campaign_open(campaign=suggestions, actor=staff)
    services.campaign_draw_nominations(campaign=suggestions, actor=staff)
    manual = (
        Suggestion.objects.filter(congress=county, status__in=["closed", "tracking"])
        .exclude(nominations__campaign=suggestions)
        .first()
    )
    if manual is not None:
        services.nomination_add(
            campaign=suggestions,
            target=manual,
            reason="建议推动了问题解决，群众反映好（代表小组推荐）",
            actor=staff,
        )
    if suggestions.nominations.exists():
        services.campaign_close_nominations(campaign=suggestions, actor=staff)

    stations = services.campaign_create(
        congress=county,
        year=year,
        kind="model_station",
        title=f"{year}年度湘源县示范代表联络站评选",
        nomination_deadline=today + timedelta(days=2),
        actor=staff,
    )
    services.campaign_open(campaign=stations, actor=staff)
    services.campaign_draw_nominations(campaign=stations, actor=staff)

    # 提醒谈话 with two 零履职 deputies of 桃花乡 (the county's are all active).
    township = ctx.congresses["桃花乡"]
    zero = zero_performance(Mandate.objects.filter(congress=township), year).order_by(
        "id"
    )[:2]
    for n, mandate in enumerate(zero):
        services.zero_step_record(
            mandate=mandate,
            year=year,
            step="talk",
            held_on=today - timedelta(days=3 + n),
            held_by="桃花乡人大主席团主席",
            notes="了解本人年内未参加闭会期间活动的原因，提出参加联络站接待和小组活动的要求。",
            actor=ctx.users["taohua_staff"],
        )

    # A star-station result already published: the honour shows on the station page.
    star = services.campaign_create(
        congress=county,
        year=year,
        kind="star_station",
        title=f"{year}年度湘源县星级代表联络站评选",
        nomination_deadline=today - timedelta(days=30),
        actor=staff,
    )
    services.campaign_open(campaign=star, actor=staff)
    services.campaign_draw_nominations(campaign=star, actor=staff)
    services.campaign_close_nominations(campaign=star, actor=staff)
    for nomination in star.nominations.order_by("id")[:2]:
        services.nomination_review(nomination=nomination, accept=True, actor=staff)
    services.campaign_approve(
        campaign=star,
        document_number=f"湘源人大常发〔{year}〕12号",
        approved_on=today - timedelta(days=14),
        actor=staff,
    )
    services.campaign_publish(campaign=star, actor=staff)
