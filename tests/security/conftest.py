"""The world of the role × operation matrix (tests/security/matrix.yaml).

Built from the reports' hand-made data (a county with suggestions in every
state, the 桃花乡 station with opinions, a livelihood programme with projects,
deputies of both counties; tests/reports/conftest.py) plus the personas of
tests/conftest.py and a few objects the reports do not need (a key-supervision
item, extension and return requests, a group, a delegation, jobs...).

Every person gets a distinct mobile and ID number, every citizen a distinct
phone, so the personal-data probe can name whose data a response shows and
count the audit rows of a reveal per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from deputies import services as deputy_services
from deputies.models import Mandate, Person
from deputies.roster.exports import mandate_export_create
from livelihood_votes import services as lv_services
from livelihood_votes.models import Candidate, Idea, VoteRound
from portal import services as portal_services
from portal.models import GeneratedReport, HandlingUnit, Role
from proposals import services as p_services
from proposals.models import Commitment, Evaluation
from stations import services as st_services
from stations.models import Opinion, StationMembership
from tests.factories import UserFactory, make_mandate, valid_id_number
from tests.reports import conftest as reports

from . import matrix as m

# The reports' hand-made data, as fixtures of this folder.
deputies = reports.deputies
livelihood = reports.livelihood
period = reports.period
stations = reports.stations
suggestions = reports.suggestions
terms = reports.terms

# The columns of matrix.yaml, in this order.
PERSONAS = (
    "anon",
    "citizen",
    "deputy",
    "other_deputy",
    "unit",
    "other_unit",
    "station",
    "township",
    "county",
    "other_county",
    "province",
    "leader",
    "gov",
    "admin",
)


@dataclass
class MatrixWorld:
    users: dict  # persona → User (None for anon)
    objects: dict  # name used in matrix.yaml kwargs → model instance or value
    # Full values of the world's people: value → (kind, whose), e.g.
    # "13900000012" → ("deputy_mobile", "Person 12").
    secrets: dict = field(default_factory=dict)


def _users(world, personas, stations_data) -> dict:
    station_staff = UserFactory(username="matrix_station")
    st_services.station_staff_grant(
        user=station_staff, station=stations_data.station, actor=None
    )
    # The township unit the station's opinions are assigned to is also handled
    # by the unit persona (one person, two units), so "the unit handling it"
    # is one column for suggestions and opinions alike.
    opinion_unit = HandlingUnit.objects.get(name="桃花乡社会事务办")
    portal_services.role_grant_create(
        user=personas.unit_staff, role=Role.UNIT_STAFF, unit=opinion_unit, actor=None
    )
    return {
        "anon": None,
        "citizen": personas.nobody,
        "deputy": personas.deputy,
        "other_deputy": personas.other_deputy,
        "unit": personas.unit_staff,
        "other_unit": personas.other_unit_staff,
        "station": station_staff,
        "township": personas.township_staff,
        "county": personas.county_staff,
        "other_county": personas.other_county_staff,
        "province": personas.province_staff,
        "leader": personas.leader,
        "gov": personas.township_gov,
        "admin": personas.admin,
    }


def _suggestion_objects(world, personas, data) -> dict:
    items = data.items
    today = timezone.localdate()
    s5 = p_services.suggestion_assign(
        suggestion=items["s5"], units=[(world.unit, "lead")], actor=None
    )
    extension = p_services.assignment_request_extension(
        assignment=s5.assignments.get(),
        new_due_date=s5.assignments.get().due_date + timedelta(days=30),
        reason="需要协调资金",
        actor=None,
    )
    s11 = p_services.suggestion_create(
        lead=data.lead,
        title="关于路灯维修的建议",
        problem="路灯损坏",
        analysis="无人维护",
        proposals="明确责任单位",
        category="construction",
        research_activities=[data.activity],
        actor=None,
    )
    p_services.suggestion_submit(suggestion=s11, actor=None)
    p_services.suggestion_register(suggestion=s11, actor=None)
    s11 = p_services.suggestion_assign(
        suggestion=s11, units=[(world.unit, "lead")], actor=None
    )
    return_request = p_services.assignment_request_return(
        assignment=s11.assignments.get(), reason="不属于本单位职责", actor=None
    )
    key_item = p_services.key_item_create(
        congress=world.county_congress,
        year=today.year,
        title="农村公路重点督办",
        leader=personas.leader,
        suggestions=[items["s3"]],
        actor=None,
    )
    return {
        "suggestion": items["s3"],  # assigned to unit (lead), replied C, rehandling
        "suggestion_draft": items["s8"],
        "suggestion_submitted": items["s6"],
        "suggestion_closed": items["s1"],
        "suggestion_other_county": items["other"],
        "assignment": items["s3"].assignments.get(),
        "assignment_other_unit": items["s4"].assignments.get(),
        "commitment": Commitment.objects.filter(
            reply__assignment__suggestion=items["s2"]
        )
        .order_by("pk")
        .first(),
        "evaluation": Evaluation.objects.filter(suggestion=items["s1"])
        .order_by("pk")
        .first(),
        "extension_request": extension,
        "return_request": return_request,
        "key_item": key_item,
        "planned_event": p_services.key_item_plan_event(
            item=key_item,
            kind="visit",
            date=today + timedelta(days=7),
            purpose="实地察看道路养护",
            actor=None,
        ),
        "reply_file": None,  # no reply file in the world
    }


def _deputy_objects(world, personas, deputies_data, data) -> dict:
    county = world.county_congress
    group = deputy_services.group_create(
        congress=county, name="交通专业代表小组", kind="professional", actor=None
    )
    deputy_services.group_add_members(
        group=group, mandates=[deputies_data.a, data.lead], actor=None
    )
    delegation = deputy_services.delegation_create(
        congress=county, term=county.current_term(), name="桃花乡代表团", actor=None
    )
    other_own = make_mandate(
        world.other_county_congress, "外县本人", user=personas.other_deputy
    )
    activity = data.activity  # research the deputy persona attended
    return {
        "mandate": deputies_data.a,  # a county deputy, not the deputy persona
        "mandate_own": data.lead,  # the deputy persona's mandate
        "mandate_other_county": deputies_data.outsider,
        "mandate_other_deputy": other_own,
        "group": group,
        "delegation": delegation,
        "activity": activity,
        "attendance": activity.attendances.get(mandate=data.lead),
        "evidence": None,  # no evidence file in the world
        "roster_import": None,  # no roster upload in the world
        "export_job": mandate_export_create(
            actor=personas.county_staff, query="", total_rows=1
        ),
    }


# issue 16: organs
def _organ_objects(world, personas, deputies_data, data) -> dict:
    from deputies import organ_services

    today = timezone.localdate()
    plan = organ_services.organ_plan_create(
        unit=world.unit,
        year=today.year,
        deputies=[data.lead, deputies_data.a],
        actor=None,
    )
    contact = organ_services.organ_contact_record(
        plan=plan,
        kind="visit",
        date=today,
        subject="走访代表",
        participants=[data.lead],
        follow_up="反馈路面修补进度",
        actor=None,
    )
    meeting = organ_services.standing_meeting_create(
        congress=world.county_congress, number=9, date=today, actor=None
    )
    organ_services.meeting_invite(
        meeting=meeting,
        mandates=[data.lead, deputies_data.a],
        topic="农村公路报告",
        actor=None,
    )
    other = organ_services.invitation_mark(
        invitation=meeting.invitations.get(mandate=deputies_data.a),
        attended=True,
        actor=None,
    )
    opinion = organ_services.opinion_record(
        invitation=other, text="建议加快安保工程", actor=None
    )
    return {
        "organ_plan": plan,
        "organ_contact": contact,
        "standing_meeting": meeting,
        "invitation": meeting.invitations.get(mandate=data.lead),  # the deputy's
        "invitation_other": other,
        "meeting_opinion": opinion,
    }


# end issue 16: organs


# issue 16: sessions — a session today with a meeting and the deputy persona's
# speech, a session ahead with their pending leave, a county deputy absent
# twice (the termination ground), a course the deputy persona is enrolled in.
def _session_objects(world, personas, deputies_data, data) -> dict:
    from decimal import Decimal

    from deputies import session_services as ss
    from portal.models import Session

    term = world.county_congress.current_term()
    today = timezone.localdate()
    past = [
        Session.objects.create(
            term=term,
            number=90 + n,
            start_date=today - timedelta(days=30 * n),
            end_date=today - timedelta(days=30 * n - 1),
        )
        for n in (1, 2)
    ]
    for session in past:
        ss.session_attendance_record(
            session=session,
            changes=[(deputies_data.a, "absent")],
            actor=None,
            today=session.end_date,
        )
    current = Session.objects.create(
        term=term, number=93, start_date=today, end_date=today + timedelta(days=2)
    )
    upcoming = Session.objects.create(
        term=term,
        number=94,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=22),
    )
    leave = ss.leave_request_submit(
        session=upcoming, mandate=data.lead, reason="出差", actor=personas.deputy
    )
    meeting = ss.meeting_create(
        session=current, title="审议政府工作报告", date=today, actor=None
    )
    speech = ss.speech_record(
        meeting=meeting,
        mandate=data.lead,
        topic="农村公路",
        mode="prepared",
        actor=None,
    )
    course = ss.course_create(
        congress=world.county_congress,
        title="专题培训",
        kind="topical",
        organiser="县人大常委会",
        start_date=today,
        end_date=today,
        hours=Decimal("6"),
        half_days=2,
        actor=None,
    )
    ss.course_enrol(course=course, mandates=[data.lead], actor=None)
    return {
        "deputy_session": current,
        "deputy_session_upcoming": upcoming,
        "leave": leave,
        "meeting": meeting,
        "speech": speech,
        "absence_flag": deputies_data.a.absence_flag,
        "course": course,
        "session_attendance": past[0].deputy_attendances.get(),
        "enrolment": course.enrolments.get(),
    }


def _station_objects(world, stations_data) -> dict:
    station = stations_data.station
    return {
        "station": station,
        "station_other": stations_data.opinions["outside"].station,
        "membership": StationMembership.objects.filter(station=station)
        .order_by("pk")
        .first(),
        "duty_day": station.duty_days.order_by("-date").first(),
        # issue 18: a past draft with attendance (deleting it is refused)
        "duty_day_past": station.duty_days.order_by("date").first(),
        "opinion": stations_data.opinions["o4"],  # assigned to the unit, overdue
        "opinion_new": stations_data.opinions["o8"],  # waiting for triage
        "opinion_other": stations_data.opinions["outside"],
        "tracking_code": stations_data.opinions["o4"].tracking_code,
    }


# issue 17: networks
def _network_objects(stations_data) -> dict:
    from stations.network import codes
    from stations.network import services as net

    station = stations_data.station
    assessment = net.assessment_create(
        station=station, year=timezone.localdate().year, actor=None
    )
    net.assessment_score(
        assessment=assessment,
        scores=dict.fromkeys(assessment.checklist, 8),
        evidence={},
        actor=None,
    )
    net.assessment_submit(assessment=assessment, actor=None)
    report = net.social_report_create(
        station=station,
        title="夜间照明不足",
        content="桃花社区主干道约800米无路灯，群众夜间出行不便。",
        category="construction",
        actor=None,
    )
    net.social_report_submit(report=report, actor=None)
    mediation = net.mediation_open(
        opinion=stations_data.opinions["o4"],
        parties="张德明、刘桂兰",
        subject="宅基地边界纠纷",
        actor=None,
    )
    return {
        "code_token": codes.station_token(station),
        "assessment": assessment,
        "social_report": report,
        "mediation": mediation,
    }


# issue 17: networks (end)


def _livelihood_objects(world, livelihood_data) -> dict:
    programme = livelihood_data.programme
    p1 = livelihood_data.projects[0]
    visit = lv_services.supervision_visit_record(
        project=p1, date=timezone.localdate(), findings="进度正常", actor=None
    )
    change = lv_services.change_request_create(
        project=p1, kind="change", reason="调整线路", actor=None
    )
    planned_visit = lv_services.supervision_visit_plan(
        project=p1,
        date=timezone.localdate() + timedelta(days=7),
        purpose="察看施工进度",
        actor=None,
    )
    return {
        "programme": programme,
        "planned_visit": planned_visit,
        "vote_round": VoteRound.objects.filter(programme=programme).get(),
        "candidate": Candidate.objects.filter(programme=programme)
        .order_by("order")
        .first(),
        "idea": Idea.objects.filter(programme=programme).order_by("pk").first(),
        "project": p1,
        "visit": visit,
        "change_request": change,
        "report_photo": None,  # no progress photo in the world
        "lv_evaluation": None,  # no evaluation round in the world
    }


def _portal_objects(world, personas) -> dict:
    today = timezone.localdate()
    notification = portal_services.notification_create(
        recipient=personas.deputy,
        kind="test",
        key="matrix-notification",
        title="一条通知",
        actor=None,
    )
    report = GeneratedReport.objects.create(
        congress=world.county_congress,
        scope_description="湘源县",
        region_path=world.county_congress.region.path,
        period_start=today - timedelta(days=30),
        period_end=today,
        period_label="近30天",
    )
    return {
        "region": world.county,
        "congress": world.county_congress,
        "session": None,
        "unit_obj": world.unit,
        "notification": notification,
        "report_job": report,
    }


def _distinct_personal_data() -> dict:
    """Give every person and citizen their own values; return value → owner."""
    secrets = {}
    for n, person in enumerate(Person.objects.order_by("pk"), start=1):
        mobile = f"139{70000000 + n:08d}"
        id_number = valid_id_number("19700101", area="430521")
        Person.objects.filter(pk=person.pk).update(mobile=mobile, id_number=id_number)
        secrets[mobile] = ("deputy_mobile", f"person:{person.pk}")
        secrets[id_number] = ("deputy_id_number", f"person:{person.pk}")
    for n, opinion in enumerate(Opinion.objects.order_by("pk"), start=1):
        phone = f"137{60000000 + n:08d}"
        Opinion.objects.filter(pk=opinion.pk).update(submitter_phone=phone)
        secrets[phone] = ("citizen_mobile", f"opinion:{opinion.pk}")
    for n, idea in enumerate(Idea.objects.order_by("pk"), start=1):
        phone = f"136{50000000 + n:08d}"
        Idea.objects.filter(pk=idea.pk).update(submitter_phone=phone)
        secrets[phone] = ("citizen_mobile", f"idea:{idea.pk}")
    return secrets


PK_STEP = 10_000  # each table's ids start at its own multiple of this (< MISSING_PK)


@pytest.fixture
def distinct_pks(db):
    """Every table's ids from its own range (table n: n × PK_STEP on), before the
    world is built, so the ids of different tables never coincide.

    A row whose ``kwargs`` names the wrong object (a programme for a vote
    round's id) then gets 404 on every database. Left to themselves the ids
    coincide on SQLite, whose sequences roll back with each test (every table
    starts at 1), and drift apart on PostgreSQL, whose sequences do not: such a
    row passed on SQLite and failed on PostgreSQL only."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.fields import AutoFieldMixin

    tables = sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if isinstance(model._meta.pk, AutoFieldMixin)
        and model._meta.managed
        and not model._meta.proxy
    )
    assert (len(set(tables)) + 1) * PK_STEP < m.MISSING_PK
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for n, (table, column) in enumerate(sorted(set(tables)), start=1):
            # Identifiers of the models' own tables, quoted; the values are bound.
            top = f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}"  # noqa: S608
            cursor.execute(top)
            start = max(cursor.fetchone()[0], n * PK_STEP)
            if connection.vendor == "postgresql":
                # setval is outside the test's transaction: harmless, the
                # next test sets it again.
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [quote(table), column, start],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, start],
                )


# issue 17: incentives — commendations, activity funds, legislative consultation. Begin.
def _incentive_objects(world, personas, stations_data, deputies_data) -> dict:
    from proposals.commendations import services as cm_services
    from stations import consultation_services, funds_services

    today = timezone.localdate()
    campaign = cm_services.campaign_open(
        campaign=cm_services.campaign_create(
            congress=world.county_congress,
            year=today.year,
            kind="excellent_deputy",
            title="优秀人大代表评选",
            nomination_deadline=today + timedelta(days=10),
            actor=None,
        ),
        actor=None,
    )
    nomination = cm_services.nomination_add(
        campaign=campaign, target=deputies_data.a, reason="履职突出", actor=None
    )
    published = cm_services.campaign_open(
        campaign=cm_services.campaign_create(
            congress=world.county_congress,
            year=today.year,
            kind="excellent_unit",
            title="建议办理先进单位评选",
            nomination_deadline=today,
            actor=None,
        ),
        actor=None,
    )
    award = cm_services.nomination_add(
        campaign=published, target=world.unit, reason="办理认真", actor=None
    )
    cm_services.campaign_close_nominations(campaign=published, actor=None)
    cm_services.nomination_review(nomination=award, accept=True, actor=None)
    cm_services.campaign_approve(
        campaign=published,
        document_number=f"湘源人大常发〔{today.year}〕8号",
        approved_on=today,
        actor=None,
    )
    published = cm_services.campaign_publish(campaign=published, actor=None)
    budget = funds_services.budget_approve(
        budget=funds_services.budget_create(
            congress=world.township_congress,
            year=today.year,
            holder="station",
            station=stations_data.station,
            amount_fen=1_000_000,
            actor=None,
        ),
        actor=None,
    )
    spending = funds_services.spending_create(
        budget=budget, date=today, amount_fen=10_000, purpose="资料印刷", actor=None
    )
    draft = consultation_services.draft_open(
        draft=consultation_services.draft_create(
            congress=world.province_congress,
            title="湖南省乡村振兴促进条例（草案）",
            text="第一条 为了促进乡村振兴，制定本条例。",
            closes_on=today + timedelta(days=40),
            stations=[stations_data.station],
            actor=None,
        ),
        actor=None,
    )
    # A second open draft, for the row that closes one (the others keep theirs open).
    closable = consultation_services.draft_open(
        draft=consultation_services.draft_create(
            congress=world.province_congress,
            title="湖南省农村供水条例（草案）",
            text="第一条 为了保障农村供水安全，制定本条例。",
            closes_on=today + timedelta(days=40),
            stations=[stations_data.station],
            actor=None,
        ),
        actor=None,
    )
    comment = consultation_services.comment_add(
        draft=draft,
        station=stations_data.station,
        source="public",
        content="建议增加村民议事的规定。",
        actor=None,
    )
    return {
        "commendation": campaign,
        "commendation_published": published,
        "nomination": nomination,
        "fund_budget": budget,
        "fund_spending": spending,
        "legislative_draft": draft,
        "legislative_draft_closable": closable,
        "draft_comment": comment,
    }


# issue 17: incentives. End.


@pytest.fixture
def matrix_world(
    distinct_pks,
    world,
    personas,
    terms,
    suggestions,
    deputies,
    stations,
    livelihood,
) -> MatrixWorld:
    users = _users(world, personas, stations)
    objects = {
        **_portal_objects(world, personas),
        **_deputy_objects(world, personas, deputies, suggestions),
        **_suggestion_objects(world, personas, suggestions),
        **_station_objects(world, stations),
        **_organ_objects(world, personas, deputies, suggestions),  # issue 16: organs
        **_livelihood_objects(world, livelihood),
        **_session_objects(world, personas, deputies, suggestions),  # issue 16
        **_incentive_objects(world, personas, stations, deputies),  # issue 17
        **_network_objects(stations),  # issue 17: networks
    }
    assert Mandate.objects.filter(person__user=personas.deputy).exists()
    return MatrixWorld(users=users, objects=objects, secrets=_distinct_personal_data())


def pytest_terminal_summary(terminalreporter):
    """The matrix's size at the end of the run (when this folder is collected
    by the controller: ``pytest tests/security``; the coverage test prints it
    too)."""
    from .test_matrix import summary_line

    terminalreporter.write_line(summary_line())
