"""Working days in mainland China, including the official swapped workdays (调休).

Backed by the maintained ``holidays`` package; years it does not yet know fall
back to Monday–Friday.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _calendar(year: int):
    return holidays.China(years=[year])


def is_working_day(day: date) -> bool:
    cal = _calendar(day.year)
    if not any(d.year == day.year for d in cal):
        return day.weekday() < 5
    return cal.is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (1月31日 + 1 → 2月28/29日)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
