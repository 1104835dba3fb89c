"""Repeat rules in English: one renderer for the parser, the confirmation and the list."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.console.chat import ConsoleChat
from bot.time.describe import describe_rule, ordinal
from bot.time.timeparse import parse_when
from bot.time.zones import get_zone

BERLIN = get_zone("Europe/Berlin")
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=BERLIN)  # a Monday


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0", "every Monday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=0", "every Monday and Thursday at 18:00"),
        ("FREQ=WEEKLY;BYDAY=FR,MO,WE", "every Monday, Wednesday and Friday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=30", "every weekday at 09:30"),
        ("FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=10", "every weekend day at 10:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;BYHOUR=9", "every other Wednesday at 09:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR", "every 2 weeks on weekdays"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "every 3 weeks on Monday"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=DAILY", "every day"),
        ("FREQ=DAILY;INTERVAL=2;BYHOUR=9;BYMINUTE=0;BYSECOND=30", "every 2 days at 09:00:30"),
        ("FREQ=HOURLY", "every hour"),
        ("FREQ=HOURLY;INTERVAL=3", "every 3 hours"),
        ("FREQ=MINUTELY;INTERVAL=90", "every 90 minutes"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=10", "every month on the 15th at 10:00"),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1", "every 2 months on the 1st"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "every month on the 1st and 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9", "every month on the last day at 09:00"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;BYHOUR=9",
            "every month on the 31st or its last day at 09:00",
        ),
        ("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9", "every month on the first Monday at 09:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;BYHOUR=9", "every year on 1 March at 09:00"),
        ("FREQ=YEARLY", "every year"),
        ("RRULE:freq=weekly;byday=tu", "every Tuesday"),
    ],
)
def test_rules_read_like_english(rule: str, words: str) -> None:
    assert describe_rule(rule) == words


@pytest.mark.parametrize(
    "rule", ["", "garbage", "FREQ=SOMETIMES", "FREQ=WEEKLY;INTERVAL=x", "FREQ=MONTHLY;BYDAY=9MO"]
)
def test_a_rule_it_cannot_read_never_breaks_a_reply(rule: str) -> None:
    assert describe_rule(rule) == "regularly"


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                          (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                          (22, "22nd"), (31, "31st")])  # fmt: skip
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text


@pytest.mark.parametrize(
    ("phrase", "understood"),
    [
        ("every monday 9am standup", "every Monday at 09:00"),
        ("every weekday at 9:30", "every weekday at 09:30"),
        ("every other wednesday", "every other Wednesday at 09:00"),
        ("every 3 weeks on monday", "every 3 weeks on Monday at 09:00"),
        (
            "every month on the 31st",
            "every month on the 31st or its last day at 09:00",
        ),
        ("on the last friday of every month", "every month on the last Friday at 09:00"),
        ("every year on 1 march", "every year on 1 March at 09:00"),
        ("every 90 minutes", "every 90 minutes"),
        ("daily", "every day"),
    ],
)
def test_the_parser_says_what_it_understood_with_the_same_words(
    phrase: str, understood: str
) -> None:
    parsed = parse_when(phrase, now=NOW, tz=BERLIN)
    assert parsed.rule is not None
    assert parsed.understood == understood == describe_rule(parsed.rule)


async def test_confirmation_and_list_word_the_repeat_alike(chat: ConsoleChat) -> None:
    confirmed = "\n".join(await chat.say("/remind every monday 9am review goals"))
    listed = "\n".join(await chat.say("/reminders"))
    assert "🔁 Repeats every Monday at 09:00." in confirmed
    assert confirmed.count("every Monday at 09:00") == 1  # no second "Understood" line
    assert "(repeats every Monday at 09:00)" in listed
