"""The words the parser knows and the regex fragments built from them."""

from __future__ import annotations

import re
from typing import Final

from bot.time.describe import MONTH_NAMES, WEEKDAY_NAMES
from bot.time.zones import ABBREVIATIONS

# fmt: off
NUMBER_WORDS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
}
# fmt: on
WD_SHORT: Final = tuple(name[:3] for name in WEEKDAY_NAMES)
RRULE_DAYS: Final = tuple(name[:2].upper() for name in WEEKDAY_NAMES)
WD_PREFIX: Final = {name[:2].lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
MONTHS: Final = {name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
ORDINALS: Final = {
    **dict.fromkeys(("first", "1st"), 1),
    **dict.fromkeys(("second", "2nd"), 2),
    **dict.fromkeys(("third", "3rd"), 3),
    **dict.fromkeys(("fourth", "4th"), 4),
    **dict.fromkeys(("fifth", "5th"), 5),
    "last": -1,
}
# first letter(s) of a unit -> its name
UNIT_KIND: Final = {
    "s": "seconds",
    "m": "minutes",
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "f": "fortnights",
    "mo": "months",
    "y": "years",
}
EXACT_SECONDS: Final = {"seconds": 1, "minutes": 60, "hours": 3600}
NAMED_TIMES: Final = {
    **dict.fromkeys(("noon", "midday"), (12, 0)),
    "midnight": (0, 0),
    **dict.fromkeys(("eod", "cob", "end", "close"), (17, 0)),
    **dict.fromkeys(("tonight", "night"), (21, 0)),
    "morning": (9, 0),
    "afternoon": (15, 0),
    "evening": (18, 0),
}
# parts of the day that say whether a bare hour ("tomorrow evening at 7") is am or pm
PERIOD_PM: Final = {"morning": False, "afternoon": True, "evening": True, "night": True,
                    "tonight": True}  # fmt: skip
DEFAULT_TIME: Final = (9, 0, 0)

EXAMPLE = "Try `in 5 days check the thread` or `tomorrow at 9am submit the form`."
MAX_DIGITS = 9

# --------------------------------------------------------------------------- regexes

FLAGS = re.IGNORECASE | re.ASCII
WD = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)"
    r"(?![a-z])\.?"
)
MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
NUMW = (
    r"(?:a\s+couple\s+of|couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety)"
)
UNIT = (
    r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w"
    r"|fortnights?|months?|mos?|years?|yrs?|y)(?![a-z])"
)
LUNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?"
    r"|months?|years?|yrs?)(?![a-z])"
)
PART = (
    rf"(?:-?\d+(?:\.\d+)?\s*{UNIT}|{NUMW}\s+{LUNIT}|half\s+an?\s+{LUNIT})"
    r"(?:\s+and\s+a\s+half(?![a-z]))?"
)
PART_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*\+\s*|\s*)"
ORD = r"(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
SCOPE = r"(?:the|this|every|each)"
_ABBR = "|".join(sorted((k for k in ABBREVIATIONS if len(k) > 1), key=len, reverse=True))


def zone_pattern(name: str) -> str:
    return (
        rf"(?:\s*(?P<{name}>(?:utc|gmt)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?|[+-]\d{{2}}:?\d{{2}}"
        rf"|z|{_ABBR}|[a-z]+/[a-z_]+(?:/[a-z_]+)?)(?![a-z0-9/]))?"
    )


_DAYSPEC = rf"(?:{WD}|week\s?days?|weekends?|work\s?days?|business\s+days?)"
DAYLIST = (
    rf"{_DAYSPEC}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*&\s*|\s*\+\s*|\s*/\s*)"
    rf"{_DAYSPEC})*"
)

NUMBER_STARTERS = (
    "a an couple one two three four five six seven eight nine ten eleven twelve "
    "fifteen twenty thirty forty fifty sixty ninety half"
)
WD_STARTERS = (
    "mon tue tues wed weds thu thur thurs fri sat sun monday tuesday wednesday "
    "thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays "
    "sundays"
)
MON_STARTERS = (
    "jan january feb february mar march apr april may jun june jul july aug august "
    "sep sept september oct october nov november dec december"
)
NAMED_STARTERS = "noon midday midnight eod cob end close tonight morning afternoon evening night"

PART_RE: Final = re.compile(
    rf"(?P<neg>-)?(?:(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{UNIT})|(?P<word>{NUMW})\s+(?P<wunit>{LUNIT})"
    rf"|(?P<half>half\s+an?)\s+(?P<hunit>{LUNIT}))(?P<andhalf>\s+and\s+a\s+half(?![a-z]))?",
    FLAGS,
)
DAY_TOKEN_RE: Final = re.compile(
    rf"(?P<wd>{WD})|(?P<wk>week\s?days?|work\s?days?|business\s+days?)|(?P<we>weekends?)", FLAGS
)
WS_RE: Final = re.compile(r"\s+")


# --------------------------------------------------------------------------- reading words


def weekday_number(text: str) -> int:
    """Monday is 0: "mon", "Tuesdays", "thurs." -> 0, 1, 3."""
    return WD_PREFIX[text[:2].lower()]


def month_number(text: str) -> int:
    """January is 1: "jan", "September" -> 1, 9."""
    return MONTHS[text[:3].lower()]


def weekday_plural(text: str) -> bool:
    """A plural weekday ("mondays") means every Monday."""
    low = text.lower().rstrip(".")
    return low.endswith("days")


def unit_name(text: str) -> str:
    """The unit a word names: "mo", "mins", "h" -> "months", "minutes", "hours"."""
    low = text.lower()
    if low.startswith("mo"):
        return "months"
    if low.startswith("mi") or low == "m":
        return "minutes"
    return UNIT_KIND.get(low[0], "seconds")


def day_list(text: str) -> tuple[int, ...]:
    """The days a list names: "mon, wed and fri", "weekdays", "weekends" (sorted)."""
    days: set[int] = set()
    for tok in DAY_TOKEN_RE.finditer(text):
        if tok.group("wd"):
            days.add(weekday_number(tok.group("wd")))
        elif tok.group("wk"):
            days.update(range(5))
        else:
            days.update((5, 6))
    return tuple(sorted(days))
