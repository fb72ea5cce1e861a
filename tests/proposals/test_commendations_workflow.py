"""Commendations (大激励): a campaign from draft to its public notice, the
nominations drawn from the data, the result written to the records, and the
提醒谈话/诫勉 of persistent 零履职 (issue 17)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from deputies.models import LedgerEntry
from deputies.services import ledger_record
from portal.services import DomainError, TransitionError
from proposals import services as p_services
from proposals.commendations import services
from proposals.commendations.models import (
    Campaign,
    CampaignEvent,
    Nomination,
    ZeroPerformanceStep,
)
from stations import services as st_services
from stations.models import Station, StationHonour
from tests.factories import make_mandate

from .conftest import replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def campaign(pw, kind="excellent_deputy", **extra):
    fields = {
        "congress": pw.congress,
        "year": TODAY.year,
        "kind": kind,
        "title": "2026年度优秀人大代表评选",
        "nomination_deadline": TODAY + timedelta(days=10),
        "actor": None,
    }
    fields.update(extra)
    return services.campaign_create(**fields)


def test_unknown_kind_is_refused(pw):
    with pytest.raises(DomainError, match="本级规则未设置该表彰类别"):
        campaign(pw, kind="best_everything")


def test_excellent_deputies_drawn_from_the_ledger_ranking(pw, personas):
    ledger_record(
        mandate=pw.other_deputy,
        kind="inspection",
        occurred_on=TODAY,
        key="t:1",
        actor=None,
    )
    ledger_record(
        mandate=pw.lead, kind="training", occurred_on=TODAY, key="t:2", actor=None
    )
    c = campaign(pw)
    with pytest.raises(TransitionError, match="只有推荐中的评选才能推荐人选"):
        services.campaign_draw_nominations(campaign=c, actor=None)
    c = services.campaign_open(campaign=c, actor=personas.county_staff)
    added = services.campaign_draw_nominations(campaign=c, actor=None)
    # Ranked by points (3 before 2); deputies with no points are not drawn.
    names = list(c.nominations.order_by("id").values_list("name", flat=True))
    assert added == 2 and names == ["王二", "丁一"]
    row = c.nominations.get(mandate=pw.other_deputy)
    assert row.source == "drawn" and "履职积分3分" in row.basis
    assert "排名第1位" in row.basis
    # Drawing again adds nobody twice.
    assert services.campaign_draw_nominations(campaign=c, actor=None) == 0


def test_full_campaign_writes_the_ledger_and_the_timeline(pw, personas):
    c = services.campaign_open(campaign=campaign(pw), actor=None)
    with pytest.raises(DomainError, match="人工推荐须填写推荐理由"):
        services.nomination_add(campaign=c, target=pw.lead, reason=" ", actor=None)
    n = services.nomination_add(
        campaign=c, target=pw.lead, reason="带头走访选民，建议质量高", actor=None
    )
    outsider = make_mandate(pw.township_congress, "外乡")
    with pytest.raises(DomainError, match="只能推荐本级人大"):
        services.nomination_add(campaign=c, target=outsider, reason="x", actor=None)
    with pytest.raises(TransitionError, match="评选不在审核阶段"):
        services.nomination_review(nomination=n, accept=True, actor=None)
    c = services.campaign_close_nominations(campaign=c, actor=None)
    with pytest.raises(TransitionError, match="没有审核通过的推荐对象"):
        services.campaign_approve(
            campaign=c,
            document_number="湘源人大常发〔2026〕8号",
            approved_on=TODAY,
            actor=None,
        )
    with pytest.raises(DomainError, match="不予通过须填写审核意见"):
        services.nomination_review(nomination=n, accept=False, actor=None)
    services.nomination_review(nomination=n, accept=True, actor=None)
    with pytest.raises(DomainError, match="文号格式"):
        services.campaign_approve(
            campaign=c, document_number="第8号", approved_on=TODAY, actor=None
        )
    c = services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕8号",
        approved_on=TODAY,
        actor=personas.county_staff,
    )
    assert c.status == Campaign.Status.APPROVED
    n.refresh_from_db()
    assert n.status == Nomination.Status.AWARDED
    entry = LedgerEntry.objects.get(mandate=pw.lead, kind="commended_deputy")
    assert entry.points == 10 and "湘源人大常发〔2026〕8号" in entry.note
    # Idempotent: approving again changes nothing, writes no second row.
    services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕8号",
        approved_on=TODAY,
        actor=None,
    )
    assert LedgerEntry.objects.filter(kind="commended_deputy").count() == 1
    with pytest.raises(TransitionError, match="已批准或已公布的评选不能撤销"):
        services.campaign_cancel(campaign=c, reason="x", actor=None)
    c = services.campaign_publish(campaign=c, actor=None)
    assert c.status == "published" and c.published_at
    states = list(
        CampaignEvent.objects.filter(campaign=c, nomination=None)
        .exclude(to_state="")
        .values_list("to_state", flat=True)
    )
    assert states == ["draft", "nominating", "reviewing", "approved", "published"]


def test_rated_suggestions_and_units_drawn(pw, world, personas):
    s = replied(pw, world, personas, category="A")
    p_services.suggestion_evaluate(
        suggestion=s,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    c = services.campaign_open(
        campaign=campaign(pw, kind="excellent_suggestion"), actor=None
    )
    assert services.campaign_draw_nominations(campaign=c, actor=None) == 1
    assert c.nominations.get().suggestion == s
    u = services.campaign_open(campaign=campaign(pw, kind="excellent_unit"), actor=None)
    # One item is below the ranking's minimum volume (rule ranking_min_volume 5).
    assert services.campaign_draw_nominations(campaign=u, actor=None) == 0
    services.nomination_add(
        campaign=u, target=world.unit, reason="办理认真，答复及时", actor=None
    )
    services.campaign_close_nominations(campaign=u, actor=None)
    services.nomination_review(nomination=u.nominations.get(), accept=True, actor=None)
    services.campaign_approve(
        campaign=u,
        document_number="湘源人大常发〔2026〕9号",
        approved_on=TODAY,
        actor=None,
    )
    assert u.nominations.get().status == "awarded"


def test_station_award_goes_on_the_station_page(pw, world):
    station = st_services.station_create(
        name="桃花乡代表联络站",
        code="TH01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    c = services.campaign_open(campaign=campaign(pw, kind="model_station"), actor=None)
    services.campaign_draw_nominations(campaign=c, actor=None)
    assert c.nominations.get().station == station
    services.campaign_close_nominations(campaign=c, actor=None)
    services.nomination_review(nomination=c.nominations.get(), accept=True, actor=None)
    services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕10号",
        approved_on=TODAY,
        actor=None,
    )
    honour = StationHonour.objects.get(station=station)
    assert honour.title == "示范代表联络站"
    assert honour.document_number == "湘源人大常发〔2026〕10号"


def test_zero_performance_talk_then_admonition(pw, world):
    zero = make_mandate(pw.congress, "零代表")
    year = TODAY.year
    fields = {
        "held_on": TODAY,
        "held_by": "县人大常委会代表工委主任",
        "notes": "了解未参加活动原因，提出履职要求",
        "actor": None,
    }
    talk = services.zero_step_record(mandate=zero, year=year, step="talk", **fields)
    # The same step again is the same row.
    assert (
        services.zero_step_record(mandate=zero, year=year, step="talk", **fields)
        == talk
    )
    # One year of 零履职 in this term is not yet "two years in a row".
    with pytest.raises(TransitionError, match="未达到2年"):
        services.zero_step_record(mandate=zero, year=year, step="admonition", **fields)
    ledger_record(
        mandate=zero, kind="training", occurred_on=TODAY, key="t:zero", actor=None
    )
    with pytest.raises(TransitionError, match="连续零履职0年"):
        services.zero_step_record(mandate=zero, year=year, step="talk", **fields)
    assert ZeroPerformanceStep.objects.count() == 1


def test_admonition_needs_a_talk_first(pw, world):
    zero = make_mandate(pw.congress, "零代表")
    later = zero.term.start_date.year + 2
    fields = {"held_on": TODAY, "held_by": "主任", "notes": "谈话", "actor": None}
    with pytest.raises(TransitionError, match="诫勉谈话前应当先进行提醒谈话"):
        services.zero_step_record(mandate=zero, year=later, step="admonition", **fields)
    services.zero_step_record(mandate=zero, year=later - 1, step="talk", **fields)
    step = services.zero_step_record(
        mandate=zero, year=later, step="admonition", **fields
    )
    assert step.get_step_display() == "诫勉谈话"


def test_zero_years_counts_back_to_the_term(pw):
    zero = make_mandate(pw.congress, "零代表")
    term_start = zero.term.start_date.year
    assert services.zero_years(zero, term_start + 2) == 3
    assert services.zero_years(zero, date(term_start, 1, 1).year) == 1


def test_deadline_reminder_and_report_section(pw, personas, world):
    from portal.reports.model import ReportScope
    from portal.reports.periods import year_period
    from proposals.commendations.reminders import campaign_deadlines
    from proposals.commendations.reports import build

    c = services.campaign_open(
        campaign=campaign(pw, nomination_deadline=TODAY + timedelta(days=2)),
        actor=None,
    )
    sent = list(campaign_deadlines(TODAY))
    assert [r.recipient for r in sent] == [personas.county_staff]
    assert "2天后截止" in sent[0].title
    assert list(campaign_deadlines(TODAY - timedelta(days=5))) == []
    n = services.nomination_add(campaign=c, target=pw.lead, reason="好", actor=None)
    services.nomination_add(
        campaign=c, target=pw.other_deputy, reason="较好", actor=None
    )
    services.campaign_close_nominations(campaign=c, actor=None)
    services.nomination_review(nomination=n, accept=True, actor=None)
    services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕8号",
        approved_on=TODAY,
        actor=None,
    )
    section = build(
        ReportScope(
            congress=world.county_congress, period=year_period(TODAY.year), today=TODAY
        )
    )
    rate = section.metric("award_rate")
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert section.metric("campaigns").value == 1
