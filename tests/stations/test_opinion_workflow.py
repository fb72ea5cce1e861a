"""The opinion closed loop: every transition, refusal, audit row and ledger effect."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from deputies.models import LedgerEntry
from deputies.services import mandate_suspend
from portal.models import AuditEvent, Notification, Role, RuleSet
from portal.services import (
    DomainError,
    TransitionError,
    role_grant_create,
    rule_set_update,
)
from stations import selectors, services
from stations.models import Opinion, OpinionEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def submit(sw, **extra):
    fields = {
        "station": sw.station,
        "name": "张三",
        "phone": "13812345678",
        "content": "村口道路坑洼，雨天积水严重。",
        "category": "transport",
    }
    fields.update(extra)
    return services.opinion_submit(**{"actor": None, **fields})


def test_submission_gets_a_random_tracking_code_and_an_event(sw):
    first, second = submit(sw), submit(sw)
    code = re.compile(
        r"^TH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$"
    )
    assert code.match(first.tracking_code) and code.match(second.tracking_code)
    assert first.tracking_code != second.tracking_code
    assert first.tracking_key == first.tracking_code.replace("-", "")[2:]
    assert first.status == "received"
    assert OpinionEvent.objects.filter(opinion=first, to_state="received").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "请输入有效的11位大陆手机号码。"),
        ("name", " ", "请填写姓名。"),
        ("content", "短", "请具体描述您反映的问题（至少5个字）。"),
        ("content", "长" * 2001, "反映内容不能超过2000个字。"),
        ("category", "nonsense", "类别不正确。"),
    ],
)
def test_bad_submissions_are_refused_in_chinese(sw, field, value, message):
    with pytest.raises(ValidationError) as exc:
        submit(sw, **{field: value})
    assert exc.value.message_dict[field] == [message]
    assert not Opinion.objects.exists()


def test_answered_on_site_needs_the_answer_and_closes(sw, personas):
    opinion = submit(sw, deputies=[sw.members[0]])
    with pytest.raises(DomainError, match="当场答复须填写答复内容"):
        services.opinion_triage(opinion=opinion, outcome="answered_on_site", actor=None)
    opinion = services.opinion_triage(
        opinion=opinion,
        outcome="answered_on_site",
        note="已现场协调解决",
        actor=sw.station_staff,
    )
    assert opinion.status == "answered_on_site"
    assert (
        LedgerEntry.objects.filter(kind="opinion_closed", mandate=sw.members[0]).count()
        == 1
    )
    assert AuditEvent.objects.filter(
        action="opinion.transition", to_state="answered_on_site", actor=sw.station_staff
    ).exists()


def test_not_accepted_needs_the_legal_channel(sw):
    opinion = submit(sw)
    with pytest.raises(DomainError, match="依法解决的途径"):
        services.opinion_triage(
            opinion=opinion, outcome="not_accepted", note="", actor=None
        )
    assert (
        services.opinion_triage(
            opinion=opinion,
            outcome="not_accepted",
            note="属民事纠纷，请向人民法院起诉",
            actor=None,
        ).status
        == "not_accepted"
    )


def test_pooled_and_escalated(sw, world):
    assert (
        services.opinion_triage(opinion=submit(sw), outcome="pooled", actor=None).status
        == "pooled"
    )
    escalated = services.opinion_triage(
        opinion=submit(sw), outcome="escalated", note="涉及全县", actor=None
    )
    assert escalated.escalated_to == world.county_congress


def test_triage_outcome_must_be_known(sw):
    with pytest.raises(DomainError, match="分流结果不正确"):
        services.opinion_triage(opinion=submit(sw), outcome="closed", actor=None)


def test_full_loop_with_two_rounds_then_supervision(
    sw, world, personas, django_capture_on_commit_callbacks
):
    opinion = submit(sw, deputies=[sw.members[1]])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        opinion = services.opinion_assign(
            opinion=opinion,
            unit=sw.unit,
            actor=sw.station_staff,
            today=date(2026, 9, 29),
        )
    assert len(callbacks) == 1
    assert opinion.status == "assigned" and opinion.round == 1
    assert opinion.due_date == date(
        2026, 10, 26
    )  # 15 working days: 10-01..07 off, 10-10 (Sat) worked
    assert (
        Notification.objects.filter(
            recipient=sw.unit_staff, kind="opinion.assigned"
        ).count()
        == 1
    )
    opinion = services.opinion_reply(
        opinion=opinion, text="已安排修复", actor=sw.unit_staff
    )
    assert opinion.status == "replied" and opinion.public_reply == "已安排修复"
    opinion = services.opinion_visit(
        opinion=opinion, result="dissatisfied", note="未修好", actor=None
    )
    with pytest.raises(TransitionError, match="应当重新交办"):
        services.opinion_close(opinion=opinion, actor=None)
    opinion = services.opinion_assign(opinion=opinion, unit=sw.other_unit, actor=None)
    assert opinion.status == "reassigned" and opinion.round == 2
    opinion = services.opinion_reply(opinion=opinion, text="第二次答复", actor=None)
    opinion = services.opinion_visit(opinion=opinion, result="dissatisfied", actor=None)
    with pytest.raises(TransitionError, match="已办理2轮，不能再重新交办"):
        services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    opinion = services.opinion_close(opinion=opinion, actor=None)
    assert opinion.status == "closed" and opinion.needs_supervision
    assert list(opinion.events.values_list("to_state", flat=True)) == [
        "received",
        "assigned",
        "replied",
        "visited",
        "reassigned",
        "replied",
        "visited",
        "closed",
    ]
    assert (
        LedgerEntry.objects.filter(kind="opinion_closed", mandate=sw.members[1]).count()
        == 1
    )


def test_satisfied_visit_closes_without_supervision(sw, world):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = services.opinion_reply(opinion=opinion, text="已解决", actor=None)
    opinion = services.opinion_visit(opinion=opinion, result="satisfied", actor=None)
    with pytest.raises(TransitionError, match="满意或基本满意的意见应当办结"):
        services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    closed = services.opinion_close(opinion=opinion, actor=None)
    assert closed.status == "closed" and not closed.needs_supervision


def test_max_rounds_comes_from_the_rules(sw, world):
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="乡"),
        values={"opinion_max_rounds": 1},
        actor=None,
    )
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    opinion = services.opinion_visit(
        opinion=services.opinion_reply(opinion=opinion, text="答复", actor=None),
        result="dissatisfied",
        actor=None,
    )
    with pytest.raises(TransitionError, match="已办理1轮"):
        services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (services.opinion_reply, {"text": "答复"}),
        (services.opinion_visit, {"result": "satisfied"}),
        (services.opinion_close, {}),
    ],
)
def test_illegal_transitions_from_received_are_refused_with_a_reason(
    sw, action, kwargs
):
    opinion = submit(sw)
    with pytest.raises(TransitionError, match="意见当前状态为“已受理”"):
        action(opinion=opinion, **kwargs, actor=None)


def test_repeated_transition_is_a_no_op(sw, world):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    assert opinion.assignments.count() == 1
    services.opinion_reply(opinion=opinion, text="答复", actor=None)
    services.opinion_reply(opinion=opinion, text="答复", actor=None)
    assert opinion.events.filter(to_state="replied").count() == 1


def test_convert_for_an_active_deputy_only(sw):
    mandate_suspend(
        mandate=sw.members[2], ground="detained", on=date(2026, 11, 1), actor=None
    )
    sw.members[2].refresh_from_db()
    with pytest.raises(DomainError, match="已暂停执行代表职务，不能提交议案建议"):
        services.opinion_convert(opinion=submit(sw), mandate=sw.members[2], actor=None)
    converted = services.opinion_convert(
        opinion=submit(sw), mandate=sw.members[0], actor=None
    )
    assert converted.status == "converted" and converted.converted_for == sw.members[0]


def test_public_view_has_no_personal_data(sw, world):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    view = selectors.public_opinion(opinion)
    assert "张三" not in str(view) and "13812345678" not in str(view)
    assert view["reply"] == ""
    opinion = services.opinion_reply(opinion=opinion, text="已修复", actor=None)
    assert selectors.public_opinion(opinion)["reply"] == "已修复"


def test_assignment_notifies_only_that_units_staff_after_commit(
    sw, world, personas, django_capture_on_commit_callbacks
):
    extra = UserFactory(username="unit2")
    role_grant_create(user=extra, role=Role.UNIT_STAFF, unit=sw.other_unit, actor=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    assert not Notification.objects.exists()  # nothing before commit
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=sw.unit_staff).count() == 1
    assert not Notification.objects.filter(recipient=extra).exists()


def test_an_assigned_opinion_cannot_be_moved_to_another_unit_mid_round(sw, world):
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    with pytest.raises(TransitionError, match="意见已交办给桃花乡人民政府"):
        services.opinion_assign(opinion=opinion, unit=sw.other_unit, actor=None)
    assert opinion.assignments.count() == 1


def test_not_accepted_shows_the_channel_publicly(sw):
    opinion = services.opinion_triage(
        opinion=submit(sw), outcome="not_accepted", note="请向人民法院起诉", actor=None
    )
    assert selectors.public_opinion(opinion)["channel"] == "请向人民法院起诉"
