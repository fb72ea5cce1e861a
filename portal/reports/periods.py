"""Report periods: a calendar year, a session (from its opening to the day before
the next session opens) or a date range. Every section counts the events whose
date falls within ``[start, end]`` (both days included, Asia/Shanghai time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

YEAR = "year"
SESSION = "session"
RANGE = "range"

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_RANGE_DAYS = 366 * 10


class PeriodError(ValueError):
    """The requested period is not valid; ``message`` says why, in words for staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str
    label: str
    session_id: int | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start 00:00, day after end 00:00) in the current time zone,
        so timestamp filters use their index."""
        tz = timezone.get_current_timezone()
        since = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        until = timezone.make_aware(
            datetime.combine(self.end + timedelta(days=1), time.min), tz
        )
        return since, until

    @property
    def dates(self) -> tuple[date, date]:
        return self.start, self.end

    @property
    def years(self) -> tuple[int, int]:
        return self.start.year, self.end.year

    @property
    def span_label(self) -> str:
        return _("%(start)s至%(end)s") % {
            "start": _fmt(self.start),
            "end": _fmt(self.end),
        }

    def as_params(self) -> dict[str, str]:
        """Query parameters that select this period again."""
        if self.kind == YEAR:
            return {"year": str(self.start.year)}
        if self.kind == SESSION and self.session_id:
            return {"session": str(self.session_id)}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _fmt(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def year_period(year: int) -> Period:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("年度应在%(min)s至%(max)s之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return Period(
        date(year, 1, 1), date(year, 12, 31), YEAR, _("%(year)s年度") % {"year": year}
    )


def range_period(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(_("结束日期不能早于开始日期。"))
    if (end - start).days > MAX_RANGE_DAYS:
        raise PeriodError(_("统计期间不能超过十年。"))
    label = _("%(start)s至%(end)s") % {"start": _fmt(start), "end": _fmt(end)}
    return Period(start, end, RANGE, label)


def session_period(session, today: date) -> Period:
    """From the session's opening day to the day before the next session of the
    same congress opens; up to today (or the session's closing day) if none has."""
    from portal.models import Session

    following = (
        Session.objects.filter(
            term__congress_id=session.term.congress_id,
            start_date__gt=session.start_date,
        )
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    end = following - timedelta(days=1) if following else max(session.end_date, today)
    label = _("%(session)s以来（%(start)s至%(end)s）") % {
        "session": session,
        "start": _fmt(session.start_date),
        "end": _fmt(end),
    }
    return Period(session.start_date, end, SESSION, label, session_id=session.pk)


def _parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise PeriodError(
            _("%(what)s格式不正确，应为“2026-03-10”。") % {"what": what}
        ) from exc


def parse_period(
    params: Mapping[str, str], *, congress, today: date | None = None
) -> Period:
    """The period named by ``params``: ``session`` (an id of a session of
    ``congress``), or ``start`` and ``end``, or ``year``; the current year by default."""
    from portal.models import Session

    today = today or timezone.localdate()
    session_id = (params.get("session") or "").strip()
    start, end = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    year = (params.get("year") or "").strip()
    if session_id:
        if not session_id.isdigit():
            raise PeriodError(_("请选择会议。"))
        session = (
            Session.objects.select_related("term__congress")
            .filter(pk=int(session_id), term__congress=congress)
            .first()
        )
        if session is None:
            raise PeriodError(
                _("所选会议不属于%(congress)s。") % {"congress": congress.name}
            )
        return session_period(session, today)
    if start or end:
        if not (start and end):
            raise PeriodError(_("请同时填写开始日期和结束日期。"))
        return range_period(
            _parse_date(start, _("开始日期")), _parse_date(end, _("结束日期"))
        )
    if year:
        if not year.isdigit():
            raise PeriodError(_("年度应为四位数字。"))
        return year_period(int(year))
    return year_period(today.year)
