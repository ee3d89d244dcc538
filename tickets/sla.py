"""The SLA clock: when a response is due, and how much calendar time is left.

Pure: no database, no settings, no "now". A calendar is built from data (the opening
hours, the public holidays, the days a supervisor closed or opened) and answers two
questions: `due(start, target)` and `between(start, end)`.

Arithmetic is done on aware datetimes converted to UTC, because Python subtracts two
datetimes that share a tzinfo by their wall clocks, which is an hour off across a
daylight-saving change.
"""

from bisect import bisect_right
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

ATHENS = ZoneInfo("Europe/Athens")

# A safety net for a policy typed with absurd values: about thirty years of business days.
_MAX_DAYS = 11_000


class Calendar(Protocol):
    def due(self, start: datetime, target: timedelta) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> timedelta: ...


class AroundTheClock:
    """Every second counts: critical incidents."""

    def due(self, start: datetime, target: timedelta) -> datetime:
        return start.astimezone(UTC) + target

    def between(self, start: datetime, end: datetime) -> timedelta:
        return end.astimezone(UTC) - start.astimezone(UTC)


def greek_public_holiday(day: date) -> bool:
    return day in _GREEK_HOLIDAYS


# The holidays package computes Orthodox Easter, Whit Monday and the fixed days for any year
# it is asked about, and caches the years it has seen.
_GREEK_HOLIDAYS = holidays.country_holidays("GR")


@dataclass(frozen=True)
class BusinessHours:
    """Open `opens`-`closes` local time on `workdays` (Monday is 0), closed on public
    holidays; `closed_days` and `open_days` are a supervisor's exceptions, which win."""

    tz: ZoneInfo = ATHENS
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    is_public_holiday: Callable[[date], bool] = greek_public_holiday
    closed_days: Collection[date] = field(default_factory=frozenset)
    open_days: Collection[date] = field(default_factory=frozenset)

    def is_open_on(self, day: date) -> bool:
        if day in self.open_days:
            return True
        if day in self.closed_days:
            return False
        return day.weekday() in self.workdays and not self.is_public_holiday(day)

    def _window(self, day: date) -> tuple[datetime, datetime]:
        opens = datetime.combine(day, self.opens, tzinfo=self.tz).astimezone(UTC)
        closes = datetime.combine(day, self.closes, tzinfo=self.tz).astimezone(UTC)
        return opens, closes

    def due(self, start: datetime, target: timedelta) -> datetime:
        """The moment `target` of opening hours have passed since `start`.

        A target that runs out exactly at closing time is due at closing time, not at the
        next opening: that is what a customer reads as "within 9 hours".
        """
        cursor = start.astimezone(UTC)
        left = target
        day = cursor.astimezone(self.tz).date()
        for _ in range(_MAX_DAYS):
            if self.is_open_on(day):
                opens, closes = self._window(day)
                begin = max(cursor, opens)
                if begin < closes:
                    if left <= closes - begin:
                        return begin + left
                    left -= closes - begin
            day += timedelta(days=1)
        raise ValueError("target too long for the business calendar")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Opening hours from `start` to `end`; negative when `end` comes first."""
        if end < start:
            return -self.between(end, start)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta()
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            if self.is_open_on(day):
                opens, closes = self._window(day)
                begin, finish = max(start, opens), min(end, closes)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total

    def elapsed(self, first: date, last: date) -> Callable[[datetime], timedelta]:
        """Opening hours from the start of `first` to a moment up to the end of `last`: for
        many `between` over the same days, each in two binary searches."""
        opens, closes, before = [], [], [timedelta()]
        day = first
        while day <= last:
            if self.is_open_on(day):
                window = self._window(day)
                opens.append(window[0])
                closes.append(window[1])
                before.append(before[-1] + window[1] - window[0])
            day += timedelta(days=1)

        def at(moment: datetime) -> timedelta:
            index = bisect_right(opens, moment) - 1
            if index < 0:
                return timedelta()
            return before[index] + min(moment, closes[index]) - opens[index]

        return at
