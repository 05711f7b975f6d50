"""Business days: weekdays that are public holidays in none of the countries involved.

Public holidays come from the maintained `holidays` package (its Norwegian calendar has every
helligdag, Easter-dependent ones included), so a remittance's arrival estimate can also skip the
receiving country's holidays: Serbian Orthodox Christmas, Polish Epiphany, Eid in Pakistan and
Turkey. Norway alone is the default (payouts, the complaint deadline)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")
NORWAY = "NO"


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_business_day(day: date, countries: Iterable[str] = (NORWAY,)) -> bool:
    return day.weekday() < 5 and not any(
        day in public_holidays(country, day.year) for country in countries
    )


def next_business_day(after: date, countries: Iterable[str] = (NORWAY,)) -> date:
    countries = tuple(countries)
    day = after + timedelta(days=1)
    while not is_business_day(day, countries):
        day += timedelta(days=1)
    return day


def add_business_days(start: date, days: int, countries: Iterable[str] = (NORWAY,)) -> date:
    countries = tuple(countries)
    day = start
    for _ in range(days):
        day = next_business_day(day, countries)
    return day


def oslo_time(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=OSLO)
