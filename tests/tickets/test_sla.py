"""The SLA clock, as tables: a start in Athens time, a target, the due time in Athens time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tickets.sla import ATHENS, AroundTheClock, BusinessHours


def athens(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ATHENS)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


business = BusinessHours()


@pytest.mark.parametrize(
    ("case", "start", "target", "due"),
    [
        ("inside the day", athens(2025, 9, 1, 10), hours(2), athens(2025, 9, 1, 12)),
        ("before opening", athens(2025, 9, 1, 7), hours(1), athens(2025, 9, 1, 10)),
        ("ending exactly at closing", athens(2025, 9, 1, 9), hours(9), athens(2025, 9, 1, 18)),
        ("in the evening", athens(2025, 9, 1, 20), hours(1), athens(2025, 9, 2, 10)),
        ("just after midnight", athens(2025, 9, 2, 0, 30), hours(1), athens(2025, 9, 2, 10)),
        ("over the evening", athens(2025, 9, 1, 17), hours(3), athens(2025, 9, 2, 11)),
        ("over the weekend", athens(2025, 9, 5, 17), hours(3), athens(2025, 9, 8, 11)),
        ("on a Saturday", athens(2025, 9, 6, 12), hours(1), athens(2025, 9, 8, 10)),
        ("on a Sunday night", athens(2025, 9, 7, 23), hours(0.5), athens(2025, 9, 8, 9, 30)),
        ("a 48-hour promise", athens(2025, 9, 1, 9), hours(48), athens(2025, 9, 8, 12)),
        ("Ohi Day (Tuesday)", athens(2025, 10, 27, 17), hours(2), athens(2025, 10, 29, 10)),
        ("Christmas", athens(2025, 12, 24, 17), hours(2), athens(2025, 12, 29, 10)),
        ("New Year and Epiphany", athens(2025, 12, 31, 18), hours(9), athens(2026, 1, 2, 18)),
        ("Orthodox Easter 2023", athens(2023, 4, 13, 16), hours(4), athens(2023, 4, 18, 11)),
        ("Orthodox Easter 2024", athens(2024, 5, 2, 17), hours(2), athens(2024, 5, 8, 10)),
        ("Orthodox Easter 2025", athens(2025, 4, 17, 17), hours(2), athens(2025, 4, 22, 10)),
        ("Orthodox Easter 2026", athens(2026, 4, 9, 18), hours(1), athens(2026, 4, 14, 10)),
        ("Green Monday 2025", athens(2025, 2, 28, 18), hours(1), athens(2025, 3, 4, 10)),
        ("Whit Monday 2025", athens(2025, 6, 6, 17, 30), hours(1), athens(2025, 6, 10, 9, 30)),
        ("Whit Monday 2024", athens(2024, 6, 21, 18), hours(2), athens(2024, 6, 25, 11)),
        ("summer time begins", athens(2025, 3, 28, 17), hours(2), athens(2025, 3, 31, 10)),
        ("summer time ends", athens(2025, 10, 24, 17), hours(2), athens(2025, 10, 27, 10)),
    ],
)
def test_business_hours_due_time(case, start, target, due):
    assert business.due(start, target) == due, case


def test_due_time_is_the_same_instant_whatever_the_zone_of_the_start():
    start_utc = athens(2025, 9, 1, 20).astimezone(UTC)
    assert business.due(start_utc, hours(1)) == athens(2025, 9, 2, 10)


def test_a_due_time_across_the_spring_change_is_nine_real_hours_later_in_business_time():
    due = business.due(athens(2025, 3, 28, 9), hours(9))
    assert due == athens(2025, 3, 28, 18)
    # Monday after the change: the window is still 09:00-18:00 local, i.e. 06:00-15:00 UTC.
    monday = business.due(athens(2025, 3, 28, 18), hours(1))
    assert monday.astimezone(UTC) == datetime(2025, 3, 31, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "target", "due_utc"),
    [
        # Athens is UTC+2 until 04:00 on 30 March 2025, then UTC+3: four real hours.
        (athens(2025, 3, 29, 23), hours(4), datetime(2025, 3, 30, 1, tzinfo=UTC)),
        # On 26 October 2025 the clock goes back from 04:00 to 03:00.
        (athens(2025, 10, 26, 2), hours(3), datetime(2025, 10, 26, 2, tzinfo=UTC)),
        (athens(2025, 12, 31, 23), hours(1), datetime(2025, 12, 31, 22, tzinfo=UTC)),
    ],
)
def test_around_the_clock_counts_real_hours_across_daylight_saving(start, target, due_utc):
    assert AroundTheClock().due(start, target) == due_utc


def test_around_the_clock_shows_wall_clock_hours_an_hour_apart_over_the_spring_change():
    due = AroundTheClock().due(athens(2025, 3, 29, 23), hours(4))
    assert due.astimezone(ATHENS).hour == 4


@pytest.mark.parametrize("target_hours", [0.25, 1, 8.5, 9, 13, 48, 100, 500, 2_000])
@pytest.mark.parametrize(
    "start",
    [athens(2024, 4, 30, 15), athens(2025, 3, 28, 17, 45), athens(2025, 12, 20, 11)],
)
def test_business_time_between_start_and_due_is_the_target(start, target_hours):
    due = business.due(start, hours(target_hours))
    assert business.between(start, due) == hours(target_hours)


def test_a_very_long_target_spans_years_of_business_days():
    no_holidays = BusinessHours(is_public_holiday=lambda day: False)
    # 1,000 hours are 111 full days of nine hours and one hour more.
    due = no_holidays.due(athens(2025, 9, 1, 9), hours(1_000))
    assert due == athens(2026, 2, 3, 10)
    assert business.due(athens(2025, 9, 1, 9), hours(20_000)).year == 2034


def test_an_absurd_target_is_refused_rather_than_looping_forever():
    with pytest.raises(ValueError, match="too long"):
        business.due(athens(2025, 9, 1, 9), hours(10_000_000))


def test_time_left_is_negative_once_overdue_and_skips_closed_hours():
    due = athens(2025, 9, 5, 17)  # Friday
    assert business.between(athens(2025, 9, 5, 16), due) == hours(1)
    assert business.between(athens(2025, 9, 8, 10), due) == -hours(2)
    assert business.between(athens(2025, 9, 6, 10), due) == -hours(1)


def test_a_day_closed_by_a_supervisor_is_skipped():
    calendar = BusinessHours(closed_days=frozenset({date(2025, 9, 2)}))
    assert calendar.due(athens(2025, 9, 1, 17), hours(2)) == athens(2025, 9, 3, 10)


def test_a_holiday_opened_by_a_supervisor_counts():
    calendar = BusinessHours(open_days=frozenset({date(2025, 4, 21)}))
    assert calendar.due(athens(2025, 4, 17, 17), hours(2)) == athens(2025, 4, 21, 10)


def test_an_opened_saturday_counts_like_a_weekday():
    calendar = BusinessHours(open_days=frozenset({date(2025, 9, 6)}))
    assert calendar.due(athens(2025, 9, 5, 17), hours(2)) == athens(2025, 9, 6, 10)


def test_elapsed_opening_hours_give_the_same_durations_as_between():
    calendar = BusinessHours(closed_days=frozenset({date(2025, 10, 29)}))
    elapsed = calendar.elapsed(date(2025, 10, 20), date(2025, 11, 5))
    moments = [
        datetime(2025, 10, 20, 8, tzinfo=ATHENS) + timedelta(hours=7 * n, minutes=13 * n)
        for n in range(50)
    ]  # across the end of summer time (26 October) and Ochi Day (28 October)
    for start in moments[::7]:
        for end in moments:
            if end >= start:
                assert elapsed(end) - elapsed(start) == calendar.between(start, end)
