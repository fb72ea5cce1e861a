"""Legislative consultation (基层立法联系点, issue 17): a province draft through
chosen stations, comments from receptions, deputies and the public, their
adoption, the summary and the feedback reported back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import Notification
from portal.services import DomainError, TransitionError
from stations import consultation_services as services
from stations import services as st_services
from stations.consultation_models import DraftEvent
from stations.incentive_selectors import public_draft

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def make_draft(sw, world, **extra):
    fields = {
        "congress": world.province_congress,
        "title": "湖南省乡村振兴促进条例（草案）",
        "text": "第一条 为了促进乡村振兴，制定本条例。\n第二条 ……",
        "closes_on": TODAY + timedelta(days=30),
        "stations": [sw.station],
        "actor": None,
    }
    fields.update(extra)
    return services.draft_create(**fields)


def test_only_province_and_city_congresses(sw, world):
    with pytest.raises(DomainError, match="只有省、设区的市"):
        make_draft(sw, world, congress=world.county_congress)


def test_comment_period_at_least_the_rule(sw, world):
    draft = make_draft(sw, world, closes_on=TODAY + timedelta(days=10))
    with pytest.raises(DomainError, match="征求意见期限不得少于30日"):
        services.draft_open(draft=draft, actor=None)


def test_the_whole_loop(sw, world, personas, django_capture_on_commit_callbacks):
    draft = make_draft(sw, world)
    with pytest.raises(TransitionError, match="不在征求意见期间"):
        services.comment_add(
            draft=draft, station=sw.station, source="public", content="建议", actor=None
        )
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_open(draft=draft, actor=personas.province_staff)
    assert draft.status == "open" and draft.opens_on == TODAY
    assert Notification.objects.filter(
        recipient=sw.station_staff, kind="consultation.opened"
    ).exists()
    assert services.draft_open(draft=draft, actor=None).status == "open"
    with pytest.raises(DomainError, match="不是本草案的征求意见点"):
        services.comment_add(
            draft=draft,
            station=sw.other_station,
            source="public",
            content="意见",
            actor=None,
        )
    reception = st_services.reception_create(
        station=sw.station, date=TODAY, mode="reception_day", deputies=[], actor=None
    )
    a = services.comment_add(
        draft=draft,
        station=sw.station,
        source="reception",
        reception=reception,
        article="第二条",
        content="建议明确村集体经济组织的权利。",
        actor=sw.station_staff,
    )
    with pytest.raises(DomainError, match="请选择提出意见的代表"):
        services.comment_add(
            draft=draft, station=sw.station, source="deputy", content="x", actor=None
        )
    b = services.comment_add(
        draft=draft,
        station=sw.station,
        source="deputy",
        mandate=sw.members[0],
        content="建议增加人才返乡的扶持措施。",
        actor=sw.station_staff,
    )
    with pytest.raises(TransitionError, match="征求意见结束后"):
        services.comment_decide(comment=a, adoption="adopted", actor=None)
    draft = services.draft_close(draft=draft, actor=None)
    with pytest.raises(TransitionError, match="还有2条意见未研究"):
        services.draft_summarise(draft=draft, summary="共2条", actor=None)
    services.comment_decide(
        comment=a, adoption="adopted", note="已修改第二条", actor=None
    )
    services.comment_decide(comment=b, adoption="not_adopted", actor=None)
    with pytest.raises(TransitionError, match="意见汇总后才能反馈"):
        services.draft_publish_feedback(draft=draft, feedback="x", actor=None)
    draft = services.draft_summarise(draft=draft, summary="共收到2条意见", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_publish_feedback(
            draft=draft, feedback="采纳1条，未采纳1条。", actor=None
        )
    assert draft.status == "feedback" and draft.feedback_published_at
    assert Notification.objects.filter(
        recipient=sw.station_staff, kind="consultation.feedback"
    ).exists()
    shown = public_draft(draft)
    assert [c["content"] for c in shown["adopted"]] == [
        "建议明确村集体经济组织的权利。"
    ]
    states = list(
        DraftEvent.objects.filter(draft=draft)
        .exclude(to_state="")
        .values_list("to_state", flat=True)
    )
    assert states == ["draft", "open", "closed", "summarised", "feedback"]


def test_closing_reminder_to_the_stations(sw, world):
    from stations.incentive_reminders import consultation_closing

    draft = make_draft(sw, world, closes_on=TODAY + timedelta(days=32))
    services.draft_open(draft=draft, actor=None, today=TODAY)
    assert list(consultation_closing(TODAY)) == []
    later = TODAY + timedelta(days=30)
    sent = list(consultation_closing(later))
    assert [r.recipient for r in sent] == [sw.station_staff]
    assert "2天后截止" in sent[0].title


def test_report_section_rates(sw, world):
    from portal.reports.model import ReportScope
    from portal.reports.periods import range_period
    from stations.incentive_reports import consultation

    draft = services.draft_open(draft=make_draft(sw, world), actor=None)
    for text in ("意见一", "意见二"):
        services.comment_add(
            draft=draft, station=sw.station, source="public", content=text, actor=None
        )
    services.draft_close(draft=draft, actor=None)
    first, second = draft.comments.order_by("id")
    services.comment_decide(comment=first, adoption="adopted", actor=None)
    services.comment_decide(comment=second, adoption="not_adopted", actor=None)
    section = consultation(
        ReportScope(
            congress=world.county_congress,
            period=range_period(TODAY, TODAY + timedelta(days=60)),
            today=TODAY,
        )
    )
    adoption = section.metric("adoption")
    assert (adoption.numerator, adoption.denominator) == (1, 2)
    assert section.metric("drafts").value == 1
