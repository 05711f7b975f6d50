"""Norwegian business days: weekdays that are not public holidays (helligdager)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    movable = (-3, -2, 0, 1, 39, 49, 50)  # Maundy Thursday .. Whit Monday
    fixed = (
        date(year, 1, 1),
        date(year, 5, 1),
        date(year, 5, 17),
        date(year, 12, 25),
        date(year, 12, 26),
    )
    return frozenset({*fixed, *(easter + timedelta(days=n) for n in movable)})


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_business_day(after: date) -> date:
    day = after + timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(start: date, days: int) -> date:
    day = start
    for _ in range(days):
        day = next_business_day(day)
    return day


def oslo_time(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=OSLO)
