"""Station staff's to-dos carry their deadlines (issue 18: "every staff to-do
says 无期限"): an opinion awaiting triage is due within the rule's working days
of receipt, a replied one awaiting the visit by the opinion's own deadline."""

from django.utils import timezone

from portal.rules import rules_for
from portal.workdays import add_working_days
from stations import selectors, services
from stations.models import Opinion


def _opinion(sw):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="村口道路破损严重，雨天积水",
        actor=None,
    )


def _rules(sw):
    return rules_for(selectors.station_congress(sw.station))


def test_triage_todo_due_within_the_rules_working_days(sw):
    opinion = _opinion(sw)
    [item] = [
        i
        for i in selectors.station_todos(sw.station_staff)
        if i.kind == "stations.opinion_triage"
    ]
    received = timezone.localdate(opinion.created_at)
    days = _rules(sw).opinion_triage_working_days
    assert days == 3
    assert item.due_date == add_working_days(received, days)
    assert item.due_date > received


def test_visit_todo_due_by_the_opinions_deadline(sw):
    opinion = _opinion(sw)
    services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    services.opinion_reply(opinion=opinion, text="已修复路面", actor=None)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REPLIED
    [item] = [
        i
        for i in selectors.station_todos(sw.station_staff)
        if i.kind == "stations.opinion_visit"
    ]
    assert item.due_date == opinion.due_date is not None
