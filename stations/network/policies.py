"""Who may do what with assessments, governance activities, mediations and
社情民意 reports (issue 17). What a user sees at all is the querysets'
``visible_to`` (out of scope is a 404 before a policy is asked).

Levels (DESIGN.md §11): a station's assessment is filled in by the station's
staff or its own congress's staff and approved by the congress above the
station; a 社情民意 report is answered or forwarded by the staff of the
congress it was sent to, never by another congress's."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.policies import Policy, scope_for

from ..models import MediationCase, SocialReport, StationAssessment

AS = StationAssessment.Status
SR = SocialReport.Status


def _fills_in(scope, a: StationAssessment) -> bool:
    return a.station_id in scope.station_ids or scope.acts_for(
        a.congress_id, a.region_path
    )


class AssessmentPolicy(Policy):
    checks = {
        "edit": lambda scope, user, a: (
            _fills_in(scope, a) and a.status in (AS.DRAFT, AS.REFUSED)
        ),
        "submit": lambda scope, user, a: (
            _fills_in(scope, a) and a.status in (AS.DRAFT, AS.REFUSED)
        ),
        "decide": lambda scope, user, a: (
            scope.acts_for(a.assessor_id, a.region_path) and a.status == AS.SUBMITTED
        ),
    }
    reasons = {
        "edit": _("只有本站工作人员或本级人大工作人员可以填报考评。"),
        "submit": _("只有本站工作人员或本级人大工作人员可以报送考评。"),
        "decide": _("考评由联络站的上级人大常委会审定。"),
    }


def may_open_assessment(user: Any, station, own_congress_id: int | None) -> bool:
    scope = scope_for(user)
    return station.pk in scope.station_ids or scope.acts_for(
        own_congress_id, station.region_path
    )


def _mediates(scope, case: MediationCase) -> bool:
    """The station's staff and its own congress's staff (a congress above reads
    and supervises; it does not mediate for the station)."""
    return case.station_id in scope.station_ids or scope.acts_for(
        case.opinion.congress_id, case.region_path
    )


class MediationPolicy(Policy):
    checks = {
        "close": lambda scope, user, c: (
            _mediates(scope, c) and c.status == MediationCase.Status.OPEN
        ),
    }
    reasons = {"close": _("只有本站工作人员或本级人大工作人员可以办理调解。")}


def _sender(scope, user, r: SocialReport) -> bool:
    if r.station_id is not None:
        return r.station_id in scope.station_ids
    return r.author is not None and r.author.person.user_id == user.pk


class SocialReportPolicy(Policy):
    checks = {
        "submit": lambda scope, user, r: (
            _sender(scope, user, r) and r.status == SR.DRAFT
        ),
        "answer": lambda scope, user, r: (
            scope.acts_for(r.congress_id, r.region_path)
            and r.status in (SR.SUBMITTED, SR.FORWARDED)
        ),
        "forward": lambda scope, user, r: (
            scope.acts_for(r.congress_id, r.region_path) and r.status == SR.SUBMITTED
        ),
    }
    reasons = {
        "submit": _("只有报送的联络站工作人员或代表本人可以报送。"),
        "answer": _("社情民意由接收的人大常委会办公室答复。"),
        "forward": _("社情民意由接收的人大常委会办公室转送。"),
    }


def works_with_networks(user: Any) -> bool:
    """Station staff, congress staff, leaders and admins."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.station_ids or scope.governed_paths)


def sends_social_reports(user: Any) -> bool:
    """Station staff and deputies send 社情民意 up; congress staff receive them."""
    scope = scope_for(user)
    return works_with_networks(user) or scope.is_deputy
