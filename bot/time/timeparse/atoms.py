"""Find the time expression: which atoms the text holds, and which of them touch its edges.

Everything between or around those atoms is the reminder's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.time.timeparse.vocabulary import (
    DAYLIST,
    FLAGS,
    LUNIT,
    MON,
    MON_STARTERS,
    NAMED_STARTERS,
    NUMBER_STARTERS,
    NUMW,
    ORD,
    PART,
    PART_SEP,
    SCOPE,
    UNIT,
    WD,
    WD_STARTERS,
    zone_pattern,
)

# A date may be followed by "-" and a clock time ("2026-12-01-10:00"), not by more digits.
_NOT_MORE_DATE: Final = r"(?![\d/.]\d|-(?!\d{1,2}(?:[:.]\d{2}|\s*[ap]\.?\s?m(?![a-z])))\d)"

# (alternative, words it can start with; "#" means a digit). Order matters: first match wins.
_ATOM_TABLE: Final = [
    # ISO 8601 date, optionally with T-time and offset
    (
        r"(?P<iso>(?P<iy>\d{4})[-/](?P<imo>\d{1,2})[-/](?P<id>\d{1,2})(?:t(?P<ih>\d{1,2}):"
        r"(?P<imi>\d{2})(?::(?P<is>\d{2})(?:\.\d+)?)?(?P<iz>z|[+-]\d{2}(?::?\d{2})?)?)?)"
        + _NOT_MORE_DATE,
        "#",
    ),
    # numeric dates: a/b[/c], a-b-c, dotted d.m.[y]; "24.12" and "24-12" only in a date's
    # context (weak, see `_keep`): "on 24.12", "24.12 at 10:00", not "python 3.12"
    (
        r"(?P<nd>(?:(?P<ndon>on|until|by|before)\s+)?(?P<nda>\d{1,2})(?:(?P<nds>/)(?P<ndb>\d{1,2})"
        r"(?:/(?P<ndc>\d{4}|\d{2}))?|-(?P<ndb2>\d{1,2})-(?P<ndc2>\d{4}|\d{2})"
        r"|\.(?P<ndb3>\d{1,2})\.(?P<ndc3>\d{4}|\d{2})?"
        r"|(?P<ndw>[.-])(?P<ndb4>0?[1-9]|1[0-2])(?!\.?\d|\s*(?:[ap]\.?\s?m(?![a-z])|%)"
        rf"|\s*{UNIT}))" + _NOT_MORE_DATE + ")",
        "# on until by before",
    ),
    # repeats
    (
        rf"(?P<rdays>(?:every|each)\s+(?:(?P<rdo>other|second|2nd|alternate)\s+)?"
        rf"(?P<rdl>{DAYLIST}))",
        "every each",
    ),
    (
        rf"(?P<rec>(?:every|each)\s+(?:(?P<reco>other)\s+|(?P<rech>half\s+an?)\s+|"
        rf"(?P<recn>\d+(?:\.\d+)?|{NUMW})\s+)?"
        rf"(?P<recu>{LUNIT}))",
        "every each",
    ),
    (
        r"(?P<radv>hourly|daily|weekly|fortnightly|biweekly|monthly|yearly|annually)(?![a-z])",
        "hourly daily weekly fortnightly biweekly monthly yearly annually",
    ),
    (
        rf"(?P<ryear>(?:every|each)(?=\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?{MON}"
        rf"|{MON}\s*\d)))",
        "every each",
    ),
    (r"(?P<rmday>(?:every|each)(?=\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)))", "every each"),
    (
        rf"(?P<nth>(?:(?P<nthev>every|each)\s+)?(?:on\s+)?(?:the\s+)?(?P<nthn>{ORD})\s+"
        rf"(?P<nthw>{WD})\s+of\s+(?P<nths>{SCOPE})\s+month)",
        "every each on the first second third fourth fifth last #",
    ),
    (rf"(?P<nth2>(?:on\s+)?the\s+(?P<nthn2>{ORD})\s+(?P<nthw2>{WD}))", "on the"),
    (
        rf"(?P<ld>(?:(?P<ldev>every|each)\s+)?(?:on\s+)?(?:the\s+)?last\s+day(?:\s+of\s+"
        rf"(?P<lds>{SCOPE})\s+month)?)",
        "every each on the last",
    ),
    # month-name dates
    (
        rf"(?P<md>(?:on\s+)?(?:the\s+)?(?:(?P<mdd1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?"
        rf"(?P<mdm1>{MON})|(?P<mdm2>{MON})\s*(?:the\s+)?(?P<mdd2>\d{{1,2}})(?:st|nd|rd|th)?"
        r"(?![\d:.]|[a-z]|\s*[ap]\.?m(?![a-z])))(?:,?\s*(?P<mdy>\d{4})(?![\d:]))?)",
        f"on the # {MON_STARTERS}",
    ),
    # ordinal day of month
    (
        rf"(?P<od>(?:on\s+)?(?:the\s+)?(?P<odd>\d{{1,2}})(?:st|nd|rd|th)(?![a-z])"
        rf"(?:\s+(?:day\s+)?of\s+(?P<ods>{SCOPE})\s+month)?)",
        "on the #",
    ),
    # durations
    (
        rf"(?P<dur>(?P<durpre>(?:in|after)\s+)?(?P<durbody>{PART}(?:{PART_SEP}{PART})*)"
        r"(?:\s+(?P<durpost>from\s+now|later|ago|hence|before|earlier|back)(?![a-z]))?)",
        f"in after # {NUMBER_STARTERS}",
    ),
    # compact clock times after "at": "at 930", "at 1730", "at 9.30", "at 930pm"
    (
        r"(?P<compact>(?:at|@)\s*(?P<cch>\d{1,2})\.?(?P<ccm>\d{2})"
        r"(?:\s*(?P<ccap>[ap])\.?\s?m(?![a-z])\.?)?(?![\d:/]|[.-]\d)" + zone_pattern("cz3") + ")",
        "at @",
    ),
    # end of the week, month, quarter or year (end of the day is a named time below)
    (
        r"(?P<eop>(?:(?:by|at|before|until)\s+(?:the\s+)?)?(?:eo(?P<eopa>w|m|q|y)"
        r"|end\s+of\s+(?:the\s+)?(?P<eopw>week|month|quarter|year))(?![a-z]))",
        "by at before until eow eom eoq eoy end",
    ),
    # clock times
    (
        r"(?P<clock>(?:(?:at|@|by|around)\s*)?(?:(?P<c12h>\d{1,2})(?:[:.](?P<c12m>\d{2})"
        r"(?::(?P<c12s>\d{2}))?)?\s*(?P<c12ap>[ap])\.?\s?m(?![a-z])\.?"
        r"|(?P<c24h>\d{1,2}):(?P<c24m>\d{2})(?::(?P<c24s>\d{2}))?(?!\d))"
        + zone_pattern("cz1")
        + ")",
        "at @ by around #",
    ),
    (
        r"(?P<bare>(?:at|@)\s*(?P<bh>\d{1,3})(?:\s*o'?clock)?(?![\d:./]|\s*[ap]\.?m(?![a-z]))"
        + zone_pattern("cz2")
        + ")",
        "at @",
    ),
    # named times, relative days, weekdays
    (
        r"(?P<named>(?:(?P<npre>at|this|in\s+the|by|around|by\s+the|at\s+the)\s+)?"
        r"(?P<nw>noon|midday|midnight|eod|cob|end\s+of\s+(?:the\s+)?(?:day|business)"
        r"|close\s+of\s+business|tonight|morning|afternoon|evening|night)(?![a-z]))",
        f"at this in by around {NAMED_STARTERS}",
    ),
    (
        r"(?P<rel>(?P<relw>today|tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow"
        r"|(?:the\s+)?day\s+after\s+tomorrow|yesterday)(?![a-z]))",
        "today tomorrow tmrw tmr tomorow tommorow tommorrow the day yesterday",
    ),
    (
        rf"(?P<wd>(?:(?P<wdq>this\s+coming|this|next|coming|on|by|until|last|past)\s+)?"
        rf"(?P<wdn>{WD}))",
        f"this next coming on by until last past {WD_STARTERS}",
    ),
    (r"(?P<nu>next\s+(?P<nuu>week|month|year)(?![a-z]))", "next"),
    (
        rf"(?P<vague>(?:(?:in|within|after)\s+)?(?:(?:a\s+)?few|several|some|a\s+couple(?:\s+of)?)"
        rf"\s+(?:more\s+)?{LUNIT}|(?:in\s+)?a\s+(?:little\s+)?(?:bit|while)|some\s*time|soon|later"
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
            cache[key] = re.compile("|".join(_ATOM_TABLE[i][0] for i in key), FLAGS)
        table[word] = cache[key]
    return table


_ATOM_BY_STARTER: Final = _compile_starters()
_WORD_RE: Final = re.compile(r"(?<![a-z0-9])(?:[a-z]+|[0-9]+)|@", FLAGS)
_TRIGGER_RE: Final = re.compile(
    r"\s*(?:(?P<rep>!?remind\s*me\s*repeat!?)|!?remind\s*me!|!remind(?:\s*me)?)(?![a-z])[\s,:]*",
    FLAGS,
)
_LEAD_RE: Final = re.compile(r"\s*(?:remind\s+me|remind|me)(?=[\s,:;]|$)[\s,:;]*", FLAGS)
_QUOTE_RE: Final = re.compile(r'"([^"]*)"|\u201c([^\u201d]*)\u201d|\[([^\]]*)\]')
_GAP_RE: Final = re.compile(r"(?:[\s,;@&-]|\b(?:and|at|on|by|around)\b)*", FLAGS)
_HEAD_RE: Final = re.compile(r"[\s,:;-]*")
_TAIL_RE: Final = re.compile(r"[\s.!?,;:)]*")
_MSG_LEAD_RE: Final = re.compile(
    r"(?:[\s,:;\-\u2013\u2014]|\.(?=\s))*(?:(?:remind\s+me|me)(?=[\s,:;]|$)[\s,:;]*)?"
    r"(?:(?:to|about|that)(?=\s|$))?[\s,:;\-\u2013\u2014]*",
    FLAGS,
)
_MSG_TAIL_RE: Final = re.compile(r"(?:\s+[-\u2013\u2014]+|[\s,:]+)$")


# what an atom says; a second atom saying the same thing ends the time at the start
_SLOTS: Final = {
    **dict.fromkeys(("iso", "nd", "md", "od", "nth", "nth2", "ld", "rel", "nu", "eop"), "date"),
    **dict.fromkeys(("clock", "bare", "compact"), "clock"),
    **dict.fromkeys(("rec", "rdays", "radv", "ryear", "rmday"), "repeat"),
    "wd": "weekday",
    "named": "named",
    "dur": "dur",
}
_CLOCKS: Final = frozenset(("clock", "bare", "compact", "named"))
_URL_RE: Final = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", FLAGS)
# Unicode spaces read as spaces; zero-width characters are dropped, except a joiner between two
# non-ASCII characters (emoji sequences like a family, scripts that need it).
_SPACE_RE: Final = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH_RE: Final = re.compile(
    r"[\u200b\u2060\ufeff\u180e]|[\u200c\u200d](?![^\x00-\x7f\s])|(?<![^\x00-\x7f\s])[\u200c\u200d]"
)


@dataclass(slots=True)
class _Found:
    """Candidate readings (atoms, message), best first, and whether a repeat trigger was used."""

    options: list[tuple[list[re.Match[str]], str]]
    repeat: bool


def clean_spaces(text: str) -> str:
    """Unicode spaces become plain spaces and zero-width characters go: they never hide a time."""
    if text.isascii():
        return text
    return _ZERO_WIDTH_RE.sub("", _SPACE_RE.sub(" ", text))


def _atoms(body: str, offset: int = 0) -> list[re.Match[str]]:
    """All atoms, left to right, trying the big regex only where a starter word begins.

    Words inside a URL are not times (`?t=10m`); a weak numeric date (`24.12`) counts only next
    to a clock time or after `on`/`until`/`by`/`before`.
    """
    found: list[re.Match[str]] = []
    end = offset
    urls = (
        [(u.start(), u.end()) for u in _URL_RE.finditer(body)]
        if "://" in body or "www." in body
        else []
    )
    weak = False
    for word in _WORD_RE.finditer(body, offset):
        start = word.start()
        if start < end:
            continue
        if urls and any(a <= start < b for a, b in urls):
            continue
        token = word.group()
        pattern = _ATOM_BY_STARTER.get("#" if token[0].isdigit() else token.lower())
        if pattern is not None:
            atom = pattern.match(body, start)
            if atom is not None and atom.end() > start:
                found.append(atom)
                end = atom.end()
                weak = weak or (atom.lastgroup == "nd" and atom.group("ndw") is not None)
    if weak:
        found = [a for i, a in enumerate(found) if _keep(body, found, i)]
    return found


def _keep(body: str, atoms: list[re.Match[str]], i: int) -> bool:
    atom = atoms[i]
    if atom.lastgroup != "nd" or not atom.group("ndw") or atom.group("ndon"):
        return True
    before = atoms[i - 1] if i > 0 else None
    after = atoms[i + 1] if i + 1 < len(atoms) else None
    return bool(
        (
            before
            and before.lastgroup in _CLOCKS
            and _GAP_RE.fullmatch(body, before.end(), atom.start())
        )
        or (
            after
            and after.lastgroup in _CLOCKS
            and _GAP_RE.fullmatch(body, atom.end(), after.start())
        )
    )


def _runs(body: str, atoms: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Group atoms separated only by connectors ("and", "at", commas) into runs."""
    runs: list[list[re.Match[str]]] = []
    for atom in atoms:
        if runs and _GAP_RE.fullmatch(body, runs[-1][-1].end(), atom.start()):
            runs[-1].append(atom)
        else:
            runs.append([atom])
    return runs


def split_phrase(text: str) -> _Found:
    """Find the time expression and the message around it.

    A time at the start wins: everything after it is the message, time-like words included.
    Only when nothing at the start is a time is the time at the end used. When the start is
    followed by a message, readings that stop earlier come next ("tomorrow at 9am daily standup"
    is "tomorrow at 9am", message "daily standup"), for when the longer one makes no sense.
    """
    body, repeat = clean_spaces(text), False
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
    if head and head is tail:
        options.append((head, ""))
    elif head:
        if _day_only(head) and _clock_only(tail):
            # "tomorrow call mom at 5pm": a day at the start and a clock time at the end are one
            # time; the start-wins readings below stay as the fallback if they don't combine.
            options.append((head + tail, _message_before(body[head[-1].end() : tail[0].start()])))
        for cut in range(_first_repeated_slot(head), 0, -1):
            options.append((head[:cut], _message_after(body[head[cut - 1].end() :])))
    elif tail:
        options.append((tail, _message_before(body[offset : tail[0].start()])))
    if quoted is not None:
        return _Found([(run, quoted) for run, _ in options], repeat)
    return _Found(options, repeat)


_DAY_KINDS: Final = frozenset(("iso", "nd", "md", "od", "nth", "nth2", "ld", "rel", "eop", "wd"))


def _day_only(run: list[re.Match[str]]) -> bool:
    """A one-off day with no time of day (`tomorrow`, `on friday`, `28 nov`), not a duration."""
    return all(
        atom.lastgroup in _DAY_KINDS and not (atom.lastgroup == "iso" and atom.group("ih"))
        for atom in run
    )


def _clock_only(run: list[re.Match[str]]) -> bool:
    """One clock time and nothing else (`at 5pm`, `17:00`), not a deadline (`by 17:00`)."""
    return (
        len(run) == 1
        and run[0].lastgroup in ("clock", "compact", "bare")
        and run[0].group(0)[:2].lower() != "by"
    )


def _first_repeated_slot(run: list[re.Match[str]]) -> int:
    """How many atoms of the run say different things ("every friday at 4pm weekly" -> 3)."""
    seen: set[str] = set()
    for index, atom in enumerate(run):
        slot = _SLOTS.get(atom.lastgroup or "", "")
        if slot in seen:
            return index
        seen.add(slot)
    return len(run)


def _edge_runs(
    body: str, offset: int, atoms: list[re.Match[str]]
) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    if not atoms:
        return [], []
    runs = _runs(body, atoms)
    first, last = runs[0], runs[-1]
    head = first if _HEAD_RE.fullmatch(body, offset, first[0].start()) else []
    tail = last if _TAIL_RE.fullmatch(body, last[-1].end()) else []
    if head and tail and head is not tail and _weak_start(head):
        head = []  # "the 1st draft review tomorrow": an ordinal word, not a date
    return head, tail


def _weak_start(run: list[re.Match[str]]) -> bool:
    """A lone ordinal without `on` ("the 1st") reads as a word when a time ends the text."""
    atom = run[0]
    return len(run) == 1 and atom.lastgroup == "od" and not atom.group(0).lower().startswith("on")


def _message_after(text: str) -> str:
    """The message after a time at the start: kept whole, down to its last `;--`."""
    lead = _MSG_LEAD_RE.match(text)
    if lead is not None:
        text = text[lead.end() :]
    return text.strip()


def _message_before(text: str) -> str:
    """The message before a time at the end, without the separator before the time."""
    lead = _MSG_LEAD_RE.match(text)
    if lead is not None:
        text = text[lead.end() :]
    return _MSG_TAIL_RE.sub("", text).strip()


def vague_edge(text: str) -> bool:
    return any(m.lastgroup == "vague" for m in _atoms(clean_spaces(text)))
