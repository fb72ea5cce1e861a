"""Hand-built data with known answers for the supervision reports, reached through
the apps' services (never by writing states directly).

Everything is relative to today; the rate tests use the period from 200 days
ago to 60 days ahead, so nothing depends on the calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from deputies import services as deputy_services
from livelihood_votes import services as lv_services
from livelihood_votes.models import Project
from portal.celery import app
from portal.models import HandlingUnit, Term
from portal.reports.model import ReportScope
from portal.reports.periods import range_period
from proposals import services as p_services
from stations import services as st_services
from stations.models import Station
from tests.factories import make_mandate

TERM_START = date(2026, 1, 1)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def terms(world):
    """Current terms of the county, the township and the other county's congresses."""
    for congress in (
        world.county_congress,
        world.township_congress,
        world.other_county_congress,
        world.other_township_congress,
    ):
        Term.objects.create(
            congress=congress,
            number=19,
            start_date=TERM_START,
            end_date=date(2031, 1, 1),
            is_current=True,
        )
    return world


@pytest.fixture
def period():
    return range_period(today() - timedelta(days=200), today() + timedelta(days=60))


@pytest.fixture
def county_scope(world, period):
    return ReportScope(congress=world.county_congress, period=period, today=today())


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Tasks run in-process when the test's on-commit callbacks run."""
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
        try:
            yield app
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# --- suggestions -------------------------------------------------------------------------


@dataclass
class Suggestions:
    lead: object
    activity: object
    items: dict = field(default_factory=dict)


def _draft(data: Suggestions, title: str, category: str, lead=None, activity=None):
    return p_services.suggestion_create(
        lead=lead or data.lead,
        title=title,
        problem="问题描述",
        analysis="原因分析",
        proposals="具体建议",
        category=category,
        research_activities=[activity or data.activity],
        actor=None,
    )


def _registered(data: Suggestions, title: str, category: str, **kwargs):
    suggestion = _draft(data, title, category, **kwargs)
    p_services.suggestion_submit(suggestion=suggestion, actor=None)
    return p_services.suggestion_register(suggestion=suggestion, actor=None)


def _reply(
    suggestion, unit, *, category: str, method: str, commitment_due: date | None = None
):
    assignment = suggestion.assignments.get(unit=unit)
    p_services.assignment_contact(
        assignment=assignment,
        method=method,
        date=today(),
        summary="沟通情况",
        actor=None,
    )
    commitments = (
        [{"text": "年内完成", "due_date": commitment_due}] if commitment_due else []
    )
    return p_services.assignment_reply(
        assignment=assignment,
        category=category,
        text="答复内容",
        commitments=commitments,
        actor=None,
    )


def add_replied_suggestion(data: Suggestions, world, personas, n: int) -> None:
    """One more suggestion answered A on time and rated satisfied (for size tests)."""
    s = _registered(data, f"增补建议{n}", "transport")
    p_services.suggestion_assign(
        suggestion=s, units=[(world.unit, "lead"), (world.other_unit, "co")], actor=None
    )
    _reply(s, world.unit, category="A", method="meeting")
    p_services.suggestion_evaluate(
        suggestion=s, actor=personas.deputy, result="satisfied", attitude="satisfied"
    )


@pytest.fixture
def suggestions(terms, personas) -> Suggestions:
    """In the county (unit U1 = world.unit, U2 = world.other_unit):

    s1 A on time, met in person, rated satisfied → closed (U2 co-unit)
    s2 assigned 150 days ago (overdue), B replied late by phone, a commitment
       overdue, rated basically satisfied → tracking
    s3 C on time, site visit, commitment done and confirmed by the deputy, rated
       dissatisfied → rehandling
    s4 assigned to U2 150 days ago, no reply (overdue), urged twice
    s5 registered; s6 submitted; s7 not registered; s8 a draft (not counted)
    s10 a township deputy's suggestion, registered
    and, out of the county's scope, one suggestion of the other county.
    """
    world = terms
    t = today()
    lead = make_mandate(world.county_congress, "丁一", user=personas.deputy)
    activity = deputy_services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="农村公路调研",
        date=t - timedelta(days=10),
        participants=[lead],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=activity, mandate=lead, status="attended", actor=None
    )
    data = Suggestions(lead=lead, activity=activity)
    u1, u2 = world.unit, world.other_unit
    items = data.items

    s1 = _registered(data, "关于农村公路养护的建议", "transport")
    p_services.suggestion_assign(
        suggestion=s1, units=[(u1, "lead"), (u2, "co")], actor=None
    )
    _reply(s1, u1, category="A", method="meeting")
    p_services.suggestion_evaluate(
        suggestion=s1, actor=personas.deputy, result="satisfied", attitude="satisfied"
    )
    items["s1"] = s1

    s2 = _registered(data, "关于增开城乡公交的建议", "transport")
    p_services.suggestion_assign(
        suggestion=s2, units=[(u1, "lead")], today=t - timedelta(days=150), actor=None
    )
    _reply(s2, u1, category="B", method="phone", commitment_due=t - timedelta(days=10))
    p_services.suggestion_evaluate(
        suggestion=s2,
        actor=personas.deputy,
        result="basically_satisfied",
        attitude="satisfied",
    )
    items["s2"] = s2

    s3 = _registered(data, "关于老旧小区改造的建议", "construction")
    p_services.suggestion_assign(suggestion=s3, units=[(u1, "lead")], actor=None)
    reply = _reply(
        s3, u1, category="C", method="site_visit", commitment_due=t + timedelta(days=30)
    )
    p_services.commitment_complete(commitment=reply.commitments.get(), actor=None)
    # The deputy's receipt (回执): only a confirmed commitment counts as fulfilled.
    p_services.commitment_confirm(
        commitment=reply.commitments.get(), actor=personas.deputy
    )
    p_services.suggestion_evaluate(
        suggestion=s3,
        actor=personas.deputy,
        result="dissatisfied",
        attitude="dissatisfied",
        comment="拆除进度未落实",
    )
    items["s3"] = s3

    s4 = _registered(data, "关于整治违章建筑的建议", "construction")
    p_services.suggestion_assign(
        suggestion=s4, units=[(u2, "lead")], today=t - timedelta(days=150), actor=None
    )
    overdue = s4.assignments.get()
    p_services.urge_create(
        assignment=overdue, actor=personas.county_staff, note="请尽快答复"
    )
    p_services.urge_create(
        assignment=overdue, actor=personas.county_staff, note="再次催办"
    )
    items["s4"] = s4

    items["s5"] = _registered(data, "关于增加学位的建议", "education")
    s6 = _draft(data, "关于校车安全的建议", "education")
    items["s6"] = p_services.suggestion_submit(suggestion=s6, actor=None)
    s7 = _draft(data, "关于其他事项的建议", "other")
    p_services.suggestion_submit(suggestion=s7, actor=None)
    items["s7"] = p_services.suggestion_reject(
        suggestion=s7, reason="不属于本级职权范围", actor=None
    )
    items["s8"] = _draft(data, "草稿", "other")

    township_lead = make_mandate(world.township_congress, "乡代表")
    township_activity = deputy_services.activity_create(
        congress=world.township_congress,
        kind="research",
        title="卫生院调研",
        date=t - timedelta(days=5),
        participants=[township_lead],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=township_activity, mandate=township_lead, status="attended", actor=None
    )
    items["s10"] = _registered(
        data,
        "关于卫生院建设的建议",
        "health",
        lead=township_lead,
        activity=township_activity,
    )

    other_lead = make_mandate(world.other_county_congress, "外县代表")
    other_activity = deputy_services.activity_create(
        congress=world.other_county_congress,
        kind="research",
        title="外县调研",
        date=t - timedelta(days=5),
        participants=[other_lead],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=other_activity, mandate=other_lead, status="attended", actor=None
    )
    other = _registered(
        data, "外县的建议", "transport", lead=other_lead, activity=other_activity
    )
    p_services.suggestion_assign(
        suggestion=other, units=[(world.other_county_unit, "lead")], actor=None
    )
    items["other"] = other
    return data


# --- deputies --------------------------------------------------------------------------------


@dataclass
class Deputies:
    a: object
    b: object
    c: object
    d: object
    e: object
    f: object
    outsider: object


@pytest.fixture
def deputies(terms, personas) -> Deputies:
    """County: a (female, 苗族, farmer, frontline), b (worker, frontline), c (official),
    d (female, professional; suspended), f (no activity at all); township: e (farmer,
    frontline). a attended an inspection where b was excused and c absent; e attended
    research; b reported to voters (40/8/2). Out of scope: the other county's deputy."""
    world = terms
    t = today()
    county, township = world.county_congress, world.township_congress
    a = make_mandate(
        county,
        "王秀英",
        gender="female",
        ethnicity="苗族",
        occupation="farmer",
        is_frontline=True,
    )
    b = make_mandate(county, "李建国", occupation="worker", is_frontline=True)
    c = make_mandate(county, "赵明", occupation="official")
    d = make_mandate(county, "钱红", gender="female", occupation="professional")
    f = make_mandate(county, "孙强", occupation="other")
    e = make_mandate(township, "周农", occupation="farmer", is_frontline=True)
    outsider = make_mandate(world.other_county_congress, "吴外", gender="female")

    inspection = deputy_services.activity_create(
        congress=county,
        kind="inspection",
        title="视察农村公路",
        date=t - timedelta(days=10),
        participants=[a, b, c],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=inspection, mandate=a, status="attended", actor=None
    )
    deputy_services.attendance_set(
        activity=inspection, mandate=b, status="excused", actor=None
    )
    deputy_services.attendance_set(
        activity=inspection, mandate=c, status="absent", actor=None
    )
    deputy_services.activity_review(activity=inspection, approve=True, actor=None)
    research = deputy_services.activity_create(
        congress=township,
        kind="research",
        title="调研水利",
        date=t - timedelta(days=20),
        participants=[e],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=research, mandate=e, status="attended", actor=None
    )
    deputy_services.activity_review(activity=research, approve=True, actor=None)
    returned = deputy_services.activity_create(
        congress=county,
        kind="training",
        title="退回的活动",
        date=t - timedelta(days=3),
        participants=[a],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=returned, mandate=a, status="attended", actor=None
    )
    deputy_services.activity_review(
        activity=returned, approve=False, note="材料不全", actor=None
    )

    deputy_services.voter_report_create(
        mandate=b,
        date=t - timedelta(days=30),
        venue="村委会",
        text="述职报告",
        satisfied=40,
        basically_satisfied=8,
        dissatisfied=2,
        actor=None,
    )
    deputy_services.mandate_suspend(
        mandate=d,
        ground="detained",
        on=t - timedelta(days=15),
        document_number="湘源县人大常委会公告〔2026〕第3号",
        actor=None,
    )
    deputy_services.mandate_suspend(
        mandate=outsider, ground="detained", on=t - timedelta(days=15), actor=None
    )
    return Deputies(a, b, c, d, e, f, outsider)


# --- stations ---------------------------------------------------------------------------------


@dataclass
class Stations:
    station: object
    members: list
    opinions: dict


def _opinion(station, category: str = "transport", deputies=None):
    return st_services.opinion_submit(
        station=station,
        name="张三",
        phone="13812345678",
        content="村口道路坑洼，雨天积水严重。",
        category=category,
        deputies=deputies,
        actor=None,
    )


def _answer(opinion, result: str):
    st_services.opinion_reply(opinion=opinion, text="已经处理", actor=None)
    return st_services.opinion_visit(opinion=opinion, result=result, actor=None)


@pytest.fixture
def stations(terms, personas) -> Stations:
    """桃花乡 station (members m1–m3) with ten opinions:

    o1 answered on site; o2 not accepted; o3 assigned, satisfied, closed on time;
    o4 assigned with a due date 20 days ago, not replied (overdue); o5 dissatisfied
    then reassigned, basically satisfied, closed on time; o6 converted; o7 pooled;
    o8 waiting for triage; o9 due 20 days ago, closed today (late, satisfied);
    o10 replied, visit dissatisfied (waiting to be reassigned).
    Duty: one past duty day (m1 came, m2 did not) and one ahead (m1); receptions of
    10 and 5 visitors with 3 deputy-attendances. m3 has no duty day."""
    world = terms
    t = today()
    station = st_services.station_create(
        name="桃花乡代表联络站",
        code="TH01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    other = st_services.station_create(
        name="白沙镇代表联络站",
        code="BS01",
        kind=Station.Kind.TOWNSHIP,
        region=world.other_township,
        tracking_prefix="BS",
        actor=None,
    )
    members = [
        make_mandate(world.township_congress, name) for name in ("丁站", "王站", "李站")
    ]
    for mandate in members:
        st_services.station_add_member(
            station=station,
            mandate=mandate,
            start_date=t - timedelta(days=100),
            actor=None,
        )
    m1, m2, _m3 = members
    past = st_services.duty_day_create(
        station=station,
        date=t - timedelta(days=5),
        slot="morning",
        deputies=[m1, m2],
        actor=None,
    )
    st_services.duty_day_record_attendance(duty_day=past, attended=[m1.pk], actor=None)
    st_services.duty_day_create(
        station=station,
        date=t + timedelta(days=5),
        slot="morning",
        deputies=[m1],
        actor=None,
    )
    st_services.reception_create(
        station=station,
        date=t - timedelta(days=5),
        mode="reception_day",
        deputies=[m1, m2],
        visitor_count=10,
        duty_day=past,
        actor=None,
    )
    st_services.reception_create(
        station=station,
        date=t - timedelta(days=3),
        mode="home_visit",
        deputies=[m1],
        visitor_count=5,
        actor=None,
    )

    # The township congress assigns to the township's own units (a county
    # department would go through the county congress: 转县级人大办理).
    u, _created = HandlingUnit.objects.get_or_create(
        name="桃花乡社会事务办", region=world.township
    )
    o = {}
    o["o1"] = st_services.opinion_triage(
        opinion=_opinion(station, "health"),
        outcome="answered_on_site",
        note="当场解答",
        actor=None,
    )
    o["o2"] = st_services.opinion_triage(
        opinion=_opinion(station, "other"),
        outcome="not_accepted",
        note="请依法申请仲裁",
        actor=None,
    )
    o3 = st_services.opinion_assign(opinion=_opinion(station), unit=u, actor=None)
    _answer(o3, "satisfied")
    o["o3"] = st_services.opinion_close(opinion=o3, actor=None)
    o["o4"] = st_services.opinion_assign(
        opinion=_opinion(station, "construction"),
        unit=u,
        today=t - timedelta(days=40),
        due_date=t - timedelta(days=20),
        actor=None,
    )
    o5 = st_services.opinion_assign(
        opinion=_opinion(station, "construction"), unit=u, actor=None
    )
    _answer(o5, "dissatisfied")
    st_services.opinion_assign(opinion=o5, unit=u, actor=None)
    _answer(o5, "basically_satisfied")
    o["o5"] = st_services.opinion_close(opinion=o5, actor=None)
    o["o6"] = st_services.opinion_convert(
        opinion=_opinion(station), mandate=m1, actor=None
    )
    o["o7"] = st_services.opinion_triage(
        opinion=_opinion(station, "economy"), outcome="pooled", note="纳入", actor=None
    )
    o["o8"] = _opinion(station, "education")
    o9 = st_services.opinion_assign(
        opinion=_opinion(station),
        unit=u,
        today=t - timedelta(days=40),
        due_date=t - timedelta(days=20),
        actor=None,
    )
    _answer(o9, "satisfied")
    o["o9"] = st_services.opinion_close(opinion=o9, actor=None)
    o10 = st_services.opinion_assign(
        opinion=_opinion(station, "education"), unit=u, actor=None
    )
    o["o10"] = _answer(o10, "dissatisfied")
    o["outside"] = _opinion(other)
    return Stations(station, members, o)


# --- livelihood -------------------------------------------------------------------------------


@dataclass
class Livelihood:
    programme: object
    projects: list


@pytest.fixture
def livelihood(terms, personas) -> Livelihood:
    """桃花乡 programme of this year: three ideas (one becomes a candidate, one
    screened out), four candidates for three seats, a paper vote; projects p1
    (green: 45% at half time, 40 of 100 万元 paid), p2 (amber: no plan yet, 50),
    p3 (red: 10% at half time, 10 of 80). No project evaluated yet."""
    world = terms
    t = today()
    congress = world.township_congress
    for n in range(3):
        make_mandate(congress, f"票决代表{n}")
    HandlingUnit.objects.create(
        name="桃花乡人民政府", kind="township_gov", region=world.township
    )
    programme = lv_services.programme_create(
        congress=congress, year=t.year, seats=3, actor=None
    )
    idea = lv_services.idea_submit(
        programme=programme,
        title="村道硬化",
        description="硬化村组道路三公里",
        actor=None,
    )
    lv_services.idea_screen(idea=idea, accept=True, actor=None)
    refused = lv_services.idea_submit(
        programme=programme,
        title="新建办公楼",
        description="新建乡政府办公楼",
        actor=None,
    )
    lv_services.idea_screen(
        idea=refused, accept=False, reason="负面清单：楼堂馆所", actor=None
    )
    lv_services.idea_submit(
        programme=programme, title="路灯", description="安装太阳能路灯", actor=None
    )
    costs = [Decimal("100"), Decimal("50"), Decimal("80"), Decimal("30")]
    candidates = [
        lv_services.candidate_create(
            programme=programme,
            title="村道硬化",
            description="三公里",
            estimated_cost=costs[0],
            idea=idea,
            actor=None,
        ),
        *[
            lv_services.candidate_create(
                programme=programme,
                title=f"候选项目{n}",
                description="建设内容",
                estimated_cost=cost,
                actor=None,
            )
            for n, cost in enumerate(costs[1:], start=2)
        ],
    ]
    for _ in range(4):  # published and deliberated before the vote
        programme = lv_services.programme_advance(programme=programme, actor=None)
    vote_round = lv_services.round_create(programme=programme, mode="paper", actor=None)
    from deputies.models import Mandate

    # Every deputy of the township signs in, whichever fixtures made them.
    lv_services.round_attendance_record(
        vote_round=vote_round,
        mandates=list(
            Mandate.objects.current().active().filter(congress=programme.congress)
        ),
        actor=None,
    )
    vote_round = lv_services.round_open(vote_round=vote_round, actor=None)
    n = vote_round.present
    lv_services.paper_counts_enter(
        vote_round=vote_round,
        issued=n,
        returned=n,
        valid=n,
        void=0,
        approvals={
            candidates[0].pk: n,
            candidates[1].pk: n,
            candidates[2].pk: n - 1,
            candidates[3].pk: 1,
        },
        actor=None,
    )
    lv_services.round_close(vote_round=vote_round, actor=None)
    p1, p2, p3 = (Project.objects.get(candidate=c) for c in candidates[:3])
    for project, progress, paid in ((p1, 45, Decimal("40")), (p3, 10, Decimal("10"))):
        lv_services.project_submit_plan(
            project=project,
            plan="分期实施",
            start_date=t - timedelta(days=100),
            planned_end=t + timedelta(days=100),
            actor=None,
        )
        lv_services.progress_report(
            project=project,
            date=t,
            progress=progress,
            money_paid=paid,
            note="进展",
            actor=None,
        )
    other = lv_services.programme_create(
        congress=world.other_township_congress, year=t.year, seats=1, actor=None
    )
    lv_services.idea_submit(
        programme=other, title="外乡项目", description="外乡的项目建议", actor=None
    )
    return Livelihood(programme, [Project.objects.get(pk=p.pk) for p in (p1, p2, p3)])
