"""Every suggestion transition and rule of DESIGN.md §5."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import LedgerEntry
from deputies.services import mandate_suspend
from portal.models import AuditEvent, Notification, RuleSet
from portal.services import DomainError, TransitionError, rule_set_update
from proposals import services
from proposals.models import Assignment, CoSigner, Evaluation, Suggestion
from tests.proposals.conftest import assigned, draft, registered, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# --- submit gates ---------------------------------------------------------------------


def test_submit_needs_a_research_basis(pw):
    suggestion = draft(pw, research_activities=[])
    with pytest.raises(DomainError, match="无调研不建议") as exc:
        services.suggestion_submit(suggestion=suggestion, actor=None)
    assert exc.value.field == "research_basis"
    suggestion.refresh_from_db()
    assert suggestion.status == "draft"


def test_a_complete_research_note_is_a_basis(pw):
    suggestion = draft(
        pw,
        research_activities=[],
        research_note="走访三个村",
        research_date=date(2026, 11, 1),
        research_place="桃花村",
        research_people="村民代表12人",
    )
    assert (
        services.suggestion_submit(suggestion=suggestion, actor=None).status
        == "submitted"
    )


def test_an_incomplete_research_note_is_not(pw):
    suggestion = draft(pw, research_activities=[], research_note="走访三个村")
    with pytest.raises(DomainError, match="无调研不建议"):
        services.suggestion_submit(suggestion=suggestion, actor=None)


def test_research_activity_must_be_the_leads(pw):
    from deputies.services import activity_create

    foreign = activity_create(
        congress=pw.congress,
        kind="inspection",
        title="x",
        date=TODAY(),
        participants=[pw.other_deputy],
        actor=None,
    )
    with pytest.raises(DomainError, match="只能关联本人参加的调研视察活动"):
        draft(pw, research_activities=[foreign])


def test_required_text_fields(pw):
    suggestion = draft(pw, analysis=" ")
    with pytest.raises(DomainError, match="标题、问题、分析和建议均须填写"):
        services.suggestion_submit(suggestion=suggestion, actor=None)


def test_suspended_deputy_cannot_submit(pw):
    suggestion = draft(pw)
    mandate_suspend(mandate=pw.lead, ground="detained", on=TODAY(), actor=None)
    with pytest.raises(DomainError, match="丁一已暂停执行代表职务，不能提交议案建议"):
        services.suggestion_submit(suggestion=suggestion, actor=None)


def test_submit_is_audited_and_notifies_staff_on_commit(
    pw, personas, django_capture_on_commit_callbacks
):
    suggestion = draft(pw)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_submit(suggestion=suggestion, actor=personas.deputy)
    assert AuditEvent.objects.filter(
        action="suggestion.submit", actor=personas.deputy
    ).exists()
    assert (
        Notification.objects.filter(
            recipient=personas.county_staff, kind="suggestion.submitted"
        ).count()
        == 1
    )
    # resubmitting is a no-op
    services.suggestion_submit(suggestion=suggestion, actor=None)
    assert suggestion.events.filter(action="submit").count() == 1


# --- bills ---------------------------------------------------------------------------


def confirm(pw, suggestion, mandates):
    from portal.models import User

    for mandate in mandates:
        user = User.objects.create(username=f"u{mandate.pk}")
        mandate.person.user = user
        mandate.person.save()
        services.cosigner_respond(
            cosigner=CoSigner.objects.get(suggestion=suggestion, mandate=mandate),
            accept=True,
            actor=user,
        )


def test_bill_needs_ten_signatures_at_county_level(pw):
    bill = draft(pw, kind="bill", session=pw.session, co_signers=pw.cosigners)
    confirm(pw, bill, pw.cosigners[:8])
    with pytest.raises(
        DomainError, match="议案须由10名以上代表联名提出（含领衔代表），目前已确认9名"
    ):
        services.suggestion_submit(suggestion=bill, actor=None)
    confirm(pw, bill, pw.cosigners[8:9])
    assert services.suggestion_submit(suggestion=bill, actor=None).status == "submitted"


def test_unconfirmed_cosigners_do_not_count(pw):
    bill = draft(pw, kind="bill", session=pw.session, co_signers=pw.cosigners)
    with pytest.raises(DomainError, match="目前已确认1名"):
        services.suggestion_submit(suggestion=bill, actor=None)


def test_township_bill_needs_five(pw, world):
    from deputies.services import activity_create, attendance_set
    from tests.factories import make_mandate

    township = pw.township_congress
    from portal.models import Session

    session = Session.objects.create(
        term=township.current_term(),
        number=1,
        start_date=TODAY(),
        end_date=TODAY() + timedelta(days=1),
        bill_deadline=timezone.now() + timedelta(hours=5),
    )
    others = [make_mandate(township, f"乡附议{n}") for n in range(4)]
    activity = activity_create(
        congress=township,
        kind="research",
        title="调研",
        date=TODAY(),
        participants=[pw.township_lead],
        actor=None,
    )
    attendance_set(
        activity=activity, mandate=pw.township_lead, status="attended", actor=None
    )
    bill = services.suggestion_create(
        lead=pw.township_lead,
        kind="bill",
        session=session,
        title="议案",
        problem="案由",
        analysis="案据",
        proposals="方案",
        research_activities=[activity],
        co_signers=others,
        actor=None,
    )
    confirm(pw, bill, others)
    assert services.suggestion_submit(suggestion=bill, actor=None).status == "submitted"


def test_bill_only_before_the_session_deadline(pw):
    bill = draft(pw, kind="bill", session=pw.session, co_signers=pw.cosigners)
    confirm(pw, bill, pw.cosigners[:9])
    late = pw.session.bill_deadline + timedelta(minutes=1)
    with pytest.raises(
        DomainError, match="议案只能在人民代表大会会议期间、议案截止时间之前提出"
    ):
        services.suggestion_submit(suggestion=bill, now=late, actor=None)
    recess = draft(pw, kind="bill", title="闭会期间议案")
    with pytest.raises(DomainError, match="议案只能在人民代表大会会议期间"):
        services.suggestion_submit(suggestion=recess, actor=None)


def test_suspended_deputy_cannot_cosign(pw):
    suggestion = draft(pw, co_signers=pw.cosigners[:1])
    mandate = pw.cosigners[0]
    mandate_suspend(mandate=mandate, ground="detained", on=TODAY(), actor=None)
    from portal.models import User

    user = User.objects.create(username="cs")
    mandate.person.user = user
    mandate.person.save()
    mandate.refresh_from_db()
    cosigner = CoSigner.objects.get(suggestion=suggestion)
    with pytest.raises(DomainError, match="不能联名提出议案建议"):
        services.cosigner_respond(cosigner=cosigner, accept=True, actor=user)


# --- review ---------------------------------------------------------------------------


def test_register_numbers_and_awards_points(pw):
    first, second = registered(pw), registered(pw, title="第二件")
    assert (first.number, second.number) == (1, 2)
    assert first.number_display == f"〔{first.year}〕第1号"
    assert (
        LedgerEntry.objects.filter(
            mandate=pw.lead, kind="suggestion_registered"
        ).count()
        == 2
    )


def test_return_needs_a_reason_then_resubmit(pw):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    with pytest.raises(DomainError, match="请填写退回修改的理由"):
        services.suggestion_return(suggestion=suggestion, reason="", actor=None)
    services.suggestion_return(
        suggestion=suggestion, reason="一事一议，请拆分", actor=None
    )
    suggestion.refresh_from_db()
    assert (
        suggestion.status == "returned"
        and suggestion.status_reason == "一事一议，请拆分"
    )
    services.suggestion_update(
        suggestion=suggestion, title="关于农村公路养护的建议", actor=None
    )
    assert (
        services.suggestion_submit(suggestion=suggestion, actor=None).status
        == "submitted"
    )


def test_reject_is_final(pw):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_reject(
        suggestion=suggestion, reason="不属于本级职权", actor=None
    )
    with pytest.raises(TransitionError, match="当前状态为“不予立案”，不能立案"):
        services.suggestion_register(suggestion=suggestion, actor=None)


def test_cannot_edit_after_submit(pw):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    with pytest.raises(TransitionError, match="只有草稿或退回修改的建议可以修改"):
        services.suggestion_update(suggestion=suggestion, title="x", actor=None)


def test_merge_into_same_congress_and_year(pw, world, personas):
    parent = registered(pw)
    child = draft(pw, title="同类建议")
    services.suggestion_submit(suggestion=child, actor=None)
    services.suggestion_merge(suggestion=child, into=parent, actor=None)
    child.refresh_from_db()
    assert child.status == "merged" and child.merged_into == parent
    with pytest.raises(DomainError, match="不能与自身并案"):
        services.suggestion_merge(suggestion=parent, into=parent, actor=None)


# --- assignment ---------------------------------------------------------------------


def test_assign_lead_and_co_with_default_due_date(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = registered(pw)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_assign(
            suggestion=suggestion,
            units=[(world.unit, "lead"), (world.other_unit, "co")],
            today=date(2026, 11, 30),
            actor=None,
        )
    lead = suggestion.assignments.get(role="lead")
    assert lead.due_date == date(2027, 2, 28)  # 3 months, clamped to the month end
    assert (
        Notification.objects.filter(
            recipient=personas.unit_staff, kind="assignment.new"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=personas.other_unit_staff, kind="assignment.new"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["co", "co"], "须确定且只能确定一个主办单位"),
        (["lead", "lead"], "须确定且只能确定一个主办单位"),
        (["split", "lead"], "分办不能与主办、协办混用"),
    ],
)
def test_assignment_shapes(pw, world, roles, message):
    suggestion = registered(pw)
    with pytest.raises(DomainError, match=message):
        services.suggestion_assign(
            suggestion=suggestion,
            units=list(zip([world.unit, world.other_unit], roles, strict=True)),
            actor=None,
        )


def test_units_of_another_county_cannot_be_assigned(pw, world):
    with pytest.raises(DomainError, match="不是本级人大可以交办的单位"):
        services.suggestion_assign(
            suggestion=registered(pw),
            units=[(world.other_county_unit, "lead")],
            actor=None,
        )


def test_due_date_cannot_exceed_six_months(pw, world):
    with pytest.raises(DomainError, match="交办之日起6个月以内"):
        services.suggestion_assign(
            suggestion=registered(pw),
            units=[(world.unit, "lead")],
            due_date=date(2027, 6, 1),
            today=date(2026, 11, 30),
            actor=None,
        )


def test_return_request_within_seven_working_days(pw, world):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    Assignment.objects.filter(pk=lead.pk).update(assigned_on=date(2026, 11, 2))
    lead.refresh_from_db()
    with pytest.raises(
        DomainError, match="退办申请应在交办之日起7个工作日内（2026-11-11前）提出"
    ):
        services.assignment_request_return(
            assignment=lead,
            reason="不属于本单位职责",
            today=date(2026, 11, 12),
            actor=None,
        )
    request = services.assignment_request_return(
        assignment=lead, reason="不属于本单位职责", today=date(2026, 11, 11), actor=None
    )
    lead.refresh_from_db()
    assert lead.status == "return_requested"
    services.return_decide(request=request, approve=True, actor=None)
    lead.refresh_from_db()
    assert lead.status == "returned"


def test_rejected_return_restores_previous_status(pw, world):
    lead = assigned(pw, world).assignments.get(role="lead")
    services.assignment_accept(assignment=lead, actor=None)
    request = services.assignment_request_return(
        assignment=lead, reason="理由", actor=None
    )
    services.return_decide(
        request=request, approve=False, note="属于本单位职责", actor=None
    )
    lead.refresh_from_db()
    assert lead.status == "accepted"
    with pytest.raises(TransitionError, match="该退办申请已处理"):
        services.return_decide(request=request, approve=True, actor=None)


def test_reassign_after_approved_return(pw, world):
    suggestion = services.suggestion_assign(
        suggestion=registered(pw), units=[(world.unit, "lead")], actor=None
    )
    lead = suggestion.assignments.get()
    services.return_decide(
        request=services.assignment_request_return(
            assignment=lead, reason="职责不符", actor=None
        ),
        approve=True,
        actor=None,
    )
    lead.refresh_from_db()
    new = services.assignment_reassign(
        assignment=lead, unit=world.other_unit, actor=None
    )
    assert new.role == "lead" and new.status == "pending"


def test_extension_capped_at_six_months(pw, world):
    lead = services.suggestion_assign(
        suggestion=registered(pw),
        units=[(world.unit, "lead")],
        today=date(2026, 8, 31),
        actor=None,
    ).assignments.get()
    with pytest.raises(DomainError, match="不能超过交办之日起6个月（2027-02-28）"):
        services.assignment_request_extension(
            assignment=lead,
            new_due_date=date(2027, 3, 1),
            reason="资金未到位",
            actor=None,
        )
    request = services.assignment_request_extension(
        assignment=lead, new_due_date=date(2027, 2, 28), reason="资金未到位", actor=None
    )
    with pytest.raises(TransitionError, match="已有待审批的延期申请"):
        services.assignment_request_extension(
            assignment=lead, new_due_date=date(2027, 1, 31), reason="x", actor=None
        )
    services.extension_decide(request=request, approve=True, actor=None)
    lead.refresh_from_db()
    assert lead.due_date == date(2027, 2, 28) and lead.original_due_date == date(
        2026, 11, 30
    )


def test_reply_needs_a_contact_first(pw, world):
    lead = assigned(pw, world).assignments.get(role="lead")
    with pytest.raises(
        DomainError, match="该建议尚未记录与代表的沟通，不能答复"
    ) as exc:
        services.assignment_reply(
            assignment=lead, category="A", text="已解决", actor=None
        )
    assert exc.value.field == "contact"


def test_co_unit_does_not_reply_but_sends_opinion(pw, world):
    co = assigned(pw, world).assignments.get(role="co")
    services.assignment_contact(
        assignment=co, method="phone", date=TODAY(), summary="电话", actor=None
    )
    with pytest.raises(DomainError, match="协办单位不直接答复代表"):
        services.assignment_reply(assignment=co, category="A", text="x", actor=None)
    opinion = services.co_unit_opinion_send(
        assignment=co, text="建议由交通局牵头", actor=None
    )
    from portal.workdays import add_months

    assert opinion.due_date == add_months(co.assigned_on, 1)
    assert co.suggestion.events.get(action="co_opinion").internal
    with pytest.raises(TransitionError, match="协办意见已提交"):
        services.co_unit_opinion_send(assignment=co, text="again", actor=None)


def test_b_and_c_replies_need_commitments(pw, world):
    lead = assigned(pw, world).assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    with pytest.raises(DomainError, match="B类、C类答复须写明承诺事项和完成时限"):
        services.assignment_reply(
            assignment=lead, category="B", text="列入计划", actor=None
        )


def test_reply_moves_suggestion_and_awaits_disclosure_review(
    pw, world, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = replied(pw, world, personas, category="A")
    assert suggestion.status == "replied"
    # Not public before the staff's review, which is due within 20 working days.
    assert suggestion.published_at is None
    assert suggestion.disclosure_due_on is not None
    assert (
        Notification.objects.filter(
            recipient=personas.deputy, kind="suggestion.replied"
        ).count()
        == 1
    )
    # The "reply A" points wait for the deputy's rating.
    assert not LedgerEntry.objects.filter(
        mandate=pw.lead, kind="reply_rated_a"
    ).exists()


def test_split_suggestion_is_replied_when_every_split_unit_replied(pw, world):
    suggestion = assigned(
        pw, world, units=[(world.unit, "split"), (world.other_unit, "split")]
    )
    first, second = suggestion.assignments.order_by("id")
    for assignment in (first, second):
        services.assignment_contact(
            assignment=assignment,
            method="phone",
            date=TODAY(),
            summary="电话",
            actor=None,
        )
    services.assignment_reply(assignment=first, category="A", text="已解决", actor=None)
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned"
    services.assignment_reply(
        assignment=second, category="D", text="留作参考", actor=None
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"


# --- withdraw ---------------------------------------------------------------------------


def test_withdraw_before_reply_only(pw, world, personas):
    suggestion = assigned(pw, world)
    assert (
        services.suggestion_withdraw(suggestion=suggestion, actor=None).status
        == "withdrawn"
    )
    answered = replied(pw, world, personas, title="另一件")
    with pytest.raises(TransitionError, match="已有答复，不能撤回"):
        services.suggestion_withdraw(suggestion=answered, actor=None)


# --- evaluation (anti 被满意) -------------------------------------------------------------


def test_only_the_lead_deputy_rates(pw, world, personas):
    suggestion = replied(pw, world, personas)
    for user in (personas.unit_staff, personas.county_staff, personas.other_deputy):
        with pytest.raises(DomainError, match="只有领衔代表本人可以评价办理结果"):
            services.suggestion_evaluate(
                suggestion=suggestion,
                actor=user,
                result="satisfied",
                attitude="satisfied",
            )
    assert not Evaluation.objects.exists()


def test_satisfied_with_a_closes(pw, world, personas):
    suggestion = replied(pw, world, personas, category="A")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"


def test_rating_cannot_be_changed(pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    with pytest.raises(TransitionError):
        services.suggestion_evaluate(
            suggestion=suggestion,
            actor=personas.deputy,
            result="dissatisfied",
            attitude="dissatisfied",
        )
    assert Evaluation.objects.get().result == "satisfied"


def test_b_reply_is_tracked_until_commitments_done(pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="basically_satisfied",
        attitude="satisfied",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "tracking"
    from proposals.models import Commitment

    services.commitment_complete(
        commitment=Commitment.objects.get(), note="已完成", actor=None
    )
    suggestion.refresh_from_db()
    # The unit's word is not enough: the deputy's receipt (回执) closes it.
    assert suggestion.status == "tracking"
    services.commitment_confirm(
        commitment=Commitment.objects.get(), actor=personas.deputy
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"


def test_dissatisfied_twice_closes_with_supervision(pw, world, personas):
    suggestion = replied(pw, world, personas, category="C")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="dissatisfied",
        attitude="basically_satisfied",
        comment="道路仍未修复",
        today=date(2026, 12, 31),
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "rehandling" and suggestion.round == 2
    lead = suggestion.assignments.get(role="lead")
    assert lead.due_date == date(2027, 1, 31) and lead.status == "accepted"
    with pytest.raises(DomainError, match="尚未记录与代表的沟通"):
        services.assignment_reply(
            assignment=lead, category="A", text="第二轮", actor=None
        )
    services.assignment_contact(
        assignment=lead, method="site_visit", date=TODAY(), summary="现场", actor=None
    )
    services.assignment_reply(
        assignment=lead, category="A", text="第二轮答复", actor=None
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="dissatisfied",
        attitude="dissatisfied",
        comment="第二轮答复仍未解决",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "closed" and suggestion.needs_supervision


def test_cosigner_rating_only_when_the_rule_allows(pw, world, personas):
    suggestion = draft(pw, co_signers=pw.cosigners[:1])
    confirm(pw, suggestion, pw.cosigners[:1])
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_assign(
        suggestion=suggestion, units=[(world.unit, "lead")], actor=None
    )
    lead = suggestion.assignments.get()
    services.assignment_contact(
        assignment=lead, method="phone", date=TODAY(), summary="电话", actor=None
    )
    services.assignment_reply(assignment=lead, category="A", text="已解决", actor=None)
    suggestion.refresh_from_db()
    cosigner_user = pw.cosigners[0].person.user
    with pytest.raises(DomainError, match="只有领衔代表本人可以评价"):
        services.suggestion_evaluate(
            suggestion=suggestion,
            actor=cosigner_user,
            result="satisfied",
            attitude="satisfied",
        )
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=pw.congress, name="县"),
        values={"cosigners_may_rate": True},
        actor=None,
    )
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=cosigner_user,
        result="dissatisfied",
        attitude="satisfied",
        comment="道路仍未修复",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"  # only the lead's rating moves it


def test_callback_sample_flags_satisfied_ratings(pw, world, personas):
    suggestion = replied(pw, world, personas)
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    sample = services.evaluations_sample_for_callback(
        congress=pw.congress, year=suggestion.year, size=5, seed=1, actor=None
    )
    assert [e.suggestion_id for e in sample] == [suggestion.pk]
    services.evaluation_record_callback(
        evaluation=sample[0], note="代表确认满意", actor=None
    )
    assert Evaluation.objects.get().result == "satisfied"


def test_urge_and_key_supervision(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = assigned(pw, world)
    with django_capture_on_commit_callbacks(execute=True):
        services.urge_create(
            assignment=suggestion.assignments.get(role="lead"),
            actor=personas.county_staff,
            note="请加快",
        )
    assert Notification.objects.filter(
        recipient=personas.unit_staff, kind="assignment.urged"
    ).exists()
    item = services.key_item_create(
        congress=pw.congress,
        year=suggestion.year,
        title="农村公路养护",
        leader=personas.leader,
        suggestions=[suggestion],
        actor=None,
    )
    assert (
        LedgerEntry.objects.filter(
            kind="key_supervision_selected", mandate=pw.lead
        ).count()
        == 1
    )
    services.key_item_add_event(
        item=item, kind="visit", date=TODAY(), notes="实地督办", actor=None
    )
    item.refresh_from_db()
    assert item.status == "in_progress"
    with pytest.raises(DomainError, match="只能选择本级人大已立案的议案建议"):
        services.key_item_create(
            congress=pw.congress,
            year=2026,
            title="x",
            leader=personas.leader,
            suggestions=[draft(pw)],
            actor=None,
        )


def test_similar_suggestions_of_the_same_congress_and_year(pw):
    first = registered(pw)
    registered(
        pw,
        title="关于改善中小学食堂条件的建议",
        problem="食堂设施老旧",
        analysis="a",
        proposals="p",
    )
    found = Suggestion.objects.similar_to(
        congress=pw.congress, year=first.year, text="农村公路养护的建议"
    )
    assert [s.pk for s in found][:1] == [first.pk]


def test_opinion_converted_for_a_deputy_becomes_a_draft(pw, world):
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
    suggestion = services.suggestion_from_opinion(opinion=opinion, actor=None)
    assert suggestion.status == "draft" and suggestion.lead == pw.lead
    assert list(suggestion.research_opinions.all()) == [opinion]
    assert services.suggestion_from_opinion(opinion=opinion, actor=None) == suggestion


def test_refusal_in_english_names_the_action_in_english(pw):
    """The verb map is lazy: built at import, rendered in the request's language."""
    from django.utils import translation

    suggestion = draft(pw)
    with translation.override("en"), pytest.raises(services.TransitionError) as err:
        services.suggestion_register(suggestion=suggestion, actor=None)
    message = str(err.value)
    assert '"register"' in message
    assert "立案" not in message


@pytest.mark.parametrize(
    ("result", "attitude"),
    [("dissatisfied", "satisfied"), ("satisfied", "dissatisfied")],
)
def test_dissatisfied_needs_its_reason(pw, world, personas, result, attitude):
    suggestion = replied(pw, world, personas, category="C")
    with pytest.raises(DomainError, match="写明不满意的理由") as refused:
        services.suggestion_evaluate(
            suggestion=suggestion,
            actor=personas.deputy,
            result=result,
            attitude=attitude,
            comment="   ",
        )
    assert refused.value.field == "comment"
    suggestion.refresh_from_db()
    assert suggestion.status == "replied" and not Evaluation.objects.exists()


def test_dissatisfied_without_reason_is_a_form_error(client, pw, world, personas):
    suggestion = replied(pw, world, personas, category="C")
    client.force_login(personas.deputy)
    response = client.post(
        reverse("proposals:evaluate", args=[suggestion.pk]),
        {"result": "dissatisfied", "attitude": "satisfied", "comment": ""},
        follow=True,
    )
    assert "写明不满意的理由" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_api_dissatisfied_without_reason_is_400(pw, world, personas):
    from rest_framework.test import APIClient

    suggestion = replied(pw, world, personas, category="C")
    api = APIClient()
    api.force_authenticate(personas.deputy)
    response = api.post(
        f"/api/v1/suggestions/{suggestion.pk}/evaluate/",
        {"result": "dissatisfied", "attitude": "dissatisfied"},
        format="json",
    )
    assert response.status_code == 400 and "comment" in response.json()
