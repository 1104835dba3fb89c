"""Time-zone resolution for member settings and for zones written inside reminder phrases.

Members type zones in many ways ("Europe/Berlin", "berlin", "new york", "PST", "GMT+2",
"Berlni"). `resolve_zone` turns all of them into an IANA zone so that stored zones are always
`zoneinfo` keys (DST-aware), never raw offsets.

Fixed offsets: whole-hour offsets ("GMT+2", "UTC-05:00") map to the IANA `Etc/GMT-2` style zones
(note the POSIX sign inversion: UTC+2 is `Etc/GMT-2`). IANA has no keys for non-whole-hour offsets
("UTC+05:30"), so those raise `UnknownZone` with the zones that use that offset as suggestions.

A zone inside a phrase ("9pm UTC+5:30") applies to one reminder only, so `zone_in_phrase` may
return any fixed offset. `get_zone` is the one `ZoneInfo` cache; `safe_zone` reads stored names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "ABBREVIATIONS",
    "CITY_ALIASES",
    "BadOffset",
    "UnknownZone",
    "ZoneMatch",
    "get_zone",
    "resolve_zone",
    "safe_zone",
    "zone_in_phrase",
    "zone_label",
]

# Common abbreviations -> the IANA zone people mean by them. Ambiguous ones follow the most common
# English usage: IST is India, BST is British Summer Time, CST is US Central.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "UTC": "UTC",
        "GMT": "UTC",
        "Z": "UTC",
        "PST": "America/Los_Angeles",
        "PDT": "America/Los_Angeles",
        "PT": "America/Los_Angeles",
        "MST": "America/Denver",
        "MDT": "America/Denver",
        "MT": "America/Denver",
        "CST": "America/Chicago",
        "CDT": "America/Chicago",
        "CT": "America/Chicago",
        "EST": "America/New_York",
        "EDT": "America/New_York",
        "ET": "America/New_York",
        "AKST": "America/Anchorage",
        "AKDT": "America/Anchorage",
        "HST": "Pacific/Honolulu",
        "BRT": "America/Sao_Paulo",
        "WET": "Europe/Lisbon",
        "WEST": "Europe/Lisbon",
        "BST": "Europe/London",
        "CET": "Europe/Berlin",
        "CEST": "Europe/Berlin",
        "EET": "Europe/Athens",
        "EEST": "Europe/Athens",
        "MSK": "Europe/Moscow",
        "IST": "Asia/Kolkata",
        "PKT": "Asia/Karachi",
        "ICT": "Asia/Bangkok",
        "WIB": "Asia/Jakarta",
        "SGT": "Asia/Singapore",
        "HKT": "Asia/Hong_Kong",
        "JST": "Asia/Tokyo",
        "KST": "Asia/Seoul",
        "AWST": "Australia/Perth",
        "ACST": "Australia/Adelaide",
        "ACDT": "Australia/Adelaide",
        "AEST": "Australia/Sydney",
        "AEDT": "Australia/Sydney",
        "NZST": "Pacific/Auckland",
        "NZDT": "Pacific/Auckland",
        "SAST": "Africa/Johannesburg",
    }
)

# Cities, countries and nicknames that are not the last component of an IANA key.
CITY_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "new york": "America/New_York",
        "new york city": "America/New_York",
        "nyc": "America/New_York",
        "boston": "America/New_York",
        "washington": "America/New_York",
        "washington dc": "America/New_York",
        "miami": "America/New_York",
        "atlanta": "America/New_York",
        "philadelphia": "America/New_York",
        "montreal": "America/Toronto",
        "ottawa": "America/Toronto",
        "chicago": "America/Chicago",
        "dallas": "America/Chicago",
        "houston": "America/Chicago",
        "austin": "America/Chicago",
        "minneapolis": "America/Chicago",
        "salt lake city": "America/Denver",
        "los angeles": "America/Los_Angeles",
        "la": "America/Los_Angeles",
        "san francisco": "America/Los_Angeles",
        "sf": "America/Los_Angeles",
        "bay area": "America/Los_Angeles",
        "silicon valley": "America/Los_Angeles",
        "seattle": "America/Los_Angeles",
        "portland": "America/Los_Angeles",
        "san diego": "America/Los_Angeles",
        "las vegas": "America/Los_Angeles",
        "honolulu": "Pacific/Honolulu",
        "hawaii": "Pacific/Honolulu",
        "rio": "America/Sao_Paulo",
        "rio de janeiro": "America/Sao_Paulo",
        "buenos aires": "America/Argentina/Buenos_Aires",
        "munich": "Europe/Berlin",
        "hamburg": "Europe/Berlin",
        "frankfurt": "Europe/Berlin",
        "cologne": "Europe/Berlin",
        "germany": "Europe/Berlin",
        "uk": "Europe/London",
        "england": "Europe/London",
        "manchester": "Europe/London",
        "edinburgh": "Europe/London",
        "france": "Europe/Paris",
        "spain": "Europe/Madrid",
        "barcelona": "Europe/Madrid",
        "italy": "Europe/Rome",
        "milan": "Europe/Rome",
        "netherlands": "Europe/Amsterdam",
        "geneva": "Europe/Zurich",
        "kiev": "Europe/Kyiv",
        "st petersburg": "Europe/Moscow",
        "india": "Asia/Kolkata",
        "mumbai": "Asia/Kolkata",
        "bombay": "Asia/Kolkata",
        "delhi": "Asia/Kolkata",
        "new delhi": "Asia/Kolkata",
        "bangalore": "Asia/Kolkata",
        "bengaluru": "Asia/Kolkata",
        "chennai": "Asia/Kolkata",
        "hyderabad": "Asia/Kolkata",
        "pune": "Asia/Kolkata",
        "calcutta": "Asia/Kolkata",
        "china": "Asia/Shanghai",
        "beijing": "Asia/Shanghai",
        "shenzhen": "Asia/Shanghai",
        "japan": "Asia/Tokyo",
        "osaka": "Asia/Tokyo",
        "korea": "Asia/Seoul",
        "saigon": "Asia/Ho_Chi_Minh",
        "ho chi minh city": "Asia/Ho_Chi_Minh",
        "hanoi": "Asia/Bangkok",
        "abu dhabi": "Asia/Dubai",
        "tel aviv": "Asia/Jerusalem",
        "israel": "Asia/Jerusalem",
        "canberra": "Australia/Sydney",
        "wellington": "Pacific/Auckland",
        "new zealand": "Pacific/Auckland",
        "cape town": "Africa/Johannesburg",
        "south africa": "Africa/Johannesburg",
        "utc": "UTC",
        "gmt": "UTC",
        "zulu": "UTC",
    }
)

_CANONICAL_REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)
# "UTC+2", "gmt-05:00", "+0530": the one offset syntax, for settings and for phrases alike.
_OFFSET_RE = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I | re.A)
_MAX_OFFSET_HOURS = 14  # Pacific/Kiritimati
_SPACES_RE = re.compile(r"[\s_]+")
_FUZZY_CUTOFF = 0.75  # this close: "did you mean ...?" with one answer to confirm
_SUGGEST_CUTOFF = 0.65  # this close: offered as a suggestion; nothing closer means none at all
_FUZZY_MIN_LENGTH = 4  # "la", "sf", "uk" match exactly, never loosely ("asdf" is not LA)
_ETC_RE = re.compile(r"Etc/GMT([+-])(\d{1,2})")


@dataclass(frozen=True)
class ZoneMatch:
    """A resolved zone; `exact` False means "did you mean `name`?": ask before using it."""

    zone: ZoneInfo
    name: str
    exact: bool

    @property
    def label(self) -> str:
        return zone_label(self.name)


def zone_label(name: str) -> str:
    """How a stored zone name reads: `Etc/GMT-2` is "UTC+2" (IANA inverts the sign)."""
    m = _ETC_RE.fullmatch(name)
    if m is None:
        return "UTC" if name in ("Etc/UTC", "Etc/GMT", "Etc/Zulu") else name
    return f"UTC{'-' if m.group(1) == '+' else '+'}{int(m.group(2))}"


class UnknownZone(ValueError):
    """The input matched no zone; `suggestions` are close IANA names to offer the member."""

    def __init__(self, text: str, suggestions: tuple[str, ...] = ()) -> None:
        self.text = text
        self.suggestions = suggestions[:5]
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"I don't know the time zone {text!r}.{hint} "
            "Try a city (`Berlin`), an IANA name (`America/New_York`) or `UTC+2`."
        )


class BadOffset(UnknownZone):
    """An offset no place uses: beyond ±14 hours, or with 60 minutes or more."""


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """Cached `ZoneInfo` lookup, so hot paths never touch the tz database twice."""
    return ZoneInfo(name)


def safe_zone(name: str | None, fallback: str) -> ZoneInfo:
    """The zone of a stored name, else of `fallback`, else UTC: a renamed zone must not crash."""
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return get_zone(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return get_zone("UTC")


def _offset(text: str) -> tuple[str, int, int] | None:
    """(sign, hours, minutes) of an offset like "UTC+2" or "-05:30"; BadOffset if none has it."""
    m = _OFFSET_RE.fullmatch(text)
    if m is None:
        return None
    sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    if minutes >= 60 or hours > _MAX_OFFSET_HOURS:
        raise BadOffset(text)
    return sign, hours, minutes


def zone_in_phrase(raw: str) -> tuple[tzinfo, str]:
    """The zone a reminder phrase names ("PST", "Z", "UTC+5:30", "europe/berlin") and its label.

    Raises UnknownZone (BadOffset for an impossible offset).
    """
    text = "".join(raw.split())
    upper = text.upper()
    if upper == "Z":
        return UTC, "UTC"
    if upper in ABBREVIATIONS:
        name = ABBREVIATIONS[upper]
        return (UTC, "UTC") if name == "UTC" else (get_zone(name), upper)
    offset = _offset(text)
    if offset is not None:
        sign, hours, minutes = offset
        delta = timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
        return timezone(delta), f"UTC{sign}{hours:02d}:{minutes:02d}"
    key = _canonical_key(text)
    try:
        return get_zone(key), key
    except (ValueError, KeyError, OSError) as exc:
        raise UnknownZone(raw) from exc


def _canonical_key(key: str) -> str:
    """`america/new_york` -> `America/New_York` (capitalise each `_`-separated word)."""
    return "/".join("_".join(w[:1].upper() + w[1:] for w in p.split("_")) for p in key.split("/"))


def _norm(text: str) -> str:
    return _SPACES_RE.sub(" ", text.strip().lower())


def _preference(key: str) -> tuple[int, int, str]:
    """Sort key preferring canonical region/city keys over legacy links like `US/Pacific`."""
    return (0 if key.startswith(_CANONICAL_REGIONS) else 1, key.count("/"), key)


@lru_cache(maxsize=1)
def _keys() -> frozenset[str]:
    return frozenset(k for k in available_timezones() if not k.startswith(("posix/", "right/")))


@lru_cache(maxsize=1)
def _lower_keys() -> dict[str, str]:
    return {_norm(k): k for k in sorted(_keys(), key=_preference, reverse=True)}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every lookup name (IANA last components and aliases) -> the IANA key it stands for."""
    names: dict[str, str] = {}
    for key in sorted(_keys(), key=_preference, reverse=True):
        if key.startswith(_CANONICAL_REGIONS):
            names[_norm(key.rsplit("/", 1)[-1])] = key
    names.update(CITY_ALIASES)
    return names


def _offset_zone(text: str, now: datetime) -> ZoneMatch | None:
    offset = _offset(text.strip())
    if offset is None:
        return None
    sign, hours, minutes = offset
    if minutes:
        raise UnknownZone(text, _zones_with_offset(sign, hours, minutes, now))
    if hours == 0:
        return ZoneMatch(get_zone("UTC"), "UTC", True)
    # POSIX-style names invert the sign: UTC+2 is Etc/GMT-2.
    name = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    if name not in _keys():
        raise UnknownZone(text)
    return ZoneMatch(get_zone(name), name, True)


def _zones_with_offset(sign: str, hours: int, minutes: int, now: datetime) -> tuple[str, ...]:
    """Canonical zones whose offset at `now` equals the given one (for half-hour offsets)."""
    wanted = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    found = [
        k
        for k in sorted(_keys(), key=_preference)
        if k.startswith(_CANONICAL_REGIONS) and now.astimezone(get_zone(k)).utcoffset() == wanted
    ]
    return tuple(found[:5])


def _match(name: str, exact: bool) -> ZoneMatch:
    return ZoneMatch(get_zone(name), name, exact)


def resolve_zone(text: str, *, now: datetime) -> ZoneMatch:
    """Resolve free text to an IANA zone, trying exact forms before fuzzy matching.

    `now` (from the Clock) picks the zones suggested for a half-hour offset: those using it then.
    """
    raw = text.strip()
    if not raw:
        raise UnknownZone(text)
    if "/" in raw and raw in _keys():
        return _match(raw, True)
    abbreviation = ABBREVIATIONS.get(raw.upper())
    if abbreviation is not None:
        return _match(abbreviation, True)
    norm = _norm(raw)
    key = CITY_ALIASES.get(norm) or _lower_keys().get(norm)
    if key is not None:
        return _match(key, True)
    offset = _offset_zone(raw, now)
    if offset is not None:
        return offset
    names = _names()
    key = names.get(norm)
    if key is not None:
        return _match(key, True)
    ranked = _close_names(norm)
    if ranked and ranked[0][0] >= _FUZZY_CUTOFF:
        return _match(ranked[0][1], False)
    raise UnknownZone(text, _dedupe(key for _, key in ranked))


def _close_names(norm: str) -> list[tuple[float, str]]:
    """(similarity, IANA key) of names like the input, closest first; none if nothing is close."""
    if len(norm) < 3:
        return []
    found: dict[str, float] = {}
    for table in (_names(), _lower_keys()):
        candidates = [c for c in table if len(c) >= _FUZZY_MIN_LENGTH]
        for close in difflib.get_close_matches(norm, candidates, n=5, cutoff=_SUGGEST_CUTOFF):
            ratio = difflib.SequenceMatcher(None, norm, close).ratio()
            key = table[close]
            found[key] = max(found.get(key, 0.0), ratio)
    return sorted(((ratio, key) for key, ratio in found.items()), key=lambda r: (-r[0], r[1]))


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))[:5]
