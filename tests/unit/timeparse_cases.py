"""Corpus for the reminder time parser: phrase, now, zone -> first firing / rule / message.

Expected values are worked out by hand from the rules in docs/time-phrases.md. The default `now`
is Monday 2026-11-23 14:00 in Europe/Berlin (CET, +01:00). Handy calendar: Tue 24, Wed 25,
Thu 26, Fri 27, Sat 28, Sun 29, Mon 30 Nov; Mon 7 Dec 2026. Berlin DST: 2026-10-25 and
2027-10-31 fall back (03:00 CEST -> 02:00 CET), 2027-03-28 springs forward (02:00 -> 03:00).
"""

from __future__ import annotations

from dataclasses import dataclass

NOW = "2026-11-23T14:00"
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
LORD_HOWE = "Australia/Lord_Howe"


@dataclass(frozen=True)
class Case:
    phrase: str
    now: str  # local wall time in `tz` (or with an explicit offset)
    tz: str
    at: str | None = None  # ISO with offset: both the instant and the zone offset are checked
    reason: str | None = None
    rule: str | None = None
    message: str = ""


CASES: list[Case] = []


def ok(
    phrase: str,
    at: str,
    message: str = "",
    rule: str | None = None,
    *,
    now: str = NOW,
    tz: str = BERLIN,
) -> None:
    CASES.append(Case(phrase, now, tz, at=at, rule=rule, message=message))


def err(phrase: str, reason: str, *, now: str = NOW, tz: str = BERLIN) -> None:
    CASES.append(Case(phrase, now, tz, reason=reason))


def same(
    phrases: list[str],
    at: str,
    message: str = "",
    rule: str | None = None,
    *,
    now: str = NOW,
    tz: str = BERLIN,
) -> None:
    for phrase in phrases:
        ok(phrase, at, message, rule, now=now, tz=tz)


def fails(phrases: list[str], reason: str, *, now: str = NOW, tz: str = BERLIN) -> None:
    for phrase in phrases:
        err(phrase, reason, now=now, tz=tz)


def weekly(days: str, hour: int, minute: int = 0, interval: int = 1) -> str:
    every = f";INTERVAL={interval}" if interval != 1 else ""
    return f"FREQ=WEEKLY{every};BYDAY={days};BYHOUR={hour};BYMINUTE={minute};BYSECOND=0"


def at_time(hour: int, minute: int = 0) -> str:
    return f"BYHOUR={hour};BYMINUTE={minute};BYSECOND=0"


# ------------------------------------------------ bare clock times: next occurrence
same(
    ["at 5pm", "5pm", "at 17:00", "17:00", "5 pm", "5PM", "5 p.m.", "@ 5pm", "by 5pm"],
    "2026-11-23T17:00+01:00",
)
same(["at 9am", "9am", "9:00am", "at 09:00", "9 a.m."], "2026-11-24T09:00+01:00")
ok("9:30am", "2026-11-24T09:30+01:00")
ok("at 13:59", "2026-11-24T13:59+01:00")
ok("at 14:00", "2026-11-24T14:00+01:00")  # exactly now is not "after now"
ok("at 14:01", "2026-11-23T14:01+01:00")
ok("at 2pm", "2026-11-24T14:00+01:00")
ok("at 14:30:15", "2026-11-23T14:30:15+01:00")
ok("at 9.30pm", "2026-11-23T21:30+01:00")
ok("12am", "2026-11-24T00:00+01:00")
ok("12:30am", "2026-11-24T00:30+01:00")
ok("12pm", "2026-11-24T12:00+01:00")
ok("at 16", "2026-11-23T16:00+01:00")
ok("at 23", "2026-11-23T23:00+01:00")
ok("at 13", "2026-11-24T13:00+01:00")
ok("at 0", "2026-11-24T00:00+01:00")
ok("at 5pm call mom", "2026-11-23T17:00+01:00", "call mom")
ok("call mom at 5pm", "2026-11-23T17:00+01:00", "call mom")

# ------------------------------------------------ named times
same(["noon", "at noon", "midday"], "2026-11-24T12:00+01:00")
same(["midnight", "at midnight"], "2026-11-24T00:00+01:00")
same(["eod", "end of day", "by eod", "by end of the day"], "2026-11-23T17:00+01:00")
same(["tonight"], "2026-11-23T21:00+01:00")
same(["morning", "in the morning"], "2026-11-24T09:00+01:00")
ok("afternoon", "2026-11-23T15:00+01:00")
ok("this evening", "2026-11-23T18:00+01:00")
same(["tonight at 11", "tonight at 11pm", "tonight 23:00"], "2026-11-23T23:00+01:00")
ok("tomorrow evening at 7", "2026-11-24T19:00+01:00")
ok("tomorrow morning at 8", "2026-11-24T08:00+01:00")
ok("tomorrow morning", "2026-11-24T09:00+01:00")
ok("tomorrow night", "2026-11-24T21:00+01:00")
ok("tomorrow at noon", "2026-11-24T12:00+01:00")
ok("tomorrow midnight", "2026-11-25T00:00+01:00")
ok("friday eod", "2026-11-27T17:00+01:00")
ok("eod", "2026-11-24T17:00+01:00", now="2026-11-23T18:00")
err("tonight", "past", now="2026-11-23T22:00")
err("this morning", "past")

# ------------------------------------------------ today / tomorrow
same(["tomorrow", "tmrw", "tmr", "Tomorrow", "tomorrow!", "  tomorrow  "], "2026-11-24T09:00+01:00")
same(
    ["tomorrow at 9am", "tomorrow 9am", "9am tomorrow", "tomorrow at 09:00"],
    "2026-11-24T09:00+01:00",
)
ok("tomorrow at 9am submit the form", "2026-11-24T09:00+01:00", "submit the form")
ok("day after tomorrow", "2026-11-25T09:00+01:00")
ok("the day after tomorrow at 3pm", "2026-11-25T15:00+01:00")
ok("today at 5pm", "2026-11-23T17:00+01:00")
ok("today at 14:30", "2026-11-23T14:30+01:00")
ok("5pm today", "2026-11-23T17:00+01:00")
fails(["today at 9am", "today", "9am today", "today at 14:00"], "past")
fails(["yesterday", "yesterday at 5pm"], "past")

# ------------------------------------------------ weekdays: strictly after today
same(
    [
        "friday",
        "this friday",
        "next friday",
        "on friday",
        "fri",
        "Friday.",
        "FRIDAY",
        "coming friday",
    ],
    "2026-11-27T09:00+01:00",
)
same(["monday", "next monday", "this monday", "on monday", "mon"], "2026-11-30T09:00+01:00")
same(["tuesday", "tue", "tues"], "2026-11-24T09:00+01:00")
same(["wednesday", "wed"], "2026-11-25T09:00+01:00")
same(["thursday", "thu", "thurs"], "2026-11-26T09:00+01:00")
same(["saturday", "sat"], "2026-11-28T09:00+01:00")
same(["sunday", "sun"], "2026-11-29T09:00+01:00")
ok("sunday at 18:00", "2026-11-29T18:00+01:00")
same(
    ["friday 5pm", "friday at 5pm", "on friday at 5pm", "5pm friday", "next friday at 17:00"],
    "2026-11-27T17:00+01:00",
)
ok("next friday 5pm demo", "2026-11-27T17:00+01:00", "demo")
ok("remind me to call mom on friday at 5pm", "2026-11-27T17:00+01:00", "call mom")
ok("on wed at 10am", "2026-11-25T10:00+01:00")
ok("monday at noon", "2026-11-30T12:00+01:00")
ok("thurs 9:15", "2026-11-26T09:15+01:00")
ok("friday", "2026-12-04T09:00+01:00", now="2026-11-27T08:00")
ok("friday at 5pm", "2026-12-04T17:00+01:00", now="2026-11-27T08:00")
ok("saturday", "2026-11-28T09:00+01:00", now="2026-11-27T08:00")
fails(["last friday", "past monday"], "past")

# ------------------------------------------------ month-name dates
same(
    [
        "28 nov",
        "nov 28",
        "28th of november",
        "november 28",
        "on 28 nov",
        "on the 28th of nov",
        "Nov. 28",
        "28 November",
    ],
    "2026-11-28T09:00+01:00",
)
ok("november 28th 2027", "2027-11-28T09:00+01:00")
ok("nov 28, 2027", "2027-11-28T09:00+01:00")
ok("on 28 nov at 3pm", "2026-11-28T15:00+01:00")
ok("23 nov", "2027-11-23T09:00+01:00")  # today's 09:00 is gone: next year
ok("nov 23 at 3pm", "2026-11-23T15:00+01:00")
ok("22 nov", "2027-11-22T09:00+01:00")
same(["1 jan", "jan 1st", "january 1", "1st of january"], "2027-01-01T09:00+01:00")
ok("december 25", "2026-12-25T09:00+01:00")
ok("25 dec at 18:30 open presents", "2026-12-25T18:30+01:00", "open presents")
ok("1 july", "2027-07-01T09:00+02:00")
ok("29 feb", "2028-02-29T09:00+01:00")
fails(["31 feb", "30 feb", "feb 29 2027", "32 dec", "31 april", "april 31"], "invalid")
fails(["1 jan 2026", "nov 22 2026", "march 3 2025"], "past")
err("1 march 2032", "too_far")

# ------------------------------------------------ ordinal day of the month
same(["on the 31st", "the 31st"], "2026-12-31T09:00+01:00")
ok("on the 30th", "2026-11-30T09:00+01:00")
ok("the 23rd", "2026-12-23T09:00+01:00")
ok("on the 23rd at 3pm", "2026-11-23T15:00+01:00")
ok("on the 1st", "2026-12-01T09:00+01:00")
ok("the 15th at 10am", "2026-12-15T10:00+01:00")
ok("on the 31st", "2027-03-31T09:00+02:00", now="2027-02-10T12:00")
ok("on the 30th", "2027-03-30T09:00+02:00", now="2027-02-10T12:00")
ok("on the 29th", "2028-02-29T09:00+01:00", now="2028-02-10T12:00")
fails(["on the 32nd", "the 0th"], "invalid")

# ------------------------------------------------ numeric dates
ok("2026-12-01", "2026-12-01T09:00+01:00")
ok("2026-12-01 09:00", "2026-12-01T09:00+01:00")
ok("2026-12-01 at 18:45", "2026-12-01T18:45+01:00")
ok("2026/12/01", "2026-12-01T09:00+01:00")
same(
    ["25/12", "12/25", "12/25/2026", "25/12/2026", "25-12-2026", "12/25/26"],
    "2026-12-25T09:00+01:00",
)
ok("06/06/2027", "2027-06-06T09:00+02:00")
same(["13/01/2027", "01/13/2027", "2027/01/13", "2027-01-13"], "2027-01-13T09:00+01:00")
ok("12.05.2027", "2027-05-12T09:00+02:00")  # dotted dates are day-first
ok("05.06.2027", "2027-06-05T09:00+02:00")
ok("24.12.", "2026-12-24T09:00+01:00")
ok("24.12.2026 at 18:00", "2026-12-24T18:00+01:00")
fails(["05/06/2027", "5/6", "1/2/27", "03/04"], "ambiguous")
fails(["13/13/2027", "31/04/2027", "2027-02-29", "2027-13-01", "2027-00-10"], "invalid")
fails(["2020-01-01", "2026-11-23 13:00", "2026-11-23", "01/01/2026"], "past")
ok("2026-11-23 15:00", "2026-11-23T15:00+01:00")
ok("2031-11-23 13:00", "2031-11-23T13:00+01:00")
fails(["2031-11-23 15:00", "2099-01-01", "9999-12-31"], "too_far")

# ------------------------------------------------ durations
same(
    [
        "in 5 days",
        "5 days",
        "in five days",
        "5d",
        "in 5d",
        "5 days from now",
        "after 5 days",
        "In 5 Days.",
        "  IN   5   DAYS  ",
    ],
    "2026-11-28T14:00+01:00",
)
ok("in 5 days check the thread", "2026-11-28T14:00+01:00", "check the thread")
ok("check the thread in 5 days", "2026-11-28T14:00+01:00", "check the thread")
ok("in 1 day 2 hours", "2026-11-24T16:00+01:00")
same(
    ["in 1 week and 3 days", "in 1 week 3 days", "in 1w3d", "in 1 week, 3 days"],
    "2026-12-03T14:00+01:00",
)
same(["in 2 weeks", "2 weeks", "in a fortnight", "2w"], "2026-12-07T14:00+01:00")
same(
    [
        "2h30m",
        "in 2h 30m",
        "in 2 hours and 30 minutes",
        "2.5 hours",
        "in 150 minutes",
        "2 hours 30 mins",
    ],
    "2026-11-23T16:30+01:00",
)
same(["1d", "in 1 day", "in a day", "one day", "in one day", "24 hours"], "2026-11-24T14:00+01:00")
same(["72hr", "72 hours", "in 72 hrs", "in 3 days"], "2026-11-26T14:00+01:00")
same(["1yr", "in 1 year", "in a year", "next year", "1 y"], "2027-11-23T14:00+01:00")
same(["5mins", "5 min", "in 5 minutes", "5m", "five minutes"], "2026-11-23T14:05+01:00")
same(["1 wk", "in a week", "next week", "in 7 days", "1 week"], "2026-11-30T14:00+01:00")
same(["an hour", "in an hour", "1h", "in 60 minutes", "1 hr"], "2026-11-23T15:00+01:00")
same(["half an hour", "in half an hour", "30 min", "in 30 mins", "0.5h"], "2026-11-23T14:30+01:00")
same(["in 90 minutes", "in 1.5 hours", "an hour and a half", "1h30m"], "2026-11-23T15:30+01:00")
ok("in 45 secs", "2026-11-23T14:00:45+01:00")
ok("in 10 seconds", "2026-11-23T14:00:10+01:00")
ok("in a couple of hours", "2026-11-23T16:00+01:00")
same(["in 1 month", "next month", "1 mo", "a month"], "2026-12-23T14:00+01:00")
ok("in 3 months", "2027-02-23T14:00+01:00")
ok("in 2 days at 9am", "2026-11-25T09:00+01:00")
ok("at 8pm in 3 days", "2026-11-26T20:00+01:00")
ok("in 2 weeks and 2 days at 10am", "2026-12-09T10:00+01:00")
ok("next month at 10am", "2026-12-23T10:00+01:00")
# months clamp to the month's end; calendar units keep the wall-clock time across DST
ok("in 1 month", "2027-02-28T10:00+01:00", now="2027-01-31T10:00")
ok("in 2 months", "2027-03-31T10:00+02:00", now="2027-01-31T10:00")
ok("in 1 month", "2028-02-29T10:00+01:00", now="2028-01-31T10:00")
ok("in 1 year", "2029-02-28T10:00+01:00", now="2028-02-29T10:00")
ok("in 1 month 1 day", "2027-03-01T10:00+01:00", now="2027-01-31T10:00")
# limits
ok("in 5 years", "2031-11-23T14:00+01:00")
ok("in 1826 days", "2031-11-23T14:00+01:00")
fails(
    [
        "in 1827 days",
        "in 5 years 1 day",
        "in 6 years",
        "in 10 years",
        "in 9999 years",
        "in 100000 days",
        "in 99999999999999 years",
        "in 99999999999999999999999 seconds",
        "99999999999 weeks",
        "in 70000 hours",
    ],
    "too_far",
)
fails(
    ["in -5 days", "-5 days", "in 0 days", "in 0 minutes", "in 1.5 days", "in 0.5 weeks"], "invalid"
)
fails(["5 days ago", "2 hours ago", "a week ago"], "past")
err("in 3 hours at 5pm", "invalid")

# ------------------------------------------------ DST: Europe/Berlin spring forward
SPRING = "2027-03-27T14:00"  # Saturday before the 02:00 -> 03:00 jump
same(
    ["tomorrow at 2:30", "tomorrow at 2:30am", "tomorrow 02:30"],
    "2027-03-28T03:30+02:00",
    now=SPRING,
)
ok("tomorrow at 3:00", "2027-03-28T03:00+02:00", now=SPRING)
ok("tomorrow at 1:59", "2027-03-28T01:59+01:00", now=SPRING)
ok("in 1 day", "2027-03-28T14:00+02:00", now=SPRING)
ok("in 24 hours", "2027-03-28T15:00+02:00", now=SPRING)
ok("in 1 week", "2027-04-03T14:00+02:00", now=SPRING)
ok("2027-03-28 02:30", "2027-03-28T03:30+02:00", now=SPRING)
ok("at 2:30", "2027-03-28T03:30+02:00", now="2027-03-28T01:00")
ok("in 1 hour", "2027-03-28T03:30+02:00", now="2027-03-28T01:30")
ok("in 30 minutes", "2027-03-28T03:00+02:00", now="2027-03-28T01:30")
ok("every day at 2:30am", "2027-03-28T03:30+02:00", rule="FREQ=DAILY;" + at_time(2, 30), now=SPRING)
ok("every monday at 9am", "2027-03-29T09:00+02:00", rule=weekly("MO", 9), now="2027-03-22T12:00")

# ------------------------------------------------ DST: Europe/Berlin fall back
FALL = "2026-10-24T14:00+02:00"
ok("tomorrow at 2:30", "2026-10-25T02:30+02:00", now=FALL)  # first of the two 02:30s
ok("tomorrow at 3am", "2026-10-25T03:00+01:00", now=FALL)
ok("in 1 day", "2026-10-25T14:00+01:00", now=FALL)
ok("in 24 hours", "2026-10-25T13:00+01:00", now=FALL)
SECOND_230 = "2026-10-25T02:30+01:00"  # the repeated hour, second time round
ok("in 5 minutes", "2026-10-25T02:35+01:00", now=SECOND_230)
ok("at 2:45", "2026-10-26T02:45+01:00", now=SECOND_230)
ok("at 3am", "2026-10-25T03:00+01:00", now=SECOND_230)
ok("in 1 hour", "2026-10-25T03:30+01:00", now=SECOND_230)
ok("at 2:45", "2026-10-25T02:45+02:00", now="2026-10-25T02:30+02:00")
ok("tomorrow at 2:30", "2027-10-31T02:30+02:00", now="2027-10-30T14:00+02:00")
ok("in 1 day", "2027-10-31T14:00+01:00", now="2027-10-30T14:00+02:00")
ok("2027-10-31 02:30", "2027-10-31T02:30+02:00")

# ------------------------------------------------ DST: America/New_York
ok("tomorrow at 2:30am", "2027-03-14T03:30-04:00", now="2027-03-13T12:00", tz=NEW_YORK)
ok("in 1 day", "2027-03-14T12:00-04:00", now="2027-03-13T12:00", tz=NEW_YORK)
ok("in 24 hours", "2027-03-14T13:00-04:00", now="2027-03-13T12:00", tz=NEW_YORK)
ok("tomorrow at 1:30am", "2026-11-01T01:30-04:00", now="2026-10-31T12:00", tz=NEW_YORK)
ok("in 1 day", "2026-11-01T12:00-05:00", now="2026-10-31T12:00", tz=NEW_YORK)
ok("in 24 hours", "2026-11-01T11:00-05:00", now="2026-10-31T12:00", tz=NEW_YORK)
ok("5pm", "2026-11-23T17:00-05:00", now="2026-11-23T09:00", tz=NEW_YORK)
ok("friday at 5pm", "2026-11-27T17:00-05:00", now="2026-11-23T09:00", tz=NEW_YORK)
ok(
    "every weekday at 9:30",
    "2026-11-23T09:30-05:00",
    rule=weekly("MO,TU,WE,TH,FR", 9, 30),
    now="2026-11-23T09:00",
    tz=NEW_YORK,
)

# ------------------------------------------------ half-hour zones
ok("in 2 hours", "2026-11-23T16:00+05:30", now=NOW, tz=KOLKATA)
ok("tomorrow 9am", "2026-11-24T09:00+05:30", now=NOW, tz=KOLKATA)
ok("at 19:00", "2026-11-23T19:00+05:30", now=NOW, tz=KOLKATA)
ok("9pm UTC", "2026-11-23T21:00+00:00", now=NOW, tz=KOLKATA)
ok("9pm IST", "2026-11-23T21:00+05:30", now=NOW, tz=KOLKATA)
ok("every 2 hours", "2026-11-23T16:00+05:30", rule="FREQ=HOURLY;INTERVAL=2", now=NOW, tz=KOLKATA)
ok("tomorrow at 2:15", "2026-10-04T02:45+11:00", now="2026-10-03T14:00", tz=LORD_HOWE)
ok("in 1 day", "2026-10-04T14:00+11:00", now="2026-10-03T14:00", tz=LORD_HOWE)
ok("in 24 hours", "2026-10-04T14:30+11:00", now="2026-10-03T14:00", tz=LORD_HOWE)

# ------------------------------------------------ explicit zones and offsets win
ok("9pm UTC", "2026-11-23T21:00+00:00")
ok("at 9am UTC", "2026-11-24T09:00+00:00")  # 09:00 UTC already passed (now is 13:00 UTC)
ok("9pm PST", "2026-11-23T21:00-08:00")
ok("9pm EST", "2026-11-23T21:00-05:00")
ok("9am JST", "2026-11-24T09:00+09:00")  # it is already 22:00 in Tokyo
ok("tomorrow 9am PST", "2026-11-24T09:00-08:00")
ok("9pm GMT", "2026-11-23T21:00+00:00")
ok("9pm UTC+2", "2026-11-23T21:00+02:00")
ok("9pm GMT-5", "2026-11-23T21:00-05:00")
ok("at 21:00 +05:30", "2026-11-23T21:00+05:30")
ok("9pm Europe/London", "2026-11-23T21:00+00:00")
ok("9pm america/new_york", "2026-11-23T21:00-05:00")
ok("2026-12-01T09:00:00+02:00", "2026-12-01T09:00+02:00")
ok("2026-12-01T09:00:00Z", "2026-12-01T09:00+00:00")
ok("2026-12-01T09:00+0530 deploy", "2026-12-01T09:00+05:30", "deploy")
ok("2026-12-01 09:00 UTC", "2026-12-01T09:00+00:00")
ok("dec 1 09:00 +0530", "2026-12-01T09:00+05:30")
err("9pm Mars/Olympus", "invalid")
err("every monday 9pm PST", "invalid")

# ------------------------------------------------ repeats
ok("every weekday at 9:30", "2026-11-24T09:30+01:00", rule=weekly("MO,TU,WE,TH,FR", 9, 30))
same(
    [
        "every monday",
        "every monday 9am",
        "every monday at 9:00",
        "every mon",
        "on mondays",
        "each monday",
        "every week on monday",
        "RemindMeRepeat! every monday",
    ],
    "2026-11-30T09:00+01:00",
    rule=weekly("MO", 9),
)
ok("every monday at 3pm", "2026-11-23T15:00+01:00", rule=weekly("MO", 15))
ok("every mon and thu at 18:00", "2026-11-23T18:00+01:00", rule=weekly("MO,TH", 18))
ok(
    "every monday, wednesday and friday at 7:15am",
    "2026-11-25T07:15+01:00",
    rule=weekly("MO,WE,FR", 7, 15),
)
ok("every weekend at 10am", "2026-11-28T10:00+01:00", rule=weekly("SA,SU", 10))
same(
    ["every 2 weeks", "every fortnight", "fortnightly"],
    "2026-12-07T14:00+01:00",
    rule="FREQ=WEEKLY;INTERVAL=2",
)
same(
    ["every other wednesday", "every second wednesday"],
    "2026-11-25T09:00+01:00",
    rule=weekly("WE", 9, interval=2),
)
ok("every day at 2:30am", "2026-11-24T02:30+01:00", rule="FREQ=DAILY;" + at_time(2, 30))
same(["daily", "every day"], "2026-11-24T14:00+01:00", rule="FREQ=DAILY")
ok("daily at 9am", "2026-11-24T09:00+01:00", rule="FREQ=DAILY;" + at_time(9))
ok("every 2 days at 9am", "2026-11-24T09:00+01:00", rule="FREQ=DAILY;INTERVAL=2;" + at_time(9))
ok("every 3 days", "2026-11-26T14:00+01:00", rule="FREQ=DAILY;INTERVAL=3")
same(["weekly", "every week"], "2026-11-30T14:00+01:00", rule="FREQ=WEEKLY")
same(["monthly", "every month"], "2026-12-23T14:00+01:00", rule="FREQ=MONTHLY")
same(["yearly", "every year", "annually"], "2027-11-23T14:00+01:00", rule="FREQ=YEARLY")
same(
    ["every hour", "hourly", "every 60 minutes", "every 1 hour"],
    "2026-11-23T15:00+01:00",
    rule="FREQ=HOURLY",
)
ok("every 3 hours", "2026-11-23T17:00+01:00", rule="FREQ=HOURLY;INTERVAL=3")
ok("every 90 minutes", "2026-11-23T15:30+01:00", rule="FREQ=MINUTELY;INTERVAL=90")
same(
    [
        "every month on the 1st",
        "monthly on the 1st",
        "every 1st of the month",
        "the 1st of every month",
    ],
    "2026-12-01T09:00+01:00",
    rule="FREQ=MONTHLY;BYMONTHDAY=1;" + at_time(9),
)
same(
    ["monthly on the 15th at 10am", "every 15th at 10am"],
    "2026-12-15T10:00+01:00",
    rule="FREQ=MONTHLY;BYMONTHDAY=15;" + at_time(10),
)
ok(
    "every month on the 31st",
    "2026-11-30T09:00+01:00",
    rule="FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;" + at_time(9),
)
ok(
    "every last day of the month",
    "2026-11-30T09:00+01:00",
    rule="FREQ=MONTHLY;BYMONTHDAY=-1;" + at_time(9),
)
ok(
    "every 2 months on the 1st",
    "2027-01-01T09:00+01:00",
    rule="FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1;" + at_time(9),
)
same(
    [
        "every first monday of the month",
        "every month on the first monday",
        "on the 1st monday of every month",
    ],
    "2026-12-07T09:00+01:00",
    rule="FREQ=MONTHLY;BYDAY=1MO;" + at_time(9),
)
ok(
    "on the last friday of every month",
    "2026-11-27T09:00+01:00",
    rule="FREQ=MONTHLY;BYDAY=-1FR;" + at_time(9),
)
same(
    ["every year on 1 march", "every march 1st", "yearly on march 1", "every 1st of march"],
    "2027-03-01T09:00+01:00",
    rule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;" + at_time(9),
)
ok("RemindMeRepeat! 1 week", "2026-11-30T14:00+01:00", rule="FREQ=WEEKLY")
ok("!remindmerepeat 2 days", "2026-11-25T14:00+01:00", rule="FREQ=DAILY;INTERVAL=2")
ok("every monday 9am standup", "2026-11-30T09:00+01:00", "standup", weekly("MO", 9))
ok(
    "standup every weekday at 9:30",
    "2026-11-24T09:30+01:00",
    "standup",
    weekly("MO,TU,WE,TH,FR", 9, 30),
)
ok(
    'RemindMeRepeat! every monday "water the plants"',
    "2026-11-30T09:00+01:00",
    "water the plants",
    weekly("MO", 9),
)
fails(
    [
        "every 30 minutes",
        "every minute",
        "every 59 minutes",
        "every 10 seconds",
        "every half an hour",
        "every 0.5 hours",
        "every 0 days",
        "every 0 weeks",
        "RemindMeRepeat! tomorrow",
        "RemindMeRepeat! in 1 day 2 hours",
        "every 1.5 days",
    ],
    "invalid",
)
fails(["every 10 years", "every 6 years"], "too_far")

# ------------------------------------------------ vague, gibberish, bare numbers
fails(
    [
        "soon",
        "later",
        "a few minutes",
        "some time",
        "sometime",
        "in a few days",
        "in a bit",
        "remind me later",
        "check the report later",
        "shortly",
        "in a while",
        "several hours",
        "eventually",
    ],
    "ambiguous",
)
fails(["at 5", "at 12", "tomorrow at 9", "on mondays at 9"], "ambiguous")
fails(
    [
        "asdf qwer",
        "",
        "   ",
        "remind me to call mom",
        "hello world",
        "in 5",
        "buy 5 apples",
        "!!!",
        "RemindMe!",
        "5",
        "42",
        "  7  ",
        "at 25:00",
        "at 24:00",
        "at 12:60",
        "13pm",
        "0am",
        "tomorrow friday",
        "tomorrow at 9am at 10am",
        "every",
        "1.5",
    ],
    "invalid",
)

# ------------------------------------------------ messages
ok('RemindMe! 2 weeks "check the thread"', "2026-12-07T14:00+01:00", "check the thread")
ok("\u201cCall Bob!\u201d tomorrow", "2026-11-24T09:00+01:00", "Call Bob!")
ok("[standup notes] tomorrow 9:15", "2026-11-24T09:15+01:00", "standup notes")
ok('remind me "in 5 days" in 2 hours', "2026-11-23T16:00+01:00", "in 5 days")
ok('"tomorrow at 9am" friday', "2026-11-27T09:00+01:00", "tomorrow at 9am")
ok("in 5 days: check the thread", "2026-11-28T14:00+01:00", "check the thread")
ok("remind me tomorrow to water the plants", "2026-11-24T09:00+01:00", "water the plants")
ok("remind me about the meeting in 2 hours", "2026-11-23T16:00+01:00", "the meeting")
ok("remind me that the build is done at 6pm", "2026-11-23T18:00+01:00", "the build is done")
ok("remind me in 2 days to \u201cCall Bob!\u201d", "2026-11-25T14:00+01:00", "Call Bob!")
ok("me in 3 days to ping @alice", "2026-11-26T14:00+01:00", "ping @alice")
ok("RemindMe!   1 day   review PR #42, please.", "2026-11-24T14:00+01:00", "review PR #42, please.")
ok("RemindMe! 1 day", "2026-11-24T14:00+01:00")
ok("!remindme 3 days", "2026-11-26T14:00+01:00")
ok("!remindme in 3 days: rotate the keys", "2026-11-26T14:00+01:00", "rotate the keys")
ok("Call Mom ON FRIDAY AT 5PM!!", "2026-11-27T17:00+01:00", "Call Mom")
ok("ping <@123> \U0001f389 in 10 minutes", "2026-11-23T14:10+01:00", "ping <@123> \U0001f389")
ok("Tomorrow At 9AM Submit The Form.", "2026-11-24T09:00+01:00", "Submit The Form.")
ok("call mom   tomorrow!!!", "2026-11-24T09:00+01:00", "call mom")
ok("have a day off tomorrow", "2026-11-24T09:00+01:00", "have a day off")
ok("prepare the 2 weeks report on friday", "2026-11-27T09:00+01:00", "prepare the 2 weeks report")
ok("Friday at 17:00 \u2014 ship it", "2026-11-27T17:00+01:00", "ship it")
ok(
    "remind me to Email \u00c9milie about the caf\u00e9 on friday",
    "2026-11-27T09:00+01:00",
    "Email \u00c9milie about the caf\u00e9",
)
ok("to do: file taxes in 2 weeks", "2026-12-07T14:00+01:00", "do: file taxes")
ok("the 1st draft review tomorrow", "2026-11-24T09:00+01:00", "the 1st draft review")
ok("in 5 days check the thread?", "2026-11-28T14:00+01:00", "check the thread?")
ok("tomorrow at 9am!!!", "2026-11-24T09:00+01:00")
ok("friday?", "2026-11-27T09:00+01:00")

# ------------------------------------------------ a time at the start wins
ok(
    "in 1 hour ask bob about the meeting tomorrow",
    "2026-11-23T15:00+01:00",
    "ask bob about the meeting tomorrow",
)
ok("in 2 days buy 2 tickets for friday", "2026-11-25T14:00+01:00", "buy 2 tickets for friday")
ok("tomorrow at 9am prep for the 1:1 at 10", "2026-11-24T09:00+01:00", "prep for the 1:1 at 10")
ok("every friday at 4pm weekly demo", "2026-11-27T16:00+01:00", "weekly demo", weekly("FR", 16))
ok("tomorrow at 9am daily standup notes", "2026-11-24T09:00+01:00", "daily standup notes")
ok("remind me in 2 hours to book friday's room", "2026-11-23T16:00+01:00", "book friday's room")
ok("friday 5pm review the 2 weeks plan", "2026-11-27T17:00+01:00", "review the 2 weeks plan")

# ------------------------------------------------ a day at the start, its clock time at the end
ok("tomorrow call mom at 5pm", "2026-11-24T17:00+01:00", "call mom")
ok("friday call mom at 5pm", "2026-11-27T17:00+01:00", "call mom")
ok("on 12 dec call mom at 17:00", "2026-12-12T17:00+01:00", "call mom")
ok("tomorrow call mom, at 5pm!", "2026-11-24T17:00+01:00", "call mom")
ok("tomorrow call mom at 1730", "2026-11-24T17:30+01:00", "call mom")
ok("tomorrow stand-up 9:30", "2026-11-24T09:30+01:00", "stand-up")
err("tomorrow call mom at 5", "ambiguous")  # asks, like `tomorrow at 5`
# not combined: a deadline, a duration, a clock at the start, an impossible time, a repeat
ok("on friday submit the form by 17:00", "2026-11-27T09:00+01:00", "submit the form by 17:00")
ok("in 2 days call mom at 5pm", "2026-11-25T14:00+01:00", "call mom at 5pm")
ok("tomorrow call mom at 25:00", "2026-11-24T09:00+01:00", "call mom at 25:00")
ok(
    "every monday call mom at 5pm",
    "2026-11-30T09:00+01:00",
    "call mom at 5pm",
    "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
)

# ------------------------------------------------ compact clock times after "at"
same(["at 930", "at 0930", "at 9.30", "@930", "at 930am"], "2026-11-24T09:30+01:00")
ok("at 1730", "2026-11-23T17:30+01:00")
ok("at 930pm", "2026-11-23T21:30+01:00")
ok("at 1730 call mom", "2026-11-23T17:30+01:00", "call mom")
ok("tomorrow at 1015", "2026-11-24T10:15+01:00")
ok("call mom at 1730", "2026-11-23T17:30+01:00", "call mom")
ok("call mom at 1730.", "2026-11-23T17:30+01:00", "call mom")
ok("at 930. coffee with ann", "2026-11-24T09:30+01:00", "coffee with ann")
fails(["at 2400", "at 1260", "at 1330pm"], "invalid")

# ------------------------------------------------ end of the week/month/quarter/year
same(
    [
        "eom",
        "EOM",
        "end of month",
        "end of the month",
        "by end of month",
        "by the end of the month",
    ],
    "2026-11-30T17:00+01:00",
)
same(["eoy", "end of year", "end of the year", "by eoy"], "2026-12-31T17:00+01:00")
same(["eow", "end of week", "end of the week"], "2026-11-27T17:00+01:00")
same(["eoq", "end of quarter", "end of the quarter"], "2026-12-31T17:00+01:00")
ok("eom at 10am", "2026-11-30T10:00+01:00")
ok("eom", "2026-12-31T17:00+01:00", now="2026-11-30T18:00")
ok("eow", "2026-12-04T17:00+01:00", now="2026-11-27T18:00")
ok("eoq", "2027-03-31T17:00+02:00", now="2027-01-10T12:00")
ok("eod send the report", "2026-11-23T17:00+01:00", "send the report")
ok("submit the timesheet eom", "2026-11-30T17:00+01:00", "submit the timesheet")

# ------------------------------------------------ a date joined to a time by a hyphen
same(
    [
        "2026-12-01-10:00",
        "2026-12-01-10am",
        "2026-12-01 - 10:00",
        "1 dec-10am",
        "dec 1-10:00",
    ],
    "2026-12-01T10:00+01:00",
)
ok("01.12.2026-10:00", "2026-12-01T10:00+01:00")
ok("13/12/2026-10:00", "2026-12-13T10:00+01:00")
ok("25/12-18:30 open presents", "2026-12-25T18:30+01:00", "open presents")

# ------------------------------------------------ written dates with weekday and year
same(
    [
        "Friday, 4 December 2026 at 10am",
        "Fri, Dec 4, 2026, 10:00 AM",
        "friday 4 december 2026 10am",
        "4 December 2026, Friday at 10am",
        "on Friday, December 4th, 2026 at 10:00",
    ],
    "2026-12-04T10:00+01:00",
)
ok("Friday, 4 December 2026 at 10am team offsite", "2026-12-04T10:00+01:00", "team offsite")
ok("Friday, 4 December", "2026-12-04T09:00+01:00")
fails(["Thursday, 4 December 2026 at 10am", "Sat, Dec 4, 2026"], "invalid")

# ------------------------------------------------ numeric day-month: its next occurrence
same(
    ["24.12 at 10:00", "24-12 at 10:00", "on 24.12 at 10:00", "at 10:00 24.12", "24.12 10am"],
    "2026-12-24T10:00+01:00",
)
ok("on 24.12", "2026-12-24T09:00+01:00")
ok("on 23.11", "2027-11-23T09:00+01:00")  # today's 09:00 is gone: next year, never "tomorrow"
ok("23.11 at 15:00", "2026-11-23T15:00+01:00")
ok("22.11 at 15:00", "2027-11-22T15:00+01:00")
ok("upgrade to 2.5 tomorrow", "2026-11-24T09:00+01:00", "upgrade to 2.5")
ok("python 3.12 release on friday", "2026-11-27T09:00+01:00", "python 3.12 release")
err("31.02 at 10:00", "invalid")

# ------------------------------------------------ Unicode spaces, zero-width characters
same(
    [
        "in\u00a05\u00a0days",
        "in\u20095\u2009days",
        "in\u202f5 days",
        "in 5\u3000days",
        "\u200bin 5 days",
        "in 5 days\ufeff",
        "in 5\u200b days",
        "\u2060in\u2003five days",
    ],
    "2026-11-28T14:00+01:00",
)
ok("tomorrow\u00a0at\u00a09am water\u00a0the plants", "2026-11-24T09:00+01:00", "water the plants")
ok(
    "tomorrow \U0001f468\u200d\U0001f469\u200d\U0001f467 dinner",
    "2026-11-24T09:00+01:00",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 dinner",
)

# ------------------------------------------------ URLs with query strings
ok(
    "read https://example.com/x?id=5&t=10m in 5 days",
    "2026-11-28T14:00+01:00",
    "read https://example.com/x?id=5&t=10m",
)
ok(
    "in 5 days read https://example.com/page?a=1&b=2#frag",
    "2026-11-28T14:00+01:00",
    "read https://example.com/page?a=1&b=2#frag",
)
ok(
    "watch https://www.youtube.com/watch?v=abc&t=1h2m tomorrow",
    "2026-11-24T09:00+01:00",
    "watch https://www.youtube.com/watch?v=abc&t=1h2m",
)
ok(
    "www.example.com/search?q=friday+5pm&at=9 tomorrow at 10am",
    "2026-11-24T10:00+01:00",
    "www.example.com/search?q=friday+5pm&at=9",
)

# ------------------------------------------------ the message kept whole
ok("in 5 days drop table students;--", "2026-11-28T14:00+01:00", "drop table students;--")
ok("tomorrow fix the build;", "2026-11-24T09:00+01:00", "fix the build;")
ok("in 2 hours ping bob...", "2026-11-23T16:00+01:00", "ping bob...")
ok("tomorrow at 9am (standup) -", "2026-11-24T09:00+01:00", "(standup) -")

# ------------------------------------------------ five calendar years in your zone
LEAPS = "2027-03-01T10:00"  # two leap days (2028-02-29, 2032-02-29) in the next five years
ok("in 5 years", "2032-03-01T10:00+01:00", now=LEAPS)
ok("1 march 2032", "2032-03-01T09:00+01:00", now=LEAPS)
ok("in 1827 days", "2032-03-01T10:00+01:00", now=LEAPS)
ok("2032-03-01 10:00", "2032-03-01T10:00+01:00", now=LEAPS)
fails(["in 1828 days", "in 5 years 1 day", "2032-03-01 10:01"], "too_far", now=LEAPS)
