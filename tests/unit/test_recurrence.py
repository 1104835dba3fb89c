"""Next-occurrence tests: local wall time across DST, month-end handling, hourly exactness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.time.recurrence import localize, next_occurrence, validate_rule
from bot.time.zones import get_zone

BERLIN = get_zone("Europe/Berlin")
NEW_YORK = get_zone("America/New_York")
KOLKATA = get_zone("Asia/Kolkata")
MONDAY_9 = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"


def _series(rule: str, first: datetime, count: int, tz: object = BERLIN) -> list[datetime]:
    out: list[datetime] = []
    after = first - timedelta(seconds=1)
    for _ in range(count):
        found = next_occurrence(rule, first=first, after=after, tz=tz)  # type: ignore[arg-type]
        assert found is not None
        out.append(found)
        after = found
    return out


def test_weekly_monday_stays_at_nine_across_spring_forward() -> None:
    first = datetime(2027, 3, 15, 9, tzinfo=BERLIN)
    series = _series(MONDAY_9, first, 4)
    assert [d.date().isoformat() for d in series] == [
        "2027-03-15",
        "2027-03-22",
        "2027-03-29",
        "2027-04-05",
    ]
    assert all((d.hour, d.minute) == (9, 0) for d in series)
    assert [d.utcoffset() for d in series] == [timedelta(hours=h) for h in (1, 1, 2, 2)]


def test_weekly_monday_stays_at_nine_across_fall_back() -> None:
    series = _series(MONDAY_9, datetime(2026, 10, 19, 9, tzinfo=BERLIN), 3)
    assert [(d.day, d.hour, d.utcoffset()) for d in series] == [
        (19, 9, timedelta(hours=2)),
        (26, 9, timedelta(hours=1)),
        (2, 9, timedelta(hours=1)),
    ]


def test_new_york_weekly_keeps_wall_clock() -> None:
    rule = "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0;BYSECOND=0"
    series = _series(rule, datetime(2026, 10, 23, 17, tzinfo=NEW_YORK), 3, NEW_YORK)
    assert [(d.day, d.hour) for d in series] == [(23, 17), (30, 17), (6, 17)]


def test_every_two_hours_is_exact_elapsed_time_across_dst() -> None:
    first = datetime(2027, 3, 27, 23, tzinfo=BERLIN)
    series = _series("FREQ=HOURLY;INTERVAL=2", first, 4)
    gaps = {b.astimezone(UTC) - a.astimezone(UTC) for a, b in zip(series, series[1:], strict=False)}
    assert gaps == {timedelta(hours=2)}
    assert series[1] == datetime(2027, 3, 28, 1, tzinfo=BERLIN)
    assert series[2].isoformat() == "2027-03-28T04:00:00+02:00"


def test_every_two_hours_in_half_hour_zone() -> None:
    first = datetime(2026, 11, 23, 14, 30, tzinfo=KOLKATA)
    series = _series("FREQ=HOURLY;INTERVAL=2", first, 3, KOLKATA)
    assert [d.isoformat() for d in series] == [
        "2026-11-23T14:30:00+05:30",
        "2026-11-23T16:30:00+05:30",
        "2026-11-23T18:30:00+05:30",
    ]


def test_skipped_local_time_moves_forward_by_the_gap() -> None:
    rule = "FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0"
    series = _series(rule, datetime(2027, 3, 27, 2, 30, tzinfo=BERLIN), 3)
    assert [d.isoformat() for d in series] == [
        "2027-03-27T02:30:00+01:00",
        "2027-03-28T03:30:00+02:00",
        "2027-03-29T02:30:00+02:00",
    ]


def test_repeated_local_time_fires_once_at_its_first_occurrence() -> None:
    rule = "FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0"
    series = _series(rule, datetime(2026, 10, 24, 2, 30, tzinfo=BERLIN), 3)
    assert [d.isoformat() for d in series] == [
        "2026-10-24T02:30:00+02:00",
        "2026-10-25T02:30:00+02:00",
        "2026-10-26T02:30:00+01:00",
    ]
    assert series[1].fold == 0


def test_monthly_31st_rfc_rule_skips_short_months() -> None:
    """Plain BYMONTHDAY=31 follows RFC 5545: months without a 31st are skipped."""
    rule = "FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
    series = _series(rule, datetime(2027, 1, 31, 9, tzinfo=BERLIN), 3)
    assert [d.date().isoformat() for d in series] == ["2027-01-31", "2027-03-31", "2027-05-31"]


def test_monthly_31st_as_the_parser_writes_it_clamps_to_month_end() -> None:
    """The parser writes "every month on the 31st" as the last of days 28..31 in each month."""
    rule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
    series = _series(rule, datetime(2027, 1, 31, 9, tzinfo=BERLIN), 4)
    assert [d.date().isoformat() for d in series] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]
    leap = _series(rule, datetime(2028, 1, 31, 9, tzinfo=BERLIN), 2)
    assert leap[1].date().isoformat() == "2028-02-29"


def test_last_day_of_month() -> None:
    rule = "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
    series = _series(rule, datetime(2027, 1, 31, 9, tzinfo=BERLIN), 3)
    assert [d.day for d in series] == [31, 28, 31]


def test_first_monday_of_month() -> None:
    rule = "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
    series = _series(rule, datetime(2026, 12, 7, 9, tzinfo=BERLIN), 3)
    assert [d.date().isoformat() for d in series] == ["2026-12-07", "2027-01-04", "2027-02-01"]


def test_rule_without_time_uses_first_as_wall_clock() -> None:
    series = _series("FREQ=WEEKLY;INTERVAL=2", datetime(2027, 3, 20, 14, 5, tzinfo=BERLIN), 3)
    assert [(d.month, d.day, d.hour, d.minute) for d in series] == [
        (3, 20, 14, 5),
        (4, 3, 14, 5),
        (4, 17, 14, 5),
    ]


def test_series_end_returns_none() -> None:
    first = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    assert next_occurrence("FREQ=DAILY;COUNT=2", first=first, after=first, tz=BERLIN) is not None
    later = first + timedelta(days=1)
    assert next_occurrence("FREQ=DAILY;COUNT=2", first=first, after=later, tz=BERLIN) is None
    until = "FREQ=DAILY;UNTIL=20261125T080000Z"
    assert next_occurrence(until, first=first, after=later, tz=BERLIN) == first + timedelta(2)
    assert next_occurrence(until, first=first, after=first + timedelta(2), tz=BERLIN) is None


def test_after_is_strict_and_other_zones_are_converted() -> None:
    first = datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    assert next_occurrence(MONDAY_9, first=first, after=first, tz=BERLIN) == first + timedelta(7)
    utc_after = datetime(2026, 11, 30, 7, 59, tzinfo=UTC)
    found = next_occurrence(MONDAY_9, first=first, after=utc_after, tz=BERLIN)
    assert found == datetime(2026, 11, 30, 9, tzinfo=BERLIN)


def test_naive_values_are_taken_as_utc() -> None:
    first = datetime(2026, 11, 23, 8)  # 09:00 Berlin
    found = next_occurrence(MONDAY_9, first=first, after=first, tz=BERLIN)
    assert found == datetime(2026, 11, 30, 9, tzinfo=BERLIN)


def test_localize_gap_and_fold() -> None:
    gap = localize(datetime(2027, 3, 28, 2, 30), BERLIN)
    assert gap.isoformat() == "2027-03-28T03:30:00+02:00"
    repeated = localize(datetime(2026, 10, 25, 2, 30), BERLIN)
    assert repeated.isoformat() == "2026-10-25T02:30:00+02:00"


@pytest.mark.parametrize(
    "rule",
    [
        MONDAY_9,
        "FREQ=HOURLY",
        "FREQ=HOURLY;INTERVAL=3",
        "FREQ=MINUTELY;INTERVAL=90",
        "FREQ=DAILY;BYHOUR=9,18;BYMINUTE=0;BYSECOND=0",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
        "RRULE:FREQ=DAILY;COUNT=3",
    ],
)
def test_validate_accepts(rule: str) -> None:
    validate_rule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=SOMETIMES",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=MINUTELY;INTERVAL=30",
        "FREQ=SECONDLY",
        "FREQ=DAILY;BYMINUTE=0,30",
        "FREQ=HOURLY;BYMINUTE=0,15",
        "FREQ=DAILY;BYHOUR=9,10;BYMINUTE=0,30",
        "FREQ=WEEKLY;INTERVAL=zero",
        "nonsense",
    ],
)
def test_validate_rejects(rule: str) -> None:
    with pytest.raises(ValueError):
        validate_rule(rule)


def test_zone_change_does_not_skip_a_period() -> None:
    """Set "every monday 9am" in UTC, then move to Berlin: the next Monday is not skipped."""
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
    after = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    found = next_occurrence(rule, first=first, after=after, tz=berlin)
    assert found == datetime(2026, 11, 30, 9, 0, tzinfo=berlin)
