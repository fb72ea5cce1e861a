"""Demo data of issue 16 (organs): the 湘源县 organs' contact plans and
contacts, and a standing-committee meeting with invitations (one tomorrow, so
the reminder shows; one held, with attendance and an opinion in follow-up)."""

from __future__ import annotations

from datetime import date, timedelta

from portal.models import HandlingUnit

from . import organ_services as services
from .models import Mandate
from .organ_models import OrganContactPlan, StandingMeeting

ORGANS = [
    ("湘源县人民政府", HandlingUnit.Kind.GOVERNMENT),
    ("湘源县监察委员会", HandlingUnit.Kind.SUPERVISION),
    ("湘源县人民法院", HandlingUnit.Kind.COURT),
    ("湘源县人民检察院", HandlingUnit.Kind.PROCURATORATE),
]


def seed(ctx) -> None:
    """Plans for 湘源县's organs (the 交通运输局 among them, behind schedule),
    contacts, and two standing-committee meetings with invitations."""
    county = ctx.regions["湘源县"]
    xiangyuan = ctx.congresses["湘源县"]
    today = ctx.today
    if OrganContactPlan.objects.filter(congress=xiangyuan).exists():
        return
    for name, kind in ORGANS:
        HandlingUnit.objects.get_or_create(
            region=county, name=name, defaults={"kind": kind}
        )
    active = list(
        Mandate.objects.filter(congress=xiangyuan, term__is_current=True)
        .active()
        .select_related("person")
        .order_by("name_stroke_key", "pk")
    )
    if len(active) < 12:
        return
    own = [m for m in active if m.person.user_id is not None]
    others = [m for m in active if m.person.user_id is None]
    staff = ctx.users["xian_staff"]
    year = today.year
    plans = [
        ("湘源县人民政府", own[:1] + others[:9], 2),
        ("湘源县人民法院", others[8:16], 1),
        ("湘源县人民检察院", others[12:20], 1),
        ("湘源县交通运输局", own + others[2:6], 2),
    ]
    made = {}
    for unit_name, deputies, times in plans:
        unit = HandlingUnit.objects.get(region=county, name=unit_name)
        made[unit_name] = services.organ_plan_create(
            unit=unit,
            year=year,
            deputies=deputies,
            contacts_per_deputy=times,
            note="按季度走访计划内代表，每半年召开一次代表座谈会，通报重点工作。",
            actor=staff,
        )
    start = date(year, 1, 1)
    contacts = [
        (
            "湘源县人民政府",
            "symposium",
            max(start, today - timedelta(days=40)),
            "县人民政府重点民生工作情况通报暨代表座谈会",
            own[:1] + others[:6],
            "代表建议加快农村公路安保工程进度。",
        ),
        (
            "湘源县人民法院",
            "hearing_invite",
            max(start, today - timedelta(days=25)),
            "邀请代表旁听涉农民间借贷纠纷案件庭审",
            others[8:12],
            "",
        ),
        (
            "湘源县人民检察院",
            "briefing",
            max(start, today - timedelta(days=18)),
            "通报公益诉讼检察工作情况",
            others[12:18],
            "",
        ),
        (
            "湘源县交通运输局",
            "opinion_feedback",
            max(start, today - timedelta(days=10)),
            "走访代表，反馈农村公路养护建议办理进展",
            own,
            "代表要求年底前完成桃花村段路面修补。",
        ),
    ]
    for unit_name, kind, on, subject, participants, follow_up in contacts:
        services.organ_contact_record(
            plan=made[unit_name],
            kind=kind,
            date=on,
            subject=subject,
            participants=participants,
            summary="听取代表意见建议，逐条登记并明确责任股室。",
            follow_up=follow_up,
            actor=staff,
        )
    # Standing-committee meetings: one held today (attendance, an opinion
    # followed up), one tomorrow (invitations to answer; the reminder the day before).
    if StandingMeeting.objects.filter(congress=xiangyuan).exists():
        return
    held = services.standing_meeting_create(
        congress=xiangyuan,
        number=3,
        date=today,
        location="湘源县人大常委会机关三楼会议室",
        agenda="一、听取和审议县人民政府关于农村公路建设管理情况的报告\n"
        "二、审议县本级预算调整方案",
        actor=staff,
    )
    services.meeting_invite(
        meeting=held,
        mandates=others[:4],
        topic="农村公路建设管理情况的报告",
        actor=staff,
    )
    for n, invitation in enumerate(held.invitations.order_by("pk")):
        invitation = services.invitation_mark(
            invitation=invitation, attended=n != 3, actor=staff
        )
        if n == 0:
            opinion = services.opinion_record(
                invitation=invitation,
                text="建议将村道安保设施纳入明年县级财政预算，优先实施临水临崖路段。",
                actor=staff,
            )
            services.opinion_follow_up(
                opinion=opinion,
                due_date=today + timedelta(days=30),
                unit=HandlingUnit.objects.get(region=county, name="湘源县交通运输局"),
                note="请县交通运输局研究并书面反馈。",
                actor=staff,
            )
    upcoming = services.standing_meeting_create(
        congress=xiangyuan,
        number=4,
        date=today + timedelta(days=1),
        location="湘源县人大常委会机关三楼会议室",
        agenda="听取和审议县人民法院关于加强诉源治理工作情况的报告",
        actor=staff,
    )
    services.meeting_invite(
        meeting=upcoming,
        mandates=own + others[4:8],
        topic="县人民法院诉源治理工作情况的报告",
        actor=staff,
    )
