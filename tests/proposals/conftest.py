"""Proposals fixtures: a county congress with a term and an open session, a lead
deputy, co-signers, units with staff, and a helper to walk a suggestion forward."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from deputies import services as deputy_services
from portal.models import Session, Term
from proposals import services
from tests.factories import make_mandate


@dataclass
class PW:
    congress: object
    township_congress: object
    term: object
    session: object
    lead: object
    other_deputy: object
    cosigners: list
    township_lead: object
    activity: object


@pytest.fixture
def pw(world, personas):
    congress = world.county_congress
    term = Term.objects.create(
        congress=congress,
        number=19,
        start_date=date(2026, 10, 20),
        end_date=date(2031, 10, 19),
        is_current=True,
    )
    today = timezone.localdate()
    session = Session.objects.create(
        term=term,
        number=2,
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=2),
        bill_deadline=timezone.make_aware(
            datetime.combine(today + timedelta(days=1), datetime.min.time())
        ),
    )
    township = world.township_congress
    Term.objects.create(
        congress=township,
        number=19,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    lead = make_mandate(congress, "丁一", user=personas.deputy)
    other = make_mandate(congress, "王二")
    cosigners = [make_mandate(congress, f"附议{n}") for n in range(10)]
    activity = deputy_services.activity_create(
        congress=congress,
        kind="research",
        title="农村公路养护调研",
        date=today - timedelta(days=10),
        participants=[lead],
        actor=None,
    )
    # 无调研不建议 counts an activity the deputy attended, not one they were invited to.
    deputy_services.attendance_set(
        activity=activity, mandate=lead, status="attended", actor=None
    )
    return PW(
        congress,
        township,
        term,
        session,
        lead,
        other,
        cosigners,
        make_mandate(township, "乡代表"),
        activity,
    )


def draft(pw, **extra):
    fields = {
        "lead": pw.lead,
        "title": "关于加强农村公路养护的建议",
        "problem": "部分村道坑洼严重",
        "analysis": "养护资金不足、责任不清",
        "proposals": "建立县乡村三级路长制",
        "research_activities": [pw.activity],
    }
    fields.update(extra)
    return services.suggestion_create(**{"actor": None, **fields})


def registered(pw, **extra):
    suggestion = draft(pw, **extra)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    return services.suggestion_register(suggestion=suggestion, actor=None)


def assigned(pw, world, units=None, **extra):
    suggestion = registered(pw, **extra)
    return services.suggestion_assign(
        suggestion=suggestion,
        units=units or [(world.unit, "lead"), (world.other_unit, "co")],
        actor=None,
    )


def replied(pw, world, personas, category="A", **extra):
    suggestion = assigned(pw, world, **extra)
    lead_assignment = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead_assignment,
        method="meeting",
        date=timezone.localdate(),
        summary="当面沟通",
        actor=None,
    )
    commitments = (
        [
            {
                "text": "年底前完成修补",
                "due_date": timezone.localdate() + timedelta(days=30),
            }
        ]
        if category in "BC"
        else []
    )
    services.assignment_reply(
        assignment=lead_assignment,
        category=category,
        text="已纳入计划",
        commitments=commitments,
        actor=None,
    )
    suggestion.refresh_from_db()
    return suggestion


def published(pw, world, personas, category="A", **extra):
    """Replied, then published by the staff's disclosure review (答复公开)."""
    suggestion = replied(pw, world, personas, category=category, **extra)
    return publish(suggestion)


def publish(suggestion, texts=None):
    """The staff's disclosure review of a public-interest reply."""
    if not suggestion.is_public:
        return suggestion
    return services.suggestion_review_disclosure(
        suggestion=suggestion, publish=True, texts=texts, actor=None
    )
