"""Natural-language reminder times: "in 5 days check the thread", "every monday 9am standup".

Pure and fast (no I/O, no dateparser): one precompiled regex finds time "atoms" (durations, clock
times, dates, weekdays, repeat phrases); the atoms touching the start and/or end of the text form
the time expression and the rest is the message. Rules are documented in docs/time-phrases.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final, Literal

from bot.time.recurrence import localize, next_occurrence
from bot.time.zones import ABBREVIATIONS, get_zone

__all__ = ["ParsedWhen", "Reason", "TimeParseError", "contains_time", "parse_when"]

Reason = Literal["invalid", "past", "too_far", "ambiguous"]


@dataclass(frozen=True)
class ParsedWhen:
    """What a reminder phrase means: first firing, optional repeat rule, and the message."""

    at: datetime
    rule: str | None
    message: str
    understood: str


class TimeParseError(ValueError):
    """A phrase we can't turn into a future time; `message` is friendly and shows an example."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message


# --------------------------------------------------------------------------- vocabulary

# fmt: off
_WEEKDAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                         "Sunday")
_MONTH_NAMES: Final = ("January", "February", "March", "April", "May", "June", "July",
                       "August", "September", "October", "November", "December")
_NUMBER_WORDS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
}
# fmt: on
_WD_SHORT: Final = tuple(name[:3] for name in _WEEKDAY_NAMES)
_RRULE_DAYS: Final = tuple(name[:2].upper() for name in _WEEKDAY_NAMES)
_WD_PREFIX: Final = {name[:2].lower(): i for i, name in enumerate(_WEEKDAY_NAMES)}
_MONTHS: Final = {name[:3].lower(): i + 1 for i, name in enumerate(_MONTH_NAMES)}
_ORDINALS: Final = {
    **dict.fromkeys(("first", "1st"), 1),
    **dict.fromkeys(("second", "2nd"), 2),
    **dict.fromkeys(("third", "3rd"), 3),
    **dict.fromkeys(("fourth", "4th"), 4),
    **dict.fromkeys(("fifth", "5th"), 5),
    "last": -1,
}
# first letter(s) of a unit -> its name
_UNIT_KIND: Final = {
    "s": "seconds",
    "m": "minutes",
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "f": "fortnights",
    "mo": "months",
    "y": "years",
}
_EXACT_SECONDS: Final = {"seconds": 1, "minutes": 60, "hours": 3600}
_NAMED_TIMES: Final = {
    **dict.fromkeys(("noon", "midday"), (12, 0)),
    "midnight": (0, 0),
    **dict.fromkeys(("eod", "cob", "end", "close"), (17, 0)),
    **dict.fromkeys(("tonight", "night"), (21, 0)),
    "morning": (9, 0),
    "afternoon": (15, 0),
    "evening": (18, 0),
}
# parts of the day that say whether a bare hour ("tomorrow evening at 7") is am or pm
_PERIOD_PM: Final = {"morning": False, "afternoon": True, "evening": True, "night": True,
                     "tonight": True}  # fmt: skip
_DEFAULT_TIME: Final = (9, 0, 0)

_EX = "Try `in 5 days check the thread` or `tomorrow at 9am submit the form`."
_MAX_DIGITS = 9

# --------------------------------------------------------------------------- regexes

_F = re.IGNORECASE | re.ASCII
_WD = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)"
    r"(?![a-z])\.?"
)
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_NUMW = (
    r"(?:a\s+couple\s+of|couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety)"
)
_UNIT = (
    r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w"
    r"|fortnights?|months?|mos?|years?|yrs?|y)(?![a-z])"
)
_LUNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?"
    r"|months?|years?|yrs?)(?![a-z])"
)
_PART = (
    rf"(?:-?\d+(?:\.\d+)?\s*{_UNIT}|{_NUMW}\s+{_LUNIT}|half\s+an?\s+{_LUNIT})"
    r"(?:\s+and\s+a\s+half(?![a-z]))?"
)
_PART_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*\+\s*|\s*)"
_ORD = r"(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
_SCOPE = r"(?:the|this|every|each)"
_ABBR = "|".join(sorted((k for k in ABBREVIATIONS if len(k) > 1), key=len, reverse=True))


def _zone(name: str) -> str:
    return (
        rf"(?:\s*(?P<{name}>(?:utc|gmt)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?|[+-]\d{{2}}:?\d{{2}}"
        rf"|z|{_ABBR}|[a-z]+/[a-z_]+(?:/[a-z_]+)?)(?![a-z0-9/]))?"
    )


_DAYSPEC = rf"(?:{_WD}|week\s?days?|weekends?|work\s?days?|business\s+days?)"
_DAYLIST = (
    rf"{_DAYSPEC}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*&\s*|\s*\+\s*|\s*/\s*)"
    rf"{_DAYSPEC})*"
)

_NUMBER_STARTERS = (
    "a an couple one two three four five six seven eight nine ten eleven twelve "
    "fifteen twenty thirty forty fifty sixty ninety half"
)
_WD_STARTERS = (
    "mon tue tues wed weds thu thur thurs fri sat sun monday tuesday wednesday "
    "thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays "
    "sundays"
)
_MON_STARTERS = (
    "jan january feb february mar march apr april may jun june jul july aug august "
    "sep sept september oct october nov november dec december"
)
_NAMED_STARTERS = "noon midday midnight eod cob end close tonight morning afternoon evening night"

# (alternative, words it can start with; "#" means a digit). Order matters: first match wins.
_ATOM_TABLE: Final = [
    # ISO 8601 date, optionally with T-time and offset
    (
        r"(?P<iso>(?P<iy>\d{4})[-/](?P<imo>\d{1,2})[-/](?P<id>\d{1,2})(?:t(?P<ih>\d{1,2}):"
        r"(?P<imi>\d{2})(?::(?P<is>\d{2})(?:\.\d+)?)?(?P<iz>z|[+-]\d{2}(?::?\d{2})?)?)?)"
        r"(?![\d/.-]\d)",
        "#",
    ),
    # numeric dates: a/b[/c], a-b-c, dotted d.m.[y]
    (
        r"(?P<nd>(?P<nda>\d{1,2})(?:(?P<nds>/)(?P<ndb>\d{1,2})(?:/(?P<ndc>\d{4}|\d{2}))?"
        r"|-(?P<ndb2>\d{1,2})-(?P<ndc2>\d{4}|\d{2})|\.(?P<ndb3>\d{1,2})\.(?P<ndc3>\d{4}|\d{2})?))"
        r"(?![\d/.-]\d)",
        "#",
    ),
    # repeats
    (
        rf"(?P<rdays>(?:every|each)\s+(?:(?P<rdo>other|second|2nd|alternate)\s+)?"
        rf"(?P<rdl>{_DAYLIST}))",
        "every each",
    ),
    (
        rf"(?P<rec>(?:every|each)\s+(?:(?P<reco>other)\s+|(?P<rech>half\s+an?)\s+|"
        rf"(?P<recn>\d+(?:\.\d+)?|{_NUMW})\s+)?"
        rf"(?P<recu>{_LUNIT}))",
        "every each",
    ),
    (
        r"(?P<radv>hourly|daily|weekly|fortnightly|biweekly|monthly|yearly|annually)(?![a-z])",
        "hourly daily weekly fortnightly biweekly monthly yearly annually",
    ),
    (
        rf"(?P<ryear>(?:every|each)(?=\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?{_MON}"
        rf"|{_MON}\s*\d)))",
        "every each",
    ),
    (r"(?P<rmday>(?:every|each)(?=\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)))", "every each"),
    (
        rf"(?P<nth>(?:(?P<nthev>every|each)\s+)?(?:on\s+)?(?:the\s+)?(?P<nthn>{_ORD})\s+"
        rf"(?P<nthw>{_WD})\s+of\s+(?P<nths>{_SCOPE})\s+month)",
        "every each on the first second third fourth fifth last #",
    ),
    (rf"(?P<nth2>(?:on\s+)?the\s+(?P<nthn2>{_ORD})\s+(?P<nthw2>{_WD}))", "on the"),
    (
        rf"(?P<ld>(?:(?P<ldev>every|each)\s+)?(?:on\s+)?(?:the\s+)?last\s+day(?:\s+of\s+"
        rf"(?P<lds>{_SCOPE})\s+month)?)",
        "every each on the last",
    ),
    # month-name dates
    (
        rf"(?P<md>(?:on\s+)?(?:the\s+)?(?:(?P<mdd1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?"
        rf"(?P<mdm1>{_MON})|(?P<mdm2>{_MON})\s*(?:the\s+)?(?P<mdd2>\d{{1,2}})(?:st|nd|rd|th)?"
        r"(?![\d:.]|[a-z]|\s*[ap]\.?m(?![a-z])))(?:,?\s*(?P<mdy>\d{4})(?![\d:]))?)",
        f"on the # {_MON_STARTERS}",
    ),
    # ordinal day of month
    (
        rf"(?P<od>(?:on\s+)?(?:the\s+)?(?P<odd>\d{{1,2}})(?:st|nd|rd|th)(?![a-z])"
        rf"(?:\s+(?:day\s+)?of\s+(?P<ods>{_SCOPE})\s+month)?)",
        "on the #",
    ),
    # durations
    (
        rf"(?P<dur>(?P<durpre>(?:in|after)\s+)?(?P<durbody>{_PART}(?:{_PART_SEP}{_PART})*)"
        r"(?:\s+(?P<durpost>from\s+now|later|ago|hence|before|earlier|back)(?![a-z]))?)",
        f"in after # {_NUMBER_STARTERS}",
    ),
    # clock times
    (
        r"(?P<clock>(?:(?:at|@|by|around)\s*)?(?:(?P<c12h>\d{1,2})(?:[:.](?P<c12m>\d{2})"
        r"(?::(?P<c12s>\d{2}))?)?\s*(?P<c12ap>[ap])\.?\s?m(?![a-z])\.?"
        r"|(?P<c24h>\d{1,2}):(?P<c24m>\d{2})(?::(?P<c24s>\d{2}))?(?!\d))" + _zone("cz1") + ")",
        "at @ by around #",
    ),
    (
        r"(?P<bare>(?:at|@)\s*(?P<bh>\d{1,3})(?:\s*o'?clock)?(?![\d:./]|\s*[ap]\.?m(?![a-z]))"
        + _zone("cz2")
        + ")",
        "at @",
    ),
    # named times, relative days, weekdays
    (
        r"(?P<named>(?:(?P<npre>at|this|in\s+the|by|around|by\s+the|at\s+the)\s+)?"
        r"(?P<nw>noon|midday|midnight|eod|cob|end\s+of\s+(?:the\s+)?(?:day|business)"
        r"|close\s+of\s+business|tonight|morning|afternoon|evening|night)(?![a-z]))",
        f"at this in by around {_NAMED_STARTERS}",
    ),
    (
        r"(?P<rel>(?P<relw>today|tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow"
        r"|(?:the\s+)?day\s+after\s+tomorrow|yesterday)(?![a-z]))",
        "today tomorrow tmrw tmr tomorow tommorow tommorrow the day yesterday",
    ),
    (
        rf"(?P<wd>(?:(?P<wdq>this\s+coming|this|next|coming|on|by|until|last|past)\s+)?"
        rf"(?P<wdn>{_WD}))",
        f"this next coming on by until last past {_WD_STARTERS}",
    ),
    (r"(?P<nu>next\s+(?P<nuu>week|month|year)(?![a-z]))", "next"),
    (
        rf"(?P<vague>(?:(?:in|within|after)\s+)?(?:(?:a\s+)?few|several|some|a\s+couple(?:\s+of)?)"
        rf"\s+(?:more\s+)?{_LUNIT}|(?:in\s+)?a\s+(?:little\s+)?(?:bit|while)|some\s*time|soon|later"
        r"|shortly|eventually|someday|at\s+some\s+point|asap|whenever)",
        "in within after a few several some couple soon later shortly eventually sometime someday "
        "at asap whenever",
    ),
]


def _compile_starters() -> dict[str, re.Pattern[str]]:
    """One regex per starter word holding only the alternatives that can begin with it.

    Python's regex engine tries every branch of an alternation, so a 20-branch regex costs
    microseconds even when it fails; dispatching on the first word keeps each attempt small.
    """
    by_word: dict[str, list[int]] = {}
    for index, (_, starters) in enumerate(_ATOM_TABLE):
        for word in starters.split():
            by_word.setdefault(word, []).append(index)
    cache: dict[tuple[int, ...], re.Pattern[str]] = {}
    table: dict[str, re.Pattern[str]] = {}
    for word, indexes in by_word.items():
        key = tuple(indexes)
        if key not in cache:
            cache[key] = re.compile("|".join(_ATOM_TABLE[i][0] for i in key), _F)
        table[word] = cache[key]
    return table


_ATOM_BY_STARTER: Final = _compile_starters()
_WORD_RE: Final = re.compile(r"(?<![a-z0-9])(?:[a-z]+|[0-9]+)|@", _F)
_PART_RE: Final = re.compile(
    rf"(?P<neg>-)?(?:(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT})|(?P<word>{_NUMW})\s+(?P<wunit>{_LUNIT})"
    rf"|(?P<half>half\s+an?)\s+(?P<hunit>{_LUNIT}))(?P<andhalf>\s+and\s+a\s+half(?![a-z]))?",
    _F,
)
_DAY_TOKEN_RE: Final = re.compile(
    rf"(?P<wd>{_WD})|(?P<wk>week\s?days?|work\s?days?|business\s+days?)|(?P<we>weekends?)", _F
)
_TRIGGER_RE: Final = re.compile(
    r"\s*(?:(?P<rep>!?remind\s*me\s*repeat!?)|!?remind\s*me!|!remind(?:\s*me)?)(?![a-z])[\s,:]*", _F
)
_LEAD_RE: Final = re.compile(r"\s*(?:remind\s+me|remind|me)(?=[\s,:;]|$)[\s,:;]*", _F)
_QUOTE_RE: Final = re.compile(r'"([^"]*)"|\u201c([^\u201d]*)\u201d|\[([^\]]*)\]')
_GAP_RE: Final = re.compile(r"(?:[\s,;@&-]|\b(?:and|at|on|by|around)\b)*", _F)
_HEAD_RE: Final = re.compile(r"[\s,:;-]*")
_TAIL_RE: Final = re.compile(r"[\s.!?,;:)]*")
_MSG_LEAD_RE: Final = re.compile(
    r"[\s,:;\-\u2013\u2014]*(?:(?:remind\s+me|me)(?=[\s,:;]|$)[\s,:;]*)?"
    r"(?:(?:to|about|that)(?=\s|$))?[\s,:;\-\u2013\u2014]*",
    _F,
)
_MSG_TAIL_RE: Final = re.compile(r"[\s,:;\-\u2013\u2014]+$")
_BARE_NUMBER_RE: Final = re.compile(r"[\s.!?]*[+-]?\d+(?:[.,]\d+)?[\s.!?]*", _F)
_ZONE_OFFSET_RE: Final = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", _F)
_WS_RE: Final = re.compile(r"\s+")


# --------------------------------------------------------------------------- spec


@dataclass(slots=True)
class _Spec:
    """Everything the atoms of one time expression said, before resolving it against `now`."""

    date_kind: str | None = None  # rel | wd | date | od | nth | lastday
    date_text: str = ""
    rel_days: int = 0
    weekday: int = 0
    year: int | None = None
    month: int = 0
    day: int = 0
    nth: int = 0
    has_dur: bool = False
    cal: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # years, months, weeks, days
    exact: float = 0.0
    dur_parts: list[tuple[float, str]] = field(default_factory=list)
    clock: tuple[int, int, int] | None = None
    clock_text: str = ""
    named: str | None = None
    bare_hour: int | None = None
    pin_today: bool = False
    zone: tzinfo | None = None
    zone_label: str = ""
    freq: str | None = None
    interval: int = 1
    exact_every: int = 0  # seconds, for "every N hours"
    byday: tuple[int, ...] = ()
    rec_text: str = ""
    monthly_day: bool = False  # a recurring od/ld/nth date pattern
    yearly_date: bool = False
    past: str | None = None
    vague: bool = False


def _fail(reason: Reason, message: str) -> TimeParseError:
    return TimeParseError(reason, message)


def _conflict(spec: _Spec, text: str) -> TimeParseError:
    first = spec.date_text or "another date"
    return _fail(
        "invalid",
        f"I found two dates in that (`{first}` and `{text}`). "
        "Give me just one, like `friday at 5pm` or `in 3 days`.",
    )


def _set_date(spec: _Spec, kind: str, text: str) -> None:
    if spec.date_kind is not None or spec.has_dur:
        raise _conflict(spec, text)
    spec.date_kind, spec.date_text = kind, text


def _set_freq(spec: _Spec, freq: str, interval: int, text: str) -> None:
    if spec.freq is not None and (spec.freq, spec.interval) != (freq, interval):
        raise _fail(
            "invalid",
            f"I found two different repeats (`{spec.rec_text}` and `{text}`). "
            "Try one, like `every monday at 9am`.",
        )
    spec.freq, spec.interval, spec.rec_text = freq, interval, spec.rec_text or text


def _number(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise _fail("too_far", _too_far_message())
    return int(text)


def _too_far_message(days: int = 5 * 365 + 1) -> str:
    years = days // 365
    return (
        f"That's too far ahead: I can remind you up to {years} years from now. "
        "Try something closer, like `in 2 years` or `1 march 2028`."
    )


def _weekday(text: str) -> int:
    return _WD_PREFIX[text[:2].lower()]


def _month(text: str) -> int:
    return _MONTHS[text[:3].lower()]


def _weekday_plural(text: str) -> bool:
    low = text.lower().rstrip(".")
    return low.endswith("days")


# --------------------------------------------------------------------------- atom handlers


def _apply(spec: _Spec, m: re.Match[str], repeat: bool) -> None:
    """Fold one matched atom into the spec (dispatch on the named alternative that matched)."""
    kind = m.lastgroup
    text = m.group(0)
    if kind == "iso":
        _apply_iso(spec, m, text)
    elif kind == "nd":
        _apply_numeric_date(spec, m, text)
    elif kind in ("rec", "rdays", "radv", "ryear", "rmday"):
        _apply_repeat(spec, m, kind, text)
    elif kind in ("nth", "nth2"):
        _apply_nth(spec, m, kind, text)
    elif kind == "ld":
        _set_date(spec, "lastday", text)
        if m.group("ldev") or (m.group("lds") or "").lower() in ("every", "each"):
            _set_freq(spec, "MONTHLY", 1, text)
            spec.monthly_day = True
    elif kind == "md":
        _apply_month_date(spec, m, text)
    elif kind == "od":
        _set_date(spec, "od", text)
        spec.day = int(m.group("odd"))
        if (m.group("ods") or "").lower() in ("every", "each"):
            _set_freq(spec, "MONTHLY", 1, text)
            spec.monthly_day = True
    elif kind == "dur":
        _apply_duration(spec, m, text, repeat)
    elif kind == "clock":
        _apply_clock(spec, m, text)
    elif kind == "bare":
        _apply_bare(spec, m, text)
    elif kind == "named":
        _apply_named(spec, m, text)
    elif kind == "rel":
        _apply_relative(spec, m, text)
    elif kind == "wd":
        _apply_weekday(spec, m, text)
    elif kind == "nu":
        _apply_next_unit(spec, m, text)
    elif kind == "vague":
        spec.vague = True


def _finish(spec: _Spec) -> None:
    """Settle facts that depend on atom order ("monthly on the 15th" vs "the 15th monthly")."""
    if spec.freq == "MONTHLY" and spec.date_kind in ("od", "lastday", "nth"):
        spec.monthly_day = True
    elif spec.freq == "YEARLY" and spec.date_kind == "date":
        spec.yearly_date = True
    elif spec.freq == "WEEKLY" and spec.date_kind == "wd" and not spec.byday:
        spec.byday, spec.date_kind = (spec.weekday,), None


def _apply_iso(spec: _Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    spec.year, spec.month, spec.day = int(m.group("iy")), int(m.group("imo")), int(m.group("id"))
    if m.group("ih") is not None:
        _set_clock(spec, int(m.group("ih")), int(m.group("imi")), int(m.group("is") or 0), text)
        if m.group("iz"):
            _set_zone(spec, m.group("iz"))


def _apply_numeric_date(spec: _Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    a = int(m.group("nda"))
    if m.group("ndb3") is not None:  # dotted: always day-first
        day, month, year_text = a, int(m.group("ndb3")), m.group("ndc3")
    else:
        b = int(m.group("ndb") or m.group("ndb2"))
        year_text = m.group("ndc") or m.group("ndc2")
        if a > 12:
            day, month = a, b
        elif b > 12 or a == b:
            day, month = b, a
        else:
            raise _fail(
                "ambiguous",
                f"`{text}` could be {a} {_MONTH_NAMES[b - 1]} or "
                f"{b} {_MONTH_NAMES[a - 1]}. Write the month as a word, "
                f"like `{a} {_MONTH_NAMES[b - 1][:3].lower()}`, "
                "or use `YYYY-MM-DD`.",
            )
    spec.day, spec.month = day, month
    if year_text is not None:
        spec.year = int(year_text) + (2000 if len(year_text) == 2 else 0)


def _apply_month_date(spec: _Spec, m: re.Match[str], text: str) -> None:
    _set_date(spec, "date", text)
    spec.day = int(m.group("mdd1") or m.group("mdd2"))
    spec.month = _month(m.group("mdm1") or m.group("mdm2"))
    if m.group("mdy"):
        spec.year = int(m.group("mdy"))
    if spec.freq == "YEARLY":
        spec.yearly_date = True


def _apply_repeat(spec: _Spec, m: re.Match[str], kind: str, text: str) -> None:
    if kind == "rec":
        unit = _unit_name(m.group("recu"))
        raw = "0.5" if m.group("rech") else m.group("recn") or ""
        if "." in raw:
            _every_fraction(spec, float(raw), unit, text)
            return
        count = 2 if m.group("reco") else _count(m.group("recn"))
        if count <= 0:
            raise _fail("invalid", f"`{text}` never repeats. Try `every 2 days` or `every week`.")
        _set_every(spec, unit, count, text)
    elif kind == "radv":
        word = m.group("radv").lower()
        unit = {
            "hourly": "hours",
            "daily": "days",
            "weekly": "weeks",
            "fortnightly": "fortnights",
            "biweekly": "fortnights",
            "monthly": "months",
        }.get(word, "years")
        _set_every(spec, unit, 1, text)
    elif kind == "rdays":
        spec.byday = _day_list(m.group("rdl"))
        _set_freq(spec, "WEEKLY", 2 if m.group("rdo") else 1, text)
    elif kind == "ryear":
        _set_freq(spec, "YEARLY", 1, "every year")
        spec.yearly_date = spec.date_kind == "date"
    else:  # rmday: "every 15th"
        _set_freq(spec, "MONTHLY", 1, "every month")
        spec.monthly_day = True


def _every_fraction(spec: _Spec, value: float, unit: str, text: str) -> None:
    """`every 1.5 hours`: fractions are fine for exact units, converted to whole minutes."""
    if unit not in _EXACT_SECONDS or unit == "seconds":
        raise _fail(
            "invalid",
            "Repeats need whole numbers of days, weeks, months or years. Try `every 2 days`.",
        )
    _set_every(spec, "minutes", round(value * _EXACT_SECONDS[unit] / 60), text)


def _count(text: str | None) -> int:
    if text is None:
        return 1
    low = _WS_RE.sub(" ", text.lower())
    if low in _NUMBER_WORDS:
        return _NUMBER_WORDS[low]
    if "couple" in low:
        return 2
    return _number(text)


def _unit_name(text: str) -> str:
    low = text.lower()
    if low.startswith("mo"):
        return "months"
    if low.startswith("mi") or low == "m":
        return "minutes"
    return _UNIT_KIND.get(low[0], "seconds")


def _set_every(spec: _Spec, unit: str, count: int, text: str) -> None:
    if unit in _EXACT_SECONDS:
        seconds = count * _EXACT_SECONDS[unit]
        if seconds < 3600:
            raise _fail(
                "invalid",
                f"`{text}` is too often: reminders can repeat at most hourly. "
                "Try `every hour` or `every 2 hours`.",
            )
        spec.exact_every = seconds
        freq, interval = (
            ("HOURLY", seconds // 3600)
            if seconds % 3600 == 0
            else (("MINUTELY", seconds // 60) if seconds % 60 == 0 else ("SECONDLY", seconds))
        )
        _set_freq(spec, freq, interval, text)
        return
    freq, mult = {
        "days": ("DAILY", 1),
        "weeks": ("WEEKLY", 1),
        "fortnights": ("WEEKLY", 2),
        "months": ("MONTHLY", 1),
        "years": ("YEARLY", 1),
    }[unit]
    _set_freq(spec, freq, count * mult, text)
    if freq == "YEARLY" and spec.date_kind == "date":
        spec.yearly_date = True
    if freq == "MONTHLY" and spec.date_kind in ("od", "lastday", "nth"):
        spec.monthly_day = True


def _day_list(text: str) -> tuple[int, ...]:
    days: set[int] = set()
    for tok in _DAY_TOKEN_RE.finditer(text):
        if tok.group("wd"):
            days.add(_weekday(tok.group("wd")))
        elif tok.group("wk"):
            days.update(range(5))
        else:
            days.update((5, 6))
    return tuple(sorted(days))


def _apply_nth(spec: _Spec, m: re.Match[str], kind: str, text: str) -> None:
    _set_date(spec, "nth", text)
    two = kind == "nth2"
    spec.nth = _ORDINALS[m.group("nthn2" if two else "nthn").lower()]
    spec.weekday = _weekday(m.group("nthw2" if two else "nthw"))
    every = not two and (m.group("nthev") or m.group("nths").lower() in ("every", "each"))
    if every:
        _set_freq(spec, "MONTHLY", 1, text)
    if spec.freq == "MONTHLY":
        spec.monthly_day = True


def _apply_duration(spec: _Spec, m: re.Match[str], text: str, repeat: bool) -> None:
    post = (m.group("durpost") or "").lower()
    start = m.start()
    negative = start > 0 and m.string[start - 1] == "-"
    if post in ("ago", "before", "earlier", "back"):
        spec.past = f"`{text}` is in the past"
        return
    if spec.has_dur or spec.date_kind is not None:
        raise _conflict(spec, text)
    spec.has_dur = True
    spec.date_text = text
    for part in _PART_RE.finditer(m.group("durbody")):
        negative = negative or part.group("neg") is not None
        _add_part(spec, part)
    if negative:
        raise _fail("invalid", "Durations can't be negative. Try `in 5 days`.")
    if repeat and spec.freq is None:
        _repeat_from_duration(spec, text)


def _add_part(spec: _Spec, part: re.Match[str]) -> None:
    unit = _unit_name(part.group("unit") or part.group("wunit") or part.group("hunit"))
    if part.group("num") is not None:
        raw = part.group("num")
        whole = raw.split(".")[0]
        if len(whole) > _MAX_DIGITS:
            raise _fail("too_far", _too_far_message())
        value = float(raw) if "." in raw else int(raw)
    elif part.group("half") is not None:
        value = 0.5
    else:
        value = _count(part.group("word"))
    if part.group("andhalf"):
        value += 0.5
    spec.dur_parts.append((value, unit))
    if unit in _EXACT_SECONDS:
        spec.exact += value * _EXACT_SECONDS[unit]
        return
    if isinstance(value, float) and not value.is_integer():
        raise _fail(
            "invalid",
            "I can only use fractions of hours and minutes. "
            "Try `in 36 hours` instead of `in 1.5 days`.",
        )
    count = int(value)
    index = {"years": 0, "months": 1, "weeks": 2, "fortnights": 2, "days": 3}[unit]
    spec.cal[index] += count * (2 if unit == "fortnights" else 1)


def _repeat_from_duration(spec: _Spec, text: str) -> None:
    """`RemindMeRepeat! 1 week` means every week: a single-unit duration becomes the repeat."""
    if len(spec.dur_parts) != 1:
        raise _fail(
            "invalid",
            "RemindMeRepeat! needs a single repeat like `every monday` "
            "or `RemindMeRepeat! 1 week`.",
        )
    value, unit = spec.dur_parts[0]
    spec.has_dur, spec.cal, spec.exact, spec.dur_parts = False, [0, 0, 0, 0], 0.0, []
    spec.date_text = ""
    if not float(value).is_integer():
        _every_fraction(spec, value, unit, f"every {text}")
        return
    count = int(value)
    if count <= 0:
        raise _fail("invalid", f"`{text}` never repeats. Try `every 2 days` or `every week`.")
    _set_every(spec, unit, count, f"every {text}")


def _set_clock(spec: _Spec, hour: int, minute: int, second: int, text: str) -> None:
    if hour > 23 or minute > 59 or second > 59:
        raise _fail(
            "invalid", f"`{text.strip()}` isn't a time of day. Try `at 23:00` or `at 11pm`."
        )
    if spec.clock is not None:
        raise _fail(
            "invalid",
            f"I found two times (`{spec.clock_text}` and `{text.strip()}`). "
            "Give me one, like `tomorrow at 9am`.",
        )
    spec.clock, spec.clock_text = (hour, minute, second), text.strip()


def _apply_clock(spec: _Spec, m: re.Match[str], text: str) -> None:
    if m.group("c12ap") is not None:
        hour, minute = int(m.group("c12h")), int(m.group("c12m") or 0)
        if not 1 <= hour <= 12:
            raise _fail(
                "invalid", f"`{text.strip()}` isn't a time of day. Try `at 11pm` or `at 23:00`."
            )
        hour = hour % 12 + (12 if m.group("c12ap").lower() == "p" else 0)
        _set_clock(spec, hour, minute, int(m.group("c12s") or 0), text)
    else:
        _set_clock(
            spec, int(m.group("c24h")), int(m.group("c24m")), int(m.group("c24s") or 0), text
        )
    if m.group("cz1"):
        _set_zone(spec, m.group("cz1"))


def _apply_bare(spec: _Spec, m: re.Match[str], text: str) -> None:
    hour = int(m.group("bh"))
    if hour > 23:
        raise _fail("invalid", f"`{text.strip()}` isn't a time of day. Try `at 23:00`.")
    if m.group("cz2"):
        _set_zone(spec, m.group("cz2"))
    if hour >= 13 or hour == 0:
        _set_clock(spec, hour, 0, 0, text)
    else:
        spec.bare_hour = hour
        spec.clock_text = text.strip()


def _apply_named(spec: _Spec, m: re.Match[str], text: str) -> None:
    word = m.group("nw").lower().split()[0]
    if spec.named is not None:
        raise _fail(
            "invalid",
            f"I found two times of day in that (`{text}`). Give me one, like `tomorrow at 9am`.",
        )
    spec.named = word
    pre = (m.group("npre") or "").lower()
    if word == "tonight" or (pre == "this" and word != "midnight"):
        spec.pin_today = True


def _apply_relative(spec: _Spec, m: re.Match[str], text: str) -> None:
    word = m.group("relw").lower()
    if word == "yesterday":
        spec.past = "yesterday is in the past"
        return
    _set_date(spec, "rel", text)
    spec.rel_days = 0 if word == "today" else 2 if "after" in word else 1


def _apply_weekday(spec: _Spec, m: re.Match[str], text: str) -> None:
    qualifier = _WS_RE.sub(" ", (m.group("wdq") or "").lower())
    if qualifier in ("last", "past"):
        spec.past = f"`{text}` is in the past"
        return
    day = _weekday(m.group("wdn"))
    if spec.freq == "WEEKLY" and not spec.byday:
        spec.byday = (day,)
        return
    if _weekday_plural(m.group("wdn")) and qualifier in ("", "on"):
        spec.byday = (day,)
        _set_freq(spec, "WEEKLY", 1, text)
        return
    _set_date(spec, "wd", text)
    spec.weekday = day


def _apply_next_unit(spec: _Spec, m: re.Match[str], text: str) -> None:
    if spec.has_dur or spec.date_kind is not None:
        raise _conflict(spec, text)
    unit = m.group("nuu").lower()
    spec.has_dur, spec.date_text = True, text
    spec.cal[{"year": 0, "month": 1, "week": 2}[unit]] += 1
    spec.dur_parts.append((1, f"{unit}s"))


def _set_zone(spec: _Spec, raw: str) -> None:
    spec.zone, spec.zone_label = _zone_from_text(raw)


def _zone_from_text(raw: str) -> tuple[tzinfo, str]:
    text = _WS_RE.sub("", raw)
    upper = text.upper()
    if upper == "Z":
        return UTC, "UTC"
    if upper in ABBREVIATIONS:
        name = ABBREVIATIONS[upper]
        return (UTC, "UTC") if name == "UTC" else (get_zone(name), upper)
    off = _ZONE_OFFSET_RE.fullmatch(text)
    if off is not None:
        hours, minutes = int(off.group(2)), int(off.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise _fail("invalid", f"`{raw}` isn't a valid UTC offset. Try `9pm UTC+2`.")
        delta = timedelta(hours=hours, minutes=minutes) * (-1 if off.group(1) == "-" else 1)
        return timezone(delta), f"UTC{off.group(1)}{hours:02d}:{minutes:02d}"
    try:
        key = "/".join(p[:1].upper() + p[1:] for p in text.split("/"))
        return get_zone(_canonical_key(key)), _canonical_key(key)
    except (ValueError, KeyError, OSError) as exc:
        raise _fail(
            "invalid",
            f"I don't know the time zone `{raw}`. Try `9pm UTC`, `9pm PST` or `9pm Europe/Berlin`.",
        ) from exc


def _canonical_key(key: str) -> str:
    """`america/new_york` -> `America/New_York` (capitalise each `_`-separated word)."""
    return "/".join("_".join(w[:1].upper() + w[1:] for w in p.split("_")) for p in key.split("/"))


# --------------------------------------------------------------------------- resolving


@dataclass(slots=True)
class _Ctx:
    now: datetime  # aware, UTC
    zone: tzinfo
    local: datetime  # naive wall time of now in zone
    max_ahead: timedelta
    max_days: int


def _at(ctx: _Ctx, day: date, clock: tuple[int, int, int]) -> datetime:
    return localize(datetime.combine(day, time(*clock)), ctx.zone)


def _clock_for(spec: _Spec) -> tuple[int, int, int] | None:
    """The time of day the phrase asked for (named periods disambiguate a bare hour)."""
    if spec.bare_hour is not None:
        if spec.clock is None and spec.named in _PERIOD_PM:
            hour = spec.bare_hour % 12 + (12 if _PERIOD_PM[spec.named] else 0)
            return (hour, 0, 0)
        if spec.clock is None:
            h = spec.bare_hour
            raise _fail(
                "ambiguous",
                f"Did you mean {h}am or {h}pm? "
                f"Try `at {h}pm` or `at {h + 12 if h < 12 else 0}:00`.",
            )
    if spec.clock is not None:
        return spec.clock
    if spec.named is not None:
        return (*_NAMED_TIMES[spec.named], 0)
    return None


def _add_calendar(base: datetime, cal: list[int]) -> datetime:
    """Add years/months (clamped to month end), then weeks/days, keeping the wall-clock time."""
    years, months, weeks, days = cal
    total_months = base.month - 1 + months + 12 * years
    year, month = base.year + total_months // 12, total_months % 12 + 1
    if not 1 <= year <= 9998:
        raise OverflowError("year out of range")
    day = min(base.day, _month_length(year, month))
    return base.replace(year=year, month=month, day=day) + timedelta(weeks=weeks, days=days)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_far(spec: _Spec, ctx: _Ctx) -> None:
    """Reject huge durations before doing any arithmetic that could overflow."""
    years, months, weeks, days = spec.cal
    rough = years * 365 + months * 28 + weeks * 7 + days + spec.exact / 86400
    if rough > ctx.max_days + 2:
        raise _fail("too_far", _too_far_message(ctx.max_days))


def _resolve_duration(spec: _Spec, ctx: _Ctx, clock: tuple[int, int, int] | None) -> datetime:
    _check_far(spec, ctx)
    if spec.exact and clock is not None:
        raise _fail(
            "invalid",
            "I can't combine hours or minutes with a time of day. "
            "Try `in 2 days at 9am` or `in 5 hours`.",
        )
    if not any(spec.cal):
        if spec.exact <= 0:
            raise _fail("invalid", "That's no time at all. Try `in 5 minutes`.")
        return (ctx.now + timedelta(seconds=spec.exact)).astimezone(ctx.zone)
    moved = _add_calendar(ctx.local, spec.cal)
    if clock is not None:
        moved = datetime.combine(moved.date(), time(*clock))
        if spec.named == "midnight" and spec.clock is None:
            moved += timedelta(days=1)
    at = localize(moved, ctx.zone)
    if spec.exact:
        at = (at.astimezone(UTC) + timedelta(seconds=spec.exact)).astimezone(ctx.zone)
    return at


def _first_date_after(ctx: _Ctx, clock: tuple[int, int, int], dates: list[date]) -> datetime:
    for day in dates:
        at = _at(ctx, day, clock)
        if at > ctx.now:
            return at
    raise _fail("too_far", _too_far_message(ctx.max_days))


def _month_starts(ctx: _Ctx, count: int = 62) -> list[tuple[int, int]]:
    year, month = ctx.local.year, ctx.local.month
    return [(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1) for i in range(count)]


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    if nth > 0:
        first = date(year, month, 1)
        day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    else:
        last = date(year, month, _month_length(year, month))
        day = last.day - (last.weekday() - weekday) % 7
    return date(year, month, day) if 1 <= day <= _month_length(year, month) else None


def _resolve_date(spec: _Spec, ctx: _Ctx, clock: tuple[int, int, int]) -> datetime:
    today = ctx.local.date()
    kind = spec.date_kind
    if kind == "rel":
        return _pinned(ctx, today + timedelta(days=spec.rel_days), clock, spec.date_text)
    if kind == "wd":
        return _at(ctx, today + timedelta(days=(spec.weekday - today.weekday() - 1) % 7 + 1), clock)
    if kind == "date":
        return _resolve_calendar_date(spec, ctx, clock)
    if kind == "od":
        if not 1 <= spec.day <= 31:
            raise _fail(
                "invalid", f"There's no {_ordinal(spec.day)} day in a month. Try `on the 15th`."
            )
        dates = [
            date(y, m, spec.day) for y, m in _month_starts(ctx) if spec.day <= _month_length(y, m)
        ]
        return _first_date_after(ctx, clock, dates)
    if kind == "nth":
        found = (_nth_weekday(y, m, spec.nth, spec.weekday) for y, m in _month_starts(ctx))
        return _first_date_after(ctx, clock, [d for d in found if d is not None])
    # lastday
    return _first_date_after(
        ctx, clock, [date(y, m, _month_length(y, m)) for y, m in _month_starts(ctx)]
    )


def _pinned(ctx: _Ctx, day: date, clock: tuple[int, int, int], text: str) -> datetime:
    at = _at(ctx, day, clock)
    if at <= ctx.now:
        raise _fail(
            "past",
            f"That time {text.lower() or 'today'} has already passed. "
            "Try `tomorrow at 9am` or `in 2 hours`.",
        )
    return at


def _resolve_calendar_date(spec: _Spec, ctx: _Ctx, clock: tuple[int, int, int]) -> datetime:
    label = f"{spec.day} {_MONTH_NAMES[spec.month - 1]}" if 1 <= spec.month <= 12 else "that date"
    if not 1 <= spec.month <= 12 or not 1 <= spec.day <= _month_length(2000, spec.month):
        raise _fail(
            "invalid", f"`{spec.date_text}` isn't a real date. Try `28 feb` or `2027-03-01`."
        )
    if spec.year is not None:
        if spec.day > _month_length(spec.year, spec.month):
            raise _fail("invalid", f"There's no {label} in {spec.year}. Try `28 feb {spec.year}`.")
        if spec.year > ctx.local.year + ctx.max_days // 365 + 1:
            raise _fail("too_far", _too_far_message(ctx.max_days))
        at = _at(ctx, date(spec.year, spec.month, spec.day), clock)
        if at <= ctx.now:
            raise _fail(
                "past",
                f"{label} {spec.year} is in the past. "
                "Try a future date, like `tomorrow` or `1 march`.",
            )
        return at
    years = range(ctx.local.year, ctx.local.year + 9)
    dates = [
        date(y, spec.month, spec.day) for y in years if spec.day <= _month_length(y, spec.month)
    ]
    return _first_date_after(ctx, clock, dates)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _resolve_once(spec: _Spec, ctx: _Ctx) -> tuple[datetime, str]:
    clock = _clock_for(spec)
    if spec.has_dur:
        if spec.date_kind is not None:
            raise _conflict(spec, spec.date_kind)
        at = _resolve_duration(spec, ctx, clock)
        words = _describe_duration(spec)
        return at, (f"in {words}" if clock is None else f"in {words} at {_hm(at)}")
    midnight = spec.named == "midnight" and spec.clock is None and spec.bare_hour is None
    if spec.date_kind is not None:
        at = _resolve_date(spec, ctx, clock or _DEFAULT_TIME)
        if midnight:
            at = localize(at.replace(tzinfo=None) + timedelta(days=1), ctx.zone)
        return at, _describe_at(at, spec)
    if clock is None:
        raise _fail("invalid", f"I couldn't find a time in that. {_EX}")
    today = ctx.local.date()
    if midnight:
        at = _at(ctx, today + timedelta(days=1), clock)
    elif spec.pin_today:
        at = _pinned(ctx, today, clock, spec.named or "today")
    else:
        at = _at(ctx, today, clock)
        if at <= ctx.now:
            at = _at(ctx, today + timedelta(days=1), clock)
    return at, _describe_at(at, spec)


def _describe_duration(spec: _Spec) -> str:
    """Normalised amounts, e.g. "1 week 3 days" or "2 hours 30 minutes"."""
    years, months, weeks, days = spec.cal
    seconds = round(spec.exact)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    amounts = zip(
        (years, months, weeks, days, hours, minutes, secs),
        ("year", "month", "week", "day", "hour", "minute", "second"),
        strict=True,
    )
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in amounts if n) or "0 seconds"


def _hm(at: datetime) -> str:
    return f"{at.hour:02d}:{at.minute:02d}" + (f":{at.second:02d}" if at.second else "")


def _describe_at(at: datetime, spec: _Spec) -> str:
    zone = f" {spec.zone_label}" if spec.zone_label else ""
    return (
        f"{_WD_SHORT[at.weekday()]} {at.day} {_MONTH_NAMES[at.month - 1][:3]} {at.year} "
        f"at {_hm(at)}{zone}"
    )


# --------------------------------------------------------------------------- repeats


def _rule(spec: _Spec, clock: tuple[int, int, int] | None) -> str:
    parts = [f"FREQ={spec.freq}"]
    if spec.interval != 1:
        parts.append(f"INTERVAL={spec.interval}")
    if spec.freq == "YEARLY" and spec.yearly_date:
        parts += [f"BYMONTH={spec.month}", f"BYMONTHDAY={spec.day}"]
    elif spec.monthly_day and spec.date_kind == "od":
        if spec.day >= 29:  # clamp: the 31st means the last day in shorter months
            parts += [
                f"BYMONTHDAY={','.join(str(d) for d in range(28, spec.day + 1))}",
                "BYSETPOS=-1",
            ]
        else:
            parts.append(f"BYMONTHDAY={spec.day}")
    elif spec.monthly_day and spec.date_kind == "lastday":
        parts.append("BYMONTHDAY=-1")
    elif spec.monthly_day and spec.date_kind == "nth":
        parts.append(f"BYDAY={spec.nth}{_RRULE_DAYS[spec.weekday]}")
    if spec.byday:
        parts.append("BYDAY=" + ",".join(_RRULE_DAYS[d] for d in spec.byday))
    if clock is not None and not spec.exact_every:
        parts += [f"BYHOUR={clock[0]}", f"BYMINUTE={clock[1]}", f"BYSECOND={clock[2]}"]
    return ";".join(parts)


def _check_repeat_shape(spec: _Spec) -> None:
    if spec.has_dur:
        raise _fail(
            "invalid",
            "I can't combine a repeat with a duration. "
            "Try `every 2 weeks` or `every monday at 9am`.",
        )
    kind = spec.date_kind
    ok = (
        kind is None
        or (kind == "date" and spec.freq == "YEARLY" and spec.yearly_date and spec.year is None)
        or (kind in ("od", "lastday", "nth") and spec.freq == "MONTHLY" and spec.monthly_day)
    )
    if not ok:
        raise _fail(
            "invalid",
            f"I can't repeat `{spec.rec_text}` on `{spec.date_text}`. "
            "Try `every month on the 1st` or `every year on 1 march`.",
        )
    if kind == "od" and not 1 <= spec.day <= 31:
        raise _fail(
            "invalid", "Pick a day from the 1st to the 31st, like `every month on the 15th`."
        )
    if kind == "date" and not (
        1 <= spec.month <= 12 and 1 <= spec.day <= _month_length(2000, spec.month)
    ):
        raise _fail(
            "invalid", f"`{spec.date_text}` isn't a real date. Try `every year on 1 march`."
        )


def _resolve_repeat(spec: _Spec, ctx: _Ctx, member_tz: tzinfo) -> tuple[datetime, str, str]:
    _check_repeat_shape(spec)
    if (
        spec.zone is not None
        and spec.zone is not member_tz
        and getattr(spec.zone, "key", 0) != getattr(member_tz, "key", 1)
    ):
        raise _fail(
            "invalid",
            "Repeating reminders follow your own time zone, so leave the zone "
            "out: try `every monday at 9am`.",
        )
    clock = _clock_for(spec)
    pattern = bool(spec.byday or spec.monthly_day or spec.yearly_date)
    if pattern and clock is None:
        clock = _DEFAULT_TIME
    rule = _rule(spec, clock)
    start = ctx.local.replace(microsecond=0)
    now_whole = localize(start, ctx.zone) if start != ctx.local else ctx.now
    if spec.byday and spec.freq == "WEEKLY":
        assert clock is not None
        today = ctx.local.date()
        days = [
            today + timedelta(days=i) for i in range(8) if (today.weekday() + i) % 7 in spec.byday
        ]
        at = _first_date_after(ctx, clock, days)
    elif pattern:
        found = next_occurrence(
            rule, first=start.replace(tzinfo=ctx.zone), after=ctx.now, tz=ctx.zone
        )
        if found is None:  # pragma: no cover - unbounded rules always have a next date
            raise _fail("invalid", f"That repeat never happens. {_EX}")
        at = found
    elif clock is not None:
        at = _at(ctx, start.date(), clock)
        if at <= ctx.now:
            at = _at(ctx, start.date() + timedelta(days=1), clock)
    elif spec.exact_every:
        _check_far_seconds(spec.exact_every, ctx)
        at = (now_whole.astimezone(UTC) + timedelta(seconds=spec.exact_every)).astimezone(ctx.zone)
    else:
        at = _every_calendar_start(spec, ctx, start)
    return at, rule, _describe_repeat(spec, clock)


def _check_far_seconds(seconds: int, ctx: _Ctx) -> None:
    if seconds / 86400 > ctx.max_days + 2:
        raise _fail("too_far", _too_far_message(ctx.max_days))


def _every_calendar_start(spec: _Spec, ctx: _Ctx, start: datetime) -> datetime:
    """`every N <unit>` without a time starts N units from now."""
    cal = [0, 0, 0, 0]
    index = {"YEARLY": 0, "MONTHLY": 1, "WEEKLY": 2, "DAILY": 3}[spec.freq or "DAILY"]
    cal[index] = spec.interval
    probe = _Spec(cal=cal)
    _check_far(probe, ctx)
    return localize(_add_calendar(start, cal), ctx.zone)


def _describe_repeat(spec: _Spec, clock: tuple[int, int, int] | None) -> str:
    at = f" at {clock[0]:02d}:{clock[1]:02d}" if clock is not None else ""
    if spec.byday:
        return f"every {'other ' if spec.interval == 2 else ''}{_days_label(spec.byday)}{at}"
    if spec.monthly_day:
        if spec.date_kind == "lastday":
            what = "the last day"
        elif spec.date_kind == "nth":
            nth = "last" if spec.nth == -1 else _ORDINAL_WORDS[spec.nth]
            what = f"the {nth} {_WEEKDAY_NAMES[spec.weekday]}"
        else:
            what = f"the {_ordinal(spec.day)}"
        return f"{_every('month', spec.interval)} on {what}{at}"
    if spec.yearly_date:
        return f"{_every('year', spec.interval)} on {spec.day} {_MONTH_NAMES[spec.month - 1]}{at}"
    if spec.exact_every:
        hours, rest = divmod(spec.exact_every, 3600)
        return _every("hour", hours) if not rest else _every("minute", spec.exact_every // 60)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[spec.freq or ""]
    return f"{_every(unit, spec.interval)}{at}"


_ORDINAL_WORDS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _every(unit: str, n: int) -> str:
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


def _days_label(days: tuple[int, ...]) -> str:
    if days == (0, 1, 2, 3, 4):
        return "weekday"
    if days == (5, 6):
        return "weekend day"
    names = [_WEEKDAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- text handling


@dataclass(slots=True)
class _Found:
    """Candidate readings (atoms, message), best first, and whether a repeat trigger was used."""

    options: list[tuple[list[re.Match[str]], str]]
    repeat: bool


def _atoms(body: str, offset: int = 0) -> list[re.Match[str]]:
    """All atoms, left to right, trying the big regex only where a starter word begins."""
    found: list[re.Match[str]] = []
    end = offset
    for word in _WORD_RE.finditer(body, offset):
        start = word.start()
        if start < end:
            continue
        token = word.group()
        pattern = _ATOM_BY_STARTER.get("#" if token[0].isdigit() else token.lower())
        if pattern is not None:
            atom = pattern.match(body, start)
            if atom is not None and atom.end() > start:
                found.append(atom)
                end = atom.end()
    return found


def _runs(body: str, atoms: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Group atoms separated only by connectors ("and", "at", commas) into runs."""
    runs: list[list[re.Match[str]]] = []
    for atom in atoms:
        if runs and _GAP_RE.fullmatch(body, runs[-1][-1].end(), atom.start()):
            runs[-1].append(atom)
        else:
            runs.append([atom])
    return runs


def _split(text: str) -> _Found:
    """Find the time expression (at the start and/or end) and the message around it.

    With a run at both ends ("tomorrow call mom at 5pm") both are combined, falling back to the
    end run, then the start run, if the combination doesn't make sense.
    """
    body, repeat = text, False
    trig = _TRIGGER_RE.match(body)
    if trig is not None:
        repeat = trig.group("rep") is not None
        body = body[trig.end() :]
    quoted: str | None = None
    if any(q in body for q in '"\u201c['):
        first = _QUOTE_RE.search(body)
        if first is not None:
            quoted = next(g for g in first.groups() if g is not None).strip()
            body = _QUOTE_RE.sub(lambda q: " " * len(q.group(0)), body)
    lead = _LEAD_RE.match(body)
    offset = lead.end() if lead is not None else 0
    atoms = [m for m in _atoms(body, offset) if m.lastgroup != "vague"]
    head, tail = _edge_runs(body, offset, atoms)
    options: list[tuple[list[re.Match[str]], str]] = []
    if head and tail and head is not tail:
        options.append((head + tail, body[head[-1].end() : tail[0].start()]))
        options.append((tail, body[offset : tail[0].start()]))
        options.append((head, body[head[-1].end() :]))
    elif head:
        options.append((head, "" if tail is head else body[head[-1].end() :]))
    elif tail:
        options.append((tail, body[offset : tail[0].start()]))
    if quoted is not None:
        return _Found([(run, quoted) for run, _ in options], repeat)
    return _Found([(run, _clean_message(msg)) for run, msg in options], repeat)


def _edge_runs(
    body: str, offset: int, atoms: list[re.Match[str]]
) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    if not atoms:
        return [], []
    runs = _runs(body, atoms)
    first, last = runs[0], runs[-1]
    head = first if _HEAD_RE.fullmatch(body, offset, first[0].start()) else []
    tail = last if _TAIL_RE.fullmatch(body, last[-1].end()) else []
    return head, tail


def _clean_message(text: str) -> str:
    lead = _MSG_LEAD_RE.match(text)
    if lead is not None:
        text = text[lead.end() :]
    return _MSG_TAIL_RE.sub("", text).strip()


def _vague_edge(text: str) -> bool:
    return any(m.lastgroup == "vague" for m in _atoms(text))


# --------------------------------------------------------------------------- public API


def contains_time(text: str) -> bool:
    """True if the text has something that looks like a time expression at its start or end."""
    return bool(_split(text).options)


def parse_when(
    text: str, *, now: datetime, tz: tzinfo, max_ahead_days: int = 5 * 365 + 1
) -> ParsedWhen:
    """Parse a reminder phrase into its first firing (strictly after `now`), rule and message.

    Wall-clock times are read in `tz` unless the phrase names a zone; a naive `now` is taken as
    wall time in `tz`. Raises TimeParseError (invalid / past / too_far / ambiguous) whose
    message is friendly and shows a phrase that works.
    """
    aware_now = now if now.tzinfo is not None else now.replace(tzinfo=tz)
    found = _split(text)
    if not found.options:
        raise _no_time(text)
    error: TimeParseError | None = None
    for atoms, message in found.options:
        try:
            return _interpret(atoms, message, found.repeat, aware_now, tz, max_ahead_days)
        except TimeParseError as exc:
            if exc.reason != "invalid" or len(found.options) == 1:
                raise
            error = error or exc
    assert error is not None
    raise error


def _interpret(
    atoms: list[re.Match[str]],
    message: str,
    repeat: bool,
    now: datetime,
    tz: tzinfo,
    max_ahead_days: int,
) -> ParsedWhen:
    spec = _Spec()
    for atom in atoms:
        _apply(spec, atom, repeat)
    _finish(spec)
    if spec.past is not None:
        raise _fail(
            "past",
            f"{spec.past[:1].upper()}{spec.past[1:]}; reminders need a future "
            "time. Try `in 5 days` or `tomorrow at 9am`.",
        )
    if repeat and spec.freq is None:
        raise _fail(
            "invalid",
            "RemindMeRepeat! needs a repeat like `every monday` or `RemindMeRepeat! 1 week`.",
        )
    zone = spec.zone or tz
    utc_now = now.astimezone(UTC)
    ctx = _Ctx(
        utc_now,
        zone,
        now.astimezone(zone).replace(tzinfo=None),
        timedelta(days=max_ahead_days),
        max_ahead_days,
    )
    try:
        if spec.freq is not None:
            at, rule, understood = _resolve_repeat(spec, ctx, tz)
        else:
            (at, understood), rule = _resolve_once(spec, ctx), None
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, TimeParseError):
            raise
        raise _fail("too_far", _too_far_message(max_ahead_days)) from exc
    if at <= utc_now:
        raise _fail("past", f"That time has already passed. {_EX}")
    if at.astimezone(UTC) - utc_now > ctx.max_ahead:
        raise _fail("too_far", _too_far_message(max_ahead_days))
    return ParsedWhen(at=at, rule=rule, message=message, understood=understood)


def _no_time(text: str) -> TimeParseError:
    if _BARE_NUMBER_RE.fullmatch(text):
        return _fail(
            "invalid", "A number on its own isn't a time. Try `in 5 minutes`, `at 17:00` or `5pm`."
        )
    if _vague_edge(text):
        return _fail(
            "ambiguous",
            "That's a bit vague for me. Give me a time like `in 30 minutes` or `tomorrow at 9am`.",
        )
    return _fail("invalid", f"I couldn't find a time in that. {_EX}")
