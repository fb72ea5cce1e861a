"""Terms end when the next term's first session opens (代表法: 代表的任期到下届本级
人民代表大会举行第一次会议为止), by a daily beat job; and death ends a mandate."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from deputies import services, tasks
from deputies.choices import TerminationGround
from deputies.forms import TerminateForm
from deputies.models import Constituency, Mandate, QualificationEvent
from portal.models import Session, Term
from portal.services import DomainError
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

OLD_START = date(2021, 10, 20)  # 第十八届; its end_date (start + 5 years) is 2026-10-20
FIRST_SESSION = date(2026, 11, 10)  # 第十九届第一次会议


def old_mandate(congress, term, name, card):
    person = services.person_create(name=name, gender="male", actor=None)
    constituency, _ = Constituency.objects.get_or_create(
        congress=congress, name="第一选区"
    )
    return services.mandate_create(
        person=person,
        congress=congress,
        term=term,
        card_number=card,
        constituency=constituency,
        actor=None,
    )


@pytest.fixture
def old_term(world, terms):
    return Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=OLD_START,
        end_date=date(2026, 10, 20),
    )


@pytest.fixture
def first_session(terms, world):
    return Session.objects.create(
        term=terms["county_congress"],
        number=1,
        start_date=FIRST_SESSION,
        end_date=date(2026, 11, 13),
    )


def test_mandates_run_until_the_next_terms_first_session(world, terms, old_term):
    running = old_mandate(world.county_congress, old_term, "王一", "18-001")
    Session.objects.create(
        term=terms["county_congress"],
        number=1,
        start_date=FIRST_SESSION,
        end_date=date(2026, 11, 13),
    )
    # Five years after the start the old term's deputies are still deputies.
    assert services.mandates_expire_due(today=date(2026, 10, 25), actor=None) == 0
    running.refresh_from_db()
    assert running.status == Mandate.Status.ACTIVE
    assert services.mandates_expire_due(today=date(2026, 11, 9), actor=None) == 0


def test_the_first_session_expires_the_old_terms_mandates_only(
    world, terms, old_term, first_session
):
    active = old_mandate(world.county_congress, old_term, "王一", "18-001")
    suspended = old_mandate(world.county_congress, old_term, "李二", "18-002")
    services.mandate_suspend(
        mandate=suspended, ground="detained", on=date(2025, 3, 1), actor=None
    )
    resigned = old_mandate(world.county_congress, old_term, "张三", "18-003")
    services.mandate_terminate(
        mandate=resigned,
        ground="resigned",
        on=date(2025, 5, 1),
        document_number="湘源县人大常委会公告〔2025〕第3号",
        actor=None,
    )
    # Re-elected for the 19th term, and a new deputy.
    reelected = services.mandate_create(
        person=active.person,
        congress=world.county_congress,
        term=terms["county_congress"],
        card_number="19-001",
        constituency=active.constituency,
        actor=None,
    )
    new = make_mandate(world.county_congress, "陈四")
    # Another county whose new term has not met yet.
    other_old_term = Term.objects.create(
        congress=world.other_county_congress,
        number=18,
        start_date=OLD_START,
        end_date=date(2026, 10, 20),
    )
    other = old_mandate(world.other_county_congress, other_old_term, "赵五", "Y-1")

    assert services.mandates_expire_due(today=FIRST_SESSION, actor=None) == 2

    for mandate in (active, suspended):
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.EXPIRED
        assert mandate.ended_on == FIRST_SESSION
        event = mandate.events.get(kind=QualificationEvent.Kind.EXPIRE)
        assert (event.ground, event.date) == ("term_end", FIRST_SESSION)
    assert suspended.events.get(kind="expire").from_state == "suspended"
    for mandate, status in (
        (resigned, Mandate.Status.TERMINATED),
        (reelected, Mandate.Status.ACTIVE),
        (new, Mandate.Status.ACTIVE),
        (other, Mandate.Status.ACTIVE),
    ):
        mandate.refresh_from_db()
        assert mandate.status == status
    with pytest.raises(DomainError, match="王一的代表任期已届满，不能提交议案建议"):
        services.ensure_mandate_can(active, "submit")
    services.ensure_mandate_can(reelected, "submit")

    # Idempotent: a second run (the next day, or a redelivered task) does nothing.
    assert services.mandates_expire_due(today=date(2026, 11, 11), actor=None) == 0
    assert QualificationEvent.objects.filter(kind="expire").count() == 2


def test_the_daily_task_runs_the_service(world, terms, old_term, first_session):
    mandate = old_mandate(world.county_congress, old_term, "王一", "18-001")
    assert tasks.expire_mandates_of_new_terms("2026-11-09") == 0
    assert tasks.expire_mandates_of_new_terms("2026-11-10") == 1
    assert tasks.expire_mandates_of_new_terms("2026-11-10") == 0
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.EXPIRED


def test_the_task_is_scheduled_once_a_day():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "deputies.tasks.expire_mandates_of_new_terms"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule.hour == {0} and schedule.minute == {30}


# --- death (代表法第五十条 and death) ------------------------------------------------------


def test_all_legal_grounds_of_termination_and_death_are_offered():
    assert set(TerminationGround.labels) == {
        "迁出或者调离本行政区域",
        "辞职被接受",
        "未经批准两次不出席本级人民代表大会会议",
        "被罢免",
        "丧失中华人民共和国国籍",
        "依照法律被剥夺政治权利",
        "丧失行为能力",
        "死亡",
    }
    assert ("died", "死亡") in [
        (value, str(label)) for value, label in TerminateForm().fields["ground"].choices
    ]


def test_death_terminates_the_mandate(client, personas, deputies):
    mandate = deputies.county[0]
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("deputies:terminate", args=[mandate.pk]),
        {
            "ground": "died",
            "on": "2026-12-01",
            "document_number": "湘源县人大常委会公告〔2026〕第9号",
        },
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.TERMINATED
    assert mandate.ended_on == date(2026, 12, 1)
    event = mandate.events.get()
    assert (event.ground, event.get_ground_display()) == ("died", "死亡")
    assert (
        "死亡"
        in client.get(reverse("deputies:detail", args=[mandate.pk])).content.decode()
    )
