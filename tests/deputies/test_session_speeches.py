"""Deliberation speeches (审议发言, issue 16): meetings, speeches, adoption,
the speaking report."""

from datetime import date

import pytest

from deputies import services
from deputies import session_selectors as selectors
from deputies import session_services as ss
from deputies.models import Delegation, LedgerEntry
from portal.services import DomainError
from tests.deputies.session_helpers import make_session

pytestmark = pytest.mark.django_db

OPEN = date(2026, 11, 10)


@pytest.fixture
def setup(world, terms, deputies):
    term = terms["county_congress"]
    session = make_session(term, start=OPEN)
    east = Delegation.objects.create(
        congress=world.county_congress, term=term, name="东区代表团"
    )
    west = Delegation.objects.create(
        congress=world.county_congress, term=term, name="西区代表团"
    )
    for m in deputies.county[:3]:
        m.delegation = east
        m.save(update_fields=["delegation"])
    for m in [*deputies.county[3:], deputies.own]:
        m.delegation = west
        m.save(update_fields=["delegation"])
    meeting = ss.meeting_create(
        session=session,
        title="审议政府工作报告",
        date=OPEN,
        delegation=east,
        actor=None,
    )
    return session, meeting, east, west


def test_speech_earns_points_and_adoption_adds_more(setup, deputies):
    _session, meeting, _east, _west = setup
    speaker = deputies.county[0]
    speech = ss.speech_record(
        meeting=meeting, mandate=speaker, topic="农村公路", mode="prepared", actor=None
    )
    kinds = lambda: sorted(  # noqa: E731
        LedgerEntry.objects.filter(mandate=speaker).values_list("kind", "points")
    )
    assert kinds() == [("deliberation_speech", 2)]
    ss.speech_set_outcome(speech=speech, outcome="adopted", note="纳入", actor=None)
    assert kinds() == [("deliberation_speech", 2), ("speech_adopted", 2)]
    # Adopted → follow-up stays adopted: no second award.
    ss.speech_set_outcome(speech=speech, outcome="follow_up", actor=None)
    assert len(kinds()) == 2
    ss.speech_set_outcome(speech=speech, outcome="not_adopted", actor=None)
    assert kinds() == [("deliberation_speech", 2)]


def test_speaker_must_belong_to_the_delegation(setup, deputies):
    _session, meeting, _east, _west = setup
    with pytest.raises(DomainError) as exc:
        ss.speech_record(
            meeting=meeting, mandate=deputies.county[4], topic="x", mode="prepared",
            actor=None,
        )  # fmt: skip
    assert exc.value.message == "谭红不是东区代表团的成员。"


def test_meeting_date_within_the_session(setup):
    session, _meeting, east, _west = setup
    with pytest.raises(DomainError) as exc:
        ss.meeting_create(
            session=session,
            title="x",
            date=date(2026, 12, 30),
            delegation=east,
            actor=None,
        )
    assert exc.value.message == "审议会议日期应在会期内（2026-11-10至2026-11-13）。"


def test_linked_research_must_include_the_speaker(setup, deputies, world, personas):
    _session, meeting, _east, _west = setup
    activity = services.activity_create(
        congress=world.county_congress, kind="research", title="调研", date=date(2026, 11, 1),
        participants=[deputies.county[1]], actor=None,
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        ss.speech_record(
            meeting=meeting, mandate=deputies.county[0], topic="x", mode="impromptu",
            research_activity=activity, actor=None,
        )  # fmt: skip
    assert exc.value.message == "所选调研视察活动没有该代表参加。"
    speech = ss.speech_record(
        meeting=meeting, mandate=deputies.county[1], topic="x", mode="impromptu",
        research_activity=activity, opinion_refs="TH-ABCD-EFGH-12", actor=None,
    )  # fmt: skip
    assert speech.research_activity == activity


def test_speaking_report_rates_with_numerator_and_denominator(setup, deputies):
    session, meeting, _east, west = setup
    s1 = ss.speech_record(
        meeting=meeting,
        mandate=deputies.county[0],
        topic="a",
        mode="prepared",
        actor=None,
    )
    ss.speech_record(
        meeting=meeting,
        mandate=deputies.county[1],
        topic="b",
        mode="prepared",
        actor=None,
    )
    ss.speech_set_outcome(speech=s1, outcome="adopted", actor=None)
    report = selectors.speaking_report(session)
    bodies = {b["name"]: (b["numerator"], b["denominator"]) for b in report["bodies"]}
    assert bodies == {"东区代表团": (2, 3), "西区代表团": (0, 3)}
    assert (report["speaking"]["numerator"], report["speaking"]["denominator"]) == (
        2,
        6,
    )
    assert (report["adoption"]["numerator"], report["adoption"]["denominator"]) == (
        1,
        2,
    )
    silent = {m.person.name for m in report["silent_session"]}
    assert silent == {"李秀英", "欧阳明", "谭红", "张桂英"}
    assert {m.pk for m in report["silent_term"]} == {
        m.pk for m in report["silent_session"]
    }
