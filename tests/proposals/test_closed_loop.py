"""The suggestion loop closed by the deputy (issue 13 §3): the deputy's receipt of
commitments, 办成 and the "reply A" points following the deputy's rating, the
research basis, who rates what, disclosure after the staff's review, outcome
types, recess deadlines, unrated answers and the reply categories of the rule set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deputies.models import LedgerEntry
from deputies.services import activity_create, attendance_set, mandate_suspend
from portal.models import Notification, RuleSet
from portal.notifications import run_reminders
from portal.reports.model import ReportScope
from portal.reports.periods import year_period
from portal.rules import SPECS, rules_for
from portal.services import DomainError, TransitionError, rule_set_update
from portal.workdays import add_working_days
from proposals import categories, reports, services
from proposals.models import Commitment, CoUnitOpinion, Evaluation, Reply, Suggestion
from proposals.policies import SuggestionPolicy, has_research_basis
from tests.proposals.conftest import assigned, draft, publish, registered, replied
from tests.proposals.test_workflow import confirm

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def set_rules(pw, **values):
    rule_set, _ = RuleSet.objects.get_or_create(
        congress=pw.congress, defaults={"name": "县"}
    )
    rule_set_update(rule_set=rule_set, values={**rule_set.values, **values}, actor=None)


def rate(suggestion, user, result="satisfied", attitude="satisfied", **kw):
    if "dissatisfied" in (result, attitude):
        kw.setdefault("comment", "答复未解决实际问题")
    return services.suggestion_evaluate(
        suggestion=suggestion, actor=user, result=result, attitude=attitude, **kw
    )


def scope_of(pw):
    return ReportScope(
        congress=pw.congress, period=year_period(TODAY().year), today=TODAY()
    )


def metric(section, key):
    return section.metric(key)


# --- 7. the rules, test-first ----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "default"),
    [
        (
            "reply_category_outcomes",
            {"A": "solved", "B": "in_progress", "C": "planned", "D": "explained"},
        ),
        ("recess_assignment_working_days", 10),
        ("unrated_after_days", 30),
        ("unrated_outcome", "unrated"),
        ("ranking_min_volume", 5),
        ("co_opinion_reminder_days", 5),
        ("commitment_reminder_days", 15),
        ("staff_deadline_reminder_days", 3),
        ("disclosure_working_days", 20),
    ],
)
def test_loop_figures_are_rules_with_their_default_and_source(key, default):
    spec = SPECS[key]
    assert spec.default == default
    assert str(spec.source)


def test_reply_categories_map_to_canonical_outcomes(pw):
    rules = rules_for(pw.congress)
    assert [categories.outcome_of(rules, c) for c in "ABCD"] == [
        "solved",
        "in_progress",
        "planned",
        "explained",
    ]
    assert categories.codes_with(rules, *categories.WITH_COMMITMENTS) == ["B", "C"]
    assert categories.choices(rules)[0] == ("A", "A 已解决或基本解决")


# --- 1. commitments confirmed by the deputy; 办成 and points follow the rating ---------


def test_b_reply_closes_only_after_the_deputys_receipt(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = replied(pw, world, personas, category="B")
    rate(suggestion, personas.deputy, result="basically_satisfied")
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"
    commitment = Commitment.objects.get()
    with pytest.raises(TransitionError, match="承办单位尚未报告该承诺事项已落实"):
        services.commitment_confirm(commitment=commitment, actor=personas.deputy)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_complete(commitment=commitment, note="已修补", actor=None)
    assert Notification.objects.filter(
        recipient=personas.deputy, kind="commitment.receipt"
    ).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"
    with pytest.raises(DomainError, match="只有领衔代表本人可以确认承诺事项"):
        services.commitment_confirm(commitment=commitment, actor=personas.unit_staff)
    services.commitment_confirm(
        commitment=commitment, actor=personas.deputy, note="确已修好"
    )
    suggestion.refresh_from_db()
    commitment.refresh_from_db()
    assert suggestion.status == "closed" and commitment.confirmed_at is not None
    assert suggestion.events.filter(action="commitment_confirmed").exists()
    # Confirming again is a no-op.
    services.commitment_confirm(commitment=commitment, actor=personas.deputy)
    assert suggestion.events.filter(action="commitment_confirmed").count() == 1


def test_deputy_may_dispute_a_commitment_with_a_reason(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = replied(pw, world, personas, category="C")
    rate(suggestion, personas.deputy)
    commitment = Commitment.objects.get()
    services.commitment_complete(commitment=commitment, actor=None)
    with pytest.raises(DomainError, match="请说明承诺事项尚未落实的情况") as exc:
        services.commitment_confirm(
            commitment=commitment, accept=False, actor=personas.deputy
        )
    assert exc.value.field == "note"
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_confirm(
            commitment=commitment,
            accept=False,
            note="路面仍有坑洼",
            actor=personas.deputy,
        )
    commitment.refresh_from_db()
    assert commitment.status == "pending" and commitment.confirmed_at is None
    assert Notification.objects.filter(
        recipient=personas.unit_staff, kind="commitment.disputed"
    ).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"


def test_reply_a_points_follow_the_deputys_rating_not_the_label(pw, world, personas):
    rated_down = replied(pw, world, personas, category="A")
    rate(rated_down, personas.deputy, result="dissatisfied")
    assert not LedgerEntry.objects.filter(kind="reply_rated_a").exists()

    content = replied(pw, world, personas, category="A", title="关于路灯的建议")
    rate(content, personas.deputy, result="basically_satisfied")
    entries = LedgerEntry.objects.filter(mandate=pw.lead, kind="reply_rated_a")
    assert entries.count() == 1
    assert entries.get().key == f"reply_rated_a:{content.pk}"


def test_b_reply_rated_satisfied_earns_no_reply_a_points(pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    rate(suggestion, personas.deputy)
    assert not LedgerEntry.objects.filter(kind="reply_rated_a").exists()


def test_solved_rate_follows_the_deputys_rating_and_receipts(pw, world, personas):
    a_dissatisfied = replied(pw, world, personas, category="A")
    rate(a_dissatisfied, personas.deputy, result="dissatisfied")
    a_content = replied(pw, world, personas, category="A", title="关于路灯的建议")
    rate(a_content, personas.deputy)
    b_done = replied(pw, world, personas, category="B", title="关于公交的建议")
    rate(b_done, personas.deputy)
    commitment = Commitment.objects.get(reply__assignment__suggestion=b_done)
    services.commitment_complete(commitment=commitment, actor=None)

    solved = metric(reports.build(scope_of(pw)), "solved_rate")
    # Only the A rated content: the B's commitment is done by the unit's word only.
    assert (solved.numerator, solved.denominator) == (1, 3)

    services.commitment_confirm(commitment=commitment, actor=personas.deputy)
    solved = metric(reports.build(scope_of(pw)), "solved_rate")
    assert (solved.numerator, solved.denominator) == (2, 3)
    fulfilled = metric(reports.build(scope_of(pw)), "commitment_rate")
    assert (fulfilled.numerator, fulfilled.denominator) == (1, 1)


# --- 2. 无调研不建议 ---------------------------------------------------------------------


def _activity(pw, kind="research"):
    return activity_create(
        congress=pw.congress,
        kind=kind,
        title="调研",
        date=TODAY() - timedelta(days=3),
        participants=[pw.lead],
        actor=None,
    )


def test_an_activity_the_deputy_was_only_invited_to_is_no_basis(pw):
    invited = _activity(pw)
    suggestion = draft(pw, research_activities=[invited])
    assert not has_research_basis(suggestion)
    with pytest.raises(DomainError, match="无调研不建议"):
        services.suggestion_submit(suggestion=suggestion, actor=None)
    attendance_set(activity=invited, mandate=pw.lead, status="attended", actor=None)
    assert has_research_basis(suggestion)
    assert services.suggestion_submit(suggestion=suggestion, actor=None).status == (
        "submitted"
    )


@pytest.mark.parametrize("status", ["excused", "absent"])
def test_an_activity_missed_is_no_basis(pw, status):
    activity = _activity(pw, kind="inspection")
    attendance_set(activity=activity, mandate=pw.lead, status=status, actor=None)
    assert not has_research_basis(draft(pw, research_activities=[activity]))


def test_only_inspections_and_research_count(pw):
    training = _activity(pw, kind="training")
    attendance_set(activity=training, mandate=pw.lead, status="attended", actor=None)
    assert not has_research_basis(draft(pw, research_activities=[training]))
    inspection = _activity(pw, kind="inspection")
    attendance_set(activity=inspection, mandate=pw.lead, status="attended", actor=None)
    assert has_research_basis(draft(pw, research_activities=[inspection]))


def test_an_opinion_the_deputy_collected_is_a_basis(pw, world):
    from stations import services as station_services

    station = station_services.station_create(
        name="站",
        code="S1",
        kind="township",
        region=world.township,
        tracking_prefix="S",
        actor=None,
    )
    station_services.station_add_member(
        station=station, mandate=pw.lead, start_date=TODAY(), actor=None
    )
    opinion = station_services.opinion_submit(
        station=station,
        name="张三",
        phone="13812345678",
        content="道路坑洼严重",
        actor=None,
    )
    station_services.opinion_convert(opinion=opinion, mandate=pw.lead, actor=None)
    opinion.refresh_from_db()
    suggestion = draft(pw, research_activities=[], research_opinions=[opinion])
    assert has_research_basis(suggestion)


# --- 3. who rates, contacts, co-units ---------------------------------------------------


def test_the_deputy_of_a_merged_suggestion_rates_the_answer(pw, world, personas):
    from tests.factories import make_mandate

    other = make_mandate(pw.congress, "并案代表", user=personas.other_deputy)
    child = registered(
        pw,
        lead=other,
        research_activities=[],
        research_note="走访",
        research_date=TODAY(),
        research_place="村部",
        research_people="村民",
    )
    parent = assigned(pw, world, title="关于农村公路养护资金的建议")
    services.suggestion_merge(suggestion=child, into=parent, actor=None)
    lead_assignment = parent.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead_assignment,
        method="phone",
        date=TODAY(),
        summary="电话",
        actor=None,
    )
    services.assignment_reply(
        assignment=lead_assignment, category="A", text="已解决", actor=None
    )
    parent.refresh_from_db()
    assert SuggestionPolicy.allows(personas.other_deputy, "evaluate", parent)
    evaluation = rate(parent, personas.other_deputy, result="dissatisfied")
    assert evaluation.mandate == other and evaluation.round == 1
    parent.refresh_from_db()
    assert parent.status == "replied"  # only the lead's rating decides


def test_cosigners_rate_independently_of_the_lead(pw, world, personas):
    set_rules(pw, cosigners_may_rate=True)
    cosigner = pw.cosigners[0]
    suggestion = draft(pw, co_signers=[cosigner])
    confirm(pw, suggestion, [cosigner])
    cosigner.refresh_from_db()
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_assign(
        suggestion=suggestion, units=[(world.unit, "lead")], actor=None
    )
    lead_assignment = suggestion.assignments.get()
    services.assignment_contact(
        assignment=lead_assignment,
        method="phone",
        date=TODAY(),
        summary="电话",
        actor=None,
    )
    services.assignment_reply(
        assignment=lead_assignment, category="A", text="已解决", actor=None
    )
    suggestion.refresh_from_db()
    rate(suggestion, personas.deputy)  # the lead first: closed
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"
    evaluation = rate(suggestion, cosigner.person.user, result="basically_satisfied")
    assert evaluation.round == 1 and evaluation.mandate == cosigner
    with pytest.raises(TransitionError, match="本轮已评价"):
        rate(suggestion, cosigner.person.user)


def test_a_suspended_deputy_cannot_rate(pw, world, personas):
    suggestion = replied(pw, world, personas)
    mandate_suspend(mandate=pw.lead, ground="detained", on=TODAY(), actor=None)
    with pytest.raises(DomainError, match="丁一已暂停执行代表职务，不能评价办理结果"):
        rate(suggestion, personas.deputy)
    assert not Evaluation.objects.exists()


def test_contact_date_must_lie_within_the_assignment(pw, world):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    with pytest.raises(DomainError, match="沟通日期不能早于交办日期") as exc:
        services.assignment_contact(
            assignment=lead,
            method="phone",
            date=lead.assigned_on - timedelta(days=1),
            summary="电话",
            actor=None,
        )
    assert exc.value.field == "date"
    with pytest.raises(DomainError, match="沟通日期不能晚于今天"):
        services.assignment_contact(
            assignment=lead,
            method="phone",
            date=TODAY() + timedelta(days=1),
            summary="电话",
            actor=None,
        )


def test_co_unit_gives_its_opinion_again_when_rehandling(pw, world, personas):
    suggestion = replied(pw, world, personas, category="A")
    co = suggestion.assignments.get(role="co")
    services.co_unit_opinion_send(assignment=co, text="第一轮意见", actor=None)
    with pytest.raises(TransitionError, match="本轮协办意见已提交"):
        services.co_unit_opinion_send(assignment=co, text="again", actor=None)
    rate(suggestion, personas.deputy, result="dissatisfied")
    co.refresh_from_db()
    assert co.round == 2
    from proposals.policies import AssignmentPolicy

    assert AssignmentPolicy.allows(personas.other_unit_staff, "co_opinion", co)
    second = services.co_unit_opinion_send(assignment=co, text="第二轮意见", actor=None)
    assert second.round == 2 and second.due_date <= co.due_date
    assert list(
        CoUnitOpinion.objects.filter(assignment=co).values_list("round", flat=True)
    ) == [1, 2]


def test_co_opinion_reminder_is_due_again_in_rehandling(pw, world, personas):
    suggestion = replied(pw, world, personas, category="A")
    co = suggestion.assignments.get(role="co")
    services.co_unit_opinion_send(assignment=co, text="第一轮意见", actor=None)
    rate(suggestion, personas.deputy, result="dissatisfied")
    co.refresh_from_db()
    from proposals.deadlines import co_opinion_due_date

    due = co_opinion_due_date(co)
    run_reminders(due - timedelta(days=6), jobs=["co_opinions_due"])
    assert not Notification.objects.filter(kind="assignment.co_opinion_due").exists()
    run_reminders(due - timedelta(days=5), jobs=["co_opinions_due"])
    assert Notification.objects.filter(
        recipient=personas.other_unit_staff, kind="assignment.co_opinion_due"
    ).exists()


# --- 4. disclosure ------------------------------------------------------------------


def test_reply_is_public_only_after_the_staffs_review(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    assert suggestion.disclosure_due_on == add_working_days(TODAY(), 20)
    assert not Suggestion.objects.published().filter(pk=suggestion.pk).exists()
    reply = Reply.objects.get(assignment__suggestion=suggestion)
    services.suggestion_review_disclosure(
        suggestion=suggestion,
        publish=True,
        texts={reply.pk: "已纳入计划（经办人信息已删除）"},
        actor=personas.county_staff,
    )
    suggestion.refresh_from_db()
    reply.refresh_from_db()
    assert suggestion.published_at is not None and suggestion.disclosure_due_on is None
    assert reply.public_text == "已纳入计划（经办人信息已删除）"
    rows = client.get("/api/v1/public/suggestions/").json()["results"]
    assert [r["replies"][0]["text"] for r in rows] == ["已纳入计划（经办人信息已删除）"]
    with pytest.raises(TransitionError, match="没有待审核公开的答复"):
        services.suggestion_review_disclosure(
            suggestion=suggestion, publish=True, actor=None
        )


def test_withholding_needs_a_reason_and_confidential_ones_stay_private(
    pw, world, personas
):
    suggestion = replied(pw, world, personas)
    with pytest.raises(DomainError, match="不予公开的，请说明理由"):
        services.suggestion_review_disclosure(
            suggestion=suggestion, publish=False, actor=None
        )
    services.suggestion_review_disclosure(
        suggestion=suggestion, publish=False, note="涉及个人事项", actor=None
    )
    suggestion.refresh_from_db()
    assert suggestion.published_at is None and suggestion.disclosure_reviewed_at
    private = replied(pw, world, personas, title="关于保密事项的建议", is_public=False)
    assert private.disclosure_due_on is None


def test_a_second_rounds_reply_waits_for_its_own_review(client, pw, world, personas):
    suggestion = publish(replied(pw, world, personas))
    rate(suggestion, personas.deputy, result="dissatisfied")
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="再次面商", actor=None
    )
    services.assignment_reply(
        assignment=lead, category="A", text="第二轮已解决", actor=None
    )
    rows = client.get("/api/v1/public/suggestions/").json()["results"]
    assert [r["text"] for r in rows[0]["replies"]] == ["已纳入计划"]
    suggestion.refresh_from_db()
    publish(suggestion)
    rows = client.get("/api/v1/public/suggestions/").json()["results"]
    assert [r["text"] for r in rows[0]["replies"]] == ["已纳入计划", "第二轮已解决"]


def test_staff_are_reminded_when_publication_is_due(pw, world, personas):
    suggestion = replied(pw, world, personas)
    due = suggestion.disclosure_due_on
    run_reminders(due - timedelta(days=4), jobs=["disclosures_due"])
    assert not Notification.objects.filter(kind="suggestion.disclosure_due").exists()
    run_reminders(due - timedelta(days=3), jobs=["disclosures_due"])
    run_reminders(due - timedelta(days=2), jobs=["disclosures_due"])
    assert (
        Notification.objects.filter(
            recipient=personas.county_staff, kind="suggestion.disclosure_due"
        ).count()
        == 1
    )
    run_reminders(due + timedelta(days=1), jobs=["disclosures_due"])
    assert (
        Notification.objects.filter(
            recipient=personas.county_staff, kind="suggestion.disclosure_due"
        ).count()
        == 2
    )


# --- 5. outcome types; bills apart ---------------------------------------------------


def test_unit_records_the_outcome_type_with_its_reply(pw, world):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    with pytest.raises(DomainError, match="办理成果类型不正确"):
        services.assignment_reply(
            assignment=lead, category="A", text="x", outcome_type="law", actor=None
        )
    services.assignment_reply(
        assignment=lead,
        category="A",
        text="出台养护办法",
        outcome_type="policy",
        outcome_document="湘源县农村公路养护管理办法",
        actor=None,
    )
    suggestion.refresh_from_db()
    assert suggestion.outcome_type == "policy"
    assert suggestion.outcome_document == "湘源县农村公路养护管理办法"


def test_staff_record_the_outcome_and_reports_count_by_type(pw, world, personas):
    before = assigned(pw, world)
    with pytest.raises(TransitionError, match="尚未答复"):
        services.suggestion_record_outcome(
            suggestion=before, outcome_type="case", actor=None
        )
    suggestion = replied(pw, world, personas, title="关于路灯的建议")
    with pytest.raises(DomainError, match="请填写成果文件") as exc:
        services.suggestion_record_outcome(
            suggestion=suggestion, outcome_type="mechanism", actor=None
        )
    assert exc.value.field == "outcome_document"
    services.suggestion_record_outcome(
        suggestion=suggestion,
        outcome_type="mechanism",
        outcome_document="路长制",
        actor=personas.county_staff,
    )
    table = reports.build(scope_of(pw)).table("outcomes")
    counts = {row["outcome"]: row["count"] for row in table.rows}
    assert counts == {"个案解决": 0, "出台政策": 0, "建立机制": 1}


def test_reports_count_bills_apart_from_suggestions(pw, world, personas):
    replied(pw, world, personas)
    bill = draft(pw, kind="bill", session=pw.session, co_signers=pw.cosigners)
    confirm(pw, bill, pw.cosigners)
    services.suggestion_submit(suggestion=bill, actor=None)
    section = reports.build(scope_of(pw))
    assert metric(section, "received").value == 1
    assert metric(section, "bills").value == 1
    rows = {row["state"]: row["count"] for row in section.table("bills").rows}
    assert rows["已提交"] == 1


# --- 6. recess deadlines; unrated answers -------------------------------------------


def test_recess_suggestions_must_be_assigned_in_time(pw, world, personas):
    recess = registered(pw)  # no session: 闭会期间
    in_session = registered(pw, title="关于会议期间的建议", session=pw.session)
    from proposals.deadlines import recess_assignment_due_date

    due = recess_assignment_due_date(recess)
    assert due == add_working_days(TODAY(), 10)
    assert recess_assignment_due_date(in_session) is None
    run_reminders(due - timedelta(days=4), jobs=["recess_assignments_due"])
    assert not Notification.objects.filter(kind="suggestion.recess_assign_due").exists()
    run_reminders(due - timedelta(days=3), jobs=["recess_assignments_due"])
    notes = Notification.objects.filter(
        recipient=personas.county_staff, kind="suggestion.recess_assign_due"
    )
    assert notes.count() == 1 and "闭会期间建议" in notes.get().title
    services.suggestion_assign(
        suggestion=recess, units=[(world.unit, "lead")], actor=None
    )
    run_reminders(due + timedelta(days=1), jobs=["recess_assignments_due"])
    assert notes.count() == 1


def test_unrated_answers_are_closed_as_unrated_and_counted_apart(pw, world, personas):
    suggestion = replied(pw, world, personas)
    services.evaluations_lapse(actor=None, today=TODAY() + timedelta(days=29))
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"
    assert (
        services.evaluations_lapse(actor=None, today=TODAY() + timedelta(days=30)) == 1
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "closed" and suggestion.evaluation_lapsed_at
    assert not Evaluation.objects.exists()
    section = reports.build(scope_of(pw))
    assert metric(section, "unrated").value == 1
    assert metric(section, "satisfaction_rate").denominator == 0
    assert metric(section, "solved_rate").numerator == 0


def test_rule_may_deem_unrated_answers_basically_satisfied(pw, world, personas):
    set_rules(pw, unrated_outcome="basically_satisfied", unrated_after_days=10)
    suggestion = replied(pw, world, personas, category="B")
    services.evaluations_lapse(actor=None, today=TODAY() + timedelta(days=10))
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"  # its commitment is still open
    deemed = Evaluation.objects.get()
    assert deemed.deemed and deemed.result == "basically_satisfied"
    section = reports.build(scope_of(pw))
    assert metric(section, "satisfaction_rate").denominator == 0  # counted apart
    assert metric(section, "unrated").value == 1


def test_a_receipt_never_given_lapses_after_the_rules_days(pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    rate(suggestion, personas.deputy)
    commitment = Commitment.objects.get()
    services.commitment_complete(commitment=commitment, actor=None)
    services.evaluations_lapse(actor=None, today=TODAY() + timedelta(days=29))
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"
    services.evaluations_lapse(actor=None, today=TODAY() + timedelta(days=30))
    suggestion.refresh_from_db()
    commitment.refresh_from_db()
    assert suggestion.status == "closed" and commitment.receipt_lapsed


# --- 7. categories end to end; the other constants ------------------------------------


def test_a_congress_may_define_its_own_reply_categories(pw, world, personas):
    set_rules(
        pw,
        reply_categories={"甲": "已解决", "乙": "列入计划", "丙": "留作参考"},
        reply_category_outcomes={"甲": "solved", "乙": "planned", "丙": "explained"},
    )
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    with pytest.raises(DomainError, match="答复类别不正确"):
        services.assignment_reply(assignment=lead, category="B", text="x", actor=None)
    with pytest.raises(DomainError, match="乙类答复须写明承诺事项") as exc:
        services.assignment_reply(assignment=lead, category="乙", text="x", actor=None)
    assert exc.value.field == "commitments"
    services.assignment_reply(
        assignment=lead,
        category="乙",
        text="列入明年计划",
        commitments=[{"text": "明年完成", "due_date": TODAY() + timedelta(days=90)}],
        actor=None,
    )
    from proposals.forms import ReplyForm

    form = ReplyForm(categories=rules_for(pw.congress))
    assert [c for c, _ in form.fields["category"].choices] == ["甲", "乙", "丙"]
    section = reports.build(scope_of(pw))
    assert metric(section, "share_乙").numerator == 1
    assert "share_B" not in {m.key for m in section.metrics}


def test_ranking_volume_and_commitment_reminder_days_are_rules(pw, world, personas):
    set_rules(pw, ranking_min_volume=1, commitment_reminder_days=3)
    suggestion = replied(pw, world, personas, category="B")
    rate(suggestion, personas.deputy)
    rows = reports.build(scope_of(pw)).table("units").rows
    assert rows[0]["rank"] == 1
    commitment = Commitment.objects.get()
    run_reminders(commitment.due_date - timedelta(days=4), jobs=["commitments_due"])
    assert not Notification.objects.filter(kind="commitment.due").exists()
    run_reminders(commitment.due_date - timedelta(days=3), jobs=["commitments_due"])
    assert Notification.objects.filter(kind="commitment.due").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "Z", "text": "x"}, "category"),
        ({"category": "AB", "text": "x"}, "category"),
        ({"category": "B", "text": "x"}, "commitments"),
        ({"category": "A", "text": "x", "outcome_type": "law"}, "outcome_type"),
    ],
)
def test_api_reply_refuses_bad_categories_and_outcomes_with_400(
    api_as, pw, world, personas, payload, field
):
    lead = assigned(pw, world).assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    response = api_as(personas.unit_staff).post(
        f"/api/v1/assignments/{lead.pk}/reply/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_api_reply_records_the_outcome(api_as, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    response = api_as(personas.unit_staff).post(
        f"/api/v1/assignments/{lead.pk}/reply/",
        {"category": "A", "text": "已解决", "outcome_type": "case"},
        format="json",
    )
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.outcome_type == "case"
